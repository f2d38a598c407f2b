using System;
using System.IO;
using NlbTools.Client.Pipeline;

namespace NlbTools.Client.Credentials
{
    /// <summary>
    /// Where credential providers look: environment variables, the home folder, the STS and ECS metadata
    /// endpoints, the clock and the HTTP transport. Tests build one with a fake variable table, a temporary
    /// home folder and loopback endpoints, so no test ever reads the real user's files or leaves loopback.
    /// </summary>
    public sealed class CredentialsEnvironment
    {
        /// <summary>The ECS instance metadata service (IMDS) address.</summary>
        public static readonly Uri DefaultMetadataEndpoint = new Uri("http://100.100.100.200");

        /// <summary>NlbTools-only overrides read when StsEndpoint / MetadataEndpoint are not set, so a script
        /// (or a Pester test) can point the default chain at the emulator's STS and metadata paths.</summary>
        public const string StsEndpointVariable = "NLBTOOLS_STS_ENDPOINT";
        public const string MetadataEndpointVariable = "NLBTOOLS_ECS_METADATA_ENDPOINT";

        /// <summary>A new environment over the process: real variables, the user's home, the system clock.
        /// A fresh instance each time, so changing one never changes another caller's view.</summary>
        public static CredentialsEnvironment Default => new CredentialsEnvironment();

        public Func<string, string?> GetVariable { get; set; } = Environment.GetEnvironmentVariable;

        public string HomeDirectory { get; set; } = DefaultHomeDirectory();

        /// <summary>Replaces the computed sts[-vpc][.region].aliyuncs.com endpoint. http:// only for loopback.</summary>
        public Uri? StsEndpoint { get; set; }

        /// <summary>Replaces http://100.100.100.200 (the ECS metadata service). http:// only for loopback and that address.</summary>
        public Uri? MetadataEndpoint { get; set; }

        public ISystemClock Clock { get; set; } = SystemClock.Instance;

        /// <summary>For STS, metadata and credentials-URI calls; null = a shared HttpClient.</summary>
        public NlbTransport? Transport { get; set; }

        /// <summary>How long an External (process_command) provider may run.</summary>
        public TimeSpan ProcessTimeout { get; set; } = TimeSpan.FromSeconds(60);

        internal string? Variable(string name)
        {
            var value = GetVariable(name);
            return string.IsNullOrEmpty(value) ? null : value;
        }

        /// <summary>The official libraries compare these flags to "true", case-insensitively for some; we accept any case.</summary>
        internal bool IsTrue(string name) => string.Equals(Variable(name)?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

        internal Uri? ResolveStsEndpointOverride()
        {
            if (StsEndpoint != null) return StsEndpoint;
            var fromVariable = Variable(StsEndpointVariable);
            return fromVariable == null ? null : ParseEndpoint(fromVariable, StsEndpointVariable);
        }

        internal Uri ResolveMetadataEndpoint()
        {
            if (MetadataEndpoint != null) return CredentialEndpoints.Require(MetadataEndpoint, "The metadata endpoint");
            var fromVariable = Variable(MetadataEndpointVariable);
            return fromVariable == null ? DefaultMetadataEndpoint : CredentialEndpoints.Parse(fromVariable, MetadataEndpointVariable);
        }

        internal NlbTransport ResolveTransport() => Transport ?? SharedTransport;

        // STS, metadata and URI calls are rare (once per credentials lifetime): one HttpClient for the process.
        private static readonly NlbTransport SharedTransport = new HttpClientTransport();

        private static Uri ParseEndpoint(string value, string variable)
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                throw new NlbCredentialsException($"{variable} is not an absolute http(s) URI.");
            return uri;
        }

        private static string DefaultHomeDirectory()
        {
            // Same as the official libraries: HOME, then USERPROFILE (Windows), then the OS's notion of it.
            var home = Environment.GetEnvironmentVariable("HOME");
            if (string.IsNullOrEmpty(home)) home = Environment.GetEnvironmentVariable("USERPROFILE");
            if (string.IsNullOrEmpty(home)) home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return home ?? Directory.GetCurrentDirectory();
        }
    }
}
