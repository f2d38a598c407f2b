using System.Threading;
using System.Threading.Tasks;
using NlbTools.Client.Json;
using NlbTools.Client.Models;
using NlbTools.Client.Paging;

namespace NlbTools.Client
{
    /// <summary>What listeners refer to: server groups, security policies, regions, load balancers.</summary>
    public sealed partial class NlbClient
    {
        public async Task<ListServerGroupsResponse> ListServerGroupsAsync(ListServerGroupsRequest request, CancellationToken cancellationToken = default)
        {
            Require(request, "-", "");
            var region = Region(request.RegionId);
            var query = new RequestParameters().Add("Tag", request.Tag);
            var body = new RequestParameters()
                .Add("MaxResults", request.MaxResults)
                .Add("NextToken", request.NextToken)
                .Add("RegionId", region)
                .Add("ResourceGroupId", request.ResourceGroupId)
                .Add("ServerGroupIds", request.ServerGroupIds)
                .Add("ServerGroupNames", request.ServerGroupNames)
                .Add("ServerGroupType", request.ServerGroupType)
                .Add("VpcId", request.VpcId);
            var answer = await CallAsync("ListServerGroups", false, region, query, body, false, cancellationToken).ConfigureAwait(false);
            return Read(answer, NlbJson.Read<ListServerGroupsResponse>);
        }

        /// <summary>NextToken paging from <paramref name="request"/>'s NextToken; the request itself is not changed.</summary>
        public NlbPager<ListServerGroupsResponse> ListServerGroupsPager(ListServerGroupsRequest request)
        {
            Require(request, "-", "");
            return new NlbPager<ListServerGroupsResponse>("ListServerGroups", request.NextToken,
                (token, ct) => ListServerGroupsAsync(With(request, r => r.NextToken = token), ct), p => p.NextToken, p => p.ServerGroups.Count);
        }

        public async Task<ListSecurityPolicyResponse> ListSecurityPolicyAsync(ListSecurityPolicyRequest request, CancellationToken cancellationToken = default)
        {
            Require(request, "-", "");
            var region = Region(request.RegionId);
            var query = new RequestParameters().Add("Tag", request.Tag);
            var body = new RequestParameters()
                .Add("MaxResults", request.MaxResults)
                .Add("NextToken", request.NextToken)
                .Add("RegionId", region)
                .Add("ResourceGroupId", request.ResourceGroupId)
                .Add("SecurityPolicyIds", request.SecurityPolicyIds)
                .Add("SecurityPolicyNames", request.SecurityPolicyNames);
            var answer = await CallAsync("ListSecurityPolicy", false, region, query, body, false, cancellationToken).ConfigureAwait(false);
            return Read(answer, NlbJson.Read<ListSecurityPolicyResponse>);
        }

        /// <summary>NextToken paging from <paramref name="request"/>'s NextToken; the request itself is not changed.</summary>
        public NlbPager<ListSecurityPolicyResponse> ListSecurityPolicyPager(ListSecurityPolicyRequest request)
        {
            Require(request, "-", "");
            return new NlbPager<ListSecurityPolicyResponse>("ListSecurityPolicy", request.NextToken,
                (token, ct) => ListSecurityPolicyAsync(With(request, r => r.NextToken = token), ct), p => p.NextToken, p => p.SecurityPolicies.Count);
        }

        public async Task<ListSystemSecurityPolicyResponse> ListSystemSecurityPolicyAsync(ListSystemSecurityPolicyRequest request, CancellationToken cancellationToken = default)
        {
            Require(request, "-", "");
            var region = Region(request.RegionId);
            var body = new RequestParameters().Add("RegionId", region);
            var answer = await CallAsync("ListSystemSecurityPolicy", false, region, new RequestParameters(), body, false, cancellationToken).ConfigureAwait(false);
            return Read(answer, NlbJson.Read<ListSystemSecurityPolicyResponse>);
        }

        public async Task<DescribeRegionsResponse> DescribeRegionsAsync(DescribeRegionsRequest request, CancellationToken cancellationToken = default)
        {
            Require(request, "-", "");
            var query = new RequestParameters()
                .Add("AcceptLanguage", request.AcceptLanguage)
                .Add("ServiceCode", request.ServiceCode);
            var body = new RequestParameters().Add("ClientToken", request.ClientToken);
            var answer = await CallAsync("DescribeRegions", false, Region(request.RegionId), query, body, false, cancellationToken).ConfigureAwait(false);
            return Read(answer, NlbJson.Read<DescribeRegionsResponse>);
        }

        public async Task<GetLoadBalancerAttributeResponse> GetLoadBalancerAttributeAsync(GetLoadBalancerAttributeRequest request, CancellationToken cancellationToken = default)
        {
            Require(request, request?.LoadBalancerId, nameof(request.LoadBalancerId));
            var region = Region(request!.RegionId);
            var query = new RequestParameters()
                .Add("ClientToken", request.ClientToken)
                .Add("DryRun", request.DryRun)
                .Add("LoadBalancerId", request.LoadBalancerId)
                .Add("RegionId", region);
            var answer = await CallAsync("GetLoadBalancerAttribute", false, region, query, new RequestParameters(), request.DryRun == true, cancellationToken).ConfigureAwait(false);
            return Read(answer, root => new GetLoadBalancerAttributeResponse { LoadBalancer = NlbJson.Read<LoadBalancer>(root) });
        }

        public async Task<ListLoadBalancersResponse> ListLoadBalancersAsync(ListLoadBalancersRequest request, CancellationToken cancellationToken = default)
        {
            Require(request, "-", "");
            var region = Region(request.RegionId);
            var query = new RequestParameters()
                .Add("AddressIpVersion", request.AddressIpVersion)
                .Add("AddressType", request.AddressType)
                .Add("DNSName", request.DNSName)
                .Add("Ipv6AddressType", request.Ipv6AddressType)
                .Add("LoadBalancerBusinessStatus", request.LoadBalancerBusinessStatus)
                .Add("LoadBalancerIds", request.LoadBalancerIds)
                .Add("LoadBalancerNames", request.LoadBalancerNames)
                .Add("LoadBalancerStatus", request.LoadBalancerStatus)
                .Add("LoadBalancerType", request.LoadBalancerType)
                .Add("MaxResults", request.MaxResults)
                .Add("NextToken", request.NextToken)
                .Add("RegionId", region)
                .Add("ResourceGroupId", request.ResourceGroupId)
                .Add("Tag", request.Tag)
                .Add("VpcIds", request.VpcIds)
                .Add("ZoneId", request.ZoneId);
            var answer = await CallAsync("ListLoadBalancers", false, region, query, new RequestParameters(), false, cancellationToken).ConfigureAwait(false);
            return Read(answer, NlbJson.Read<ListLoadBalancersResponse>);
        }

        /// <summary>NextToken paging from <paramref name="request"/>'s NextToken; the request itself is not changed.</summary>
        public NlbPager<ListLoadBalancersResponse> ListLoadBalancersPager(ListLoadBalancersRequest request)
        {
            Require(request, "-", "");
            return new NlbPager<ListLoadBalancersResponse>("ListLoadBalancers", request.NextToken,
                (token, ct) => ListLoadBalancersAsync(With(request, r => r.NextToken = token), ct), p => p.NextToken, p => p.LoadBalancers.Count);
        }
    }
}
