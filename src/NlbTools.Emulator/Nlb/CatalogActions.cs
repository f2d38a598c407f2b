using NlbTools.Client.Models;
using NlbTools.Emulator.Api;
using NlbTools.Emulator.State;

namespace NlbTools.Emulator.Nlb;

/// <summary>Read-only operations on regions, load balancers, server groups and security policies.</summary>
internal static class CatalogActions
{
    public static object DescribeRegions(ActionContext c)
        => new { Regions = c.State.Regions.Select(r => new { r.LocalName, r.RegionEndpoint, r.RegionId }).ToList() };

    public static object ListSystemSecurityPolicy(ActionContext c)
        => new { SecurityPolicies = SystemSecurityPolicies.All };

    public static object ListSecurityPolicy(ActionContext c)
    {
        var p = c.Parameters;
        var regionId = p.String("RegionId");
        var ids = p.List("SecurityPolicyIds", maxCount: 20);
        var names = p.List("SecurityPolicyNames", maxCount: 20);
        var resourceGroup = p.String("ResourceGroupId");
        var tags = p.Tags();
        var matches = c.State.CustomSecurityPolicies.Where(s =>
            (regionId == null || s.RegionId == regionId)
            && (ids == null || ids.Contains(s.SecurityPolicyId!))
            && (names == null || names.Contains(s.SecurityPolicyName!))
            && (resourceGroup == null || s.ResourceGroupId == resourceGroup)
            && Views.HasTags(s.Tags, tags)).ToList();
        var (page, max, next) = Paging.Take(matches, p);

        // RelatedListeners is derived from the listeners, as the service does.
        List<Views.Related> related;
        lock (c.State.Gate)
            related = c.State.Listeners.Where(l => l.SecurityPolicyId != null)
                .Select(l => new Views.Related(l.SecurityPolicyId!, new RelatedListener { ListenerId = l.ListenerId, ListenerPort = l.ListenerPort, ListenerProtocol = l.ListenerProtocol, LoadBalancerId = l.LoadBalancerId }))
                .ToList();
        var items = page.Select(s =>
        {
            var o = Views.ToJson(s);
            o["RelatedListeners"] = Newtonsoft.Json.Linq.JArray.FromObject(related.Where(r => r.PolicyId == s.SecurityPolicyId).Select(r => r.Listener), EmulatorJson.OutputSerializer);
            return o;
        }).ToList();
        return new { SecurityPolicies = items, MaxResults = max, NextToken = next, TotalCount = matches.Count };
    }

    public static object ListServerGroups(ActionContext c)
    {
        var p = c.Parameters;
        var regionId = p.String("RegionId");
        var ids = p.List("ServerGroupIds", maxCount: 20);
        var names = p.List("ServerGroupNames", maxCount: 20);
        var type = p.String("ServerGroupType");
        var vpc = p.String("VpcId");
        var resourceGroup = p.String("ResourceGroupId");
        var tags = p.Tags();
        var matches = c.State.ServerGroups.Where(g =>
            (regionId == null || g.RegionId == regionId)
            && (ids == null || ids.Contains(g.ServerGroupId!))
            && (names == null || names.Contains(g.ServerGroupName!))
            && (type == null || string.Equals(g.ServerGroupType, type, StringComparison.OrdinalIgnoreCase))
            && (vpc == null || g.VpcId == vpc)
            && (resourceGroup == null || g.ResourceGroupId == resourceGroup)
            && Views.HasTags(g.Tags, tags)).ToList();
        var (page, max, next) = Paging.Take(matches, p);
        return new { ServerGroups = page, MaxResults = max, NextToken = next, TotalCount = matches.Count };
    }

    public static object GetLoadBalancerAttribute(ActionContext c)
    {
        var p = c.Parameters;
        var id = p.Required("LoadBalancerId");
        var regionId = p.String("RegionId");
        var lb = c.State.FindLoadBalancer(id);
        if (lb == null || (regionId != null && lb.RegionId != regionId)) throw ApiError.ResourceNotFound("loadBalancer", id);
        if (p.Bool("DryRun") == true) throw ApiError.DryRunOperation();
        return Views.GetLoadBalancer(lb);
    }

    public static object ListLoadBalancers(ActionContext c)
    {
        var p = c.Parameters;
        var regionId = p.String("RegionId");
        var ids = p.List("LoadBalancerIds", maxCount: 20);
        var names = p.List("LoadBalancerNames", maxCount: 20);
        var vpcs = p.List("VpcIds", maxCount: 10);
        var tags = p.Tags();
        var filters = new (string Name, Func<LoadBalancer, string?> Field)[]
        {
            ("AddressIpVersion", l => l.AddressIpVersion), ("AddressType", l => l.AddressType), ("DNSName", l => l.DNSName),
            ("Ipv6AddressType", l => l.Ipv6AddressType), ("LoadBalancerBusinessStatus", l => l.LoadBalancerBusinessStatus),
            ("LoadBalancerStatus", l => l.LoadBalancerStatus), ("LoadBalancerType", l => l.LoadBalancerType),
            ("ResourceGroupId", l => l.ResourceGroupId),
        }.Select(f => (Value: p.String(f.Name), f.Field)).Where(f => f.Value != null).ToList();
        var zone = p.String("ZoneId");
        var matches = c.State.LoadBalancers.Where(l =>
            (regionId == null || l.RegionId == regionId)
            && (ids == null || ids.Contains(l.LoadBalancerId!))
            && (names == null || names.Contains(l.LoadBalancerName!))
            && (vpcs == null || vpcs.Contains(l.VpcId!))
            && (zone == null || (l.ZoneMappings?.Any(z => z.ZoneId == zone) ?? false))
            && filters.All(f => string.Equals(f.Field(l), f.Value, StringComparison.OrdinalIgnoreCase))
            && Views.HasTags(l.Tags, tags)).ToList();
        var (page, max, next) = Paging.Take(matches, p);
        return new { LoadBalancers = page, MaxResults = max, NextToken = next, TotalCount = matches.Count };
    }
}
