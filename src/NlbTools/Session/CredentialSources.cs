using System;
using NlbTools.Client.Credentials;

namespace NlbTools.Session
{
    /// <summary>The one place the cmdlets ask where credentials and the default region come from.</summary>
    internal static class CredentialSources
    {
        private static readonly object s_gate = new object();
        private static ICredentialsProvider? s_defaultChain;

        /// <summary>The default chain, built once per process so clients built on it can be reused.</summary>
        public static ICredentialsProvider DefaultChain()
        {
            lock (s_gate)
            {
                return s_defaultChain ??= BuildDefaultChain();
            }
        }

        /// <summary>Forget the cached chain (Disconnect-Nlb), so changed environment variables are seen.</summary>
        public static void Reset()
        {
            lock (s_gate) s_defaultChain = null;
        }

        public static (ICredentialsProvider Provider, string? RegionId, string Source) Profile(string name)
        {
            // Replaced by CredentialsResolver.Default.Profile(name) when the creds work lands.
            throw new NlbCredentialsException($"Profile '{name}' cannot be read yet.");
        }

        public static string? DefaultRegionId()
            => Env("ALIBABA_CLOUD_REGION_ID") ?? Env("ALIBABACLOUD_REGION_ID") ?? Env("ALICLOUD_REGION");

        private static ICredentialsProvider BuildDefaultChain()
        {
            var id = Env("ALIBABA_CLOUD_ACCESS_KEY_ID");
            var secret = Env("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
            if (id != null && secret != null)
                return new StaticCredentialsProvider(id, secret, Env("ALIBABA_CLOUD_SECURITY_TOKEN"), "environment");
            return new MissingCredentialsProvider();
        }

        private static string? Env(string name)
        {
            var v = Environment.GetEnvironmentVariable(name);
            return string.IsNullOrWhiteSpace(v) ? null : v;
        }

        private sealed class MissingCredentialsProvider : ICredentialsProvider
        {
            public string Source => "none";
            public System.Threading.Tasks.Task<NlbCredentials> GetCredentialsAsync(System.Threading.CancellationToken cancellationToken)
                => throw new NlbCredentialsException("No credentials in the environment.");
        }
    }
}
