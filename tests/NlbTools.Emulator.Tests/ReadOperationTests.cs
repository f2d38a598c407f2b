using System.Diagnostics;
using System.Net;
using Newtonsoft.Json.Linq;
using NlbTools.Client.Models;
using NlbTools.Emulator.State;
using Xunit.Abstractions;

namespace NlbTools.Emulator.Tests;

/// <summary>The read operations: shapes, filters and paging.</summary>
public class ReadOperationTests : IAsyncLifetime
{
    private TestEmulator _emu = null!;
    public async Task InitializeAsync() => _emu = await TestEmulator.StartAsync();
    public async Task DisposeAsync() => await _emu.DisposeAsync();

    private async Task<string[]> ListenerIds(object query)
        => (await _emu.CallAsync("ListListeners", query: query))["Listeners"].Select(l => (string)l["ListenerId"]!).ToArray();

    [Fact]
    public async Task ListListeners_pages_with_MaxResults_and_NextToken()
    {
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var answer = await _emu.CallAsync("ListListeners", query: new { MaxResults = 5, NextToken = token });
            Assert.Equal(5, (int)answer["MaxResults"]);
            Assert.Equal(13, (int)answer["TotalCount"]);
            seen.AddRange(answer["Listeners"].Select(l => (string)l["ListenerId"]!));
            token = (string?)answer.Body!["NextToken"];
            pages++;
        } while (token != null);
        Assert.Equal(3, pages);
        Assert.Equal(13, seen.Distinct().Count());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("x")]
    public async Task MaxResults_outside_1_to_100_is_InvalidParameter(string max)
        => Assert.Equal("InvalidParameter", (await _emu.CallAsync("ListListeners", query: new { MaxResults = max })).Code);

    [Fact]
    public async Task A_forged_NextToken_is_InvalidParameter()
        => Assert.Equal("InvalidParameter", (await _emu.CallAsync("ListListeners", query: new { NextToken = "garbage!" })).Code);

    [Fact]
    public async Task ListListeners_filters_by_every_parameter()
    {
        Assert.Equal(4, (await ListenerIds(new { RegionId = "cn-shanghai" })).Length);
        Assert.Equal(new[] { "lsn-hzweb01@80", "lsn-hzweb01@53" }, await ListenerIds(new { ListenerIds = new[] { "lsn-hzweb01@80", "lsn-hzweb01@53" } }));
        Assert.All(await ListenerIds(new { LoadBalancerIds = new[] { "nlb-hzedge01" } }), id => Assert.StartsWith("lsn-hzedge01@", id));
        Assert.Equal(3, (await ListenerIds(new { ListenerProtocol = "UDP" })).Length);
        Assert.Empty(await ListenerIds(new { SecSensorEnabled = "true" }));
        Assert.Equal(13, (await ListenerIds(new { SecSensorEnabled = "false" })).Length);
        var tagged = await ListenerIds(new Dictionary<string, string> { ["Tag.1.Key"] = "env", ["Tag.1.Value"] = "test" });
        Assert.Equal(new[] { "lsn-hzweb01@8080", "lsn-hzweb01@8443" }, tagged);
        Assert.Equal(7, (await ListenerIds(new Dictionary<string, string> { ["Tag.1.Key"] = "env", ["Tag.1.Value"] = "prod" })).Length);
        Assert.Equal("InvalidParameter", (await _emu.CallAsync("ListListeners", query: new { ListenerProtocol = "HTTP" })).Code);
        Assert.Equal("InvalidParameter", (await _emu.CallAsync("ListListeners", query: new { ListenerIds = Enumerable.Range(0, 21).Select(i => $"l{i}").ToArray() })).Code);
    }

    [Fact]
    public async Task A_port_range_listener_has_port_0_and_string_StartPort_EndPort()
    {
        var l = (await _emu.CallAsync("GetListenerAttribute", query: new { ListenerId = "lsn-hzedge01@0" })).Body!;
        Assert.Equal(0, (int)l["ListenerPort"]!);
        Assert.Equal(JTokenType.String, l["StartPort"]!.Type);
        Assert.Equal("10000", (string?)l["StartPort"]);
        Assert.Equal("10100", (string?)l["EndPort"]);
    }

    [Fact]
    public async Task Get_uses_TagKey_TagValue_and_List_uses_Key_Value()
    {
        var get = (await _emu.CallAsync("GetListenerAttribute", query: new { ListenerId = "lsn-hzweb01@80" })).Body!;
        Assert.Equal("prod", (string?)get["Tags"]![0]!["TagValue"]);
        var list = (await _emu.CallAsync("ListListeners", query: new { ListenerIds = new[] { "lsn-hzweb01@80" } }))["Listeners"][0]!;
        Assert.Equal("prod", (string?)list["Tags"]![0]!["Value"]);
        var lb = (await _emu.CallAsync("GetLoadBalancerAttribute", query: new { LoadBalancerId = "nlb-hzweb01" })).Body!;
        Assert.Equal("vpc-hz-main", (string?)lb["VpcId"]);
        Assert.Equal("network", (string?)lb["LoadBalancerType"]);
    }

    [Fact]
    public async Task An_unknown_load_balancer_is_ResourceNotFound_loadBalancer()
    {
        var answer = await _emu.CallAsync("GetLoadBalancerAttribute", query: new { LoadBalancerId = "nlb-nope" });
        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("ResourceNotFound.loadBalancer", answer.Code);
    }

    [Fact]
    public async Task ListLoadBalancers_filters()
    {
        Assert.Equal(3, (int)(await _emu.CallAsync("ListLoadBalancers"))["TotalCount"]);
        Assert.Equal(2, (int)(await _emu.CallAsync("ListLoadBalancers", query: new { RegionId = "cn-hangzhou" }))["TotalCount"]);
        Assert.Equal(1, (int)(await _emu.CallAsync("ListLoadBalancers", query: new { AddressType = "Internet" }))["TotalCount"]);
        Assert.Equal(1, (int)(await _emu.CallAsync("ListLoadBalancers", query: new { VpcIds = new[] { "vpc-sh-main" } }))["TotalCount"]);
        Assert.Equal(2, (int)(await _emu.CallAsync("ListLoadBalancers", query: new { ZoneId = "cn-hangzhou-h" }))["TotalCount"]);
    }

    [Fact]
    public async Task ListServerGroups_has_every_protocol_and_filters()
    {
        var all = (await _emu.CallAsync("ListServerGroups", new { MaxResults = 100 }))["ServerGroups"];
        Assert.Equal(new[] { "TCP", "TCP_UDP", "UDP" }, all.Select(g => (string)g["Protocol"]!).Distinct().OrderBy(p => p).ToArray());
        Assert.Contains(all, g => (string?)g["Protocol"] == "TCP" && (bool)g["PreserveClientIpEnabled"]!);
        Assert.Contains(all, g => (string?)g["VpcId"] == "vpc-hz-other");
        var byVpc = await _emu.CallAsync("ListServerGroups", new { VpcId = "vpc-hz-other" });
        Assert.Equal("sgp-hzothervpc01", (string?)byVpc["ServerGroups"].Single()["ServerGroupId"]);
        Assert.Equal(2, (int)(await _emu.CallAsync("ListServerGroups", new { ServerGroupIds = new[] { "sgp-hztcp01", "sgp-shudp01" } }))["TotalCount"]);
    }

    [Fact]
    public async Task Security_policies_system_and_custom_with_related_listeners()
    {
        var system = (await _emu.CallAsync("ListSystemSecurityPolicy", new { RegionId = "cn-hangzhou" }))["SecurityPolicies"];
        Assert.Contains(system, p => (string?)p["SecurityPolicyId"] == "tls_cipher_policy_1_2_strict_with_1_3");
        Assert.All(system, p => Assert.Equal(JTokenType.String, p["Ciphers"]!.Type));

        await _emu.CallAsync("UpdateListenerAttribute", new { ListenerId = "lsn-hzweb01@443", SecurityPolicyId = "tls-hzcustom01" });
        var custom = await _emu.CallAsync("ListSecurityPolicy", new { RegionId = "cn-hangzhou" });
        var policy = custom["SecurityPolicies"].Single();
        Assert.Equal("tls-hzcustom01", (string?)policy["SecurityPolicyId"]);
        Assert.Equal("lsn-hzweb01@443", (string?)policy["RelatedListeners"]!.Single()["ListenerId"]);
    }

    [Fact]
    public async Task DescribeRegions_lists_both_regions_with_endpoints()
    {
        var regions = (await _emu.CallAsync("DescribeRegions"))["Regions"];
        Assert.Equal("nlb.cn-hangzhou.aliyuncs.com", (string?)regions.Single(r => (string?)r["RegionId"] == "cn-hangzhou")["RegionEndpoint"]);
        Assert.Null(regions[0]!["HdMonitorSupported"]);
    }
}

/// <summary>10,000 listeners paged with ListListeners: all of them come back; time and memory are reported.</summary>
public class LargeStateTests
{
    private readonly ITestOutputHelper _output;
    public LargeStateTests(ITestOutputHelper output) => _output = output;

    internal static StateDocument WithListeners(int count)
    {
        var d = DemoState.Create();
        d.Listeners.Clear();
        for (var i = 0; i < count; i++)
            d.Listeners.Add(new Listener
            {
                ListenerId = $"lsn-bulk{i:D5}@{1000 + i % 60000}", LoadBalancerId = "nlb-hzweb01", ListenerProtocol = i % 3 == 0 ? "UDP" : "TCP",
                ListenerPort = 1000 + i % 60000, ServerGroupId = "sgp-hztcpudp01", ListenerDescription = $"bulk-{i}",
                Tags = new List<Tag> { new("n", (i % 10).ToString()) },
            });
        StateLoader.ApplyDefaults(d);
        return d;
    }

    [Fact]
    public async Task ListListeners_pages_through_10000_listeners()
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        await using var emu = await TestEmulator.StartAsync(seed: () => WithListeners(10_000));
        var afterLoad = GC.GetTotalMemory(forceFullCollection: true);

        var watch = Stopwatch.StartNew();
        var ids = new HashSet<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var answer = await emu.CallAsync("ListListeners", query: new { MaxResults = 100, NextToken = token });
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Equal(10_000, (int)answer["TotalCount"]);
            foreach (var l in answer["Listeners"]) Assert.True(ids.Add((string)l["ListenerId"]!));
            token = (string?)answer.Body!["NextToken"];
            pages++;
        } while (token != null);
        watch.Stop();
        Assert.Equal(10_000, ids.Count);
        Assert.Equal(100, pages);

        var filtered = await emu.CallAsync("ListListeners", query: new Dictionary<string, string> { ["ListenerProtocol"] = "UDP", ["Tag.1.Key"] = "n", ["Tag.1.Value"] = "3", ["MaxResults"] = "100" });
        Assert.Equal(Enumerable.Range(0, 10_000).Count(i => i % 3 == 0 && i % 10 == 3), (int)filtered["TotalCount"]);

        var process = Process.GetCurrentProcess();
        _output.WriteLine($"10,000 listeners: 100 pages of 100 in {watch.ElapsedMilliseconds} ms ({watch.ElapsedMilliseconds / 100.0:F1} ms/page); " +
            $"state ~{(afterLoad - before) / 1024 / 1024.0:F1} MiB managed heap; process working set {process.WorkingSet64 / 1024 / 1024} MiB");
    }
}
