using System;
using System.Collections.Generic;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using NlbTools.Client;
using NlbTools.Client.Credentials;

namespace NlbTools.Session
{
    /// <summary>What Connect-Nlb set for one runspace (a PowerShell session).</summary>
    internal sealed class SessionContext
    {
        public SessionContext(ICredentialsProvider? provider, string? regionId, Uri? endpoint, string? profile)
        {
            Provider = provider;
            RegionId = regionId;
            Endpoint = endpoint;
            Profile = profile;
        }

        /// <summary>Null = the default chain.</summary>
        public ICredentialsProvider? Provider { get; }
        public string? RegionId { get; }
        public Uri? Endpoint { get; }
        public string? Profile { get; }
    }

    /// <summary>
    /// Per-runspace context and the process-wide client cache. Nothing here runs at import: the first
    /// cmdlet that needs a client creates it.
    /// </summary>
    internal static class NlbSession
    {
        private static readonly ConditionalWeakTable<object, SessionContext> s_contexts = new ConditionalWeakTable<object, SessionContext>();
        private static readonly object s_noRunspace = new object();
        private static readonly Dictionary<ClientKey, NlbClient> s_clients = new Dictionary<ClientKey, NlbClient>();

        private static object RunspaceKey => (object?)Runspace.DefaultRunspace ?? s_noRunspace;

        public static SessionContext? Current
        {
            get => s_contexts.TryGetValue(RunspaceKey, out var c) ? c : null;
            set
            {
                var key = RunspaceKey;
                s_contexts.Remove(key);
                if (value != null) s_contexts.Add(key, value);
            }
        }

        /// <summary>
        /// Sets (or with null clears) this session's context. The clients built on the replaced context's own
        /// credentials are dropped: nothing else can use them, and each holds an HttpClient.
        /// </summary>
        public static void Replace(SessionContext? context)
        {
            var previous = Current;
            Current = context;
            var old = previous?.Provider;
            if (old != null && !ReferenceEquals(old, context?.Provider)) ForgetClients((provider, _) => ReferenceEquals(provider, old));
        }

        /// <summary>A seam for in-process tests: adjusts the options of every client created from then on (e.g. a mock transport).</summary>
        internal static Action<NlbClientOptions>? ConfigureClient { get; set; }

        /// <summary>One client per endpoint + credentials + region, reused across calls and cmdlets.</summary>
        public static NlbClient GetClient(ICredentialsProvider provider, string? regionId, Uri? endpoint)
        {
            var key = new ClientKey(provider, regionId ?? "", endpoint?.AbsoluteUri ?? "");
            lock (s_clients)
            {
                if (s_clients.TryGetValue(key, out var client)) return client;
                var options = new NlbClientOptions
                {
                    RegionId = regionId,
                    Endpoint = endpoint,
                    Credentials = provider,
                    Log = CallObserver.Log,
                    OnRetry = retry => { if (retry.IsThrottling) CallObserver.Throttled(); },
                    UserAgentSuffix = "NlbTools/" + typeof(NlbSession).Assembly.GetName().Version?.ToString(3),
                };
                ApplyRetryKnobs(options);
                ConfigureClient?.Invoke(options);
                client = new NlbClient(options);
                s_clients[key] = client;
                return client;
            }
        }

        public const string RequestTimeoutVariable = "NLBTOOLS_REQUEST_TIMEOUT_SEC";
        public const string MaxAttemptsVariable = "NLBTOOLS_MAX_ATTEMPTS";

        /// <summary>
        /// Process-wide knobs, read when a client is created (after Connect-Nlb or for a new endpoint):
        /// NLBTOOLS_REQUEST_TIMEOUT_SEC (one HTTP attempt, default 30, fractions allowed) and NLBTOOLS_MAX_ATTEMPTS
        /// (attempts per call, default 5). For slow links, and for fault tests that must not wait 30 s per hung request.
        /// Values that do not parse or are out of range are ignored.
        /// </summary>
        internal static void ApplyRetryKnobs(NlbClientOptions options)
        {
            var timeout = Environment.GetEnvironmentVariable(RequestTimeoutVariable);
            if (double.TryParse(timeout, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                && seconds > 0 && seconds <= 3600)
                options.RequestTimeout = TimeSpan.FromSeconds(seconds);
            var attempts = Environment.GetEnvironmentVariable(MaxAttemptsVariable);
            if (int.TryParse(attempts, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= 20)
                options.MaxAttempts = n;
        }

        /// <summary>Drop cached clients that use this provider (Disconnect-Nlb, Stop-NlbEmulator).</summary>
        public static void ForgetClients(Func<ICredentialsProvider, Uri?, bool> match)
        {
            lock (s_clients)
            {
                var gone = new List<ClientKey>();
                foreach (var pair in s_clients)
                    if (match(pair.Key.Provider, pair.Value.Options.Endpoint)) gone.Add(pair.Key);
                foreach (var key in gone)
                {
                    s_clients[key].Dispose();
                    s_clients.Remove(key);
                }
            }
        }

        private readonly struct ClientKey : IEquatable<ClientKey>
        {
            public ClientKey(ICredentialsProvider provider, string region, string endpoint)
            {
                Provider = provider;
                Region = region;
                Endpoint = endpoint;
            }

            public ICredentialsProvider Provider { get; }
            public string Region { get; }
            public string Endpoint { get; }

            // The provider by reference: two Connect-Nlb calls with different keys must not share a client.
            public bool Equals(ClientKey other)
                => ReferenceEquals(Provider, other.Provider) && Region == other.Region && Endpoint == other.Endpoint;

            public override bool Equals(object? obj) => obj is ClientKey k && Equals(k);

            public override int GetHashCode()
                => RuntimeHelpers.GetHashCode(Provider) ^ Region.GetHashCode() * 31 ^ Endpoint.GetHashCode() * 17;
        }
    }
}
