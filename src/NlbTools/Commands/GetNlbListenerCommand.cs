using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using NlbTools.Base;
using NlbTools.Client;
using NlbTools.Client.Models;
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
        [ArgumentCompleter(typeof(ListenerIdCompleter))]
        public string[]? ListenerId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(LoadBalancerIdCompleter))]
        public string[]? LoadBalancerId { get; set; }

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
            var ids = ListenerId?.Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).ToList();
            if (ids != null && ids.Count == 0)
            {
                // A piped object without an id must not turn into "list everything".
                WriteError(ErrorRecords.ListenerIdMissing(ListenerId));
                return;
            }
            var target = ResolveTarget();
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
                WriteListenerError(e, listenerId);
                return;
            }
            if (Matches(listener)) WriteObject(NlbListener.From(listener, target.RegionId));
        }

        private void List(ApiTarget target, List<string>? ids)
        {
            var found = new HashSet<string>(StringComparer.Ordinal);
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
                    if (!ListPages(target, request, found)) return;
                }
            }

            // Asking for ids that do not exist gives one ObjectNotFound each, like the single-id read does.
            if (ids == null) return;
            foreach (var missing in ids.Where(id => !found.Contains(id)))
            {
                var error = new NlbException("ResourceNotFound.listener", $"The specified resource {missing} is not found.", 404);
                WriteApiError(error, missing);
            }
        }

        /// <summary>One page per request, written before the next is fetched. False when a request failed.</summary>
        private bool ListPages(ApiTarget target, ListListenersRequest request, HashSet<string> found)
        {
            try
            {
                var pages = Pages((token, ct) => { request.NextToken = token; return target.Client.ListListenersAsync(request, ct); },
                    page => page.NextToken, page => page.Listeners.Count);
                foreach (var page in pages)
                {
                    foreach (var listener in page.Listeners)
                    {
                        if (listener.ListenerId != null) found.Add(listener.ListenerId);
                        WriteObject(NlbListener.From(listener, target.RegionId));
                    }
                }
                return true;
            }
            catch (NlbException e)
            {
                WriteApiError(e, request.ListenerIds != null ? string.Join(",", request.ListenerIds) : target.RegionId);
                return false;
            }
        }

        /// <summary>The filters also apply to the single-id read, so a piped NlbListener is checked the same way.</summary>
        private bool Matches(Listener l)
        {
            if (ListenerProtocol != null && !string.Equals(ListenerProtocol, l.ListenerProtocol, StringComparison.OrdinalIgnoreCase)) return false;
            var lbs = LoadBalancerIds();
            if (lbs != null && !lbs.Contains(l.LoadBalancerId ?? "", StringComparer.Ordinal)) return false;
            return TagFilter.Matches(Tag, l.Tags);
        }

        /// <summary>Null when not given (or bound from a piped object that has none).</summary>
        private List<string>? LoadBalancerIds()
        {
            var ids = LoadBalancerId?.Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).ToList();
            return ids == null || ids.Count == 0 ? null : ids;
        }
    }
}
