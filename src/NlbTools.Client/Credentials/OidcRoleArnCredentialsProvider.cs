using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace NlbTools.Client.Credentials
{
    /// <summary>
    /// STS AssumeRoleWithOIDC (RRSA in Kubernetes): the OIDC token file is read again at each refresh, because
    /// the platform rotates it. Cached and refreshed 180 s before expiry.
    /// </summary>
    public sealed class OidcRoleArnCredentialsProvider : ICredentialsProvider
    {
        private readonly string _oidcProviderArn;
        private readonly string _oidcTokenFile;
        private readonly StsRoleOptions _options;
        private readonly CredentialsEnvironment _env;
        private readonly RefreshingCredentials _cache;

        public OidcRoleArnCredentialsProvider(string oidcProviderArn, string oidcTokenFile, StsRoleOptions options, CredentialsEnvironment env, string? source = null)
        {
            if (string.IsNullOrEmpty(oidcProviderArn)) throw new NlbCredentialsException("OIDC needs an OIDC provider ARN.");
            if (string.IsNullOrEmpty(oidcTokenFile)) throw new NlbCredentialsException("OIDC needs an OIDC token file.");
            if (string.IsNullOrEmpty(options.RoleArn)) throw new NlbCredentialsException("OIDC needs a role ARN.");
            _oidcProviderArn = oidcProviderArn;
            _oidcTokenFile = oidcTokenFile;
            _options = options;
            _env = env;
            Source = source ?? "oidc:" + options.RoleArn;
            _cache = new RefreshingCredentials(FetchAsync, env.Clock);
        }

        public string Source { get; }

        public Task<NlbCredentials> GetCredentialsAsync(CancellationToken cancellationToken) => _cache.GetAsync(cancellationToken);

        private Task<NlbCredentials> FetchAsync(CancellationToken cancellationToken)
        {
            string token;
            try { token = File.ReadAllText(_oidcTokenFile).Trim(); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new NlbCredentialsException($"The OIDC token file {_oidcTokenFile} cannot be read ({e.GetType().Name}).");
            }
            if (token.Length == 0) throw new NlbCredentialsException($"The OIDC token file {_oidcTokenFile} is empty.");
            return StsClient.AssumeRoleWithOidcAsync(_oidcProviderArn, token, _options, _env, Source, cancellationToken);
        }

        public override string ToString() => Source;
    }
}
