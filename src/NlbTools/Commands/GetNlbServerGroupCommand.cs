using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using NlbTools.Base;
using NlbTools.Client;
using NlbTools.Client.Models;
using NlbTools.Completers;

namespace NlbTools.Commands
{
    /// <summary>Lists server groups page by page (each page written as it arrives).</summary>
    [Cmdlet(VerbsCommon.Get, "NlbServerGroup")]
    [OutputType(typeof(NlbServerGroup))]
    public sealed class GetNlbServerGroupCommand : NlbApiCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [IdFromInput(nameof(ServerGroupId), FromWholeObjects = true)]
        [ArgumentCompleter(typeof(ServerGroupIdCompleter))]
        public string[]? ServerGroupId { get; set; }

        // Piped listeners often share a group: each group is written once per command.
        private readonly HashSet<string> _written = new HashSet<string>(StringComparer.Ordinal);

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? ServerGroupName { get; set; }

        [Parameter]
        [ValidateSet("Instance", "Ip", IgnoreCase = true)]
        public string? ServerGroupType { get; set; }

        /// <summary>Filters on the backend protocol (applied to each page).</summary>
        [Parameter]
        [ValidateSet("TCP", "UDP", "TCP_UDP", IgnoreCase = true)]
        public string? Protocol { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? VpcId { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ResourceGroupId { get; set; }

        [Parameter]
        [ValidateNotNull]
        public Hashtable? Tag { get; set; }

        [Parameter]
        [ValidateRange(1, 100)]
        public int PageSize { get; set; } = 100;

        protected override void ProcessRecord()
        {
            var given = IdFromInputAttribute.Ids(ServerGroupId, out var notAnId);
            if (notAnId && !MyInvocation.ExpectingInput)
            {
                WriteError(IdFromInputAttribute.NotAnIdError(nameof(ServerGroupId)));
                return;
            }
            var ids = given?.Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).ToList();
            if (ids == null || ids.Count == 0)
            {
                // A piped object whose ServerGroupId is empty (a listener without a group) has none to show;
                // one without the property (a region) lists the region's groups.
                if (!notAnId && MyInvocation.BoundParameters.ContainsKey(nameof(ServerGroupId))) return;
                ids = null;
            }
            var target = ResolveTarget();
            if (target == null) return;
            var request = new ListServerGroupsRequest
            {
                RegionId = target.RegionId,
                ServerGroupIds = ids,
                ServerGroupNames = ServerGroupName?.ToList(),
                ServerGroupType = ServerGroupType,
                VpcId = VpcId,
                ResourceGroupId = ResourceGroupId,
                Tag = TagFilter.ToTags(Tag),
                MaxResults = PageSize,
            };
            var found = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                var pages = Pages(target.Client.ListServerGroupsPager(request));
                foreach (var page in pages)
                {
                    foreach (var group in page.ServerGroups)
                    {
                        if (group.ServerGroupId != null) found.Add(group.ServerGroupId);
                        if ((Protocol == null || string.Equals(Protocol, group.Protocol, StringComparison.OrdinalIgnoreCase))
                            && (group.ServerGroupId == null || _written.Add(target.RegionId + "|" + group.ServerGroupId)))
                            WriteObject(NlbServerGroup.From(group, target.RegionId));
                    }
                }
            }
            catch (NlbException e)
            {
                if (!RegionIsUnknown(target)) WriteApiError(e, target.RegionId);
                return;
            }
            if (found.Count == 0 && RegionIsUnknown(target)) return;
            foreach (var missing in ids?.Where(id => !found.Contains(id)) ?? Enumerable.Empty<string>())
                WriteApiError(NotFound.Error("serverGroup", "Server group", missing, target.RegionId), missing);
        }
    }
}
