using System;
using System.Collections.Generic;

namespace NlbTools.Client
{
    /// <summary>
    /// Every failure the client reports: a service error (Code from the API) or a transport failure after
    /// retries (Code "Transport.Timeout" / "Transport.ConnectionFailed", HttpStatus 0). Never carries a secret.
    /// </summary>
    public class NlbException : Exception
    {
        public NlbException(string code, string message, int httpStatus = 0, string? requestId = null, Exception? inner = null)
            : base(message, inner)
        {
            Code = code;
            HttpStatus = httpStatus;
            RequestId = requestId;
        }

        public string Code { get; }
        public int HttpStatus { get; }
        public string? RequestId { get; }
        public string? HostId { get; set; }
        /// <summary>Troubleshooting URL the gateway sends with most errors.</summary>
        public string? Recommend { get; set; }
        /// <summary>RAM denial details (403), keys as the service sent them.</summary>
        public IReadOnlyDictionary<string, string>? AccessDeniedDetail { get; set; }
        /// <summary>The x-acs-retry-after value in milliseconds, when the answer carried one.</summary>
        public int? RetryAfterMs { get; set; }

        /// <summary>Code, status and RequestId first: what a support ticket needs. Holds nothing secret.</summary>
        public override string ToString()
            => $"{Code}{(HttpStatus != 0 ? " (HTTP " + HttpStatus + ")" : "")}{(RequestId != null ? " RequestId " + RequestId : "")}: {base.ToString()}";
    }
}
