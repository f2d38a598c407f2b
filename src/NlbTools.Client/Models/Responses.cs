using System.Collections.Generic;

namespace NlbTools.Client.Models
{
    public abstract class NlbResponse
    {
        public string? RequestId { get; set; }
        /// <summary>True when the request was a DryRun and the server's precheck passed (the DryRunOperation answer); nothing else is filled then.</summary>
        public bool DryRunPassed { get; set; }
    }

    /// <summary>Answer of an asynchronous write (UpdateListenerAttribute, StartListener, StopListener).</summary>
    public sealed class JobResponse : NlbResponse
    {
        public string? JobId { get; set; }
        /// <summary>The ClientToken that was sent on every attempt of this call.</summary>
        public string? ClientToken { get; set; }
    }

    public sealed class GetListenerAttributeResponse : NlbResponse
    {
        public Listener Listener { get; set; } = new Listener();
    }

    public sealed class ListListenersResponse : NlbResponse
    {
        public List<Listener> Listeners { get; set; } = new List<Listener>();
        public int? MaxResults { get; set; }
        public string? NextToken { get; set; }
        public int? TotalCount { get; set; }
    }

    public sealed class GetJobStatusResponse : NlbResponse
    {
        /// <summary>Succeeded, Processing (the doc also spells it processing) or Failed.</summary>
        public string? Status { get; set; }
    }

    public sealed class AsynJob
    {
        public string? Id { get; set; }
        public string? Status { get; set; }
    }

    public sealed class ListAsynJobsResponse : NlbResponse
    {
        public List<AsynJob> Jobs { get; set; } = new List<AsynJob>();
        /// <summary>Typed as a string on the wire.</summary>
        public string? TotalCount { get; set; }
    }

    public sealed class HealthCheck
    {
        public int? HealthCheckConnectPort { get; set; }
        public int? HealthCheckConnectTimeout { get; set; }
        public string? HealthCheckDomain { get; set; }
        public bool? HealthCheckEnabled { get; set; }
        public string? HealthCheckExp { get; set; }
        public List<string>? HealthCheckHttpCode { get; set; }
        public string? HealthCheckHttpVersion { get; set; }
        public int? HealthCheckInterval { get; set; }
        public string? HealthCheckReq { get; set; }
        public string? HealthCheckType { get; set; }
        public string? HealthCheckUrl { get; set; }
        public int? HealthyThreshold { get; set; }
        public string? HttpCheckMethod { get; set; }
        public int? UnhealthyThreshold { get; set; }

        /// <summary>"HealthCheckEnabled=True;HealthCheckType=TCP;..." (unset fields left out; see TextFormat).</summary>
        public override string ToString() => TextFormat.Pairs(
            ("HealthCheckEnabled", HealthCheckEnabled), ("HealthCheckType", HealthCheckType), ("HealthCheckConnectPort", HealthCheckConnectPort),
            ("HealthCheckConnectTimeout", HealthCheckConnectTimeout), ("HealthCheckInterval", HealthCheckInterval), ("HealthyThreshold", HealthyThreshold),
            ("UnhealthyThreshold", UnhealthyThreshold), ("HealthCheckDomain", HealthCheckDomain), ("HealthCheckUrl", HealthCheckUrl),
            ("HealthCheckHttpCode", HealthCheckHttpCode), ("HealthCheckHttpVersion", HealthCheckHttpVersion), ("HttpCheckMethod", HttpCheckMethod),
            ("HealthCheckReq", HealthCheckReq), ("HealthCheckExp", HealthCheckExp));
    }

    public sealed class ServerGroup
    {
        public string? AddressIPVersion { get; set; }
        public long? AliUid { get; set; }
        public bool? AnyPortEnabled { get; set; }
        public bool? ConnectionDrainEnabled { get; set; }
        public int? ConnectionDrainTimeout { get; set; }
        public HealthCheck? HealthCheck { get; set; }
        public string? IpVersionAffinityMode { get; set; }
        public bool? PreserveClientIpEnabled { get; set; }
        /// <summary>TCP, UDP or TCP_UDP.</summary>
        public string? Protocol { get; set; }
        public string? RegionId { get; set; }
        public List<string>? RelatedLoadBalancerIds { get; set; }
        public string? ResourceGroupId { get; set; }
        public string? Scheduler { get; set; }
        public int? ServerCount { get; set; }
        public string? ServerGroupId { get; set; }
        public string? ServerGroupName { get; set; }
        public string? ServerGroupStatus { get; set; }
        public string? ServerGroupType { get; set; }
        public List<Tag>? Tags { get; set; }
        public string? VpcId { get; set; }
    }

    public sealed class ListServerGroupsResponse : NlbResponse
    {
        public List<ServerGroup> ServerGroups { get; set; } = new List<ServerGroup>();
        public int? MaxResults { get; set; }
        public string? NextToken { get; set; }
        public int? TotalCount { get; set; }
    }

    public sealed class RelatedListener
    {
        public string? ListenerId { get; set; }
        public int? ListenerPort { get; set; }
        public string? ListenerProtocol { get; set; }
        public string? LoadBalancerId { get; set; }

        public override string ToString() => ListenerId ?? "";
    }

    public sealed class SecurityPolicy
    {
        /// <summary>A string on the wire (comma-separated).</summary>
        public string? Ciphers { get; set; }
        public string? RegionId { get; set; }
        public List<RelatedListener>? RelatedListeners { get; set; }
        public string? ResourceGroupId { get; set; }
        public string? SecurityPolicyId { get; set; }
        public string? SecurityPolicyName { get; set; }
        public string? SecurityPolicyStatus { get; set; }
        public List<Tag>? Tags { get; set; }
        public string? TlsVersion { get; set; }
    }

    public sealed class ListSecurityPolicyResponse : NlbResponse
    {
        public List<SecurityPolicy> SecurityPolicies { get; set; } = new List<SecurityPolicy>();
        public int? MaxResults { get; set; }
        public string? NextToken { get; set; }
        public int? TotalCount { get; set; }
    }

    public sealed class ListSystemSecurityPolicyResponse : NlbResponse
    {
        /// <summary>Items carry Ciphers, SecurityPolicyId, SecurityPolicyName and TlsVersion only.</summary>
        public List<SecurityPolicy> SecurityPolicies { get; set; } = new List<SecurityPolicy>();
    }

    public sealed class Region
    {
        public string? LocalName { get; set; }
        public string? RegionEndpoint { get; set; }
        public string? RegionId { get; set; }
    }

    public sealed class DescribeRegionsResponse : NlbResponse
    {
        public List<Region> Regions { get; set; } = new List<Region>();
    }

    public sealed class DeletionProtectionConfig
    {
        public bool? Enabled { get; set; }
        public string? EnabledTime { get; set; }
        public string? Reason { get; set; }
    }

    public sealed class ModificationProtectionConfig
    {
        public string? EnabledTime { get; set; }
        public string? Reason { get; set; }
        public string? Status { get; set; }
    }

    public sealed class LoadBalancerBillingConfig
    {
        public string? PayType { get; set; }
    }

    public sealed class OperationLock
    {
        public string? LockReason { get; set; }
        public string? LockType { get; set; }
    }

    public sealed class LoadBalancerAddress
    {
        public string? AllocationId { get; set; }
        public string? EniId { get; set; }
        public List<string>? Ipv4LocalAddresses { get; set; }
        public string? Ipv6Address { get; set; }
        public List<string>? Ipv6LocalAddresses { get; set; }
        public string? PrivateIPv4Address { get; set; }
        public string? PrivateIPv4HcStatus { get; set; }
        public string? PrivateIPv6HcStatus { get; set; }
        public string? PublicIPv4Address { get; set; }
    }

    public sealed class ZoneMapping
    {
        public List<LoadBalancerAddress>? LoadBalancerAddresses { get; set; }
        public string? Status { get; set; }
        public string? VSwitchId { get; set; }
        public string? ZoneId { get; set; }
    }

    public sealed class LoadBalancer
    {
        public string? AddressIpVersion { get; set; }
        public string? AddressType { get; set; }
        public string? BandwidthPackageId { get; set; }
        public int? Cps { get; set; }
        public string? CreateTime { get; set; }
        public bool? CrossZoneEnabled { get; set; }
        public string? DNSName { get; set; }
        public DeletionProtectionConfig? DeletionProtectionConfig { get; set; }
        public string? Ipv6AddressType { get; set; }
        public LoadBalancerBillingConfig? LoadBalancerBillingConfig { get; set; }
        public string? LoadBalancerBusinessStatus { get; set; }
        public string? LoadBalancerId { get; set; }
        public string? LoadBalancerName { get; set; }
        public string? LoadBalancerStatus { get; set; }
        public string? LoadBalancerType { get; set; }
        public ModificationProtectionConfig? ModificationProtectionConfig { get; set; }
        public List<OperationLock>? OperationLocks { get; set; }
        public string? RegionId { get; set; }
        public string? ResourceGroupId { get; set; }
        public List<string>? SecurityGroupIds { get; set; }
        public List<Tag>? Tags { get; set; }
        public string? VpcId { get; set; }
        public List<ZoneMapping>? ZoneMappings { get; set; }
    }

    public sealed class GetLoadBalancerAttributeResponse : NlbResponse
    {
        public LoadBalancer LoadBalancer { get; set; } = new LoadBalancer();
    }

    public sealed class ListLoadBalancersResponse : NlbResponse
    {
        public List<LoadBalancer> LoadBalancers { get; set; } = new List<LoadBalancer>();
        public int? MaxResults { get; set; }
        public string? NextToken { get; set; }
        public int? TotalCount { get; set; }
    }
}
