using System.Threading;
using System.Threading.Tasks;

namespace NlbTools.Client.Credentials
{
    /// <summary>
    /// Assumes a RAM role with STS AssumeRole, signed (V2) with the credentials of another provider: a key pair
    /// (RamRoleArn) or any other source, such as a profile or an ECS role (ChainableRamRoleArn).
    /// The temporary credentials are cached and refreshed 180 s before they expire.
    /// </summary>
    public sealed class RamRoleArnCredentialsProvider : ICredentialsProvider
    {
        private readonly ICredentialsProvider _sourceCredentials;
        private readonly StsRoleOptions _options;
        private readonly CredentialsEnvironment _env;
        private readonly RefreshingCredentials _cache;

        public RamRoleArnCredentialsProvider(ICredentialsProvider sourceCredentials, StsRoleOptions options, CredentialsEnvironment env, string? source = null)
        {
            _sourceCredentials = sourceCredentials;
            _options = options;
            _env = env;
            if (string.IsNullOrEmpty(options.RoleArn)) throw new NlbCredentialsException("RamRoleArn needs a role ARN.");
            Source = source ?? "ram-role-arn:" + options.RoleArn;
            _cache = new RefreshingCredentials(FetchAsync, env.Clock);
        }

        public string Source { get; }

        public Task<NlbCredentials> GetCredentialsAsync(CancellationToken cancellationToken) => _cache.GetAsync(cancellationToken);

        private async Task<NlbCredentials> FetchAsync(CancellationToken cancellationToken)
        {
            var caller = await _sourceCredentials.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
            return await StsClient.AssumeRoleAsync(caller, _options, _env, Source, cancellationToken).ConfigureAwait(false);
        }

        public override string ToString() => Source;
    }
}
