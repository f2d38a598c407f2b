using System.Threading;
using System.Threading.Tasks;

namespace NlbTools.Client.Credentials
{
    /// <summary>ALIBABA_CLOUD_ACCESS_KEY_ID and _SECRET (both required), ALIBABA_CLOUD_SECURITY_TOKEN (optional, STS).</summary>
    public sealed class EnvironmentCredentialsProvider : ICredentialsProvider
    {
        private readonly CredentialsEnvironment _env;

        public EnvironmentCredentialsProvider(CredentialsEnvironment env) => _env = env;

        public string Source => "environment";

        public Task<NlbCredentials> GetCredentialsAsync(CancellationToken cancellationToken)
        {
            // Read on every call: a runbook may set the variables after the module was imported.
            var id = _env.Variable("ALIBABA_CLOUD_ACCESS_KEY_ID");
            var secret = _env.Variable("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
            if (id == null && secret == null)
                throw new NlbCredentialsException("ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are not set.");
            if (id == null) throw new NlbCredentialsException("ALIBABA_CLOUD_ACCESS_KEY_ID is not set (ALIBABA_CLOUD_ACCESS_KEY_SECRET is).");
            if (secret == null) throw new NlbCredentialsException("ALIBABA_CLOUD_ACCESS_KEY_SECRET is not set (ALIBABA_CLOUD_ACCESS_KEY_ID is).");
            return Task.FromResult(new NlbCredentials(id, secret, _env.Variable("ALIBABA_CLOUD_SECURITY_TOKEN"), null, Source));
        }

        public override string ToString() => Source;
    }
}
