using System;
using System.Management.Automation;
using NlbTools.Client;
using NlbTools.Client.Credentials;

namespace NlbTools.Base
{
    /// <summary>Turns client failures into ErrorRecords: ErrorId = the service code, the right category, the target.</summary>
    internal static class NlbErrors
    {
        public const string CredentialsNotFound = "NlbCredentialsNotFound";
        public const string RegionNotSet = "NlbRegionNotSet";

        public static ErrorRecord From(Exception exception, object? target)
        {
            switch (exception)
            {
                case NlbException nlb: return FromService(nlb, target);
                case NlbCredentialsException creds: return Credentials(creds);
                case AggregateException agg when agg.InnerExceptions.Count == 1: return From(agg.InnerExceptions[0], target);
                default: return new ErrorRecord(exception, "NlbUnexpectedError", ErrorCategory.NotSpecified, target);
            }
        }

        public static ErrorRecord FromService(NlbException e, object? target)
        {
            var record = new ErrorRecord(e, string.IsNullOrEmpty(e.Code) ? "NlbServiceError" : e.Code, Category(e), target);
            var message = e.Message;
            if (!string.IsNullOrEmpty(e.RequestId)) message += $" (RequestId: {e.RequestId})";
            record.ErrorDetails = new ErrorDetails(message);
            if (!string.IsNullOrEmpty(e.Recommend)) record.ErrorDetails.RecommendedAction = e.Recommend;
            return record;
        }

        /// <summary>The mapping the issue asks for; codes first (they are more precise), then the HTTP status.</summary>
        public static ErrorCategory Category(NlbException e)
        {
            var code = e.Code ?? "";
            if (code.IndexOf("Throttling", StringComparison.OrdinalIgnoreCase) >= 0 || code == "SystemBusy" || code == "ServiceUnavailable")
                return ErrorCategory.ResourceUnavailable;
            if (code.StartsWith("IncorrectStatus", StringComparison.OrdinalIgnoreCase) || code.StartsWith("Conflict", StringComparison.OrdinalIgnoreCase))
                return ErrorCategory.InvalidOperation;
            if (code.StartsWith("IllegalParam", StringComparison.OrdinalIgnoreCase) || code.StartsWith("InvalidParameter", StringComparison.OrdinalIgnoreCase)
                || code.StartsWith("MissingParameter", StringComparison.OrdinalIgnoreCase) || code.StartsWith("Mismatch", StringComparison.OrdinalIgnoreCase))
                return ErrorCategory.InvalidArgument;
            if (code.StartsWith("ResourceNotFound", StringComparison.OrdinalIgnoreCase) || e.HttpStatus == 404) return ErrorCategory.ObjectNotFound;
            if (code.StartsWith("Forbidden", StringComparison.OrdinalIgnoreCase) || e.HttpStatus == 403) return ErrorCategory.PermissionDenied;
            if (code == "Transport.Timeout") return ErrorCategory.OperationTimeout;
            if (e.HttpStatus >= 500 || code.StartsWith("Transport.", StringComparison.Ordinal)) return ErrorCategory.ResourceUnavailable;
            if (e.HttpStatus == 400) return ErrorCategory.InvalidArgument;
            return ErrorCategory.NotSpecified;
        }

        public static ErrorRecord Credentials(Exception cause)
        {
            // What was tried (the chain lists each source and why), then the advice, once.
            var what = cause.Message.Trim().TrimEnd('.');
            if (!what.StartsWith("No Alibaba Cloud credentials", StringComparison.Ordinal) && !what.StartsWith("Profile '", StringComparison.Ordinal))
                what = "No Alibaba Cloud credentials were found: " + what;
            var message = what + (what.EndsWith("?", StringComparison.Ordinal) ? " " : ". ") +
                "Connect in one of these ways: Connect-Nlb -AccessKeyId <id> -AccessKeySecret (Read-Host -AsSecureString) -RegionId <region>; " +
                "Connect-Nlb -Profile <name> (an aliyun CLI profile); " +
                "set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET; " +
                "or run 'aliyun configure'. To try the module without an account: Start-NlbEmulator -Connect.";
            var record = new ErrorRecord(new NlbCredentialsException(message, cause), CredentialsNotFound, ErrorCategory.AuthenticationError, null);
            record.ErrorDetails = new ErrorDetails(message);
            return record;
        }

        public static ErrorRecord JobFailed(NlbJob job)
        {
            var message = $"Job {job.JobId} ({job.Action ?? "job"} on listener {job.ListenerId ?? "?"}) failed.";
            return new ErrorRecord(new InvalidOperationException(message), "NlbJobFailed", ErrorCategory.InvalidResult, job)
            {
                ErrorDetails = new ErrorDetails(message + (job.RequestId != null ? $" (RequestId: {job.RequestId})" : "")),
            };
        }

        public static ErrorRecord JobTimedOut(NlbJob job, string lastState, TimeSpan timeout)
        {
            var message = $"Job {job.JobId} ({job.Action ?? "job"} on listener {job.ListenerId ?? "?"}) did not finish within {timeout.TotalSeconds:0} s; its last state was {lastState}.";
            return new ErrorRecord(new TimeoutException(message), "NlbJobTimeout", ErrorCategory.OperationTimeout, job)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Wait again with a larger -TimeoutSec: $job | Wait-NlbJob -TimeoutSec 1800" },
            };
        }

        /// <summary>A named profile without region_id, and no -RegionId or region variable.</summary>
        public static ErrorRecord NoRegionForProfile(string profile)
        {
            var message = $"Profile '{profile}' has no region_id, and no region was given. Pass -RegionId <region>, set ALIBABA_CLOUD_REGION_ID, " +
                          $"or add region_id to the profile (aliyun configure set --profile {profile} --region <region>). " +
                          "NlbTools does not borrow the region of another profile.";
            return new ErrorRecord(new PSArgumentException(message, "RegionId"), RegionNotSet, ErrorCategory.InvalidArgument, profile)
            {
                ErrorDetails = new ErrorDetails(message),
            };
        }

        public static ErrorRecord NoRegion()
        {
            const string message = "No region is set. Pass -RegionId, run Connect-Nlb -RegionId <region>, set ALIBABA_CLOUD_REGION_ID, or set region_id in your aliyun CLI profile.";
            return new ErrorRecord(new PSArgumentException(message), RegionNotSet, ErrorCategory.InvalidArgument, null)
            {
                ErrorDetails = new ErrorDetails(message),
            };
        }
    }
}
