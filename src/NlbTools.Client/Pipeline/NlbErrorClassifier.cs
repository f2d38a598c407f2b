using System;

namespace NlbTools.Client.Pipeline
{
    /// <summary>The kind of failure, for the cmdlets' ErrorCategory (this assembly has no PowerShell reference).</summary>
    public enum NlbErrorKind
    {
        NotSpecified,
        ResourceUnavailable,
        InvalidOperation,
        InvalidArgument,
        ObjectNotFound,
        PermissionDenied,
        OperationTimeout,
    }

    /// <summary>
    /// Every decision about what an error means lives here: retry, throttling, not found, operation not
    /// offered, and its kind. The retry policy, the job poller and the cmdlets all ask this class, so a new
    /// service code is one edit. Codes first (they are more precise), then the HTTP status.
    /// </summary>
    public static class NlbErrorClassifier
    {
        /// <summary>The client gave up reaching the service (Transport.Timeout, Transport.ConnectionFailed).</summary>
        public static bool IsTransport(NlbException error) => error.Code.StartsWith("Transport.", StringComparison.Ordinal);

        /// <summary>The service asked us to slow down: any code with Throttling in it, or HTTP 429.</summary>
        public static bool IsThrottling(NlbException error)
            => error.HttpStatus == 429 || error.Code.IndexOf("Throttling", StringComparison.OrdinalIgnoreCase) >= 0;

        /// <summary>
        /// Whether a failed attempt may be sent again. Writes also retry on a busy listener (IncorrectStatus.listener,
        /// Conflict.Lock): safe, because a write keeps its ClientToken across attempts.
        /// </summary>
        public static bool IsRetryable(NlbException error, bool isWrite)
        {
            if (IsTransport(error) || IsThrottling(error) || IsBusy(error)) return true;
            if (error.HttpStatus >= 500) return true;
            return isWrite && (error.Code == "IncorrectStatus.listener" || error.Code == "Conflict.Lock");
        }

        /// <summary>The thing asked about does not exist (ResourceNotFound.*, or HTTP 404 without a more precise code).</summary>
        public static bool IsNotFound(NlbException error)
            => error.Code.StartsWith("ResourceNotFound", StringComparison.OrdinalIgnoreCase) || (error.HttpStatus == 404 && !IsOperationUnavailable(error));

        /// <summary>The endpoint does not offer this action at all (an older API version, a partial emulator).</summary>
        public static bool IsOperationUnavailable(NlbException error)
            => error.Code.StartsWith("InvalidAction", StringComparison.OrdinalIgnoreCase)
               || error.Code.StartsWith("InvalidApi", StringComparison.OrdinalIgnoreCase)
               || error.Code.Equals("UnsupportedOperation", StringComparison.OrdinalIgnoreCase);

        public static NlbErrorKind Kind(NlbException error)
        {
            var code = error.Code;
            if (IsThrottling(error) || IsBusy(error)) return NlbErrorKind.ResourceUnavailable;
            if (IsResourceBusy(error)) return NlbErrorKind.InvalidOperation;
            if (code.StartsWith("IllegalParam", StringComparison.OrdinalIgnoreCase) || code.StartsWith("InvalidParameter", StringComparison.OrdinalIgnoreCase)
                || code.StartsWith("MissingParameter", StringComparison.OrdinalIgnoreCase) || code.StartsWith("Mismatch", StringComparison.OrdinalIgnoreCase))
                return NlbErrorKind.InvalidArgument;
            if (IsNotFound(error)) return NlbErrorKind.ObjectNotFound;
            if (code.StartsWith("Forbidden", StringComparison.OrdinalIgnoreCase) || error.HttpStatus == 403) return NlbErrorKind.PermissionDenied;
            if (code == "Transport.Timeout") return NlbErrorKind.OperationTimeout;
            if (error.HttpStatus >= 500 || IsTransport(error)) return NlbErrorKind.ResourceUnavailable;
            if (error.HttpStatus == 400) return NlbErrorKind.InvalidArgument;
            return NlbErrorKind.NotSpecified;
        }

        /// <summary>The service is busy as a whole: worth another attempt for reads and writes alike.</summary>
        private static bool IsBusy(NlbException error) => error.Code == "SystemBusy" || error.Code == "ServiceUnavailable";

        /// <summary>The resource is busy with another change (a job in progress, a lock).</summary>
        private static bool IsResourceBusy(NlbException error)
            => error.Code.StartsWith("IncorrectStatus", StringComparison.OrdinalIgnoreCase) || error.Code.StartsWith("Conflict", StringComparison.OrdinalIgnoreCase);
    }
}
