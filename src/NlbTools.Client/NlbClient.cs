using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using NlbTools.Client.Models;

namespace NlbTools.Client
{
    /// <summary>
    /// The NLB (2022-04-30) API. Thread-safe; create one per endpoint+credentials and reuse it.
    /// Every call runs the pipeline: retry -> sign (per attempt) -> log (redacted) -> transport.
    /// </summary>
    public sealed partial class NlbClient : IDisposable
    {
        public const string ApiVersion = "2022-04-30";

        public NlbClient(NlbClientOptions options)
        {
            Options = options ?? throw new ArgumentNullException(nameof(options));
        }

        public NlbClientOptions Options { get; }

        /// <summary>DryRun=true answers with DryRunPassed=true (the DryRunOperation code is not an error).</summary>
        public Task<JobResponse> UpdateListenerAttributeAsync(UpdateListenerAttributeRequest request, CancellationToken cancellationToken = default)
            => throw new NotImplementedException();

        public Task<GetListenerAttributeResponse> GetListenerAttributeAsync(GetListenerAttributeRequest request, CancellationToken cancellationToken = default)
            => throw new NotImplementedException();

        /// <summary>One page.</summary>
        public Task<ListListenersResponse> ListListenersAsync(ListListenersRequest request, CancellationToken cancellationToken = default)
            => throw new NotImplementedException();

        /// <summary>Lazy NextToken paging: a page is fetched only when the enumerator reaches it.</summary>
        public IEnumerable<ListListenersResponse> ListListenersPages(ListListenersRequest request, CancellationToken cancellationToken = default)
            => throw new NotImplementedException();

        public Task<GetJobStatusResponse> GetJobStatusAsync(GetJobStatusRequest request, CancellationToken cancellationToken = default)
            => throw new NotImplementedException();

        public Task<ListAsynJobsResponse> ListAsynJobsAsync(ListAsynJobsRequest request, CancellationToken cancellationToken = default)
            => throw new NotImplementedException();

        public Task<ListServerGroupsResponse> ListServerGroupsAsync(ListServerGroupsRequest request, CancellationToken cancellationToken = default)
            => throw new NotImplementedException();

        public IEnumerable<ListServerGroupsResponse> ListServerGroupsPages(ListServerGroupsRequest request, CancellationToken cancellationToken = default)
            => throw new NotImplementedException();

        public Task<ListSecurityPolicyResponse> ListSecurityPolicyAsync(ListSecurityPolicyRequest request, CancellationToken cancellationToken = default)
            => throw new NotImplementedException();

        public IEnumerable<ListSecurityPolicyResponse> ListSecurityPolicyPages(ListSecurityPolicyRequest request, CancellationToken cancellationToken = default)
            => throw new NotImplementedException();

        public Task<ListSystemSecurityPolicyResponse> ListSystemSecurityPolicyAsync(ListSystemSecurityPolicyRequest request, CancellationToken cancellationToken = default)
            => throw new NotImplementedException();

        public Task<DescribeRegionsResponse> DescribeRegionsAsync(DescribeRegionsRequest request, CancellationToken cancellationToken = default)
            => throw new NotImplementedException();

        public Task<GetLoadBalancerAttributeResponse> GetLoadBalancerAttributeAsync(GetLoadBalancerAttributeRequest request, CancellationToken cancellationToken = default)
            => throw new NotImplementedException();

        public Task<ListLoadBalancersResponse> ListLoadBalancersAsync(ListLoadBalancersRequest request, CancellationToken cancellationToken = default)
            => throw new NotImplementedException();

        public IEnumerable<ListLoadBalancersResponse> ListLoadBalancersPages(ListLoadBalancersRequest request, CancellationToken cancellationToken = default)
            => throw new NotImplementedException();

        public Task<JobResponse> StartListenerAsync(ListenerActionRequest request, CancellationToken cancellationToken = default)
            => throw new NotImplementedException();

        public Task<JobResponse> StopListenerAsync(ListenerActionRequest request, CancellationToken cancellationToken = default)
            => throw new NotImplementedException();

        public void Dispose() => Options.Transport?.Dispose();
    }
}
