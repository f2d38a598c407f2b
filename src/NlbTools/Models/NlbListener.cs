using System;
using System.Collections.Generic;
using System.Management.Automation;
using NlbTools.Client.Models;

namespace NlbTools
{
    /// <summary>
    /// A listener as the cmdlets emit it: the API's fields plus the region it was read from, so the next
    /// cmdlet in a pipeline (which binds -RegionId by property name) talks to the same region.
    /// Deliberately not derived from the client's Listener: PowerShell reads every type of NlbTools.dll at
    /// import, and a base type there would load NlbTools.Client.dll (and its dependencies) at import too.
    /// </summary>
    public sealed class NlbListener
    {
        public string? ListenerId { get; set; }
        public string? ListenerProtocol { get; set; }
        public int? ListenerPort { get; set; }
        public string? StartPort { get; set; }
        public string? EndPort { get; set; }
        public string? ListenerDescription { get; set; }
        public string? LoadBalancerId { get; set; }
        public string? ServerGroupId { get; set; }
        public string? ListenerStatus { get; set; }
        public int? IdleTimeout { get; set; }
        public string? SecurityPolicyId { get; set; }
        public TextList<string>? CertificateIds { get; set; }
        public TextList<string>? CaCertificateIds { get; set; }
        public bool? CaEnabled { get; set; }
        public bool? ProxyProtocolEnabled { get; set; }
        public ProxyProtocolV2Config? ProxyProtocolV2Config { get; set; }
        public bool? SecSensorEnabled { get; set; }
        public bool? AlpnEnabled { get; set; }
        public string? AlpnPolicy { get; set; }
        public int? Cps { get; set; }
        public int? Mss { get; set; }
        public string? RegionId { get; set; }
        public TextList<Tag>? Tags { get; set; }

        // Table headers as properties, so Sort-Object Port and Where-Object Status -eq Stopped work. Hidden: Get-Member,
        // Format-List * and Export-Csv show the API's own names. C# rather than a types file, which costs ~100 ms at import.
        [Hidden] public string? Protocol { get => ListenerProtocol; set => ListenerProtocol = value; }
        [Hidden] public string? Status { get => ListenerStatus; set => ListenerStatus = value; }
        [Hidden] public string? Description { get => ListenerDescription; set => ListenerDescription = value; }
        /// <summary>The port, or "start-end" for a port-range listener (ListenerPort 0).</summary>
        [Hidden] public object? Port => ListenerPort == 0 && !string.IsNullOrEmpty(StartPort) ? $"{StartPort}-{EndPort}" : (object?)ListenerPort;

        public override string ToString() => ListenerId ?? "";

        /// <summary>
        /// The listener exactly as the service returned it (a deep copy, untouched by edits to this object) and
        /// when: Set-NlbListenerAttribute diffs against it while it is fresh instead of reading the listener again.
        /// Internal, so Export-Clixml and remoting never carry it: a deserialized listener is always read again.
        /// </summary>
        internal Listener? AsRead { get; private set; }
        internal DateTimeOffset ReadAt { get; private set; }

        internal static NlbListener From(Listener l, string? regionId) => new NlbListener
        {
            ListenerId = l.ListenerId,
            ListenerProtocol = l.ListenerProtocol,
            ListenerPort = l.ListenerPort,
            StartPort = l.StartPort,
            EndPort = l.EndPort,
            ListenerDescription = l.ListenerDescription,
            LoadBalancerId = l.LoadBalancerId,
            ServerGroupId = l.ServerGroupId,
            ListenerStatus = l.ListenerStatus,
            IdleTimeout = l.IdleTimeout,
            SecurityPolicyId = l.SecurityPolicyId,
            CertificateIds = TextList<string>.Ids(l.CertificateIds),
            CaCertificateIds = TextList<string>.Ids(l.CaCertificateIds),
            CaEnabled = l.CaEnabled,
            ProxyProtocolEnabled = l.ProxyProtocolEnabled,
            ProxyProtocolV2Config = l.ProxyProtocolV2Config,
            SecSensorEnabled = l.SecSensorEnabled,
            AlpnEnabled = l.AlpnEnabled,
            AlpnPolicy = l.AlpnPolicy,
            Cps = l.Cps,
            Mss = l.Mss,
            // The listener's own region wins; the request's region fills in when the answer has none.
            RegionId = string.IsNullOrEmpty(l.RegionId) ? regionId : l.RegionId,
            Tags = TextList<Tag>.Pairs(l.Tags),
            AsRead = new Listener(l),
            ReadAt = DateTimeOffset.UtcNow,
        };
    }
}
