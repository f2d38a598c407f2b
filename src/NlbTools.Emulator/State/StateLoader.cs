using Newtonsoft.Json;
using NlbTools.Client.Models;
using NlbTools.Client.Rules;

namespace NlbTools.Emulator.State;

/// <summary>A state file that cannot be used; the message says where and why.</summary>
internal sealed class StateFileException : Exception
{
    public StateFileException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>Reads, checks and completes a state document.</summary>
internal static class StateLoader
{
    public static StateDocument LoadFile(string path) => Parse(ReadFile(path), path);

    public static string ReadFile(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateFileException($"cannot read state file '{path}': {e.Message}", e);
        }
    }

    public static StateDocument Parse(string json, string source = "state")
    {
        StateDocument? document;
        try { document = JsonConvert.DeserializeObject<StateDocument>(json, EmulatorJson.StateInput); }
        catch (JsonException e) { throw new StateFileException($"{source} is not a valid state document: {e.Message}", e); }
        if (document == null) throw new StateFileException($"{source} is empty; expected a JSON object with AccessKeys, Regions, LoadBalancers, ServerGroups, SecurityPolicies, Certificates and Listeners.");
        Validate(document, source);
        ApplyDefaults(document);
        return document;
    }

    /// <summary>A deep copy (the seed is kept pristine for /_emulator/reset).</summary>
    public static StateDocument Clone(StateDocument document)
        => JsonConvert.DeserializeObject<StateDocument>(JsonConvert.SerializeObject(document, EmulatorJson.Output), EmulatorJson.StateInput)!;

    private static void Validate(StateDocument d, string source)
    {
        var problems = new List<string>();
        void Check(bool ok, string problem) { if (!ok) problems.Add(problem); }

        Check(d.AccessKeys.Count > 0, "AccessKeys must hold at least one key");
        foreach (var k in d.AccessKeys)
            Check(!string.IsNullOrEmpty(k.AccessKeyId) && !string.IsNullOrEmpty(k.AccessKeySecret), "every AccessKeys entry needs AccessKeyId and AccessKeySecret");
        Unique(problems, "AccessKeys", d.AccessKeys.Select(k => k.AccessKeyId));

        Check(d.Regions.Count > 0, "Regions must hold at least one region");
        Unique(problems, "Regions", d.Regions.Select(r => r.RegionId));
        var regions = d.Regions.Select(r => r.RegionId).ToHashSet(StringComparer.Ordinal);

        foreach (var lb in d.LoadBalancers)
        {
            Check(!string.IsNullOrEmpty(lb.LoadBalancerId), "every LoadBalancers entry needs LoadBalancerId");
            Check(lb.RegionId != null && regions.Contains(lb.RegionId), $"load balancer {lb.LoadBalancerId}: RegionId '{lb.RegionId}' is not in Regions");
            Check(!string.IsNullOrEmpty(lb.VpcId), $"load balancer {lb.LoadBalancerId}: VpcId is required");
        }
        Unique(problems, "LoadBalancers", d.LoadBalancers.Select(l => l.LoadBalancerId));
        var lbs = d.LoadBalancers.Where(l => l.LoadBalancerId != null).ToDictionary(l => l.LoadBalancerId!, StringComparer.Ordinal);

        foreach (var g in d.ServerGroups)
        {
            Check(!string.IsNullOrEmpty(g.ServerGroupId), "every ServerGroups entry needs ServerGroupId");
            Check(g.RegionId != null && regions.Contains(g.RegionId), $"server group {g.ServerGroupId}: RegionId '{g.RegionId}' is not in Regions");
            Check(g.Protocol == null || ListenerRules.ServerGroupProtocols.Contains(g.Protocol), $"server group {g.ServerGroupId}: Protocol '{g.Protocol}' is not TCP, UDP or TCP_UDP");
        }
        Unique(problems, "ServerGroups", d.ServerGroups.Select(g => g.ServerGroupId));
        var groups = d.ServerGroups.Where(g => g.ServerGroupId != null).Select(g => g.ServerGroupId!).ToHashSet(StringComparer.Ordinal);

        foreach (var p in d.SecurityPolicies)
        {
            Check(!string.IsNullOrEmpty(p.SecurityPolicyId), "every SecurityPolicies entry needs SecurityPolicyId");
            Check(p.RegionId != null && regions.Contains(p.RegionId), $"security policy {p.SecurityPolicyId}: RegionId '{p.RegionId}' is not in Regions");
            Check(p.SecurityPolicyId == null || !SystemSecurityPolicies.IsSystemPolicy(p.SecurityPolicyId), $"security policy {p.SecurityPolicyId} is a built-in system policy; list only custom policies");
        }
        Unique(problems, "SecurityPolicies", d.SecurityPolicies.Select(p => p.SecurityPolicyId));

        foreach (var c in d.Certificates)
        {
            Check(!string.IsNullOrEmpty(c.CertificateId), "every Certificates entry needs CertificateId");
            Check(regions.Contains(c.RegionId), $"certificate {c.CertificateId}: RegionId '{c.RegionId}' is not in Regions");
            Check(c.Type is "Server" or "Ca", $"certificate {c.CertificateId}: Type must be Server or Ca");
        }
        Unique(problems, "Certificates", d.Certificates.Select(c => c.CertificateId));

        foreach (var l in d.Listeners)
        {
            var id = l.ListenerId;
            Check(!string.IsNullOrEmpty(id), "every Listeners entry needs ListenerId");
            Check(ListenerRules.IsKnownProtocol(l.ListenerProtocol), $"listener {id}: ListenerProtocol '{l.ListenerProtocol}' is not TCP, UDP or TCPSSL");
            Check(l.LoadBalancerId != null && lbs.ContainsKey(l.LoadBalancerId), $"listener {id}: LoadBalancerId '{l.LoadBalancerId}' is not in LoadBalancers");
            Check(l.ServerGroupId == null || groups.Contains(l.ServerGroupId), $"listener {id}: ServerGroupId '{l.ServerGroupId}' is not in ServerGroups");
            Check(l.ListenerPort is >= 0 and <= 65535, $"listener {id}: ListenerPort must be 0 to 65535");
            Check(l.ListenerPort != 0 || (l.StartPort != null && l.EndPort != null), $"listener {id}: ListenerPort 0 (a port range) needs StartPort and EndPort");
        }
        Unique(problems, "Listeners", d.Listeners.Select(l => l.ListenerId));

        if (problems.Count > 0)
            throw new StateFileException($"{source} is not a valid state document: " + string.Join("; ", problems.Distinct().Take(20)) + ".");
    }

    private static void Unique(List<string> problems, string what, IEnumerable<string?> ids)
    {
        foreach (var dup in ids.Where(i => !string.IsNullOrEmpty(i)).GroupBy(i => i, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add($"{what} has the id '{dup.Key}' more than once");
    }

    /// <summary>The API's defaults for what a state file leaves out.</summary>
    internal static void ApplyDefaults(StateDocument d)
    {
        foreach (var r in d.Regions)
        {
            r.HdMonitorSupported ??= true;
            r.LocalName ??= r.RegionId;
            r.RegionEndpoint ??= $"nlb.{r.RegionId}.aliyuncs.com";
        }
        foreach (var lb in d.LoadBalancers)
        {
            lb.LoadBalancerName ??= lb.LoadBalancerId;
            lb.LoadBalancerStatus ??= "Active";
            lb.LoadBalancerBusinessStatus ??= "Normal";
            lb.LoadBalancerType ??= "network";
            lb.AddressType ??= "Internet";
            lb.AddressIpVersion ??= "ipv4";
            lb.CrossZoneEnabled ??= true;
            lb.Cps ??= 0;
            lb.DNSName ??= $"{lb.LoadBalancerId}.{lb.RegionId}.nlb.aliyuncs.com";
            lb.CreateTime ??= "2024-01-01T00:00:00Z";
            lb.ResourceGroupId ??= "rg-default";
            lb.LoadBalancerBillingConfig ??= new LoadBalancerBillingConfig { PayType = "PostPay" };
            lb.Tags ??= new List<Tag>();
            lb.ZoneMappings ??= new List<ZoneMapping>();
            lb.SecurityGroupIds ??= new List<string>();
            lb.OperationLocks ??= new List<OperationLock>();
        }
        foreach (var g in d.ServerGroups)
        {
            g.Protocol ??= "TCP";
            g.PreserveClientIpEnabled ??= false;
            g.ServerGroupName ??= g.ServerGroupId;
            g.ServerGroupStatus ??= "Available";
            g.ServerGroupType ??= "Instance";
            g.Scheduler ??= "Wrr";
            g.AddressIPVersion ??= "ipv4";
            g.ServerCount ??= 0;
            g.ResourceGroupId ??= "rg-default";
            g.AnyPortEnabled ??= false;
            g.ConnectionDrainEnabled ??= false;
            g.ConnectionDrainTimeout ??= 10;
            g.Tags ??= new List<Tag>();
            g.RelatedLoadBalancerIds ??= new List<string>();
        }
        foreach (var p in d.SecurityPolicies)
        {
            p.SecurityPolicyName ??= p.SecurityPolicyId;
            p.SecurityPolicyStatus ??= "Available";
            p.TlsVersion ??= "TLSv1.2";
            p.Ciphers ??= SystemSecurityPolicies.All[2].Ciphers;
            p.ResourceGroupId ??= "rg-default";
            p.Tags ??= new List<Tag>();
        }
        var lbRegion = d.LoadBalancers.ToDictionary(l => l.LoadBalancerId!, l => l.RegionId, StringComparer.Ordinal);
        foreach (var l in d.Listeners)
        {
            l.ListenerProtocol = l.ListenerProtocol!.ToUpperInvariant();
            var tls = l.ListenerProtocol == "TCPSSL";
            l.RegionId ??= lbRegion[l.LoadBalancerId!];
            l.ListenerStatus ??= "Running";
            l.IdleTimeout ??= l.ListenerProtocol == "UDP" ? 20 : 900;
            l.Cps ??= 0;
            l.ProxyProtocolEnabled ??= false;
            l.SecSensorEnabled ??= false;
            l.ProxyProtocolV2Config ??= new ProxyProtocolV2Config();
            l.ProxyProtocolV2Config.Ppv2PrivateLinkEpIdEnabled ??= false;
            l.ProxyProtocolV2Config.Ppv2PrivateLinkEpsIdEnabled ??= false;
            l.ProxyProtocolV2Config.Ppv2VpcIdEnabled ??= false;
            l.Tags ??= new List<Tag>();
            if (tls)
            {
                l.Mss ??= 0;
                l.CaEnabled ??= false;
                l.AlpnEnabled ??= false;
                l.CertificateIds ??= new List<string>();
                l.CaCertificateIds ??= new List<string>();
                l.SecurityPolicyId ??= "tls_cipher_policy_1_0";
            }
        }
    }
}
