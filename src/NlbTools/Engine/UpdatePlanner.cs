using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using NlbTools.Base;
using NlbTools.Client;
using NlbTools.Client.Models;
using NlbTools.Client.Rules;

namespace NlbTools.Engine
{
    /// <summary>What one listener's update will send, and what stops it, worked out before anything is sent.</summary>
    internal sealed class UpdatePlan
    {
        public UpdatePlan(string listenerId, string? protocol, Listener? current, List<ListenerChange> changes, UpdateListenerAttributeRequest request, List<RuleViolation> violations)
        {
            ListenerId = listenerId;
            Protocol = protocol;
            Current = current;
            Changes = changes;
            Request = request;
            Violations = violations;
        }

        public string ListenerId { get; }
        public string? Protocol { get; }
        /// <summary>The listener as it is now (fresh piped copy or one read); null when not read (-Force).</summary>
        public Listener? Current { get; }
        public List<ListenerChange> Changes { get; }
        public UpdateListenerAttributeRequest Request { get; }
        public List<RuleViolation> Violations { get; }
        public bool NoChange => Changes.Count == 0;

        /// <summary>"listener lsn-…@443 (TCPSSL) in cn-hangzhou": what ShouldProcess and the verbose lines name.</summary>
        public string Subject(string? regionId)
            => $"listener {ListenerId}{(Protocol != null ? $" ({Protocol})" : "")}{(regionId != null ? $" in {regionId}" : "")}";

        /// <summary>"IdleTimeout 900 → 300, Cps 0 → 5000"; without a read (-Force) just the values sent.</summary>
        public string Describe()
            => Current == null ? string.Join(", ", Changes.Select(c => $"{c.Name}={ListenerChange.Show(c.After)}")) : ListenerDiff.Describe(Changes);
    }

    /// <summary>
    /// Diffs the desired state against the listener's current one and validates what will be sent.
    /// The current state is the piped NlbListener when this process read it less than <see cref="FreshFor"/>
    /// ago and has not submitted an update for that listener since (so Get-NlbListener | Set-NlbListenerAttribute
    /// costs no extra read, and a snapshot held in a variable still restores); otherwise one GetListenerAttribute.
    /// </summary>
    internal sealed class UpdatePlanner
    {
        /// <summary>
        /// How long a piped NlbListener stands for the service's state. Long enough for a page of 100 listeners
        /// to pass down Get-NlbListener | Set-NlbListenerAttribute at the account's write quota (200 a minute takes
        /// 30 s), so that pipeline costs no reads; short enough to be "just read".
        /// </summary>
        public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(60);

        /// <summary>Rules that do not depend on the listener: checked once, before the first listener.</summary>
        public static readonly IReadOnlyList<string> ListenerIndependentRules = new[]
        {
            "InvalidListenerDescription", "CpsOutOfRange", "MssOutOfRange", "InvalidAlpnPolicy", "InvalidClientToken", "EmptyCertificateId", "TooManyCertificates",
        };

        // When this process last submitted an update per listener: a listener read before that is stale.
        private static readonly ConcurrentDictionary<string, DateTimeOffset> s_submitted = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);

        private readonly NlbApiCmdlet _cmdlet;
        private readonly bool _force;
        private readonly bool _skipClientValidation;
        private readonly Dictionary<(string?, string), ServerGroupFacts?> _serverGroups = new Dictionary<(string?, string), ServerGroupFacts?>();

        /// <param name="cmdlet">Reads go through it (pipeline thread), so they log, retry and stop with it.</param>
        public UpdatePlanner(NlbApiCmdlet cmdlet, bool force, bool skipClientValidation)
        {
            _cmdlet = cmdlet;
            _force = force;
            _skipClientValidation = skipClientValidation;
        }

        /// <summary>
        /// Starts the read the diff needs, or returns null when none is needed: <paramref name="known"/> is then the
        /// fresh piped copy, or null (-Force, protocol known or not needed). Decided now, in input order.
        /// </summary>
        public Task<GetListenerAttributeResponse>? StartRead(ListenerInput input, DesiredState desired, ApiTarget target, out Listener? known)
        {
            var live = input.Live;
            known = IsFresh(live) ? live!.AsRead : null;
            if (known != null || (_force && !(live?.ListenerProtocol == null && NeedsProtocol(desired)))) return null;
            var request = new GetListenerAttributeRequest { RegionId = target.RegionId, ListenerId = input.ListenerId! };
            return _cmdlet.StartCall(ct => target.Client.GetListenerAttributeAsync(request, ct), NlbApiCmdlet.ListenerSubject(input.ListenerId!));
        }

        /// <param name="current">The listener as it is now (read, or the fresh piped copy); null when not read (-Force).</param>
        public UpdatePlan Plan(ListenerInput input, DesiredState desired, ApiTarget target, string? clientToken, Listener? current)
        {
            var listenerId = input.ListenerId!;
            var changes = ListenerDiff.Compute(desired, current == null ? null : AttributeValues.Of(current), _force);
            var request = ListenerDiff.ToRequest(changes, listenerId, target.RegionId, clientToken);
            var protocol = current?.ListenerProtocol ?? input.Live?.ListenerProtocol;
            var violations = changes.Count == 0 ? new List<RuleViolation>() : Validate(target, request, protocol).ToList();
            return new UpdatePlan(listenerId, protocol, current, changes, request, violations);
        }

        /// <summary>Call just before an update is sent (not for DryRun): copies read earlier are no longer current.</summary>
        public static void Submitting(string listenerId) => s_submitted[listenerId] = DateTimeOffset.UtcNow;

        private static bool IsFresh(NlbListener? live)
        {
            if (live?.AsRead == null || live.ListenerId == null || DateTimeOffset.UtcNow - live.ReadAt >= FreshFor) return false;
            return !(s_submitted.TryGetValue(live.ListenerId, out var submitted) && submitted >= live.ReadAt);
        }

        /// <summary>The listener-independent rules the bound parameters break (16.10: one error, not one per listener).</summary>
        public IReadOnlyList<RuleViolation> CheckOnce(DesiredState desired, string? clientToken)
        {
            var all = ListenerDiff.Compute(desired, null, force: true);
            var request = ListenerDiff.ToRequest(all, "", null, clientToken);
            // As TCPSSL no parameter is out of place, so what remains cannot depend on the listener.
            return ListenerRules.Validate("TCPSSL", request)
                .Where(v => ListenerIndependentRules.Contains(v.RuleId) && !(_skipClientValidation && v.IsServerOwnedRange))
                .ToList();
        }

        private IEnumerable<RuleViolation> Validate(ApiTarget target, UpdateListenerAttributeRequest request, string? protocol)
        {
            ServerGroupFacts? group = null;
            if (request.ServerGroupId != null && protocol != null) group = ServerGroup(target, request.ServerGroupId);
            // Without a protocol no protocol-dependent value is sent (NeedsProtocol), so any protocol yields
            // exactly the protocol-independent rules.
            return ListenerRules.Validate(protocol ?? "TCP", request, group).Where(v => !(_skipClientValidation && v.IsServerOwnedRange));
        }

        /// <summary>The server group's protocol, read once per run; null when it cannot be read (the service then decides).</summary>
        private ServerGroupFacts? ServerGroup(ApiTarget target, string serverGroupId)
        {
            var key = (target.RegionId, serverGroupId);
            if (_serverGroups.TryGetValue(key, out var known)) return known;
            ServerGroupFacts? facts = null;
            try
            {
                var request = new ListServerGroupsRequest { RegionId = target.RegionId, ServerGroupIds = new List<string> { serverGroupId } };
                var group = _cmdlet.Call(ct => target.Client.ListServerGroupsAsync(request, ct)).ServerGroups.FirstOrDefault(g => g.ServerGroupId == serverGroupId);
                if (group?.Protocol != null) facts = new ServerGroupFacts(group.Protocol, group.PreserveClientIpEnabled ?? false, group.VpcId);
            }
            catch (NlbException e)
            {
                _cmdlet.WriteVerbose($"Server group {serverGroupId} could not be read ({e.Code}); the service will check it.");
            }
            _serverGroups[key] = facts;
            return facts;
        }

        private bool NeedsProtocol(DesiredState d)
            => ListenerRules.TcpSslOnlyParameters.Any(d.Has) || d.Has("ServerGroupId") || (d.Has("IdleTimeout") && !_skipClientValidation);
    }
}
