using System.Threading;
using System.Threading.Tasks;
using NlbTools.Client.Json;
using NlbTools.Client.Models;
using NlbTools.Client.Paging;

namespace NlbTools.Client
{
    /// <summary>Listener operations: read, list, update, start, stop.</summary>
    public sealed partial class NlbClient
    {
        /// <summary>DryRun=true answers with DryRunPassed=true (the DryRunOperation code is not an error).</summary>
        public async Task<JobResponse> UpdateListenerAttributeAsync(UpdateListenerAttributeRequest request, CancellationToken cancellationToken = default)
        {
            Require(request, request?.ListenerId, nameof(request.ListenerId));
            var clientToken = request!.ClientToken ?? NewClientToken();
            var region = Region(request.RegionId);
            var body = new RequestParameters()
                .Add("AlpnEnabled", request.AlpnEnabled)
                .Add("AlpnPolicy", request.AlpnPolicy)
                .Add("CaCertificateIds", request.CaCertificateIds)
                .Add("CaEnabled", request.CaEnabled)
                .Add("CertificateIds", request.CertificateIds)
                .Add("ClientToken", clientToken)
                .Add("Cps", request.Cps)
                .Add("DryRun", request.DryRun)
                .Add("IdleTimeout", request.IdleTimeout)
                .Add("ListenerDescription", request.ListenerDescription)
                .Add("ListenerId", request.ListenerId)
                .Add("Mss", request.Mss)
                .Add("ProxyProtocolEnabled", request.ProxyProtocolEnabled)
                .AddJson("ProxyProtocolV2Config", request.ProxyProtocolV2Config)
                .Add("RegionId", region)
                .Add("SecSensorEnabled", request.SecSensorEnabled)
                .Add("SecurityPolicyId", request.SecurityPolicyId)
                .Add("ServerGroupId", request.ServerGroupId);
            var answer = await CallAsync("UpdateListenerAttribute", true, region, new RequestParameters(), body, request.DryRun == true, cancellationToken).ConfigureAwait(false);
            return Job(answer, clientToken);
        }

        public async Task<GetListenerAttributeResponse> GetListenerAttributeAsync(GetListenerAttributeRequest request, CancellationToken cancellationToken = default)
        {
            Require(request, request?.ListenerId, nameof(request.ListenerId));
            var region = Region(request!.RegionId);
            var query = new RequestParameters()
                .Add("ClientToken", request.ClientToken)
                .Add("DryRun", request.DryRun)
                .Add("ListenerId", request.ListenerId)
                .Add("RegionId", region);
            var answer = await CallAsync("GetListenerAttribute", false, region, query, new RequestParameters(), request.DryRun == true, cancellationToken).ConfigureAwait(false);
            return Read(answer, root => new GetListenerAttributeResponse { Listener = NlbJson.Read<Listener>(root) });
        }

        /// <summary>One page.</summary>
        public async Task<ListListenersResponse> ListListenersAsync(ListListenersRequest request, CancellationToken cancellationToken = default)
        {
            Require(request, "-", "");
            var region = Region(request.RegionId);
            var query = new RequestParameters()
                .Add("ListenerIds", request.ListenerIds)
                .Add("ListenerProtocol", request.ListenerProtocol)
                .Add("LoadBalancerIds", request.LoadBalancerIds)
                .Add("MaxResults", request.MaxResults)
                .Add("NextToken", request.NextToken)
                .Add("RegionId", region)
                .Add("SecSensorEnabled", request.SecSensorEnabled)
                .Add("Tag", request.Tag);
            var answer = await CallAsync("ListListeners", false, region, query, new RequestParameters(), false, cancellationToken).ConfigureAwait(false);
            return Read(answer, NlbJson.Read<ListListenersResponse>);
        }

        /// <summary>NextToken paging from <paramref name="request"/>'s NextToken; the request itself is not changed.</summary>
        public NlbPager<ListListenersResponse> ListListenersPager(ListListenersRequest request)
        {
            Require(request, "-", "");
            return new NlbPager<ListListenersResponse>("ListListeners", request.NextToken,
                (token, ct) => ListListenersAsync(With(request, r => r.NextToken = token), ct), p => p.NextToken, p => p.Listeners.Count);
        }

        public Task<JobResponse> StartListenerAsync(ListenerActionRequest request, CancellationToken cancellationToken = default)
            => ListenerActionAsync("StartListener", request, cancellationToken);

        public Task<JobResponse> StopListenerAsync(ListenerActionRequest request, CancellationToken cancellationToken = default)
            => ListenerActionAsync("StopListener", request, cancellationToken);

        private async Task<JobResponse> ListenerActionAsync(string action, ListenerActionRequest request, CancellationToken cancellationToken)
        {
            Require(request, request?.ListenerId, nameof(request.ListenerId));
            var clientToken = request!.ClientToken ?? NewClientToken();
            var region = Region(request.RegionId);
            var body = new RequestParameters()
                .Add("ClientToken", clientToken)
                .Add("DryRun", request.DryRun)
                .Add("ListenerId", request.ListenerId)
                .Add("RegionId", region);
            var answer = await CallAsync(action, true, region, new RequestParameters(), body, request.DryRun == true, cancellationToken).ConfigureAwait(false);
            return Job(answer, clientToken);
        }
    }
}
