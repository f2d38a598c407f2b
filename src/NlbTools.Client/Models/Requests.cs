using System.Collections.Generic;

namespace NlbTools.Client.Models
{
    // Requests use the API's parameter names. A null property is not sent (PATCH semantics):
    // the cmdlets set only what the user bound.

    public sealed class UpdateListenerAttributeRequest
    {
        public string? RegionId { get; set; }
        public string ListenerId { get; set; } = "";
        public string? ListenerDescription { get; set; }
        public string? ServerGroupId { get; set; }
        public string? SecurityPolicyId { get; set; }
        public List<string>? CertificateIds { get; set; }
        public List<string>? CaCertificateIds { get; set; }
        public bool? CaEnabled { get; set; }
        public int? IdleTimeout { get; set; }
        public int? Cps { get; set; }
        public int? Mss { get; set; }
        public bool? ProxyProtocolEnabled { get; set; }
        /// <summary>Sent as one JSON string form field, null members omitted.</summary>
        public ProxyProtocolV2Config? ProxyProtocolV2Config { get; set; }
        public bool? SecSensorEnabled { get; set; }
        public bool? AlpnEnabled { get; set; }
        public string? AlpnPolicy { get; set; }
        /// <summary>Kept on every retry; generated once per call when null.</summary>
        public string? ClientToken { get; set; }
        public bool? DryRun { get; set; }
    }

    public sealed class GetListenerAttributeRequest
    {
        public string? RegionId { get; set; }
        public string ListenerId { get; set; } = "";
        public string? ClientToken { get; set; }
        public bool? DryRun { get; set; }
    }

    public sealed class ListListenersRequest
    {
        public string? RegionId { get; set; }
        /// <summary>At most 20.</summary>
        public List<string>? ListenerIds { get; set; }
        /// <summary>TCP, UDP or TCPSSL.</summary>
        public string? ListenerProtocol { get; set; }
        /// <summary>At most 20.</summary>
        public List<string>? LoadBalancerIds { get; set; }
        /// <summary>1–100, default 20.</summary>
        public int? MaxResults { get; set; }
        public string? NextToken { get; set; }
        /// <summary>A string in the SDK: "true" or "false".</summary>
        public string? SecSensorEnabled { get; set; }
        public List<Tag>? Tag { get; set; }
    }

    public sealed class GetJobStatusRequest
    {
        /// <summary>Picks the regional endpoint only; GetJobStatus has no RegionId parameter.</summary>
        public string? RegionId { get; set; }
        public string JobId { get; set; } = "";
        public string? ClientToken { get; set; }
    }

    public sealed class ListAsynJobsRequest
    {
        /// <summary>Picks the regional endpoint only; ListAsynJobs has no RegionId parameter.</summary>
        public string? RegionId { get; set; }
        public List<string> JobIds { get; set; } = new List<string>();
    }

    public sealed class ListServerGroupsRequest
    {
        public string? RegionId { get; set; }
        public int? MaxResults { get; set; }
        public string? NextToken { get; set; }
        public string? ResourceGroupId { get; set; }
        public List<string>? ServerGroupIds { get; set; }
        public List<string>? ServerGroupNames { get; set; }
        /// <summary>Instance or Ip.</summary>
        public string? ServerGroupType { get; set; }
        public string? VpcId { get; set; }
        public List<Tag>? Tag { get; set; }
    }

    public sealed class ListSecurityPolicyRequest
    {
        public string? RegionId { get; set; }
        public int? MaxResults { get; set; }
        public string? NextToken { get; set; }
        public string? ResourceGroupId { get; set; }
        public List<string>? SecurityPolicyIds { get; set; }
        public List<string>? SecurityPolicyNames { get; set; }
        public List<Tag>? Tag { get; set; }
    }

    public sealed class ListSystemSecurityPolicyRequest
    {
        public string? RegionId { get; set; }
    }

    public sealed class DescribeRegionsRequest
    {
        /// <summary>Picks the regional endpoint only (any region answers); not sent.</summary>
        public string? RegionId { get; set; }
        /// <summary>zh-CN, en-US (default) or ja.</summary>
        public string? AcceptLanguage { get; set; }
        /// <summary>nlb.</summary>
        public string? ServiceCode { get; set; } = "nlb";
        public string? ClientToken { get; set; }
    }

    public sealed class GetLoadBalancerAttributeRequest
    {
        public string? RegionId { get; set; }
        public string LoadBalancerId { get; set; } = "";
        public string? ClientToken { get; set; }
        public bool? DryRun { get; set; }
    }

    public sealed class ListLoadBalancersRequest
    {
        public string? RegionId { get; set; }
        public string? AddressIpVersion { get; set; }
        public string? AddressType { get; set; }
        public string? DNSName { get; set; }
        public string? Ipv6AddressType { get; set; }
        public string? LoadBalancerBusinessStatus { get; set; }
        public List<string>? LoadBalancerIds { get; set; }
        public List<string>? LoadBalancerNames { get; set; }
        public string? LoadBalancerStatus { get; set; }
        public string? LoadBalancerType { get; set; }
        public int? MaxResults { get; set; }
        public string? NextToken { get; set; }
        public string? ResourceGroupId { get; set; }
        public List<Tag>? Tag { get; set; }
        public List<string>? VpcIds { get; set; }
        public string? ZoneId { get; set; }
    }

    /// <summary>StartListener and StopListener take the same parameters.</summary>
    public sealed class ListenerActionRequest
    {
        public string? RegionId { get; set; }
        public string ListenerId { get; set; } = "";
        public string? ClientToken { get; set; }
        public bool? DryRun { get; set; }
    }
}
