using System.Threading;
using System.Threading.Tasks;

namespace NlbTools.Client.Credentials
{
    /// <summary>An explicit key pair, with an optional STS token (Connect-Nlb -AccessKeyId, the emulator, tests).</summary>
    public sealed class StaticCredentialsProvider : ICredentialsProvider
    {
        private readonly NlbCredentials _credentials;

        public StaticCredentialsProvider(string accessKeyId, string accessKeySecret, string? securityToken = null, string source = "explicit")
        {
            _credentials = new NlbCredentials(accessKeyId, accessKeySecret, securityToken, null, source);
        }

        public string Source => _credentials.Source;

        public Task<NlbCredentials> GetCredentialsAsync(CancellationToken cancellationToken) => Task.FromResult(_credentials);

        public override string ToString() => _credentials.ToString();
    }
}
