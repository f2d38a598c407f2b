using System;
using System.Net;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace NlbTools.Client.Pipeline
{
    /// <summary>What the network settings depend on: which runtime, the process's TLS protocols, and whether TLS 1.3 can be asked for.</summary>
    internal sealed class NetworkRuntime
    {
        public NetworkRuntime(string frameworkDescription, SecurityProtocolType securityProtocol, bool tls13Available)
        {
            FrameworkDescription = frameworkDescription ?? string.Empty;
            SecurityProtocol = securityProtocol;
            Tls13Available = tls13Available;
        }

        /// <summary>RuntimeInformation.FrameworkDescription: ".NET Framework 4.8.9032.0" in powershell.exe, ".NET 10.0.0" in pwsh.</summary>
        public string FrameworkDescription { get; }

        public SecurityProtocolType SecurityProtocol { get; }

        /// <summary>The runtime knows SecurityProtocolType.Tls13 (4.8+) and the OS's Schannel speaks it (Windows 11 / Server 2022, build 20348+).</summary>
        public bool Tls13Available { get; }

        public bool IsNetFramework => FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        public static NetworkRuntime Current()
        {
            var description = RuntimeInformation.FrameworkDescription;
            var isFramework = description.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);
            // Read ServicePointManager only on .NET Framework: on .NET Core it means nothing to HttpClient.
            var protocols = isFramework ? ServicePointManager.SecurityProtocol : NetFrameworkNetworkSettings.SystemDefault;
            var tls13 = Enum.IsDefined(typeof(SecurityProtocolType), NetFrameworkNetworkSettings.Tls13)
                && RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
                && Environment.OSVersion.Version.Build >= 20348;
            return new NetworkRuntime(description, protocols, tls13);
        }
    }

    /// <summary>
    /// What NlbTools changes on .NET Framework (Windows PowerShell 5.1), where HttpClient runs on HttpWebRequest and
    /// ServicePoint: TLS 1.2 (and 1.3) added to the process's protocols, and for every endpoint the module calls a
    /// connection limit that fits its concurrency and a lease timeout so pooled connections follow DNS moves.
    /// On .NET Core (PowerShell 7) nothing: SocketsHttpHandler already has no per-host cap and uses the OS's TLS.
    /// </summary>
    internal sealed class NetFrameworkNetworkSettings
    {
        /// <summary>SecurityProtocolType.SystemDefault (.NET Framework 4.7+): the OS chooses. netstandard2.0 does not name it.</summary>
        public const SecurityProtocolType SystemDefault = 0;

        /// <summary>SecurityProtocolType.Tls13 (.NET Framework 4.8+), which netstandard2.0 does not name either.</summary>
        public const SecurityProtocolType Tls13 = (SecurityProtocolType)12288;

        /// <summary>Per endpoint: -ThrottleLimit's maximum (64 updates in flight) plus the job poller's 8 parallel polls.</summary>
        public const int EndpointConnectionLimit = 72;

        /// <summary>A pooled connection is closed after this long, so the next one resolves the host name again.</summary>
        public static readonly TimeSpan EndpointConnectionLeaseTimeout = TimeSpan.FromSeconds(60);

        private static readonly NetFrameworkNetworkSettings Nothing = new NetFrameworkNetworkSettings(null, null, null);

        private NetFrameworkNetworkSettings(SecurityProtocolType? securityProtocol, int? connectionLimit, TimeSpan? leaseTimeout)
        {
            SecurityProtocol = securityProtocol;
            ConnectionLimit = connectionLimit;
            ConnectionLeaseTimeout = leaseTimeout;
        }

        /// <summary>The value to give ServicePointManager.SecurityProtocol, or null to leave it as it is.</summary>
        public SecurityProtocolType? SecurityProtocol { get; }

        /// <summary>The least ServicePoint.ConnectionLimit for each endpoint called, or null on .NET Core.</summary>
        public int? ConnectionLimit { get; }

        /// <summary>ServicePoint.ConnectionLeaseTimeout for each endpoint that has none (infinite), or null on .NET Core.</summary>
        public TimeSpan? ConnectionLeaseTimeout { get; }

        public bool ConfiguresEndpoints => ConnectionLimit.HasValue;

        /// <summary>The decision, from a description of the runtime alone.</summary>
        public static NetFrameworkNetworkSettings For(NetworkRuntime runtime)
        {
            if (runtime == null) throw new ArgumentNullException(nameof(runtime));
            if (!runtime.IsNetFramework) return Nothing;
            return new NetFrameworkNetworkSettings(ProtocolsFor(runtime), EndpointConnectionLimit, EndpointConnectionLeaseTimeout);
        }

        // SystemDefault (0) already lets the OS pick, which includes TLS 1.2 and, where Schannel has it, 1.3; OR-ing a
        // flag into 0 would pin the process to that one version instead. Otherwise add to what the user or machine set.
        private static SecurityProtocolType? ProtocolsFor(NetworkRuntime runtime)
        {
            var current = runtime.SecurityProtocol;
            if (current == SystemDefault) return null;
            var wanted = current | SecurityProtocolType.Tls12;
            if (runtime.Tls13Available) wanted |= Tls13;
            return wanted == current ? (SecurityProtocolType?)null : wanted;
        }

        /// <summary>Raise-only: a limit the user already set higher stays.</summary>
        public int ConnectionLimitFor(int current) => ConnectionLimit.HasValue && current < ConnectionLimit.Value ? ConnectionLimit.Value : current;

        /// <summary>Only an infinite lease (-1, the default) gets ours; a lease the user set stays.</summary>
        public int LeaseTimeoutMillisecondsFor(int current) =>
            ConnectionLeaseTimeout.HasValue && current == Timeout.Infinite ? (int)ConnectionLeaseTimeout.Value.TotalMilliseconds : current;

        /// <summary>
        /// Called once by HttpClientTransport with the handler it is about to use: on .NET Framework adds the TLS
        /// protocols and returns the handler wrapped so each endpoint's ServicePoint is configured before its request;
        /// elsewhere returns the handler untouched and touches nothing.
        /// </summary>
        public static HttpMessageHandler Apply(HttpMessageHandler handler)
        {
            if (handler == null) throw new ArgumentNullException(nameof(handler));
            if (!RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase)) return handler;
            var settings = For(NetworkRuntime.Current());
            if (settings.SecurityProtocol.HasValue) ServicePointManager.SecurityProtocol = settings.SecurityProtocol.Value;
            return new ServicePointSettingsHandler(handler, uri => ConfigureServicePoint(settings, uri));
        }

        // HttpClientHandler on .NET Framework leaves MaxConnectionsPerServer at int.MaxValue unless it is set, and then
        // does not touch ServicePoint.ConnectionLimit (4.7.2+; setting it would overwrite the ServicePoint's value on
        // every request). So the ServicePoint is the one place: the direct one for this URI, and the proxy's when the
        // default proxy routes the URI through one. Every request, because idle ServicePoints are dropped after 100 s
        // and come back with the defaults (2 connections, infinite lease).
        internal static void ConfigureServicePoint(NetFrameworkNetworkSettings settings, Uri uri)
        {
            settings.Configure(ServicePointManager.FindServicePoint(uri));
            var proxy = WebRequest.DefaultWebProxy;
            if (proxy != null && !uri.IsLoopback && !proxy.IsBypassed(uri)) settings.Configure(ServicePointManager.FindServicePoint(uri, proxy));
        }

        private void Configure(ServicePoint point)
        {
            var limit = ConnectionLimitFor(point.ConnectionLimit);
            if (limit != point.ConnectionLimit) point.ConnectionLimit = limit;
            var lease = LeaseTimeoutMillisecondsFor(point.ConnectionLeaseTimeout);
            if (lease != point.ConnectionLeaseTimeout) point.ConnectionLeaseTimeout = lease;
        }
    }

    /// <summary>Runs a per-endpoint step (the ServicePoint settings on .NET Framework) before handing the request on.</summary>
    internal sealed class ServicePointSettingsHandler : DelegatingHandler
    {
        private readonly Action<Uri> _configureEndpoint;

        public ServicePointSettingsHandler(HttpMessageHandler inner, Action<Uri> configureEndpoint)
            : base(inner)
        {
            _configureEndpoint = configureEndpoint ?? throw new ArgumentNullException(nameof(configureEndpoint));
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri != null && request.RequestUri.IsAbsoluteUri) _configureEndpoint(request.RequestUri);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
