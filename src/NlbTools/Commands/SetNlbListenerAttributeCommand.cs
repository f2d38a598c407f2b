using System;
using System.Collections.Generic;
using System.Globalization;
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

        // Attribute parameters in API order; the template request and the ShouldProcess text come from these.
        private static readonly string[] s_attributeParameters =
        {
            nameof(ListenerDescription), nameof(ServerGroupId), nameof(SecurityPolicyId), nameof(CertificateIds), nameof(CaCertificateIds),
            nameof(CaEnabled), nameof(IdleTimeout), nameof(Cps), nameof(Mss), nameof(ProxyProtocolEnabled), nameof(Ppv2VpcIdEnabled),
            nameof(Ppv2PrivateLinkEpIdEnabled), nameof(Ppv2PrivateLinkEpsIdEnabled), nameof(SecSensorEnabled), nameof(AlpnEnabled), nameof(AlpnPolicy),
        };

        private readonly Dictionary<string, ServerGroupFacts?> _serverGroups = new Dictionary<string, ServerGroupFacts?>(StringComparer.Ordinal);
        private readonly Dictionary<NlbClient, JobPoller> _pollers = new Dictionary<NlbClient, JobPoller>();
        private AdaptiveLimiter? _limiter;
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

        /// <summary>Updates in flight at once for piped input (halved while the service throttles).</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        /// <summary>The lowest concurrency reached during this run (diagnostics and tests).</summary>
        internal int LowestConcurrency => _limiter?.LowestLimit ?? ThrottleLimit;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (!s_attributeParameters.Any(Bound))
            {
                var error = new PSArgumentException("Name at least one attribute to change, e.g. -IdleTimeout 300 or -ListenerDescription web.");
                ThrowTerminatingError(new ErrorRecord(error, "NoAttributeSpecified", ErrorCategory.InvalidArgument, null));
            }
            _whatIf = IsWhatIf();
            _limiter = new AdaptiveLimiter(ThrottleLimit);
            // Enough room for fast items to finish behind a slow one, without holding the whole input.
            _results = new OrderedResults(this, Math.Max(64, ThrottleLimit * 8));
            _changes = string.Join(", ", s_attributeParameters.Where(Bound).Select(p => $"{p}={Show(MyInvocation.BoundParameters[p])}"));
        }

        protected override void ProcessRecord()
        {
            var target = ResolveTarget();
            var listenerId = InputObject?.ListenerId ?? ListenerId;
            if (string.IsNullOrEmpty(listenerId))
            {
                WriteError(new ErrorRecord(new PSArgumentException("The input has no ListenerId."), "ListenerIdMissing", ErrorCategory.InvalidArgument, InputObject));
                return;
            }
            if (!LooksLikeListenerId(listenerId!))
            {
                // Any piped object binds to -ListenerId as text ("@{Name=web}"): stop it here instead of asking the service.
                var message = $"'{listenerId}' is not a listener id (ids look like lsn-0123abcd@443: lsn- then letters, digits and - _ . @). Pipe Get-NlbListener output or pass -ListenerId.";
                _results!.Add(() => WriteError(new ErrorRecord(new PSArgumentException(message, nameof(ListenerId)), "InvalidListenerId", ErrorCategory.InvalidArgument, listenerId)
                {
                    ErrorDetails = new ErrorDetails(message),
                }));
                return;
            }
            if (ClientToken != null && _clientTokenListener != null && !string.Equals(_clientTokenListener, listenerId, StringComparison.Ordinal))
            {
                // The service ties a token to one request: reusing it for a second listener would fail as
                // IdempotenceSignatureMismatch after the first one was sent. Stop it here instead.
                var message = $"-ClientToken '{ClientToken}' was already used for listener {_clientTokenListener}; a token identifies one update of one listener. Omit -ClientToken for many listeners (each update then gets its own token, kept across retries).";
                _results!.Add(() => WriteError(new ErrorRecord(new PSArgumentException(message, nameof(ClientToken)), "ClientTokenForOneListener", ErrorCategory.InvalidArgument, listenerId)
                {
                    ErrorDetails = new ErrorDetails(message),
                }));
                return;
            }
            _clientTokenListener ??= listenerId;
            var request = Template(listenerId!, target.RegionId);

            // The protocol comes from the piped listener, or from one read when a rule needs it.
            var protocol = InputObject?.ListenerProtocol;
            if (protocol == null && NeedsProtocol(request))
            {
                try
                {
                    protocol = Call(ct => target.Client.GetListenerAttributeAsync(new GetListenerAttributeRequest { RegionId = target.RegionId, ListenerId = listenerId! }, ct)).Listener.ListenerProtocol;
                }
                catch (NlbException e)
                {
                    _results!.Add(() => WriteApiError(e, listenerId));
                    return;
                }
            }

            var violations = Validate(target, request, protocol);
            if (violations.Count > 0)
            {
                _results!.Add(() => { foreach (var v in violations) WriteError(RuleError(v, listenerId!, protocol)); });
                return;
            }

            if (_whatIf)
            {
                // -WhatIf asks the service: DryRun=true runs its precheck and changes nothing.
                request.DryRun = true;
                _results!.Add(Send(target, request, protocol));
                return;
            }

            if (!ShouldProcess(Describe(listenerId!, protocol, target.RegionId), $"Set {_changes}")) return;
            _results!.Add(Send(target, request, protocol));
        }

        protected override void EndProcessing()
        {
            _results?.WriteAll();
            CachedCompleter.Invalidate(); // the tooltips show descriptions and groups that may have just changed
        }

        protected override void OnThrottled() => _limiter?.OnThrottled();

        /// <summary>Runs on the thread pool; yields what to write on the pipeline thread when its turn comes.</summary>
        private Task<Action?> Send(ApiTarget target, UpdateListenerAttributeRequest request, string? protocol)
        {
            var limiter = _limiter!;
            var poller = Wait && request.DryRun != true ? Poller(target) : null;
            var timeout = TimeSpan.FromSeconds(TimeoutSec);
            var listenerId = request.ListenerId;
            var task = StartCall<Action?>(async ct =>
            {
                JobResponse response;
                var epoch = await limiter.AcquireAsync(ct).ConfigureAwait(false);
                try
                {
                    response = await target.Client.UpdateListenerAttributeAsync(request, ct).ConfigureAwait(false);
                    limiter.OnSuccess(epoch);
                }
                catch (NlbException e)
                {
                    if (IsThrottling(e)) limiter.OnThrottled();
                    return () => WriteApiError(e, listenerId);
                }
                finally
                {
                    limiter.Release();
                }

                if (request.DryRun == true) return () => WhatIfPassed(request, protocol, target.RegionId, response);

                var job = new NlbJob
                {
                    JobId = response.JobId, RequestId = response.RequestId, ListenerId = listenerId, RegionId = target.RegionId,
                    Action = Action, ClientToken = response.ClientToken ?? request.ClientToken, Status = "Processing", SubmittedAt = DateTimeOffset.UtcNow,
                };
                if (poller == null || string.IsNullOrEmpty(job.JobId)) return () => WriteObject(job);
                return await WaitForAsync(target, poller, job, timeout, ct).ConfigureAwait(false);
            });
            return task.ContinueWith(t => t.Status == TaskStatus.RanToCompletion ? t.Result
                    : t.IsFaulted ? () => WriteApiError(t.Exception!.GetBaseException(), listenerId)
                    : (Action?)null,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        private async Task<Action?> WaitForAsync(ApiTarget target, JobPoller poller, NlbJob job, TimeSpan timeout, CancellationToken ct)
        {
            var done = poller.Track(job.JobId!);
            if (await Task.WhenAny(done, Task.Delay(timeout, ct)).ConfigureAwait(false) != done)
            {
                ct.ThrowIfCancellationRequested();
                poller.Forget(job.JobId!);
                var last = poller.LastStatus(job.JobId!);
                return () => WriteError(NlbErrors.JobTimedOut(job.With(last, timeout), last, timeout));
            }
            var outcome = await done.ConfigureAwait(false);
            var finished = job.With(outcome.Status, outcome.ObservedAt - job.SubmittedAt!.Value);
            if (!outcome.Succeeded) return () => WriteError(NlbErrors.JobFailed(finished));
            var read = await target.Client.GetListenerAttributeAsync(new GetListenerAttributeRequest { RegionId = target.RegionId, ListenerId = job.ListenerId! }, ct).ConfigureAwait(false);
            var listener = NlbListener.From(read.Listener, target.RegionId);
            return () => WriteObject(listener);
        }

        private void WhatIfPassed(UpdateListenerAttributeRequest request, string? protocol, string? regionId, JobResponse response)
        {
            var description = $"Updating listener {request.ListenerId}{(protocol != null ? $" ({protocol})" : "")}{(regionId != null ? $" in {regionId}" : "")}: {_changes}. " +
                              $"The service's precheck (DryRun) passed, RequestId {response.RequestId}.";
            // In WhatIf mode this writes the "What if:" line and returns false; nothing else is sent.
            ShouldProcess(description, description, "Set-NlbListenerAttribute");
        }

        private JobPoller Poller(ApiTarget target)
        {
            if (!_pollers.TryGetValue(target.Client, out var poller))
            {
                poller = new JobPoller(target.Client, target.RegionId, this, CancelToken);
                _pollers.Add(target.Client, poller);
            }
            return poller;
        }

        private List<RuleViolation> Validate(ApiTarget target, UpdateListenerAttributeRequest request, string? protocol)
        {
            ServerGroupFacts? group = null;
            if (request.ServerGroupId != null && protocol != null) group = ServerGroupFacts(target, request.ServerGroupId);
            // Without a protocol no protocol-dependent parameter is bound (NeedsProtocol), so any protocol
            // yields exactly the protocol-independent rules (description, Cps).
            return ListenerRules.Validate(protocol ?? "TCP", request, group)
                .Where(v => !(SkipClientValidation && v.IsServerOwnedRange))
                .ToList();
        }

        private bool NeedsProtocol(UpdateListenerAttributeRequest r)
            => ListenerRules.TcpSslOnlyParameters.Any(Bound) || r.ServerGroupId != null || (r.IdleTimeout != null && !SkipClientValidation);

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

        private UpdateListenerAttributeRequest Template(string listenerId, string? regionId)
        {
            var ppv2 = Bound(nameof(Ppv2VpcIdEnabled)) || Bound(nameof(Ppv2PrivateLinkEpIdEnabled)) || Bound(nameof(Ppv2PrivateLinkEpsIdEnabled));
            return new UpdateListenerAttributeRequest
            {
                RegionId = regionId,
                ListenerId = listenerId,
                ListenerDescription = Bound(nameof(ListenerDescription)) ? ListenerDescription : null,
                ServerGroupId = Bound(nameof(ServerGroupId)) ? ServerGroupId : null,
                SecurityPolicyId = Bound(nameof(SecurityPolicyId)) ? SecurityPolicyId : null,
                CertificateIds = Bound(nameof(CertificateIds)) ? CertificateIds!.ToList() : null,
                CaCertificateIds = Bound(nameof(CaCertificateIds)) ? CaCertificateIds!.ToList() : null,
                CaEnabled = Bound(nameof(CaEnabled)) ? CaEnabled : (bool?)null,
                IdleTimeout = Bound(nameof(IdleTimeout)) ? IdleTimeout : (int?)null,
                Cps = Bound(nameof(Cps)) ? Cps : (int?)null,
                Mss = Bound(nameof(Mss)) ? Mss : (int?)null,
                ProxyProtocolEnabled = Bound(nameof(ProxyProtocolEnabled)) ? ProxyProtocolEnabled : (bool?)null,
                ProxyProtocolV2Config = ppv2
                    ? new ProxyProtocolV2Config
                    {
                        Ppv2VpcIdEnabled = Bound(nameof(Ppv2VpcIdEnabled)) ? Ppv2VpcIdEnabled : (bool?)null,
                        Ppv2PrivateLinkEpIdEnabled = Bound(nameof(Ppv2PrivateLinkEpIdEnabled)) ? Ppv2PrivateLinkEpIdEnabled : (bool?)null,
                        Ppv2PrivateLinkEpsIdEnabled = Bound(nameof(Ppv2PrivateLinkEpsIdEnabled)) ? Ppv2PrivateLinkEpsIdEnabled : (bool?)null,
                    }
                    : null,
                SecSensorEnabled = Bound(nameof(SecSensorEnabled)) ? SecSensorEnabled : (bool?)null,
                AlpnEnabled = Bound(nameof(AlpnEnabled)) ? AlpnEnabled : (bool?)null,
                AlpnPolicy = Bound(nameof(AlpnPolicy)) ? AlpnPolicy : null,
                ClientToken = ClientToken,
            };
        }

        /// <summary>Always names the listener, its protocol, the parameter and the value; the rule says what is allowed.</summary>
        private static ErrorRecord RuleError(RuleViolation v, string listenerId, string? protocol)
        {
            var value = v.Value == null ? "not given" : Show(v.Value);
            var message = $"Listener {listenerId}{(protocol != null ? $" ({protocol})" : "")}, -{v.Parameter} {value}: {v.Message}";
            var error = new PSArgumentException(message, v.Parameter);
            return new ErrorRecord(error, v.RuleId, ErrorCategory.InvalidArgument, listenerId) { ErrorDetails = new ErrorDetails(message) };
        }

        private bool Bound(string name) => MyInvocation.BoundParameters.ContainsKey(name);

        /// <summary>NLB listener ids are lsn-&lt;id&gt;@&lt;port&gt;; anything else is a mistake the service need not see.</summary>
        private static bool LooksLikeListenerId(string id)
            => id.Length > 4 && id.StartsWith("lsn-", StringComparison.Ordinal)
               && id.All(c => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '@');

        /// <summary>-WhatIf, or $WhatIfPreference (which an advanced function called with -WhatIf sets in its scope).</summary>
        private bool IsWhatIf()
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)) return LanguagePrimitives.IsTrue(whatIf);
            return LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
        }

        private static bool IsThrottling(NlbException e) => (e.Code ?? "").IndexOf("Throttling", StringComparison.OrdinalIgnoreCase) >= 0;

        private static string Describe(string listenerId, string? protocol, string? regionId)
            => $"listener {listenerId}{(protocol != null ? $" ({protocol})" : "")}{(regionId != null ? $" in {regionId}" : "")}";

        private static string Show(object? value)
        {
            if (value is PSObject pso) value = pso.BaseObject;
            switch (value)
            {
                case null: return "(none)";
                case string s: return s;
                case bool b: return b ? "$true" : "$false";
                case System.Collections.IEnumerable list: return string.Join(",", list.Cast<object>());
                case IFormattable f: return f.ToString(null, CultureInfo.InvariantCulture);
                default: return value.ToString() ?? "";
            }
        }
    }
}
