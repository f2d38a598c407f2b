using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using NlbTools.Client;
using NlbTools.Client.Credentials;

namespace NlbTools.Session
{
    /// <summary>What Connect-Nlb set: one context for the whole process, shared by its runspaces.</summary>
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
    /// The process-wide context and client cache. As in Az, the context belongs to the process, not to a runspace:
    /// ForEach-Object -Parallel and thread jobs use the connection the user made. Clients are shared by reference
    /// count: Disconnect-Nlb (in any runspace) takes a client out of the cache, and the client is disposed only when
    /// the last command using it lets go, so no runspace breaks another's calls in flight. Nothing here runs at
    /// import: the first cmdlet that needs a client creates it.
    /// </summary>
    internal static class NlbSession
    {
        private static readonly Dictionary<ClientKey, SharedClient> s_clients = new Dictionary<ClientKey, SharedClient>();
        private static SessionContext? s_current;

        public static SessionContext? Current
        {
            get => Volatile.Read(ref s_current);
            set => Volatile.Write(ref s_current, value);
        }

        /// <summary>
        /// Sets (or with null clears) the context. The clients built on the replaced context's own credentials
        /// leave the cache: nothing else can use them, and each holds an HttpClient. Calls in flight keep theirs.
        /// </summary>
        public static void Replace(SessionContext? context)
        {
            var previous = Interlocked.Exchange(ref s_current, context);
            var old = previous?.Provider;
            if (old != null && !ReferenceEquals(old, context?.Provider)) ForgetClients((provider, _) => ReferenceEquals(provider, old));
        }

        /// <summary>A seam for in-process tests: adjusts the options of every client created from then on (e.g. a mock transport).</summary>
        internal static Action<NlbClientOptions>? ConfigureClient { get; set; }

        /// <summary>
        /// One client per endpoint + credentials + region, reused across calls, cmdlets and runspaces. The lease
        /// keeps the client alive until it is disposed, even when the client leaves the cache meanwhile.
        /// </summary>
        public static ClientLease AcquireClient(ICredentialsProvider provider, string? regionId, Uri? endpoint)
        {
            var key = new ClientKey(provider, regionId ?? "", endpoint?.AbsoluteUri ?? "");
            lock (s_clients)
            {
                if (!s_clients.TryGetValue(key, out var shared))
                {
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
                    shared = new SharedClient(new NlbClient(options));
                    s_clients[key] = shared;
                }
                shared.References++;
                return new ClientLease(shared);
            }
        }

        /// <summary>Cached clients (for tests: how many are alive in the cache).</summary>
        internal static int CachedClientCount { get { lock (s_clients) return s_clients.Count; } }

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

        /// <summary>Take matching clients out of the cache (Disconnect-Nlb, Stop-NlbEmulator); each is disposed when its last lease ends.</summary>
        public static void ForgetClients(Func<ICredentialsProvider, Uri?, bool> match)
        {
            lock (s_clients)
            {
                var gone = new List<ClientKey>();
                foreach (var pair in s_clients)
                    if (match(pair.Key.Provider, pair.Value.Client.Options.Endpoint)) gone.Add(pair.Key);
                foreach (var key in gone)
                {
                    var shared = s_clients[key];
                    s_clients.Remove(key);
                    shared.Retired = true;
                    if (shared.References == 0) shared.Client.Dispose();
                }
            }
        }

        internal static void Release(SharedClient shared)
        {
            lock (s_clients)
            {
                shared.References--;
                if (shared.Retired && shared.References == 0) shared.Client.Dispose();
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

    /// <summary>A cached client and the number of leases on it; guarded by the cache's lock.</summary>
    internal sealed class SharedClient
    {
        public SharedClient(NlbClient client) => Client = client;

        public NlbClient Client { get; }
        public int References { get; set; }
        /// <summary>Out of the cache: disposed when <see cref="References"/> reaches 0.</summary>
        public bool Retired { get; set; }
    }

    /// <summary>The use of a shared client by one command (or one completion); dispose it when done. Idempotent.</summary>
    internal sealed class ClientLease : IDisposable
    {
        private SharedClient? _shared;

        public ClientLease(SharedClient shared)
        {
            _shared = shared;
            Client = shared.Client;
        }

        public NlbClient Client { get; }

        public void Dispose()
        {
            var shared = Interlocked.Exchange(ref _shared, null);
            if (shared != null) NlbSession.Release(shared);
        }
    }
}
