using NlbTools.Client.Models;
using NlbTools.Client.Pipeline;
using Xunit;

namespace NlbTools.Client.Tests;

/// <summary>Each operation's parameter placement (query or body, nlb-api.md §1.3), encoding and answer handling.</summary>
public class OperationTests
{
    private static readonly NlbHttpResponse Empty = MockTransport.Json(200, new { RequestId = "R" });

    private static (MockTransport, NlbClient) Setup(params NlbHttpResponse[] answers)
    {
        var transport = new MockTransport(answers.Length == 0 ? new[] { Empty } : answers);
        return (transport, TestClients.Create(transport));
    }

    private static Dictionary<string, string> Dict(IEnumerable<KeyValuePair<string, string>> pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public async Task UpdateListenerAttributeSendsEverythingInTheBodyFlattened()
    {
        var (transport, client) = Setup(TestClients.Job());
        using var _ = client;

        await client.UpdateListenerAttributeAsync(new UpdateListenerAttributeRequest
        {
            ListenerId = "lsn-1@443",
            ListenerDescription = "tls edge",
            CertificateIds = new() { "cert-1" },
            CaCertificateIds = new() { "ca-1" },
            CaEnabled = true,
            ProxyProtocolEnabled = false,
            ProxyProtocolV2Config = new ProxyProtocolV2Config { Ppv2VpcIdEnabled = true, Ppv2PrivateLinkEpIdEnabled = false },
            IdleTimeout = 900,
            Cps = 0,
            Mss = 1400,
            SecSensorEnabled = false,
            AlpnEnabled = true,
            AlpnPolicy = "HTTP2Preferred",
            SecurityPolicyId = "tls_cipher_policy_1_2",
            ServerGroupId = "sgp-1",
        });

        var r = Assert.Single(transport.Requests);
        Assert.Empty(r.Query);
        var form = Dict(r.Form);
        Assert.Equal("cert-1", form["CertificateIds.1"]);
        Assert.Equal("ca-1", form["CaCertificateIds.1"]);
        Assert.Equal("true", form["CaEnabled"]);
        Assert.Equal("false", form["ProxyProtocolEnabled"]);
        Assert.Equal("false", form["SecSensorEnabled"]);
        Assert.Equal("true", form["AlpnEnabled"]);
        Assert.Equal("{\"Ppv2PrivateLinkEpIdEnabled\":false,\"Ppv2VpcIdEnabled\":true}", form["ProxyProtocolV2Config"]); // null member omitted
        Assert.Equal("900", form["IdleTimeout"]);
        Assert.Equal("0", form["Cps"]);
        Assert.Equal("1400", form["Mss"]);
        Assert.Equal("cn-hangzhou", form["RegionId"]);
        Assert.Equal("lsn-1@443", form["ListenerId"]);
        Assert.Contains("ProxyProtocolV2Config=%7B%22Ppv2PrivateLinkEpIdEnabled%22%3Afalse%2C%22Ppv2VpcIdEnabled%22%3Atrue%7D", r.BodyText);
        Assert.Contains("ListenerId=lsn-1%40443", r.BodyText);
        Assert.False(form.ContainsKey("DryRun"));
    }

    [Fact]
    public async Task UnsetParametersAreNotSent()
    {
        var (transport, client) = Setup(TestClients.Job());
        using var _ = client;

        await client.UpdateListenerAttributeAsync(new UpdateListenerAttributeRequest { ListenerId = "lsn-1@80", IdleTimeout = 30 });

        Assert.Equal(new[] { "ClientToken", "IdleTimeout", "ListenerId", "RegionId" }, transport.Requests[0].Form.Select(p => p.Key).OrderBy(k => k, StringComparer.Ordinal));
    }

    [Fact]
    public async Task DryRunOperationAnswerIsAPassedPrecheck()
    {
        var (transport, client) = Setup(MockTransport.Error(400, "DryRunOperation", "Request validation has been passed with DryRun flag set.", "REQ-DRY"));
        using var _ = client;

        var result = await client.UpdateListenerAttributeAsync(new UpdateListenerAttributeRequest { ListenerId = "lsn-1@80", IdleTimeout = 60, DryRun = true });

        Assert.True(result.DryRunPassed);
        Assert.Equal("REQ-DRY", result.RequestId);
        Assert.Null(result.JobId);
        Assert.Equal("true", transport.Requests[0].Parameter("DryRun"));
        Assert.Single(transport.Requests); // not retried
    }

    [Fact]
    public async Task DryRunThatFailsThePrecheckIsAnError()
    {
        var (_, client) = Setup(MockTransport.Error(400, "IllegalParam.IdleTimeout", "bad", "REQ-X"));
        using var _c = client;
        var ex = await Assert.ThrowsAsync<NlbException>(() =>
            client.UpdateListenerAttributeAsync(new UpdateListenerAttributeRequest { ListenerId = "lsn-1@80", IdleTimeout = 5, DryRun = true }));
        Assert.Equal("IllegalParam.IdleTimeout", ex.Code);
    }

    [Fact]
    public async Task DryRunOperationWithoutDryRunIsNotTakenAsSuccess()
    {
        var (_, client) = Setup(MockTransport.Error(400, "DryRunOperation", "passed"));
        using var _c = client;
        var ex = await Assert.ThrowsAsync<NlbException>(() => client.StopListenerAsync(new ListenerActionRequest { ListenerId = "lsn-1@80" }));
        Assert.Equal("DryRunOperation", ex.Code);
    }

    [Fact]
    public async Task ErrorAnswerFillsEveryExceptionField()
    {
        var body = new
        {
            RequestId = "REQ-403", HostId = "nlb.cn-hangzhou.aliyuncs.com", Code = "Forbidden.NoPermission",
            Message = "You are not authorized to operate on the specified resource.",
            Recommend = "https://api.aliyun.com/troubleshoot?q=Forbidden.NoPermission",
            AccessDeniedDetail = new { AuthAction = "nlb:UpdateListenerAttribute", NoPermissionType = "ImplicitDeny", EncodedDiagnosticInfo = "AQEAAA==" },
        };
        var (_, client) = Setup(MockTransport.Json(403, body, ("x-acs-retry-after", "250")));
        using var _c = client;

        var ex = await Assert.ThrowsAsync<NlbException>(() => client.StartListenerAsync(new ListenerActionRequest { ListenerId = "lsn-1@80" }));

        Assert.Equal("Forbidden.NoPermission", ex.Code);
        Assert.Equal(403, ex.HttpStatus);
        Assert.Equal("REQ-403", ex.RequestId);
        Assert.Equal("nlb.cn-hangzhou.aliyuncs.com", ex.HostId);
        Assert.Equal("https://api.aliyun.com/troubleshoot?q=Forbidden.NoPermission", ex.Recommend);
        Assert.Equal("You are not authorized to operate on the specified resource.", ex.Message);
        Assert.Equal("ImplicitDeny", ex.AccessDeniedDetail!["NoPermissionType"]);
        Assert.Equal("nlb:UpdateListenerAttribute", ex.AccessDeniedDetail["authAction"]); // keys read case-insensitively
        Assert.Equal(250, ex.RetryAfterMs);
        Assert.StartsWith("Forbidden.NoPermission (HTTP 403) RequestId REQ-403:", ex.ToString());
    }

    [Fact]
    public async Task LowercaseErrorKeysAndHeaderRequestIdAreRead()
    {
        var answer = MockTransport.Json(404, "{\"code\":\"ResourceNotFound.listener\",\"message\":\"The specified resource lsn-9 is not found.\"}", ("x-acs-request-id", "REQ-H"));
        var (_, client) = Setup(answer);
        using var _c = client;

        var ex = await Assert.ThrowsAsync<NlbException>(() => client.GetListenerAttributeAsync(new GetListenerAttributeRequest { ListenerId = "lsn-9" }));

        Assert.Equal("ResourceNotFound.listener", ex.Code);
        Assert.Equal("REQ-H", ex.RequestId);
        Assert.Equal("nlb.cn-hangzhou.aliyuncs.com", ex.HostId);
    }

    [Fact]
    public async Task GetListenerAttributeReadsTheListenerFromTheTopLevel()
    {
        const string json = """
        {"RequestId":"R1","ListenerId":"lsn-1@0","ListenerProtocol":"TCP","ListenerPort":0,"StartPort":1000,"EndPort":"2000",
         "ListenerStatus":"Running","IdleTimeout":900,"CertificateIds":["c1"],"CaEnabled":false,
         "ProxyProtocolV2Config":{"Ppv2VpcIdEnabled":true,"Ppv2PrivateLinkEpIdEnabled":false},
         "Tags":[{"TagKey":"env","TagValue":"prod"}],"Cps":"100","Unknown":{"x":1}}
        """;
        var (transport, client) = Setup(MockTransport.Json(200, json));
        using var _c = client;

        var result = await client.GetListenerAttributeAsync(new GetListenerAttributeRequest { ListenerId = "lsn-1@0" });

        var r = transport.Requests[0];
        Assert.Empty(r.Form);
        Assert.Equal("lsn-1@0", Dict(r.Query)["ListenerId"]);
        Assert.Equal("cn-hangzhou", Dict(r.Query)["RegionId"]);
        Assert.Equal("R1", result.RequestId);
        var l = result.Listener;
        Assert.Equal(0, l.ListenerPort);
        Assert.Equal("1000", l.StartPort);
        Assert.Equal("2000", l.EndPort);
        Assert.Equal(100, l.Cps);
        Assert.True(l.ProxyProtocolV2Config!.Ppv2VpcIdEnabled);
        Assert.Null(l.ProxyProtocolV2Config.Ppv2PrivateLinkEpsIdEnabled);
        var tag = Assert.Single(l.Tags!);
        Assert.Equal(("env", "prod"), (tag.Key, tag.Value));
    }

    [Fact]
    public async Task ListListenersReadsKeyValueTagsAndPagingFields()
    {
        const string json = """
        {"RequestId":"R2","MaxResults":20,"NextToken":"","TotalCount":1,
         "Listeners":[{"ListenerId":"lsn-2@80","ListenerPort":80,"StartPort":"0","Tags":[{"Key":"team","Value":"web"}]}]}
        """;
        var (transport, client) = Setup(MockTransport.Json(200, json));
        using var _c = client;

        var page = await client.ListListenersAsync(new ListListenersRequest { ListenerProtocol = "TCP", SecSensorEnabled = "true", LoadBalancerIds = new() { "nlb-1" } });

        var q = Dict(transport.Requests[0].Query);
        Assert.Equal("TCP", q["ListenerProtocol"]);
        Assert.Equal("true", q["SecSensorEnabled"]);
        Assert.Equal("nlb-1", q["LoadBalancerIds.1"]);
        Assert.Equal(1, page.TotalCount);
        Assert.Equal("", page.NextToken);
        var l = Assert.Single(page.Listeners);
        Assert.Equal("web", l.Tags![0].Value);
        Assert.Equal("team", l.Tags[0].Key);
    }

    [Theory]
    [InlineData("\"3\"")]
    [InlineData("3")]
    public async Task ListAsynJobsTotalCountIsAStringEitherWay(string wire)
    {
        var (transport, client) = Setup(MockTransport.Json(200, "{\"RequestId\":\"R\",\"TotalCount\":" + wire + ",\"Jobs\":[{\"Id\":\"job-1\",\"Status\":\"Succeeded\"}]}"));
        using var _c = client;

        var result = await client.ListAsynJobsAsync(new ListAsynJobsRequest { JobIds = new() { "job-1", "job-2" } });

        Assert.Equal("3", result.TotalCount);
        Assert.Equal("Succeeded", Assert.Single(result.Jobs).Status);
        Assert.Equal(new[] { "job-1", "job-2" }, transport.Requests[0].Query.Where(p => p.Key.StartsWith("JobIds.")).Select(p => p.Value));
        Assert.DoesNotContain(transport.Requests[0].Query, p => p.Key == "RegionId");
    }

    [Fact]
    public async Task GetJobStatusPutsJobIdInTheQuery()
    {
        var (transport, client) = Setup(MockTransport.Json(200, new { RequestId = "R", Status = "Processing" }));
        using var _c = client;

        var result = await client.GetJobStatusAsync(new GetJobStatusRequest { JobId = "job-7" });

        Assert.Equal("Processing", result.Status);
        Assert.Equal("job-7", Dict(transport.Requests[0].Query)["JobId"]);
        Assert.Empty(transport.Requests[0].Form);
    }

    [Fact]
    public async Task ListServerGroupsPutsTagsInTheQueryAndTheRestInTheBody()
    {
        const string json = """
        {"RequestId":"R","TotalCount":1,"ServerGroups":[{"ServerGroupId":"sgp-1","Protocol":"TCP_UDP","PreserveClientIpEnabled":true,"AliUid":1234567890123,
          "HealthCheck":{"HealthCheckEnabled":true,"HealthCheckHttpCode":["http_2xx"]},"RelatedLoadBalancerIds":["nlb-1"],"Tags":[{"Key":"a","Value":"b"}]}]}
        """;
        var (transport, client) = Setup(MockTransport.Json(200, json));
        using var _c = client;

        var result = await client.ListServerGroupsAsync(new ListServerGroupsRequest
        {
            Tag = new() { new Tag("env", "prod"), new Tag("team", null) },
            ServerGroupIds = new() { "sgp-1" },
            ServerGroupType = "Instance",
            MaxResults = 50,
        });

        var r = transport.Requests[0];
        Assert.Equal(new[] { "Tag.1.Key", "Tag.1.Value", "Tag.2.Key" }, r.Query.Select(p => p.Key));
        var form = Dict(r.Form);
        Assert.Equal("sgp-1", form["ServerGroupIds.1"]);
        Assert.Equal("Instance", form["ServerGroupType"]);
        Assert.Equal("50", form["MaxResults"]);
        Assert.Equal("cn-hangzhou", form["RegionId"]);
        var g = Assert.Single(result.ServerGroups);
        Assert.Equal(1234567890123L, g.AliUid);
        Assert.Equal("http_2xx", g.HealthCheck!.HealthCheckHttpCode![0]);
        Assert.True(g.PreserveClientIpEnabled);
    }

    [Fact]
    public async Task SecurityPolicyOperations()
    {
        var (transport, client) = Setup(
            MockTransport.Json(200, """{"RequestId":"R","SecurityPolicies":[{"SecurityPolicyId":"tls-1","Ciphers":"ECDHE-RSA-AES128-GCM-SHA256,AES128-SHA","TlsVersion":"TLSv1.2","RelatedListeners":[{"ListenerId":"lsn-1@443","ListenerPort":443}]}]}"""),
            MockTransport.Json(200, """{"RequestId":"R","SecurityPolicies":[{"SecurityPolicyId":"tls_cipher_policy_1_2","Ciphers":"AES128-SHA","TlsVersion":"TLSv1.2"}]}"""));
        using var _c = client;

        var custom = await client.ListSecurityPolicyAsync(new ListSecurityPolicyRequest { SecurityPolicyNames = new() { "p" }, Tag = new() { new Tag("k", "v") } });
        var system = await client.ListSystemSecurityPolicyAsync(new ListSystemSecurityPolicyRequest());

        Assert.Equal(443, custom.SecurityPolicies[0].RelatedListeners![0].ListenerPort);
        Assert.Equal("k", Dict(transport.Requests[0].Query)["Tag.1.Key"]);
        Assert.Equal("p", Dict(transport.Requests[0].Form)["SecurityPolicyNames.1"]);
        Assert.Equal("tls_cipher_policy_1_2", system.SecurityPolicies[0].SecurityPolicyId);
        Assert.Equal("cn-hangzhou", Dict(transport.Requests[1].Form)["RegionId"]);
        Assert.Equal("ListSystemSecurityPolicy", transport.Requests[1].Header("x-acs-action"));
    }

    [Fact]
    public async Task DescribeRegionsSendsServiceCodeInTheQuery()
    {
        var (transport, client) = Setup(MockTransport.Json(200, """{"RequestId":"R","Regions":[{"RegionId":"cn-hangzhou","LocalName":"Hangzhou","RegionEndpoint":"nlb.cn-hangzhou.aliyuncs.com"}]}"""));
        using var _c = client;

        var result = await client.DescribeRegionsAsync(new DescribeRegionsRequest { AcceptLanguage = "en-US" });

        Assert.Equal("nlb", Dict(transport.Requests[0].Query)["ServiceCode"]);
        Assert.Equal("en-US", Dict(transport.Requests[0].Query)["AcceptLanguage"]);
        Assert.Equal("nlb.cn-hangzhou.aliyuncs.com", Assert.Single(result.Regions).RegionEndpoint);
    }

    [Fact]
    public async Task LoadBalancerOperationsReadNestedModels()
    {
        const string lb = """
          "LoadBalancerId":"nlb-1","Cps":100,"CreateTime":"2022-07-02T02:49:05Z","CrossZoneEnabled":true,
          "DeletionProtectionConfig":{"Enabled":true,"Reason":"prod"},"OperationLocks":[{"LockType":"SecurityLock","LockReason":"r"}],
          "ZoneMappings":[{"ZoneId":"cn-hangzhou-a","LoadBalancerAddresses":[{"EniId":"eni-1","Ipv4LocalAddresses":["10.0.0.1"]}]}]
        """;
        var (transport, client) = Setup(
            MockTransport.Json(200, "{\"RequestId\":\"R\"," + lb + ",\"Tags\":[{\"TagKey\":\"k\",\"TagValue\":\"v\"}]}"),
            MockTransport.Json(200, "{\"RequestId\":\"R\",\"TotalCount\":1,\"LoadBalancers\":[{" + lb + ",\"Tags\":[{\"Key\":\"k\",\"Value\":\"v\"}]}]}"));
        using var _c = client;

        var one = await client.GetLoadBalancerAttributeAsync(new GetLoadBalancerAttributeRequest { LoadBalancerId = "nlb-1" });
        var list = await client.ListLoadBalancersAsync(new ListLoadBalancersRequest { VpcIds = new() { "vpc-1" }, LoadBalancerNames = new() { "a b" } });

        foreach (var l in new[] { one.LoadBalancer, list.LoadBalancers.Single() })
        {
            Assert.Equal("2022-07-02T02:49:05Z", l.CreateTime); // kept as the API's string
            Assert.True(l.DeletionProtectionConfig!.Enabled);
            Assert.Equal("10.0.0.1", l.ZoneMappings![0].LoadBalancerAddresses![0].Ipv4LocalAddresses![0]);
            Assert.Equal("SecurityLock", l.OperationLocks![0].LockType);
            Assert.Equal(("k", "v"), (l.Tags![0].Key, l.Tags[0].Value));
        }
        Assert.Equal("nlb-1", Dict(transport.Requests[0].Query)["LoadBalancerId"]);
        Assert.Equal("vpc-1", Dict(transport.Requests[1].Query)["VpcIds.1"]);
        Assert.Contains("LoadBalancerNames.1=a%20b", transport.Requests[1].Uri.Query);
    }

    [Theory]
    [InlineData("StartListener")]
    [InlineData("StopListener")]
    public async Task StartAndStopAreWritesWithABodyAndAClientToken(string action)
    {
        var (transport, client) = Setup(TestClients.Job("job-s"));
        using var _c = client;
        var request = new ListenerActionRequest { ListenerId = "lsn-1@80" };

        var result = action == "StartListener" ? await client.StartListenerAsync(request) : await client.StopListenerAsync(request);

        var r = transport.Requests[0];
        Assert.Equal(action, r.Header("x-acs-action"));
        Assert.Empty(r.Query);
        Assert.Equal("lsn-1@80", Dict(r.Form)["ListenerId"]);
        Assert.Equal(result.ClientToken, Dict(r.Form)["ClientToken"]);
        Assert.Equal("job-s", result.JobId);
    }

    [Fact]
    public async Task MalformedSuccessAnswerIsAnInvalidResponse()
    {
        var (_, client) = Setup(new NlbHttpResponse { StatusCode = 200, Body = "not json"u8.ToArray() });
        using var _c = client;
        var ex = await Assert.ThrowsAsync<NlbException>(() => client.ListListenersAsync(new ListListenersRequest()));
        Assert.Equal("InvalidResponse", ex.Code);
    }

    [Fact]
    public async Task RequiredIdsAreCheckedBeforeSending()
    {
        var (transport, client) = Setup();
        using var _c = client;
        await Assert.ThrowsAsync<ArgumentException>(() => client.UpdateListenerAttributeAsync(new UpdateListenerAttributeRequest()));
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetJobStatusAsync(new GetJobStatusRequest()));
        Assert.Empty(transport.Requests);
    }
}
