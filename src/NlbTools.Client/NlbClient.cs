using System;
using System.Collections.Generic;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NlbTools.Client.Json;
using NlbTools.Client.Models;
using NlbTools.Client.Pipeline;
using NlbTools.Client.Signing;

namespace NlbTools.Client
{
    /// <summary>
    /// The NLB (2022-04-30) API. Thread-safe; create one per endpoint+credentials and reuse it.
    /// Every call runs the pipeline: retry -> listener status -> pacing -> sign (per attempt) -> log (redacted) -> transport.
    /// Parameter placement (query or form body) follows the official SDK (nlb-api.md §1.3).
    /// </summary>
    public sealed partial class NlbClient : IDisposable
    {
        public const string ApiVersion = "2022-04-30";

        private readonly NlbTransport _transport;
        private readonly bool _ownsTransport;
        private readonly NlbPipeline? _pipeline;
        private readonly string _userAgent;

        public NlbClient(NlbClientOptions options)
        {
            Options = options ?? throw new ArgumentNullException(nameof(options));
            if (options.Endpoint != null) NlbEndpoint.Validate(options.Endpoint);
            _ownsTransport = options.Transport == null;
            _transport = options.Transport ?? new HttpClientTransport();
            _userAgent = NlbUserAgent.With(options.UserAgentSuffix);

            if (options.Credentials != null)
            {
                var policies = new List<NlbPipelinePolicy> { new RetryPolicy(options), ListenerStatus(), new PacingPolicy(options), new SigningPolicy(options.Credentials, options.Clock) };
                if (options.Log != null) policies.Add(new LoggingPolicy(options.Log));
                _pipeline = new NlbPipeline(policies, _transport);
            }
        }

        public NlbClientOptions Options { get; }

        /// <summary>The policies in order (retry, listener status, pacing, signing, logging), for inspection.</summary>
        public IReadOnlyList<NlbPipelinePolicy> Policies => _pipeline?.Policies ?? Array.Empty<NlbPipelinePolicy>();

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

        /// <summary>Lazy NextToken paging: a page is fetched only when the enumerator reaches it.</summary>
        public IEnumerable<ListListenersResponse> ListListenersPages(ListListenersRequest request, CancellationToken cancellationToken = default)
        {
            Require(request, "-", "");
            return Pages(request.NextToken, token => ListListenersAsync(With(request, r => r.NextToken = token), cancellationToken), p => p.NextToken);
        }

        public async Task<GetJobStatusResponse> GetJobStatusAsync(GetJobStatusRequest request, CancellationToken cancellationToken = default)
        {
            Require(request, request?.JobId, nameof(request.JobId));
            var query = new RequestParameters()
                .Add("ClientToken", request!.ClientToken)
                .Add("JobId", request.JobId);
            var answer = await CallAsync("GetJobStatus", false, Region(request.RegionId), query, new RequestParameters(), false, cancellationToken).ConfigureAwait(false);
            return Read(answer, NlbJson.Read<GetJobStatusResponse>);
        }

        public async Task<ListAsynJobsResponse> ListAsynJobsAsync(ListAsynJobsRequest request, CancellationToken cancellationToken = default)
        {
            Require(request, "-", "");
            var query = new RequestParameters().Add("JobIds", request.JobIds);
            var answer = await CallAsync("ListAsynJobs", false, Region(request.RegionId), query, new RequestParameters(), false, cancellationToken).ConfigureAwait(false);
            return Read(answer, NlbJson.Read<ListAsynJobsResponse>);
        }

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

        public IEnumerable<ListServerGroupsResponse> ListServerGroupsPages(ListServerGroupsRequest request, CancellationToken cancellationToken = default)
        {
            Require(request, "-", "");
            return Pages(request.NextToken, token => ListServerGroupsAsync(With(request, r => r.NextToken = token), cancellationToken), p => p.NextToken);
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

        public IEnumerable<ListSecurityPolicyResponse> ListSecurityPolicyPages(ListSecurityPolicyRequest request, CancellationToken cancellationToken = default)
        {
            Require(request, "-", "");
            return Pages(request.NextToken, token => ListSecurityPolicyAsync(With(request, r => r.NextToken = token), cancellationToken), p => p.NextToken);
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

        public IEnumerable<ListLoadBalancersResponse> ListLoadBalancersPages(ListLoadBalancersRequest request, CancellationToken cancellationToken = default)
        {
            Require(request, "-", "");
            return Pages(request.NextToken, token => ListLoadBalancersAsync(With(request, r => r.NextToken = token), cancellationToken), p => p.NextToken);
        }

        public Task<JobResponse> StartListenerAsync(ListenerActionRequest request, CancellationToken cancellationToken = default)
            => ListenerActionAsync("StartListener", request, cancellationToken);

        public Task<JobResponse> StopListenerAsync(ListenerActionRequest request, CancellationToken cancellationToken = default)
            => ListenerActionAsync("StopListener", request, cancellationToken);

        /// <summary>Disposes the transport the client created; a transport passed in options belongs to the caller.</summary>
        public void Dispose()
        {
            if (_ownsTransport) _transport.Dispose();
        }

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

        /// <summary>The answer of one logical call: the JSON body, or the request id of a passed DryRun.</summary>
        private sealed class Answer
        {
            public JObject? Root;
            public string? DryRunRequestId;
        }

        private async Task<Answer> CallAsync(string action, bool isWrite, string? regionId, RequestParameters query, RequestParameters body,
            bool dryRun, CancellationToken cancellationToken)
        {
            if (_pipeline == null)
                throw new NlbException("MissingCredentials", "No credentials: connect first (Connect-Nlb) or set NlbClientOptions.Credentials.");
            var endpoint = NlbEndpoint.Resolve(Options, regionId);

            // RPC style: path "/", the query string built with the same encoding the signature assumes.
            var queryString = AcsSignature.ToFormString(query);
            var uri = new Uri(endpoint.GetLeftPart(UriPartial.Authority) + "/" + (queryString.Length > 0 ? "?" + queryString : ""));
            var request = new NlbHttpRequest { Method = "POST", Uri = uri };
            request.Headers["x-acs-action"] = action;
            request.Headers["x-acs-version"] = ApiVersion;
            request.Headers["Accept"] = "application/json";
            request.Headers["User-Agent"] = _userAgent;
            if (body.Count > 0)
            {
                request.Body = Encoding.UTF8.GetBytes(AcsSignature.ToFormString(body));
                request.Headers["Content-Type"] = AcsSignature.FormContentType;
            }

            var message = new NlbMessage(action, isWrite, request, query, cancellationToken);
            await _pipeline.SendAsync(message).ConfigureAwait(false);

            var error = message.GetServiceError();
            if (error != null)
            {
                // A passed DryRun precheck comes back as the error DryRunOperation: it is a success.
                if (dryRun && error.Code == "DryRunOperation") return new Answer { DryRunRequestId = error.RequestId };
                throw error;
            }

            var response = message.Response ?? throw new NlbException("InvalidResponse", $"{action}: no answer from {uri.Host}.");
            try
            {
                return new Answer { Root = NlbJson.ParseObject(response.Body) };
            }
            catch (JsonException ex)
            {
                throw new NlbException("InvalidResponse", $"{action}: the answer from {uri.Host} (HTTP {response.StatusCode}) is not a JSON object.", response.StatusCode, null, ex);
            }
        }

        private static T Read<T>(Answer answer, Func<JObject, T> read) where T : NlbResponse, new()
        {
            if (answer.Root == null) return new T { RequestId = answer.DryRunRequestId, DryRunPassed = true };
            T result;
            try
            {
                result = read(answer.Root);
            }
            catch (JsonException ex)
            {
                throw new NlbException("InvalidResponse", $"The answer does not have the expected shape ({typeof(T).Name}): {ex.Message}", 200,
                    (string?)answer.Root["RequestId"], ex);
            }
            result.RequestId ??= (string?)answer.Root["RequestId"];
            return result;
        }

        private static JobResponse Job(Answer answer, string clientToken)
        {
            var job = Read(answer, NlbJson.Read<JobResponse>);
            job.ClientToken = clientToken;
            return job;
        }

        /// <summary>Pages fetched one at a time as the caller enumerates; a repeated NextToken stops the loop instead of spinning.</summary>
        private static IEnumerable<T> Pages<T>(string? firstToken, Func<string?, Task<T>> fetch, Func<T, string?> nextToken)
        {
            var token = firstToken;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (true)
            {
                var page = fetch(token).GetAwaiter().GetResult();
                yield return page;
                token = nextToken(page);
                if (string.IsNullOrEmpty(token)) yield break;
                if (!seen.Add(token!))
                    throw new NlbException("InvalidResponse", $"The service returned NextToken '{token}' twice; paging stopped.");
            }
        }

        private static readonly MethodInfo MemberwiseCloneMethod =
            typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!;

        /// <summary>A shallow copy with one change, so paging never alters the caller's request object.</summary>
        private static T With<T>(T request, Action<T> change) where T : class
        {
            var copy = (T)MemberwiseCloneMethod.Invoke(request, null)!;
            change(copy);
            return copy;
        }

        private string? Region(string? requested) => string.IsNullOrWhiteSpace(requested) ? Options.RegionId : requested;

        /// <summary>ASCII, at most 64 characters; one per logical call, reused by every attempt.</summary>
        internal static string NewClientToken() => "nlbtools-" + Guid.NewGuid().ToString("N");

        private static void Require(object? request, string? value, string name)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException($"{name} is required.", nameof(request));
        }
    }
}
