using System;
using System.Threading;
using System.Threading.Tasks;
using NlbTools.Client.Pipeline;

namespace NlbTools.Client.Credentials
{
    /// <summary>
    /// GET a URI that answers {AccessKeyId, AccessKeySecret, SecurityToken, Expiration} (nlb-api.md §6.6),
    /// e.g. a sidecar. Cached, refreshed 180 s before expiry. The URI's query is never shown (it may hold a token).
    /// </summary>
    public sealed class CredentialsUriProvider : ICredentialsProvider
    {
        private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);
        private readonly Uri _uri;
        private readonly CredentialsEnvironment _env;
        private readonly RefreshingCredentials _cache;

        public CredentialsUriProvider(string uri, CredentialsEnvironment env, string? source = null)
        {
            var parsed = CredentialEndpoints.Parse(uri ?? "", "The credentials URI");
            _uri = parsed;
            _env = env;
            Source = source ?? "credentials-uri:" + CredentialsHttp.Describe(parsed);
            _cache = new RefreshingCredentials(FetchAsync, env.Clock);
        }

        public string Source { get; }

        public Task<NlbCredentials> GetCredentialsAsync(CancellationToken cancellationToken) => _cache.GetAsync(cancellationToken);

        private async Task<NlbCredentials> FetchAsync(CancellationToken cancellationToken)
        {
            var where = CredentialsHttp.Describe(_uri);
            var response = await CredentialsHttp.SendAsync(_env, new NlbHttpRequest { Method = "GET", Uri = _uri }, CallTimeout, where, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != 200) throw new NlbCredentialsException($"{where} answered HTTP {response.StatusCode}.");
            var json = CredentialsHttp.ParseJson(response, where) ?? throw new NlbCredentialsException($"{where} answered an empty body.");
            return CredentialsHttp.ReadCredentials(json, "AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration", Source, where, expirationRequired: true);
        }

        public override string ToString() => Source;
    }
}
