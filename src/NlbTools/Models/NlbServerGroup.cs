using System.Management.Automation;
using NlbTools.Client.Models;

namespace NlbTools
{
    public sealed class NlbServerGroup
    {
        public string? ServerGroupId { get; set; }
        public string? ServerGroupName { get; set; }
        public string? ServerGroupType { get; set; }
        public string? ServerGroupStatus { get; set; }
        /// <summary>TCP, UDP or TCP_UDP.</summary>
        public string? Protocol { get; set; }
        public bool? PreserveClientIpEnabled { get; set; }
        public string? AddressIPVersion { get; set; }
        public bool? AnyPortEnabled { get; set; }
        public bool? ConnectionDrainEnabled { get; set; }
        public int? ConnectionDrainTimeout { get; set; }
        public HealthCheck? HealthCheck { get; set; }
        public string? IpVersionAffinityMode { get; set; }
        public string? Scheduler { get; set; }
        public int? ServerCount { get; set; }
        public TextList<string>? RelatedLoadBalancerIds { get; set; }
        public string? ResourceGroupId { get; set; }
        public string? VpcId { get; set; }
        public long? AliUid { get; set; }
        public string? RegionId { get; set; }
        public TextList<Tag>? Tags { get; set; }

        // Table headers as properties, so Sort-Object Port and Where-Object Status -eq Stopped work. Hidden: Get-Member,
        // Format-List * and Export-Csv show the API's own names. C# rather than a types file, which costs ~100 ms at import.
        [Hidden] public string? Name { get => ServerGroupName; set => ServerGroupName = value; }
        [Hidden] public string? Type { get => ServerGroupType; set => ServerGroupType = value; }
        [Hidden] public string? Status { get => ServerGroupStatus; set => ServerGroupStatus = value; }
        [Hidden] public int? Servers { get => ServerCount; set => ServerCount = value; }
        [Hidden] public bool? PreserveClientIp { get => PreserveClientIpEnabled; set => PreserveClientIpEnabled = value; }

        public override string ToString() => ServerGroupId ?? "";

        internal static NlbServerGroup From(ServerGroup g, string? regionId) => new NlbServerGroup
        {
            ServerGroupId = g.ServerGroupId, ServerGroupName = g.ServerGroupName, ServerGroupType = g.ServerGroupType,
            ServerGroupStatus = g.ServerGroupStatus, Protocol = g.Protocol, PreserveClientIpEnabled = g.PreserveClientIpEnabled,
            AddressIPVersion = g.AddressIPVersion, AnyPortEnabled = g.AnyPortEnabled, ConnectionDrainEnabled = g.ConnectionDrainEnabled,
            ConnectionDrainTimeout = g.ConnectionDrainTimeout, HealthCheck = g.HealthCheck, IpVersionAffinityMode = g.IpVersionAffinityMode,
            Scheduler = g.Scheduler, ServerCount = g.ServerCount, RelatedLoadBalancerIds = TextList<string>.Ids(g.RelatedLoadBalancerIds),
            ResourceGroupId = g.ResourceGroupId, VpcId = g.VpcId, AliUid = g.AliUid,
            RegionId = string.IsNullOrEmpty(g.RegionId) ? regionId : g.RegionId, Tags = TextList<Tag>.Pairs(g.Tags),
        };
    }
}
