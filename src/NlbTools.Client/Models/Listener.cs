using System.Collections.Generic;

namespace NlbTools.Client.Models
{
    /// <summary>A listener as GetListenerAttribute and ListListeners return it (API field names).</summary>
    public sealed class Listener
    {
        public Listener() { }

        /// <summary>A deep copy: the lists, the tags and the nested ProxyProtocolV2Config are copied too.</summary>
        public Listener(Listener other)
        {
            if (other == null) throw new System.ArgumentNullException(nameof(other));
            ListenerId = other.ListenerId;
            ListenerProtocol = other.ListenerProtocol;
            ListenerPort = other.ListenerPort;
            StartPort = other.StartPort;
            EndPort = other.EndPort;
            ListenerDescription = other.ListenerDescription;
            LoadBalancerId = other.LoadBalancerId;
            ServerGroupId = other.ServerGroupId;
            ListenerStatus = other.ListenerStatus;
            IdleTimeout = other.IdleTimeout;
            SecurityPolicyId = other.SecurityPolicyId;
            CertificateIds = other.CertificateIds == null ? null : new List<string>(other.CertificateIds);
            CaCertificateIds = other.CaCertificateIds == null ? null : new List<string>(other.CaCertificateIds);
            CaEnabled = other.CaEnabled;
            ProxyProtocolEnabled = other.ProxyProtocolEnabled;
            ProxyProtocolV2Config = other.ProxyProtocolV2Config == null ? null : new ProxyProtocolV2Config
            {
                Ppv2PrivateLinkEpIdEnabled = other.ProxyProtocolV2Config.Ppv2PrivateLinkEpIdEnabled,
                Ppv2PrivateLinkEpsIdEnabled = other.ProxyProtocolV2Config.Ppv2PrivateLinkEpsIdEnabled,
                Ppv2VpcIdEnabled = other.ProxyProtocolV2Config.Ppv2VpcIdEnabled,
            };
            SecSensorEnabled = other.SecSensorEnabled;
            AlpnEnabled = other.AlpnEnabled;
            AlpnPolicy = other.AlpnPolicy;
            Cps = other.Cps;
            Mss = other.Mss;
            RegionId = other.RegionId;
            Tags = other.Tags?.ConvertAll(t => new Tag(t.Key!, t.Value));
        }

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

        /// <summary>"Ppv2VpcIdEnabled=True;Ppv2PrivateLinkEpIdEnabled=False;..." (unset fields left out): the
        /// names are Set-NlbListenerAttribute's parameters, so the text reads back (Export-Csv, Format-List).</summary>
        public override string ToString() => TextFormat.Pairs(
            ("Ppv2VpcIdEnabled", Ppv2VpcIdEnabled),
            ("Ppv2PrivateLinkEpIdEnabled", Ppv2PrivateLinkEpIdEnabled),
            ("Ppv2PrivateLinkEpsIdEnabled", Ppv2PrivateLinkEpsIdEnabled));
    }

    /// <summary>A resource tag. Responses use Key/Value or TagKey/TagValue; both read into this.</summary>
    public sealed class Tag
    {
        public Tag() { }
        public Tag(string key, string? value) { Key = key; Value = value; }
        public string? Key { get; set; }
        public string? Value { get; set; }

        /// <summary>"key=value"; a backslash, '=' or ';' inside the key or value is escaped with a backslash.</summary>
        public override string ToString() => TextFormat.Escape(Key) + "=" + TextFormat.Escape(Value);
    }
}
