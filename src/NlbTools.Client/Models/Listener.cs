using System.Collections.Generic;

namespace NlbTools.Client.Models
{
    /// <summary>A listener as GetListenerAttribute and ListListeners return it (API field names).</summary>
    public sealed class Listener
    {
        public string? ListenerId { get; set; }
        public string? ListenerProtocol { get; set; }
        public int? ListenerPort { get; set; }
        /// <summary>First port of a range listener (ListenerPort 0). The wire may carry a string or a number.</summary>
        public string? StartPort { get; set; }
        public string? EndPort { get; set; }
        public string? ListenerDescription { get; set; }
        public string? LoadBalancerId { get; set; }
        public string? ServerGroupId { get; set; }
        public string? ListenerStatus { get; set; }
        public int? IdleTimeout { get; set; }
        public string? SecurityPolicyId { get; set; }
        public List<string>? CertificateIds { get; set; }
        public List<string>? CaCertificateIds { get; set; }
        public bool? CaEnabled { get; set; }
        public bool? ProxyProtocolEnabled { get; set; }
        public ProxyProtocolV2Config? ProxyProtocolV2Config { get; set; }
        public bool? SecSensorEnabled { get; set; }
        public bool? AlpnEnabled { get; set; }
        public string? AlpnPolicy { get; set; }
        public int? Cps { get; set; }
        public int? Mss { get; set; }
        public string? RegionId { get; set; }
        /// <summary>Normalized to Key/Value; GetListenerAttribute sends TagKey/TagValue.</summary>
        public List<Tag>? Tags { get; set; }
    }

    public sealed class ProxyProtocolV2Config
    {
        public bool? Ppv2PrivateLinkEpIdEnabled { get; set; }
        public bool? Ppv2PrivateLinkEpsIdEnabled { get; set; }
        public bool? Ppv2VpcIdEnabled { get; set; }
    }

    /// <summary>A resource tag. Responses use Key/Value or TagKey/TagValue; both read into this.</summary>
    public sealed class Tag
    {
        public Tag() { }
        public Tag(string key, string? value) { Key = key; Value = value; }
        public string? Key { get; set; }
        public string? Value { get; set; }
    }
}
