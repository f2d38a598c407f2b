using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using NlbTools.Base;
using NlbTools.Client;
using NlbTools.Client.Models;
using NlbTools.Client.Rules;
using NlbTools.Completers;
using NlbTools.Engine;

namespace NlbTools.Commands
{
    /// <summary>
    /// UpdateListenerAttribute with PATCH semantics: only the requested attributes that differ from the
    /// listener's current values are sent (UpdatePlanner), per-protocol validation before anything is sent,
    /// -WhatIf answered by the service's precheck (DryRun), and piped updates sent concurrently up to
    /// -ThrottleLimit while output and errors keep the input order.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "NlbListenerAttribute", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
        DefaultParameterSetName = InputObjectSet)]
    [OutputType(typeof(NlbJob))]
    [OutputType(typeof(NlbListener))]
    public sealed class SetNlbListenerAttributeCommand : NlbApiCmdlet
    {
        private const string ListenerIdSet = "ListenerId";
        private const string InputObjectSet = "InputObject";
        internal const string Action = "UpdateListenerAttribute";

        private JobWaiter? _waiter;
        private BatchProgress? _progress;
        private UpdateSender? _sender;
        private OrderedResults? _results;
        private ReadAhead? _ahead;
        private bool _whatIf;
        private string? _clientTokenListener;
        private UpdatePlanner? _planner;
        private DesiredState? _requested;
        private bool _rejected;

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ListenerIdSet)]
        [ArgumentCompleter(typeof(ListenerIdCompleter))]
        public string[]? ListenerId { get; set; }

        /// <summary>Anything piped: an id, an NlbListener, or any object with a ListenerId property (ListenerInput).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [ValidateNotNull]
        public PSObject? InputObject { get; set; }

        [Parameter]
        [Alias("Description")]
        [ValidateNotNull]
        public string? ListenerDescription { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ServerGroupIdCompleter))]
        public string? ServerGroupId { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SecurityPolicyIdCompleter))]
        public string? SecurityPolicyId { get; set; }

        [Parameter]
        [Alias("CertificateId")]
        [ValidateNotNull]
        public string[]? CertificateIds { get; set; }

        [Parameter]
        [Alias("CaCertificateId")]
        [ValidateNotNull]
        public string[]? CaCertificateIds { get; set; }

        [Parameter] public bool CaEnabled { get; set; }
        [Parameter] public int IdleTimeout { get; set; }
        [Parameter] public int Cps { get; set; }
        [Parameter] public int Mss { get; set; }
        [Parameter] public bool ProxyProtocolEnabled { get; set; }
        [Parameter] public bool Ppv2VpcIdEnabled { get; set; }
        [Parameter] public bool Ppv2PrivateLinkEpIdEnabled { get; set; }
        [Parameter] public bool Ppv2PrivateLinkEpsIdEnabled { get; set; }
        [Parameter] public bool SecSensorEnabled { get; set; }
        [Parameter] public bool AlpnEnabled { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(AlpnPolicyCompleter))]
        public string? AlpnPolicy { get; set; }

        /// <summary>Idempotence token for a single listener; by default each update gets its own, kept across retries.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ClientToken { get; set; }

        /// <summary>Send server-owned ranges (IdleTimeout, Cps, Mss) unchecked, for accounts whose limits were raised.</summary>
        [Parameter] public SwitchParameter SkipClientValidation { get; set; }

        /// <summary>Send every requested attribute, also those the listener already has, without diffing.</summary>
        [Parameter] public SwitchParameter Force { get; set; }

        /// <summary>Wait for the job and return the updated listener.</summary>
        [Parameter] public SwitchParameter Wait { get; set; }

        /// <summary>With -Wait: how long to wait for each job.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int TimeoutSec { get; set; } = 600;

        /// <summary>Updates in flight at once for piped input; the client's pacing, not this, keeps them under the service's quota.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _planner = new UpdatePlanner(this, Force, SkipClientValidation);
            var requested = DesiredState.FromParameters(MyInvocation.BoundParameters);
            // Without attribute parameters, piped objects carry the desired state; ids alone have none.
            if (requested.NamesAnyAttribute) _requested = requested;
            else if (ParameterSetName == ListenerIdSet) NoAttributeSpecified();
            if (_requested != null) RejectOnce(_planner.CheckOnce(_requested, ClientToken));
            _whatIf = IsWhatIf();
            _waiter = new JobWaiter(this, CancelToken);
            _progress = new BatchProgress(this, 1, "Updating NLB listeners");
            _sender = new UpdateSender(this, _waiter, _progress, ThrottleLimit, Wait ? TimeSpan.FromSeconds(TimeoutSec) : (TimeSpan?)null);
            // Enough room for fast items to finish behind a slow one, without holding the whole input.
            _results = new OrderedResults(this, Math.Max(64, ThrottleLimit * 8));
            _ahead = new ReadAhead(this, ThrottleLimit * 4);
        }

        protected override void ProcessRecord()
        {
            // A listener-independent rule failed (reported once in BeginProcessing): nothing is sent for anyone.
            if (_rejected) return;
            var target = ResolveTarget();
            if (target == null) return;
            foreach (var input in ListenerInput.From(ListenerId, InputObject)) Process(target, input);
        }

        private void Process(ApiTarget target, ListenerInput input)
        {
            // Every step goes through the read-ahead queue, so errors and output keep the input order.
            if (input.Error != null)
            {
                InTurn(input.Error);
                return;
            }
            var listenerId = input.ListenerId!;
            if (ClientToken != null && _clientTokenListener != null && !string.Equals(_clientTokenListener, listenerId, StringComparison.Ordinal))
            {
                InTurn(UpdateErrors.ClientTokenForOneListener(ClientToken, _clientTokenListener, listenerId));
                return;
            }
            _clientTokenListener ??= listenerId;

            var desired = _requested ?? (input.Source != null ? DesiredState.FromObject(input.Source) : null);
            if (desired == null || !desired.NamesAnyAttribute)
            {
                NoAttributeSpecified();
                return;
            }
            if (desired.Problems.Count > 0)
            {
                InTurn(desired.Problems.Select(p => UpdateErrors.BadValue(listenerId, p)).ToArray());
                return;
            }
            var read = _planner!.StartRead(input, desired, target, out var known);
            _ahead!.Add(read, () => PlanAndSend(target, input, desired, read, known));
        }

        private void InTurn(params ErrorRecord[] errors) => _ahead!.Add(null, () => _results!.Add(() => Array.ForEach(errors, WriteError)));

        /// <summary>On the pipeline thread, in input order, once the listener's read (if any) is back.</summary>
        private void PlanAndSend(ApiTarget target, ListenerInput input, DesiredState desired, Task<GetListenerAttributeResponse>? read, Listener? current)
        {
            var listenerId = input.ListenerId!;
            if (read != null)
            {
                if (read.IsCanceled) return; // stopped: nothing more is sent
                if (read.IsFaulted)
                {
                    _results!.Add(() => WriteListenerError(read.Exception!.GetBaseException(), listenerId));
                    return;
                }
                current = read.Result.Listener;
            }
            var plan = _planner!.Plan(input, desired, target, ClientToken, current);
            if (plan.Violations.Count > 0)
            {
                _results!.Add(() => plan.Violations.ForEach(v => WriteError(UpdateErrors.RuleError(v, listenerId, plan.Protocol))));
                return;
            }
            if (plan.NoChange)
            {
                _results!.Add(() => WriteNoChange(plan, target.RegionId));
                return;
            }
            WriteVerbose($"Listener {listenerId}: sending {plan.Describe()}.");
            // -WhatIf asks the service: DryRun=true runs its precheck and changes nothing.
            if (_whatIf) plan.Request.DryRun = true;
            else if (!ShouldProcess(plan.Subject(target.RegionId), $"Set {plan.Describe()}")) return;
            else UpdatePlanner.Submitting(listenerId);
            _results!.Add(_sender!.Send(target, plan, WhatIfPassed));
        }

        protected override void EndProcessing()
        {
            _ahead?.Run(drain: true);
            _waiter?.InputEnded();
            _results?.WriteAll();
            _progress?.Complete();
            CachedCompleter.Invalidate(); // the tooltips show descriptions and groups that may have just changed
        }

        private void WhatIfPassed(UpdatePlan plan, string? regionId, JobResponse response)
        {
            var description = $"Updating {plan.Subject(regionId)}: {plan.Describe()}. " +
                              $"The service's precheck (DryRun) passed, RequestId {response.RequestId}.";
            // In WhatIf mode this writes the "What if:" line and returns false; nothing else is sent.
            ShouldProcess(description, description, "Set-NlbListenerAttribute");
        }

        /// <summary>Nothing to send: no request, no job. An NlbJob with Status NoChange keeps | Wait-NlbJob working; -Wait gives the listener as read.</summary>
        private void WriteNoChange(UpdatePlan plan, string? regionId)
        {
            var already = string.Join(", ", _requested?.Values.Select(v => v.Key) ?? Enumerable.Empty<string>());
            var text = $"{plan.Subject(regionId)}: no change, it already has the requested values{(already.Length > 0 ? $" ({already})" : "")}; nothing sent.";
            if (_whatIf)
            {
                ShouldProcess(text, text, "Set-NlbListenerAttribute");
                return;
            }
            WriteVerbose(text);
            if (Wait && plan.Current != null) WriteObject(NlbListener.From(plan.Current, regionId));
            else WriteObject(new NlbJob { ListenerId = plan.ListenerId, RegionId = regionId, Action = Action, Status = NlbJob.NoChangeStatus, Changes = plan.Changes });
        }

        private void NoAttributeSpecified() => ThrowTerminatingError(UpdateErrors.NoAttributeSpecified());

        /// <summary>16.10: a mistake that does not depend on the listener is one error, and nothing is sent for any listener.</summary>
        private void RejectOnce(IReadOnlyList<RuleViolation> violations)
        {
            var target = ListenerId?.Length == 1 ? ListenerId[0] : (object?)ListenerId;
            foreach (var v in violations) WriteError(UpdateErrors.RuleOnce(v, target));
            _rejected = violations.Count > 0;
        }
    }
}
