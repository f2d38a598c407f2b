using System;
using System.Management.Automation;
using NlbTools.Client;
using NlbTools.Client.Credentials;
using NlbTools.Client.Pipeline;

namespace NlbTools.Base
{
    /// <summary>Builds the module's ErrorRecords: client failures (ErrorId = the service code, the classifier's category, the target) and local ones.</summary>
    internal static class ErrorRecords
    {
        /// <summary><paramref name="subject"/> ("Listener lsn-…") starts the message, so an error in a batch says which item failed.</summary>
        public static ErrorRecord From(Exception exception, object? target, string? subject = null)
        {
            switch (exception)
            {
                case NlbException nlb: return FromService(nlb, target, subject);
                case NlbCredentialsException creds: return Credentials(creds);
                case AggregateException agg when agg.InnerExceptions.Count == 1: return From(agg.InnerExceptions[0], target, subject);
                default:
                    var record = new ErrorRecord(exception, ErrorIds.UnexpectedError, ErrorCategory.NotSpecified, target);
                    if (subject != null) record.ErrorDetails = new ErrorDetails($"{subject}: {exception.Message}");
                    return record;
            }
        }

        public static ErrorRecord FromService(NlbException e, object? target, string? subject = null)
        {
            var record = new ErrorRecord(e, string.IsNullOrEmpty(e.Code) ? ErrorIds.ServiceError : e.Code, Category(e), target);
            var message = subject != null ? $"{subject}: {e.Message}" : e.Message;
            if (!string.IsNullOrEmpty(e.RequestId)) message += $" (RequestId: {e.RequestId})";
            record.ErrorDetails = new ErrorDetails(message);
            if (!string.IsNullOrEmpty(e.Recommend)) record.ErrorDetails.RecommendedAction = e.Recommend;
            return record;
        }

        /// <summary>The classifier decides; this is the one place its answer becomes a PowerShell category.</summary>
        public static ErrorCategory Category(NlbException e)
        {
            switch (NlbErrorClassifier.Kind(e))
            {
                case NlbErrorKind.ResourceUnavailable: return ErrorCategory.ResourceUnavailable;
                case NlbErrorKind.InvalidOperation: return ErrorCategory.InvalidOperation;
                case NlbErrorKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case NlbErrorKind.ObjectNotFound: return ErrorCategory.ObjectNotFound;
                case NlbErrorKind.PermissionDenied: return ErrorCategory.PermissionDenied;
                case NlbErrorKind.OperationTimeout: return ErrorCategory.OperationTimeout;
                default: return ErrorCategory.NotSpecified;
            }
        }

        public static ErrorRecord Credentials(Exception cause)
        {
            // A source that answered with unusable values: its own message and ErrorId, not "no credentials were found".
            if (cause is NlbCredentialsException { ErrorId: { } errorId })
                return new ErrorRecord(cause, errorId, ErrorCategory.InvalidData, null) { ErrorDetails = new ErrorDetails(cause.Message) };
            // What was tried (the chain lists each source and why), then the advice, once.
            var what = cause.Message.Trim().TrimEnd('.');
            if (!what.StartsWith("No Alibaba Cloud credentials", StringComparison.Ordinal) && !what.StartsWith("Profile '", StringComparison.Ordinal))
                what = "No Alibaba Cloud credentials were found: " + what;
            var message = what + (what.EndsWith("?", StringComparison.Ordinal) ? " " : ". ") +
                "Connect in one of these ways: Connect-Nlb -AccessKeyId <id> -AccessKeySecret (Read-Host -AsSecureString) -RegionId <region>; " +
                "Connect-Nlb -Profile <name> (an aliyun CLI profile); " +
                "set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET; " +
                "or run 'aliyun configure'. To try the module without an account: Start-NlbEmulator -Connect.";
            var record = new ErrorRecord(new NlbCredentialsException(message, cause), ErrorIds.CredentialsNotFound, ErrorCategory.AuthenticationError, null);
            record.ErrorDetails = new ErrorDetails(message);
            return record;
        }

        public static ErrorRecord JobFailed(NlbJob job)
        {
            var message = $"Job {job.JobId} ({job.Action ?? "job"} on listener {job.ListenerId ?? "?"}) failed.";
            return new ErrorRecord(new InvalidOperationException(message), ErrorIds.JobFailed, ErrorCategory.InvalidResult, job)
            {
                ErrorDetails = new ErrorDetails(message + (job.RequestId != null ? $" (RequestId: {job.RequestId})" : "")),
            };
        }

        public static ErrorRecord JobTimedOut(NlbJob job, string lastState, TimeSpan timeout)
        {
            var message = $"Job {job.JobId} ({job.Action ?? "job"} on listener {job.ListenerId ?? "?"}) did not finish within {timeout.TotalSeconds:0} s; its last state was {lastState}.";
            return new ErrorRecord(new TimeoutException(message), ErrorIds.JobTimeout, ErrorCategory.OperationTimeout, job)
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
            return new ErrorRecord(new PSArgumentException(message, "RegionId"), ErrorIds.RegionNotSet, ErrorCategory.InvalidArgument, profile)
            {
                ErrorDetails = new ErrorDetails(message),
            };
        }

        public static ErrorRecord NoRegion()
        {
            const string message = "No region is set. Pass -RegionId, run Connect-Nlb -RegionId <region>, set ALIBABA_CLOUD_REGION_ID, or set region_id in your aliyun CLI profile.";
            return new ErrorRecord(new PSArgumentException(message), ErrorIds.RegionNotSet, ErrorCategory.InvalidArgument, null)
            {
                ErrorDetails = new ErrorDetails(message),
            };
        }

        /// <summary>A piped object (or an empty -ListenerId) without a listener id: one error, nothing is sent or listed.</summary>
        public static ErrorRecord ListenerIdMissing(object? input)
            => new ErrorRecord(new PSArgumentException("The input has no ListenerId."), ErrorIds.ListenerIdMissing, ErrorCategory.InvalidArgument, input);

        /// <summary>Bad input found before anything is sent: the message names the parameter and the rule.</summary>
        public static ErrorRecord InvalidInput(string message, string parameter, string errorId, object? target)
            => new ErrorRecord(new PSArgumentException(message, parameter), errorId, ErrorCategory.InvalidArgument, target) { ErrorDetails = new ErrorDetails(message) };
    }
}
