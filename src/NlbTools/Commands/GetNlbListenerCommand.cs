using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using NlbTools.Base;
using NlbTools.Client;
using NlbTools.Client.Models;
using NlbTools.Client.Pipeline;
using NlbTools.Completers;
using NlbTools.Engine;

namespace NlbTools.Commands
{
    /// <summary>
    /// Lists listeners page by page, writing each page as it arrives (so Select-Object -First stops the
    /// fetching), or reads one listener with GetListenerAttribute.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "NlbListener")]
    [OutputType(typeof(NlbListener))]
    public sealed class GetNlbListenerCommand : NlbApiCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [IdFromInput(nameof(ListenerId), FromWholeObjects = true)]
        [ArgumentCompleter(typeof(ListenerIdCompleter))]
        public string[]? ListenerId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [IdFromInput(nameof(LoadBalancerId))]
        [ArgumentCompleter(typeof(LoadBalancerIdCompleter))]
        public string[]? LoadBalancerId { get; set; }

        /// <summary>Only listeners that forward to this server group (so a piped server group gives its listeners).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [IdFromInput(nameof(ServerGroupId))]
        [ArgumentCompleter(typeof(ServerGroupIdCompleter))]
        public string? ServerGroupId { get; set; }

        /// <summary>Only listeners that use this TLS security policy (so a piped policy gives its listeners).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [IdFromInput(nameof(SecurityPolicyId))]
        [ArgumentCompleter(typeof(SecurityPolicyIdCompleter))]
        public string? SecurityPolicyId { get; set; }

        [Parameter]
        [ValidateSet("TCP", "UDP", "TCPSSL", IgnoreCase = true)]
        public string? ListenerProtocol { get; set; }

        /// <summary>Tag filter: @{ env = 'prod' } (at most 20 tags).</summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable? Tag { get; set; }

        /// <summary>Listeners per request (the API's MaxResults), 1–100.</summary>
        [Parameter]
        [ValidateRange(1, 100)]
        public int PageSize { get; set; } = 100;

        protected override void ProcessRecord()
        {
            var given = IdFromInputAttribute.Ids(ListenerId, out var notAnId);
            if (notAnId && !MyInvocation.ExpectingInput)
            {
                WriteError(IdFromInputAttribute.NotAnIdError(nameof(ListenerId)));
                return;
            }
            // A piped object that is not a listener (a region, a server group) binds only its RegionId and filters.
            var ids = given?.Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).ToList();
            if (ids != null && ids.Count == 0)
            {
                // A piped object without an id must not turn into "list everything".
                WriteError(ErrorRecords.ListenerIdMissing(ListenerId));
                return;
            }
            var target = ResolveTarget();
            if (target == null) return;
            if (ids != null && ids.Count == 1)
                ReadOne(target, ids[0]);
            else
                List(target, ids);
        }

        private void ReadOne(ApiTarget target, string listenerId)
        {
            Listener listener;
            try
            {
                listener = Call(ct => target.Client.GetListenerAttributeAsync(new GetListenerAttributeRequest { RegionId = target.RegionId, ListenerId = listenerId }, ct)).Listener;
            }
            catch (NlbException e)
            {
                if (!RegionIsUnknown(target)) WriteListenerError(NotFound.WithRegion(e, target.RegionId), listenerId);
                return;
            }
            if (Matches(listener)) WriteObject(NlbListener.From(listener, target.RegionId));
        }

        private void List(ApiTarget target, List<string>? ids)
        {
            var found = new HashSet<string>(StringComparer.Ordinal);
            var foundLoadBalancers = new HashSet<string>(StringComparer.Ordinal);
            var tags = TagFilter.ToTags(Tag);
            foreach (var idChunk in IdChunks.OfOrUnfiltered(ids))
            {
                foreach (var lbChunk in IdChunks.OfOrUnfiltered(LoadBalancerIds()))
                {
                    var request = new ListListenersRequest
                    {
                        RegionId = target.RegionId,
                        ListenerIds = idChunk,
                        LoadBalancerIds = lbChunk,
                        ListenerProtocol = ListenerProtocol?.ToUpperInvariant(),
                        Tag = tags,
                        MaxResults = PageSize,
                    };
                    if (!ListPages(target, request, found, foundLoadBalancers)) return;
                }
            }

            // Nothing found may mean a mistyped region: say so rather than print nothing.
            if (found.Count == 0 && RegionIsUnknown(target)) return;

            // Asking for ids that do not exist gives one ObjectNotFound each, like the single-id read does.
            foreach (var missing in ids?.Where(id => !found.Contains(id)) ?? Enumerable.Empty<string>())
                WriteApiError(NotFound.Error("listener", "Listener", missing, target.RegionId), missing);
            if (ids == null) ReportMissingLoadBalancers(target, foundLoadBalancers);
        }

        /// <summary>A load balancer without listeners is fine; one that does not exist is ObjectNotFound.</summary>
        private void ReportMissingLoadBalancers(ApiTarget target, HashSet<string> withListeners)
        {
            foreach (var lb in LoadBalancerIds()?.Where(id => !withListeners.Contains(id)) ?? Enumerable.Empty<string>())
            {
                try
                {
                    Call(ct => target.Client.GetLoadBalancerAttributeAsync(new GetLoadBalancerAttributeRequest { RegionId = target.RegionId, LoadBalancerId = lb }, ct));
                }
                catch (NlbException e)
                {
                    WriteApiError(NlbErrorClassifier.IsNotFound(e) ? NotFound.Error("loadBalancer", "Load balancer", lb, target.RegionId) : e, lb);
                }
            }
        }

        /// <summary>One page per request, written before the next is fetched. False when a request failed.</summary>
        private bool ListPages(ApiTarget target, ListListenersRequest request, HashSet<string> found, HashSet<string> foundLoadBalancers)
        {
            try
            {
                var pages = Pages(target.Client.ListListenersPager(request));
                foreach (var page in pages)
                {
                    foreach (var listener in page.Listeners)
                    {
                        if (listener.ListenerId != null) found.Add(listener.ListenerId);
                        if (listener.LoadBalancerId != null) foundLoadBalancers.Add(listener.LoadBalancerId);
                        if (MatchesGroupAndPolicy(listener)) WriteObject(NlbListener.From(listener, target.RegionId));
                    }
                }
                return true;
            }
            catch (NlbException e)
            {
                if (!RegionIsUnknown(target)) WriteApiError(e, request.ListenerIds != null ? string.Join(",", request.ListenerIds) : target.RegionId);
                return false;
            }
        }

        /// <summary>The filters also apply to the single-id read, so a piped NlbListener is checked the same way.</summary>
        private bool Matches(Listener l)
        {
            if (!MatchesGroupAndPolicy(l)) return false;
            if (ListenerProtocol != null && !string.Equals(ListenerProtocol, l.ListenerProtocol, StringComparison.OrdinalIgnoreCase)) return false;
            var lbs = LoadBalancerIds();
            if (lbs != null && !lbs.Contains(l.LoadBalancerId ?? "", StringComparer.Ordinal)) return false;
            return TagFilter.Matches(Tag, l.Tags);
        }

        /// <summary>The filters the API does not have, applied to each listener read.</summary>
        private bool MatchesGroupAndPolicy(Listener l)
            => (string.IsNullOrEmpty(ServerGroupId) || string.Equals(ServerGroupId, l.ServerGroupId, StringComparison.Ordinal))
               && (string.IsNullOrEmpty(SecurityPolicyId) || string.Equals(SecurityPolicyId, l.SecurityPolicyId, StringComparison.Ordinal));

        /// <summary>Null when not given (or bound from a piped object that has none).</summary>
        private List<string>? LoadBalancerIds()
        {
            var ids = LoadBalancerId?.Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).ToList();
            return ids == null || ids.Count == 0 ? null : ids;
        }
    }
}
