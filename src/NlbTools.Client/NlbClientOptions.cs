using System;
using NlbTools.Client.Credentials;
using NlbTools.Client.Pipeline;

namespace NlbTools.Client
{
    public sealed class NlbClientOptions
    {
        /// <summary>Default region for requests that do not name one.</summary>
        public string? RegionId { get; set; }
        /// <summary>Overrides the regional endpoint. http:// is accepted for loopback addresses only.</summary>
        public Uri? Endpoint { get; set; }
        /// <summary>"public" (default) or "vpc" (nlb-vpc.&lt;region&gt;.aliyuncs.com).</summary>
        public string Network { get; set; } = "public";
        public ICredentialsProvider? Credentials { get; set; }
        /// <summary>
        /// Failed attempts per logical call, the first included. Throttling refusals do not count (only the budget
        /// bounds them). 10: at a 25% transient-fault rate a call then fails about once in a million; the budget,
        /// not the count, is what bounds a bad endpoint.
        /// </summary>
        public int MaxAttempts { get; set; } = 10;
        /// <summary>Total time budget for one logical call across its attempts and waits.</summary>
        public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(2);
        /// <summary>Timeout of one HTTP attempt.</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
        /// <summary>First back-off step and cap (capped exponential, full jitter).</summary>
        public TimeSpan BackoffBase { get; set; } = TimeSpan.FromMilliseconds(200);
        public TimeSpan BackoffCap { get; set; } = TimeSpan.FromSeconds(20);
        /// <summary>Swappable transport; null = one HttpClient per client.</summary>
        public NlbTransport? Transport { get; set; }
        /// <summary>Receives one redacted line per attempt and per retry decision. Called from any thread.</summary>
        public Action<string>? Log { get; set; }
        /// <summary>Time and delays; tests pass a fake clock so nothing really sleeps.</summary>
        public ISystemClock Clock { get; set; } = SystemClock.Instance;
        /// <summary>
        /// Called before each back-off wait (from any thread): the cmdlets write a verbose line and lower their
        /// concurrency when IsThrottling is true.
        /// </summary>
        public Action<NlbRetryInfo>? OnRetry { get; set; }
        /// <summary>The client-side pacers (one per endpoint and action); process-wide by default, so every client shares what was learned.</summary>
        public Pacing.PacerRegistry Pacers { get; set; } = Pacing.PacerRegistry.Shared;
        /// <summary>Appended to the User-Agent.</summary>
        public string? UserAgentSuffix { get; set; }
    }
}
