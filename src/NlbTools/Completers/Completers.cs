using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using NlbTools.Client.Models;
using NlbTools.Client.Rules;

namespace NlbTools.Completers
{
    // One small completer per parameter; the caching, time limit and error policy live in CachedCompleter.

    public sealed class RegionIdCompleter : CachedCompleter
    {
        /// <summary>Shown when DescribeRegions cannot be asked (no credentials yet, offline).</summary>
        internal static readonly string[] StaticRegions =
        {
            "cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-shenzhen", "cn-qingdao", "cn-zhangjiakou", "cn-huhehaote",
            "cn-wulanchabu", "cn-chengdu", "cn-heyuan", "cn-guangzhou", "cn-hongkong", "ap-southeast-1", "ap-southeast-3",
            "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ap-northeast-1", "ap-northeast-2", "eu-central-1",
            "eu-west-1", "us-east-1", "us-west-1", "me-east-1",
        };

        internal override IEnumerable<Suggestion> Suggest(IDictionary fakeBoundParameters)
        {
            IReadOnlyList<Suggestion> live = Array.Empty<Suggestion>();
            try
            {
                var target = ResolveClient(fakeBoundParameters);
                if (target != null)
                {
                    var (client, _, key) = target.Value;
                    live = Cached("regions|" + key, async ct =>
                        (IReadOnlyList<Suggestion>)(await client.DescribeRegionsAsync(new DescribeRegionsRequest(), ct).ConfigureAwait(false))
                            .Regions.Where(r => r.RegionId != null).Select(r => new Suggestion(r.RegionId!, $"{r.RegionId} {r.LocalName}")).ToList());
                }
            }
            catch (Exception) { }
            return live.Count > 0 ? live : StaticRegions.Select(r => new Suggestion(r));
        }
    }

    public sealed class ListenerIdCompleter : CachedCompleter
    {
        internal override IEnumerable<Suggestion> Suggest(IDictionary fakeBoundParameters)
        {
            var target = ResolveClient(fakeBoundParameters);
            if (target == null) return Array.Empty<Suggestion>();
            var (client, region, key) = target.Value;
            var lb = Text(fakeBoundParameters, "LoadBalancerId");
            return Cached($"listeners|{key}|{lb}", async ct =>
            {
                var request = new ListListenersRequest { RegionId = region, MaxResults = 100, LoadBalancerIds = lb == null ? null : new List<string> { lb } };
                var page = await client.ListListenersAsync(request, ct).ConfigureAwait(false);
                return page.Listeners.Where(l => l.ListenerId != null)
                    .Select(l => new Suggestion(l.ListenerId!, $"{l.ListenerProtocol}:{l.ListenerPort} {l.ListenerDescription}".Trim())).ToList();
            });
        }
    }

    public sealed class LoadBalancerIdCompleter : CachedCompleter
    {
        internal override IEnumerable<Suggestion> Suggest(IDictionary fakeBoundParameters)
        {
            var target = ResolveClient(fakeBoundParameters);
            if (target == null) return Array.Empty<Suggestion>();
            var (client, region, key) = target.Value;
            return Cached("loadbalancers|" + key, async ct =>
            {
                var page = await client.ListLoadBalancersAsync(new ListLoadBalancersRequest { RegionId = region, MaxResults = 100 }, ct).ConfigureAwait(false);
                return page.LoadBalancers.Where(b => b.LoadBalancerId != null)
                    .Select(b => new Suggestion(b.LoadBalancerId!, $"{b.LoadBalancerName} {b.AddressType}".Trim())).ToList();
            });
        }
    }

    /// <summary>
    /// Server groups; with -ListenerId, only those in the listener's VPC whose protocol fits the listener (any other
    /// fails with Mismatch.VpcId or an incompatibility).
    /// </summary>
    public sealed class ServerGroupIdCompleter : CachedCompleter
    {
        internal override IEnumerable<Suggestion> Suggest(IDictionary fakeBoundParameters)
        {
            var target = ResolveClient(fakeBoundParameters);
            if (target == null) return Array.Empty<Suggestion>();
            var (client, region, key) = target.Value;
            var groups = Cached("servergroups|" + key, async ct =>
            {
                var page = await client.ListServerGroupsAsync(new ListServerGroupsRequest { RegionId = region, MaxResults = 100 }, ct).ConfigureAwait(false);
                // The tooltip carries the facts the filter needs: "protocol|preserveClientIp|vpc|name".
                return page.ServerGroups.Where(g => g.ServerGroupId != null)
                    .Select(g => new Suggestion(g.ServerGroupId!, $"{g.Protocol}|{(g.PreserveClientIpEnabled == true ? "1" : "0")}|{g.VpcId}|{g.ServerGroupName}")).ToList();
            });

            var listener = ListenerFacts.Of(fakeBoundParameters, client, region, key);
            if (Text(fakeBoundParameters, "ListenerId") != null && listener == null) return Array.Empty<Suggestion>();
            return groups
                .Select(g => (Group: g, Facts: g.Tooltip.Split(new[] { '|' }, 4)))
                .Where(x => x.Facts.Length == 4)
                .Where(x => listener == null
                            || ((listener.Value.VpcId == null || x.Facts[2] == listener.Value.VpcId)
                                && ListenerRules.IsServerGroupCompatible(listener.Value.Protocol, new ServerGroupFacts(x.Facts[0], x.Facts[1] == "1"))))
                .Select(x => new Suggestion(x.Group.Value, $"{x.Facts[0]}{(x.Facts[1] == "1" ? " (client IP preserved)" : "")} {x.Facts[3]} in {x.Facts[2]}".Trim()))
                .ToList();
        }
    }

    /// <summary>The protocol and VPC of the listener that -ListenerId names (the VPC is its load balancer's).</summary>
    internal static class ListenerFacts
    {
        public static (string Protocol, string? VpcId)? Of(IDictionary fake, NlbTools.Client.NlbClient client, string? region, string key)
        {
            var listenerId = CachedCompleter.Text(fake, "ListenerId");
            if (listenerId == null) return null;
            var read = CachedCompleter.Cached($"listener|{key}|{listenerId}", async ct =>
            {
                var answer = await client.GetListenerAttributeAsync(new GetListenerAttributeRequest { RegionId = region, ListenerId = listenerId }, ct).ConfigureAwait(false);
                string? vpc = null;
                if (answer.Listener.LoadBalancerId != null)
                {
                    var lb = await client.GetLoadBalancerAttributeAsync(new GetLoadBalancerAttributeRequest { RegionId = region, LoadBalancerId = answer.Listener.LoadBalancerId }, ct).ConfigureAwait(false);
                    vpc = lb.LoadBalancer.VpcId;
                }
                return new[] { new Suggestion(answer.Listener.ListenerProtocol ?? "", vpc ?? "") };
            });
            if (read.Count == 0) return null;
            var protocol = read[0].Value;
            if (!ListenerRules.IsKnownProtocol(protocol)) return null;
            var vpcId = read[0].Tooltip;
            return (protocol, string.IsNullOrEmpty(vpcId) || vpcId == protocol ? null : vpcId);
        }
    }

    /// <summary>Security policies (system and custom); nothing for a -ListenerId that is TCP or UDP (only TCPSSL has one).</summary>
    public sealed class SecurityPolicyIdCompleter : CachedCompleter
    {
        internal override IEnumerable<Suggestion> Suggest(IDictionary fakeBoundParameters)
        {
            var target = ResolveClient(fakeBoundParameters);
            if (target == null) return Array.Empty<Suggestion>();
            var (client, region, key) = target.Value;
            if (Text(fakeBoundParameters, "ListenerId") != null)
            {
                var listener = ListenerFacts.Of(fakeBoundParameters, client, region, key);
                if (listener == null || !string.Equals(listener.Value.Protocol, "TCPSSL", StringComparison.OrdinalIgnoreCase)) return Array.Empty<Suggestion>();
            }
            return Cached("securitypolicies|" + key, async ct =>
            {
                var custom = client.ListSecurityPolicyAsync(new ListSecurityPolicyRequest { RegionId = region, MaxResults = 100 }, ct);
                var system = client.ListSystemSecurityPolicyAsync(new ListSystemSecurityPolicyRequest { RegionId = region }, ct);
                var all = new List<Suggestion>();
                try { all.AddRange((await system.ConfigureAwait(false)).SecurityPolicies.Where(p => p.SecurityPolicyId != null).Select(p => new Suggestion(p.SecurityPolicyId!, $"system {p.TlsVersion}"))); }
                catch (Exception) { }
                all.AddRange((await custom.ConfigureAwait(false)).SecurityPolicies.Where(p => p.SecurityPolicyId != null).Select(p => new Suggestion(p.SecurityPolicyId!, $"{p.SecurityPolicyName} {p.TlsVersion}".Trim())));
                return all;
            });
        }
    }

    /// <summary>Profile names from the aliyun CLI config and the credentials ini file (names only, nothing else is read out).</summary>
    public sealed class ProfileCompleter : CachedCompleter
    {
        internal override IEnumerable<Suggestion> Suggest(IDictionary fakeBoundParameters)
            => NlbTools.Client.Credentials.CredentialsResolver.Default.ProfileNames().Select(n => new Suggestion(n, "profile " + n));
    }

    public sealed class AlpnPolicyCompleter : CachedCompleter
    {
        internal override IEnumerable<Suggestion> Suggest(IDictionary fakeBoundParameters)
            => ListenerRules.AlpnPolicies.Select(p => new Suggestion(p));
    }
}
