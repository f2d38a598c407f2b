using System;

namespace NlbTools.Client
{
    /// <summary>What NlbClientOptions.OnRetry hears before each back-off wait.</summary>
    public sealed class NlbRetryInfo
    {
        public NlbRetryInfo(string action, int attempt, int maxAttempts, string errorCode, int httpStatus, string? requestId, TimeSpan delay, bool isThrottling)
        {
            Action = action;
            Attempt = attempt;
            MaxAttempts = maxAttempts;
            ErrorCode = errorCode;
            HttpStatus = httpStatus;
            RequestId = requestId;
            Delay = delay;
            IsThrottling = isThrottling;
        }

        public string Action { get; }
        /// <summary>The attempt that just failed, 1-based; the next one is Attempt + 1.</summary>
        public int Attempt { get; }
        public int MaxAttempts { get; }
        /// <summary>The service code (SystemBusy, Throttling.User ...) or Transport.Timeout / Transport.ConnectionFailed.</summary>
        public string ErrorCode { get; }
        /// <summary>0 for a transport failure.</summary>
        public int HttpStatus { get; }
        public string? RequestId { get; }
        /// <summary>How long the client waits before the next attempt.</summary>
        public TimeSpan Delay { get; }
        /// <summary>The service asked us to slow down: callers lower their concurrency.</summary>
        public bool IsThrottling { get; }

        public override string ToString() => $"{Action}: {ErrorCode} on attempt {Attempt}/{MaxAttempts}, next in {Delay.TotalMilliseconds:0} ms";
    }
}
