using NlbTools.Client;
using NlbTools.Client.Credentials;
using NlbTools.Client.Models;
using NlbTools.Emulator.State;

namespace NlbTools.Emulator.Tests;

/// <summary>Our own client (NlbTools.Client) against the emulator over real HTTP: the two sides agree on the wire.</summary>
public class ClientCompatibilityTests : IAsyncLifetime
{
    private TestEmulator _emu = null!;
    private NlbClient _client = null!;

    public async Task InitializeAsync()
    {
        _emu = await TestEmulator.StartAsync(jobDurationMs: 0);
        _client = new NlbClient(new NlbClientOptions
        {
            RegionId = "cn-hangzhou",
            Endpoint = new Uri(_emu.Endpoint),
            Credentials = new StaticCredentialsProvider(DemoState.AccessKeyId, DemoState.AccessKeySecret),
            MaxAttempts = 1,
        });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _emu.DisposeAsync();
    }

    [Fact]
    public async Task Update_then_read_back_every_field_it_sent()
    {
        var job = await _client.UpdateListenerAttributeAsync(new UpdateListenerAttributeRequest
        {
            ListenerId = "lsn-hzweb01@443",
            ListenerDescription = "from-the-client",
            CertificateIds = new() { "12315791-cn-hangzhou" },
            IdleTimeout = 321,
            ProxyProtocolV2Config = new ProxyProtocolV2Config { Ppv2VpcIdEnabled = true },
            AlpnEnabled = true,
            AlpnPolicy = "HTTP2Only",
        });
        Assert.False(string.IsNullOrEmpty(job.JobId));
        Assert.Equal("Succeeded", (await _client.GetJobStatusAsync(new GetJobStatusRequest { JobId = job.JobId! })).Status);

        var l = (await _client.GetListenerAttributeAsync(new GetListenerAttributeRequest { ListenerId = "lsn-hzweb01@443" })).Listener;
        Assert.Equal("from-the-client", l.ListenerDescription);
        Assert.Equal(new[] { "12315791-cn-hangzhou" }, l.CertificateIds);
        Assert.Equal(321, l.IdleTimeout);
        Assert.True(l.ProxyProtocolV2Config?.Ppv2VpcIdEnabled);
        Assert.Equal("HTTP2Only", l.AlpnPolicy);
        Assert.Equal("prod", l.Tags!.Single(t => t.Key == "env").Value);
    }

    [Fact]
    public async Task DryRun_and_service_errors_come_back_typed()
    {
        var dry = await _client.UpdateListenerAttributeAsync(new UpdateListenerAttributeRequest { ListenerId = "lsn-hzweb01@80", IdleTimeout = 60, DryRun = true });
        Assert.True(dry.DryRunPassed);

        var e = await Assert.ThrowsAnyAsync<NlbException>(() => _client.UpdateListenerAttributeAsync(new UpdateListenerAttributeRequest { ListenerId = "lsn-nope@1", IdleTimeout = 60 }));
        Assert.Equal("ResourceNotFound.listener", e.Code);
        Assert.Equal(404, e.HttpStatus);
        Assert.False(string.IsNullOrEmpty(e.RequestId));
    }

    [Fact]
    public async Task Paging_with_the_clients_pager_returns_every_listener_once()
    {
        var pager = _client.ListListenersPager(new ListListenersRequest { MaxResults = 4 });
        var ids = new List<string?>();
        for (var page = await pager.NextPageAsync(); page != null; page = await pager.NextPageAsync())
            ids.AddRange(page.Listeners.Select(l => l.ListenerId));
        Assert.Equal(9, ids.Count); // the cn-hangzhou listeners of the demo state (the client sends its RegionId)
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var range = (await _client.GetListenerAttributeAsync(new GetListenerAttributeRequest { ListenerId = "lsn-hzedge01@0" })).Listener;
        Assert.Equal("10000", range.StartPort);
    }

    [Fact]
    public async Task Reads_of_the_catalog_deserialize()
    {
        Assert.Equal(2, (await _client.DescribeRegionsAsync(new DescribeRegionsRequest())).Regions.Count);
        Assert.Contains((await _client.ListServerGroupsAsync(new ListServerGroupsRequest { MaxResults = 100 })).ServerGroups, g => g.Protocol == "TCP_UDP");
        Assert.NotEmpty((await _client.ListSystemSecurityPolicyAsync(new ListSystemSecurityPolicyRequest())).SecurityPolicies);
        Assert.Single((await _client.ListSecurityPolicyAsync(new ListSecurityPolicyRequest())).SecurityPolicies);
        Assert.Equal("vpc-hz-main", (await _client.GetLoadBalancerAttributeAsync(new GetLoadBalancerAttributeRequest { LoadBalancerId = "nlb-hzweb01" })).LoadBalancer.VpcId);
        Assert.Equal(2, (await _client.ListLoadBalancersAsync(new ListLoadBalancersRequest())).LoadBalancers.Count);
    }
}
