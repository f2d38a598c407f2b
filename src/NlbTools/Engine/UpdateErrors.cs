using System.Management.Automation;
using NlbTools.Base;
using NlbTools.Client.Rules;

namespace NlbTools.Engine
{
    /// <summary>Set-NlbListenerAttribute's errors about the desired state itself (not the service's answers); nothing is sent.</summary>
    internal static class UpdateErrors
    {
        public static ErrorRecord NoAttributeSpecified()
            => ErrorRecords.InvalidInput("Name at least one attribute to change, e.g. -IdleTimeout 300 or -ListenerDescription web, " +
                                         "or pipe objects that carry attribute values (a CSV row, a snapshot).", "", ErrorIds.NoAttributeSpecified, null);

        /// <summary>A piped value that cannot be converted: names the listener, the column and the value.</summary>
        public static ErrorRecord BadValue(string listenerId, string problem)
            => ErrorRecords.InvalidInput($"Listener {listenerId}: {problem}. Nothing was sent for this listener.", "InputObject", ErrorIds.InvalidAttributeValue, listenerId);

        /// <summary>
        /// The service ties a token to one request: reusing it for a second listener would fail as
        /// IdempotenceSignatureMismatch after the first one was sent, so the second is stopped here.
        /// </summary>
        public static ErrorRecord ClientTokenForOneListener(string token, string firstListener, string listenerId)
            => ErrorRecords.InvalidInput($"-ClientToken '{token}' was already used for listener {firstListener}; a token identifies one update of one listener. " +
                                         "Omit -ClientToken for many listeners (each update then gets its own token, kept across retries).",
                "ClientToken", ErrorIds.ClientTokenForOneListener, listenerId);

        /// <summary>Always names the listener, its protocol, the parameter and the value; the rule says what is allowed.</summary>
        public static ErrorRecord RuleError(RuleViolation v, string listenerId, string? protocol)
        {
            var value = v.Value == null ? "not given" : ListenerChange.Show(v.Value);
            return ErrorRecords.InvalidInput($"Listener {listenerId}{(protocol != null ? $" ({protocol})" : "")}, -{v.Parameter} {value}: {v.Message}", v.Parameter, v.RuleId, listenerId);
        }

        /// <summary>A broken rule that does not depend on the listener, reported once for the whole command.</summary>
        public static ErrorRecord RuleOnce(RuleViolation v, object? target)
        {
            var value = v.Value == null ? "not given" : ListenerChange.Show(v.Value);
            return ErrorRecords.InvalidInput($"-{v.Parameter} {value}: {v.Message} This holds for every listener, so nothing was sent.", v.Parameter, v.RuleId, target);
        }
    }
}
