using System.Management.Automation;
using NlbTools.Client.Rules;

namespace NlbTools.Engine
{
    /// <summary>Set-NlbListenerAttribute's errors about the desired state itself (not the service's answers).</summary>
    internal static class UpdateErrors
    {
        /// <summary>A piped value that cannot be converted: names the listener, the column and the value.</summary>
        public static ErrorRecord BadValue(string listenerId, string problem)
        {
            var message = $"Listener {listenerId}: {problem}. Nothing was sent for this listener.";
            return new ErrorRecord(new PSArgumentException(message), "InvalidAttributeValue", ErrorCategory.InvalidArgument, listenerId)
            {
                ErrorDetails = new ErrorDetails(message),
            };
        }

        /// <summary>
        /// The service ties a token to one request: reusing it for a second listener would fail as
        /// IdempotenceSignatureMismatch after the first one was sent, so the second is stopped here.
        /// </summary>
        public static ErrorRecord ClientTokenForOneListener(string token, string firstListener, string listenerId)
        {
            var message = $"-ClientToken '{token}' was already used for listener {firstListener}; a token identifies one update of one listener. Omit -ClientToken for many listeners (each update then gets its own token, kept across retries).";
            return new ErrorRecord(new PSArgumentException(message, "ClientToken"), "ClientTokenForOneListener", ErrorCategory.InvalidArgument, listenerId)
            {
                ErrorDetails = new ErrorDetails(message),
            };
        }

        /// <summary>A broken rule that does not depend on the listener, reported once for the whole command.</summary>
        public static ErrorRecord RuleOnce(RuleViolation v, object? target)
        {
            var value = v.Value == null ? "not given" : ListenerChange.Show(v.Value);
            var message = $"-{v.Parameter} {value}: {v.Message} This holds for every listener, so nothing was sent.";
            return new ErrorRecord(new PSArgumentException(message, v.Parameter), v.RuleId, ErrorCategory.InvalidArgument, target)
            {
                ErrorDetails = new ErrorDetails(message),
            };
        }
    }
}
