using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NlbTools.Client.Pipeline;

namespace NlbTools.Client.Credentials
{
    /// <summary>
    /// The RAM role attached to the ECS instance, from the instance metadata service (nlb-api.md §6.5):
    /// an IMDSv2 token first; without one, IMDSv1 unless ALIBABA_CLOUD_IMDSV1_DISABLED is true. The role is
    /// discovered when not configured (nor given by ALIBABA_CLOUD_ECS_METADATA). Cached, refreshed 180 s ahead.
    /// </summary>
    public sealed class EcsRamRoleCredentialsProvider : ICredentialsProvider
    {
        private const string TokenPath = "/latest/api/token";
        private const string RolesPath = "/latest/meta-data/ram/security-credentials/";
        private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(2); // 1 s connect + 1 s read in credentials-go

        private readonly CredentialsEnvironment _env;
        private readonly string? _sourcePrefix;
        private readonly RefreshingCredentials _cache;
        private string? _roleName;

        /// <param name="roleName">Null: ALIBABA_CLOUD_ECS_METADATA, else the role the metadata service lists.</param>
        /// <param name="sourcePrefix">Replaces "ecs-ram-role:&lt;role&gt;" as the source, e.g. a CLI profile's name.</param>
        public EcsRamRoleCredentialsProvider(string? roleName, CredentialsEnvironment env, string? sourcePrefix = null)
        {
            _env = env;
            _roleName = string.IsNullOrEmpty(roleName) ? env.Variable("ALIBABA_CLOUD_ECS_METADATA") : roleName;
            _sourcePrefix = sourcePrefix;
            _cache = new RefreshingCredentials(FetchAsync, env.Clock);
        }

        /// <summary>"ecs-ram-role:my-role"; "ecs-ram-role" until a discovered role is known.</summary>
        public string Source => _sourcePrefix ?? (Volatile.Read(ref _roleName) is string role ? "ecs-ram-role:" + role : "ecs-ram-role");

        public Task<NlbCredentials> GetCredentialsAsync(CancellationToken cancellationToken)
        {
            if (_env.IsTrue("ALIBABA_CLOUD_ECS_METADATA_DISABLED"))
                throw new NlbCredentialsException("skipped, ALIBABA_CLOUD_ECS_METADATA_DISABLED is true.");
            return _cache.GetAsync(cancellationToken);
        }

        private async Task<NlbCredentials> FetchAsync(CancellationToken cancellationToken)
        {
            var baseUri = _env.ResolveMetadataEndpoint();
            var token = await GetTokenAsync(baseUri, cancellationToken).ConfigureAwait(false);

            var role = Volatile.Read(ref _roleName);
            if (role == null)
            {
                var listed = await GetAsync(baseUri, RolesPath, token, "the RAM role list", cancellationToken).ConfigureAwait(false);
                if (listed.StatusCode == 404) throw new NlbCredentialsException($"no RAM role is attached to this instance ({Where(baseUri, RolesPath)} answered 404).");
                RequireOk(listed, baseUri, RolesPath);
                role = FirstLine(listed.Body);
                if (role == null) throw new NlbCredentialsException($"no RAM role is attached to this instance ({Where(baseUri, RolesPath)} is empty).");
                CredentialValues.Check("RAM role name", role, Where(baseUri, RolesPath));
                Volatile.Write(ref _roleName, role);
            }

            var path = RolesPath + Uri.EscapeDataString(role);
            var response = await GetAsync(baseUri, path, token, $"the credentials of role {role}", cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == 404) throw new NlbCredentialsException($"the instance has no RAM role named {role} ({Where(baseUri, path)} answered 404).");
            RequireOk(response, baseUri, path);
            var where = Where(baseUri, path);
            var json = CredentialsHttp.ParseJson(response, where) ?? throw new NlbCredentialsException($"{where} answered an empty body.");
            var code = (string?)json["Code"];
            if (code != "Success") throw new NlbCredentialsException($"{where} answered Code={ServiceText.Clean(code, ServiceText.MaxTokenChars) ?? "(none)"}, not Success.");
            return CredentialsHttp.ReadCredentials(json, "AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration", Source, where, expirationRequired: true);
        }

        /// <summary>The IMDSv2 token, or null to go on with IMDSv1.</summary>
        private async Task<string?> GetTokenAsync(Uri baseUri, CancellationToken cancellationToken)
        {
            var request = new NlbHttpRequest { Method = "PUT", Uri = new Uri(baseUri, TokenPath) };
            request.Headers["X-aliyun-ecs-metadata-token-ttl-seconds"] = "21600";
            var v1Disabled = _env.IsTrue("ALIBABA_CLOUD_IMDSV1_DISABLED");
            // No answer at all fails here: IMDSv1 at the same address would not answer either.
            var response = await CredentialsHttp.SendAsync(_env, request, CallTimeout,
                $"the metadata service at {baseUri.GetLeftPart(UriPartial.Authority)}", cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == 200) return Encoding.UTF8.GetString(response.Body).Trim();
            if (v1Disabled)
                throw new NlbCredentialsException($"the IMDSv2 token request to {Where(baseUri, TokenPath)} answered HTTP {response.StatusCode}, and ALIBABA_CLOUD_IMDSV1_DISABLED is true.");
            return null;
        }

        private Task<NlbHttpResponse> GetAsync(Uri baseUri, string path, string? token, string what, CancellationToken cancellationToken)
        {
            var request = new NlbHttpRequest { Method = "GET", Uri = new Uri(baseUri, path) };
            if (token != null) request.Headers["X-aliyun-ecs-metadata-token"] = token;
            return CredentialsHttp.SendAsync(_env, request, CallTimeout, $"the metadata service ({what})", cancellationToken);
        }

        private static void RequireOk(NlbHttpResponse response, Uri baseUri, string path)
        {
            if (response.StatusCode != 200)
                throw new NlbCredentialsException($"{Where(baseUri, path)} answered HTTP {response.StatusCode}.");
        }

        private static string Where(Uri baseUri, string path) => new Uri(baseUri, path).GetLeftPart(UriPartial.Path);

        private static string? FirstLine(byte[] body)
        {
            foreach (var line in Encoding.UTF8.GetString(body).Split('\n'))
                if (line.Trim().Length > 0) return line.Trim();
            return null;
        }

        public override string ToString() => Source;
    }
}
