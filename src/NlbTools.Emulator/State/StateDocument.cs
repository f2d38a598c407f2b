using NlbTools.Client.Models;

namespace NlbTools.Emulator.State;

/// <summary>
/// The emulator's state file and /_emulator/state view (design.md "Emulator state file"): objects use the
/// API's own field names; missing optional fields take the API's defaults (see StateLoader.ApplyDefaults).
/// </summary>
internal sealed class StateDocument
{
    public List<AccessKeyEntry> AccessKeys { get; set; } = new();
    public List<RegionEntry> Regions { get; set; } = new();
    public List<LoadBalancer> LoadBalancers { get; set; } = new();
    public List<ServerGroup> ServerGroups { get; set; } = new();
    /// <summary>Custom policies only; the system policies are built in (SystemSecurityPolicies).</summary>
    public List<SecurityPolicy> SecurityPolicies { get; set; } = new();
    public List<CertificateEntry> Certificates { get; set; } = new();
    public List<Listener> Listeners { get; set; } = new();
}

internal sealed class AccessKeyEntry
{
    public string AccessKeyId { get; set; } = "";
    public string AccessKeySecret { get; set; } = "";
    /// <summary>Set for STS credentials: every request with this key must carry the same token.</summary>
    public string? SecurityToken { get; set; }
    /// <summary>Optional expiry (ISO 8601 UTC) of STS credentials.</summary>
    public string? Expiration { get; set; }
    /// <summary>Actions this key may not call: they answer Forbidden.NoPermission (403).</summary>
    public List<string>? DeniedActions { get; set; }
}

internal sealed class RegionEntry
{
    public string RegionId { get; set; } = "";
    public string? LocalName { get; set; }
    public string? RegionEndpoint { get; set; }
    /// <summary>False: SecSensorEnabled=true answers OperationDenied.RegionNotSupportHDMonitor. Default true.</summary>
    public bool? HdMonitorSupported { get; set; }
}

internal sealed class CertificateEntry
{
    public string CertificateId { get; set; } = "";
    public string RegionId { get; set; } = "";
    /// <summary>Server or Ca.</summary>
    public string Type { get; set; } = "";
    public string? CertificateName { get; set; }
}
