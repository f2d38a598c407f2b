using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using NlbTools.Client.Pipeline;
using NlbTools.Client.Signing;

namespace NlbTools.Client.Credentials
{
    /// <summary>
    /// STS (2015-04-01) AssumeRole, V2-signed as the credentials libraries send it (nlb-api.md §6.7), and
    /// AssumeRoleWithOIDC, which is unsigned by design (the OIDC token is the proof).
    /// </summary>
    internal static class StsClient
    {
        public const string Version = "2015-04-01";
        private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15); // 5 s connect + 10 s read in the official libraries

        public static Uri Endpoint(StsRoleOptions options, CredentialsEnvironment env)
        {
            var overridden = env.ResolveStsEndpointOverride();
            if (overridden != null)
            {
                if (overridden.Scheme == Uri.UriSchemeHttp && !overridden.IsLoopback)
                    throw new NlbCredentialsException($"The STS endpoint {overridden.GetLeftPart(UriPartial.Authority)} uses http://, which is allowed for loopback addresses only.");
                return overridden;
            }
            var region = options.StsRegionId ?? env.Variable("ALIBABA_CLOUD_STS_REGION");
            var vpc = options.EnableVpc || env.IsTrue("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED");
            var host = region == null ? "sts.aliyuncs.com" : $"{(vpc ? "sts-vpc" : "sts")}.{region}.aliyuncs.com";
            return new Uri($"https://{host}/");
        }

        public static string SessionName(StsRoleOptions options, CredentialsEnvironment env)
            => options.RoleSessionName ?? env.Variable("ALIBABA_CLOUD_ROLE_SESSION_NAME")
               ?? "nlbtools-" + env.Clock.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

        public static async Task<NlbCredentials> AssumeRoleAsync(NlbCredentials caller, StsRoleOptions options, CredentialsEnvironment env,
            string source, CancellationToken cancellationToken)
        {
            var query = CommonQuery("AssumeRole", env);
            query.Add(Pair("SignatureMethod", "HMAC-SHA1"));
            query.Add(Pair("SignatureVersion", "1.0"));
            query.Add(Pair("SignatureNonce", Guid.NewGuid().ToString("N")));
            query.Add(Pair("AccessKeyId", caller.AccessKeyId));
            if (caller.HasSecurityToken) query.Add(Pair("SecurityToken", caller.RevealSecurityToken()!));

            var body = RoleBody(options, env);
            if (!string.IsNullOrEmpty(options.ExternalId)) body.Add(Pair("ExternalId", options.ExternalId!));

            var signature = AcsSignature.ComputeV2("POST", query.Concat(body), caller.RevealSecret(), out _);
            query.Add(Pair("Signature", signature));
            var secrets = new[] { caller.RevealSecret(), caller.RevealSecurityToken(), signature };
            return await CallAsync("AssumeRole", query, body, options, env, source, secrets, cancellationToken).ConfigureAwait(false);
        }

        public static async Task<NlbCredentials> AssumeRoleWithOidcAsync(string oidcProviderArn, string oidcToken, StsRoleOptions options,
            CredentialsEnvironment env, string source, CancellationToken cancellationToken)
        {
            var query = CommonQuery("AssumeRoleWithOIDC", env);
            var body = RoleBody(options, env);
            body.Add(Pair("OIDCProviderArn", oidcProviderArn));
            body.Add(Pair("OIDCToken", oidcToken));
            return await CallAsync("AssumeRoleWithOIDC", query, body, options, env, source, new[] { oidcToken }, cancellationToken).ConfigureAwait(false);
        }

        private static List<KeyValuePair<string, string>> CommonQuery(string action, CredentialsEnvironment env) => new List<KeyValuePair<string, string>>
        {
            Pair("Action", action),
            Pair("Format", "JSON"),
            Pair("Version", Version),
            Pair("Timestamp", AcsSignature.FormatTimestamp(env.Clock.UtcNow)),
        };

        private static List<KeyValuePair<string, string>> RoleBody(StsRoleOptions options, CredentialsEnvironment env)
        {
            if (string.IsNullOrEmpty(options.RoleArn)) throw new NlbCredentialsException("No role ARN is configured.");
            if (options.DurationSeconds < 900)
                throw new NlbCredentialsException($"DurationSeconds is {options.DurationSeconds}; STS requires at least 900 (15 minutes).");
            var body = new List<KeyValuePair<string, string>>
            {
                Pair("RoleArn", options.RoleArn),
                Pair("RoleSessionName", SessionName(options, env)),
                Pair("DurationSeconds", options.DurationSeconds.ToString(CultureInfo.InvariantCulture)),
            };
            if (!string.IsNullOrEmpty(options.Policy)) body.Add(Pair("Policy", options.Policy!));
            return body;
        }

        private static async Task<NlbCredentials> CallAsync(string action, List<KeyValuePair<string, string>> query, List<KeyValuePair<string, string>> body,
            StsRoleOptions options, CredentialsEnvironment env, string source, IEnumerable<string?> secrets, CancellationToken cancellationToken)
        {
            var endpoint = Endpoint(options, env);
            var request = new NlbHttpRequest
            {
                Method = "POST",
                Uri = new Uri(endpoint.GetLeftPart(UriPartial.Path) + "?" + AcsSignature.ToFormString(query)),
                Body = Encoding.UTF8.GetBytes(AcsSignature.ToFormString(body)),
            };
            request.Headers["Content-Type"] = AcsSignature.FormContentType;
            request.Headers["x-acs-action"] = action;
            request.Headers["x-acs-version"] = Version;
            request.Headers["Accept"] = "application/json";

            var where = $"STS {action} at {endpoint.GetLeftPart(UriPartial.Authority)}";
            var response = await CredentialsHttp.SendAsync(env, request, CallTimeout, where, cancellationToken).ConfigureAwait(false);
            var json = CredentialsHttp.ParseJson(response, where);
            if (response.StatusCode != 200)
            {
                var code = (string?)json?["Code"] ?? "HTTP " + response.StatusCode;
                var message = SecretRedaction.Redact((string?)json?["Message"] ?? "", secrets);
                var requestId = (string?)json?["RequestId"];
                throw new NlbCredentialsException($"{where} failed: HTTP {response.StatusCode} {code}: {message}" +
                    (requestId != null ? $" (RequestId {requestId})" : ""));
            }
            if (json?["Credentials"] is not JObject c)
                throw new NlbCredentialsException($"{where} answered without Credentials.");
            return CredentialsHttp.ReadCredentials(c, "AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration", source, where, expirationRequired: true);
        }

        private static KeyValuePair<string, string> Pair(string key, string value) => new KeyValuePair<string, string>(key, value);
    }
}
