using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using NlbTools.Base;
using NlbTools.Client;
using NlbTools.Client.Models;
using NlbTools.Client.Pipeline;
using NlbTools.Client.Rules;
using NlbTools.Completers;
using NlbTools.Engine;

namespace NlbTools.Commands
{
    /// <summary>
    /// UpdateListenerAttribute with PATCH semantics (only bound parameters are sent), per-protocol validation
    /// before anything is sent, -WhatIf answered by the service's precheck (DryRun), and piped updates sent
    /// concurrently up to -ThrottleLimit while output and errors keep the input order.
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


        private readonly Dictionary<string, ServerGroupFacts?> _serverGroups = new Dictionary<string, ServerGroupFacts?>(StringComparer.Ordinal);
        private SemaphoreSlim? _slots;
        private JobWaiter? _waiter;
        private BatchProgress? _progress;
        private OrderedResults? _results;
        private bool _whatIf;
        private string? _clientTokenListener;
        private string _changes = "";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ListenerIdSet)]
        [ArgumentCompleter(typeof(ListenerIdCompleter))]
        public string? ListenerId { get; set; }

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [ValidateNotNull]
        public NlbListener? InputObject { get; set; }

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
            if (!ListenerUpdate.AttributeParameters.Any(Bound)) ThrowTerminatingError(ListenerUpdate.NoAttributeSpecified());
            _whatIf = IsWhatIf();
            _slots = new SemaphoreSlim(ThrottleLimit);
            _waiter = new JobWaiter(this, CancelToken);
            _progress = new BatchProgress(this, 1, "Updating NLB listeners");
            // Enough room for fast items to finish behind a slow one, without holding the whole input.
            _results = new OrderedResults(this, Math.Max(64, ThrottleLimit * 8));
            _changes = string.Join(", ", ListenerUpdate.AttributeParameters.Where(Bound).Select(p => $"{p}={ListenerUpdate.Show(MyInvocation.BoundParameters[p])}"));
        }

        protected override void ProcessRecord()
        {
            var target = ResolveTarget();
            if (target == null) return;
            var listenerId = InputObject?.ListenerId ?? ListenerId;
            if (string.IsNullOrEmpty(listenerId))
            {
                WriteError(ErrorRecords.ListenerIdMissing(InputObject));
                return;
            }
            if (!ListenerUpdate.LooksLikeListenerId(listenerId!))
            {
                // Any piped object binds to -ListenerId as text ("@{Name=web}"): stop it here instead of asking the service.
                _results!.Add(() => WriteError(ListenerUpdate.NotAListenerId(listenerId!)));
                return;
            }
            if (ClientToken != null && _clientTokenListener != null && !string.Equals(_clientTokenListener, listenerId, StringComparison.Ordinal))
            {
                // The service ties a token to one request: reusing it for a second listener would fail as
                // IdempotenceSignatureMismatch after the first one was sent. Stop it here instead.
                var (token, first) = (ClientToken, _clientTokenListener);
                _results!.Add(() => WriteError(ListenerUpdate.ClientTokenReused(token, first, listenerId!)));
                return;
            }
            _clientTokenListener ??= listenerId;
            var request = ListenerUpdate.Request(MyInvocation.BoundParameters, listenerId!, target.RegionId, ClientToken);

            // The protocol comes from the piped listener, or from one read when a rule needs it.
            var protocol = InputObject?.ListenerProtocol;
            if (protocol == null && ListenerUpdate.NeedsProtocol(MyInvocation.BoundParameters, request, SkipClientValidation))
            {
                try
                {
                    protocol = Call(ct => target.Client.GetListenerAttributeAsync(new GetListenerAttributeRequest { RegionId = target.RegionId, ListenerId = listenerId! }, ct),
                        ListenerSubject(listenerId!)).Listener.ListenerProtocol;
                }
                catch (NlbException e)
                {
                    _results!.Add(() => WriteListenerError(e, listenerId!));
                    return;
                }
            }

            var violations = Validate(target, request, protocol);
            if (violations.Count > 0)
            {
                _results!.Add(() => { foreach (var v in violations) WriteError(ListenerUpdate.RuleError(v, listenerId!, protocol)); });
                return;
            }

            if (_whatIf)
            {
                // -WhatIf asks the service: DryRun=true runs its precheck and changes nothing.
                request.DryRun = true;
                _results!.Add(Send(target, request, protocol));
                return;
            }

            if (!ShouldProcess(ListenerUpdate.Describe(listenerId!, protocol, target.RegionId), $"Set {_changes}")) return;
            _results!.Add(Send(target, request, protocol));
        }

        protected override void EndProcessing()
        {
            _waiter?.InputEnded();
            _results?.WriteAll();
            _progress?.Complete();
            CachedCompleter.Invalidate(); // the tooltips show descriptions and groups that may have just changed
        }

        /// <summary>Runs on the thread pool; yields what to write on the pipeline thread when its turn comes.</summary>
        private Task<Action?> Send(ApiTarget target, UpdateListenerAttributeRequest request, string? protocol)
        {
            var slots = _slots!;
            var progress = _progress!;
            var wait = Wait && request.DryRun != true;
            var timeout = TimeSpan.FromSeconds(TimeoutSec);
            var listenerId = request.ListenerId!;
            progress.OnSubmitted();
            progress.Show(listenerId);
            var failed = false;
            var task = StartCall<Action?>(async ct =>
            {
                JobResponse response;
                await slots.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    response = await target.Client.UpdateListenerAttributeAsync(request, ct).ConfigureAwait(false);
                }
                catch (NlbException e)
                {
                    failed = true;
                    return () => WriteListenerError(e, listenerId);
                }
                finally
                {
                    slots.Release();
                }

                if (request.DryRun == true) return () => WhatIfPassed(request, protocol, target.RegionId, response);

                var job = new NlbJob
                {
                    JobId = response.JobId, RequestId = response.RequestId, ListenerId = listenerId, RegionId = target.RegionId,
                    Action = Action, ClientToken = response.ClientToken ?? request.ClientToken, Status = "Processing", SubmittedAt = DateTimeOffset.UtcNow,
                };
                if (!wait || string.IsNullOrEmpty(job.JobId)) return () => WriteObject(job);
                var result = await _waiter!.WaitAsync(_waiter.Track(target.Client, target.RegionId, job, timeout), ct).ConfigureAwait(false);
                if (result.Canceled) return null;
                failed = !result.Succeeded;
                if (result.Fault != null) return () => WriteListenerError(result.Fault, listenerId);
                if (result.Error != null) return () => WriteError(result.Error);
                var read = await target.Client.GetListenerAttributeAsync(new GetListenerAttributeRequest { RegionId = target.RegionId, ListenerId = listenerId }, ct).ConfigureAwait(false);
                var listener = NlbListener.From(read.Listener, target.RegionId);
                return () => WriteObject(listener);
            }, ListenerSubject(listenerId));
            return task.ContinueWith(t =>
                {
                    // Counted as it comes back (any thread); shown from the pipeline thread while it waits.
                    progress.OnFinished(failed || t.Status != TaskStatus.RanToCompletion);
                    Post(() => progress.Show());
                    return t.Status == TaskStatus.RanToCompletion ? t.Result
                        : t.IsFaulted ? () => WriteListenerError(t.Exception!.GetBaseException(), listenerId)
                        : (Action?)null;
                },
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        private void WhatIfPassed(UpdateListenerAttributeRequest request, string? protocol, string? regionId, JobResponse response)
        {
            var description = $"Updating {ListenerUpdate.Describe(request.ListenerId!, protocol, regionId)}: {_changes}. The service's precheck (DryRun) passed, RequestId {response.RequestId}.";
            // In WhatIf mode this writes the "What if:" line and returns false; nothing else is sent.
            ShouldProcess(description, description, "Set-NlbListenerAttribute");
        }

        private List<RuleViolation> Validate(ApiTarget target, UpdateListenerAttributeRequest request, string? protocol)
            => ListenerUpdate.Violations(request, protocol, request.ServerGroupId != null && protocol != null ? ServerGroupFacts(target, request.ServerGroupId) : null, SkipClientValidation);

        /// <summary>The server group's protocol, read once per run; null when it cannot be read (the service then decides).</summary>
        private ServerGroupFacts? ServerGroupFacts(ApiTarget target, string serverGroupId)
        {
            if (_serverGroups.TryGetValue(serverGroupId, out var known)) return known;
            ServerGroupFacts? facts = null;
            try
            {
                var page = Call(ct => target.Client.ListServerGroupsAsync(new ListServerGroupsRequest { RegionId = target.RegionId, ServerGroupIds = new List<string> { serverGroupId } }, ct));
                var group = page.ServerGroups.FirstOrDefault(g => g.ServerGroupId == serverGroupId);
                if (group?.Protocol != null) facts = new ServerGroupFacts(group.Protocol, group.PreserveClientIpEnabled ?? false, group.VpcId);
            }
            catch (NlbException e)
            {
                WriteVerbose($"Server group {serverGroupId} could not be read ({e.Code}); the service will check it.");
            }
            _serverGroups[serverGroupId] = facts;
            return facts;
        }

        private bool Bound(string name) => MyInvocation.BoundParameters.ContainsKey(name);
    }
}
