using NlbTools.Emulator.State;

namespace NlbTools.Emulator.Tests;

/// <summary>State files: the design.md schema, defaults for what is left out, clear errors for what is wrong.</summary>
public class StateFileTests
{
    private const string Minimal = """
        {
          "AccessKeys": [ { "AccessKeyId": "id1", "AccessKeySecret": "secret1" } ],
          "Regions": [ { "RegionId": "cn-beijing", "HdMonitorSupported": false } ],
          "LoadBalancers": [ { "LoadBalancerId": "nlb-1", "RegionId": "cn-beijing", "VpcId": "vpc-1" } ],
          "ServerGroups": [ { "ServerGroupId": "sgp-1", "RegionId": "cn-beijing", "VpcId": "vpc-1", "Protocol": "UDP" } ],
          "SecurityPolicies": [ { "SecurityPolicyId": "tls-1", "RegionId": "cn-beijing" } ],
          "Certificates": [ { "CertificateId": "cert-1", "RegionId": "cn-beijing", "Type": "Server" } ],
          "Listeners": [
            { "ListenerId": "lsn-1@53", "LoadBalancerId": "nlb-1", "ListenerProtocol": "udp", "ListenerPort": 53, "ServerGroupId": "sgp-1" },
            { "ListenerId": "lsn-1@0", "LoadBalancerId": "nlb-1", "ListenerProtocol": "TCPSSL", "ListenerPort": 0, "StartPort": 100, "EndPort": "200" }
          ]
        }
        """;

    [Fact]
    public void A_minimal_file_loads_with_the_API_defaults()
    {
        var d = StateLoader.Parse(Minimal);
        var udp = d.Listeners[0];
        Assert.Equal("UDP", udp.ListenerProtocol);
        Assert.Equal(20, udp.IdleTimeout);
        Assert.Equal("Running", udp.ListenerStatus);
        Assert.Equal("cn-beijing", udp.RegionId);
        var tls = d.Listeners[1];
        Assert.Equal(900, tls.IdleTimeout);
        Assert.Equal("100", tls.StartPort);
        Assert.Empty(tls.CertificateIds!);
        Assert.Equal("nlb.cn-beijing.aliyuncs.com", d.Regions[0].RegionEndpoint);
        Assert.False(d.Regions[0].HdMonitorSupported);
        Assert.Equal("Available", d.ServerGroups[0].ServerGroupStatus);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("{\"AccessKeys\": [", "not a valid state document")]
    [InlineData("[1,2]", "not a valid state document")]
    [InlineData("{\"AccessKeys\":[{\"AccessKeyId\":\"a\",\"AccessKeySecret\":\"b\"}],\"Regions\":[{\"RegionId\":\"r\"}],\"Listners\":[]}", "Listners")]
    [InlineData("{\"AccessKeys\":[],\"Regions\":[{\"RegionId\":\"r\"}]}", "AccessKeys must hold at least one key")]
    [InlineData("{\"AccessKeys\":[{\"AccessKeyId\":\"a\",\"AccessKeySecret\":\"b\"}],\"Regions\":[{\"RegionId\":\"r\"}],\"Listeners\":[{\"ListenerId\":\"l\",\"ListenerProtocol\":\"TCP\",\"LoadBalancerId\":\"nlb-x\",\"ListenerPort\":1}]}", "LoadBalancerId 'nlb-x' is not in LoadBalancers")]
    [InlineData("{\"AccessKeys\":[{\"AccessKeyId\":\"a\",\"AccessKeySecret\":\"b\"}],\"Regions\":[{\"RegionId\":\"r\"},{\"RegionId\":\"r\"}]}", "'r' more than once")]
    [InlineData("{\"AccessKeys\":[{\"AccessKeyId\":\"a\",\"AccessKeySecret\":\"b\"}],\"Regions\":[{\"RegionId\":\"r\"}],\"Certificates\":[{\"CertificateId\":\"c\",\"RegionId\":\"r\",\"Type\":\"Client\"}]}", "Type must be Server or Ca")]
    public void A_bad_file_is_rejected_with_a_message_that_names_the_problem(string json, string expected)
    {
        var e = Assert.Throws<StateFileException>(() => StateLoader.Parse(json, "test.json"));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_missing_file_is_a_StateFileException()
        => Assert.Contains("cannot read state file", Assert.Throws<StateFileException>(() => StateLoader.LoadFile("/nonexistent/state.json")).Message);

    [Fact]
    public void The_demo_state_has_what_issue_3_asks_for()
    {
        var d = DemoState.Create();
        Assert.Equal(2, d.Regions.Count);
        Assert.Contains(d.Regions, r => r.HdMonitorSupported == false);
        Assert.Equal(3, d.LoadBalancers.Count);
        Assert.True(d.Listeners.Count >= 12);
        Assert.Equal(new[] { "TCP", "TCPSSL", "UDP" }, d.Listeners.Select(l => l.ListenerProtocol).Distinct().OrderBy(p => p).ToArray());
        Assert.Contains(d.Listeners, l => l.ListenerPort == 0 && l.StartPort != null && l.EndPort != null);
        Assert.Equal(new[] { "TCP", "TCP_UDP", "UDP" }, d.ServerGroups.Select(g => g.Protocol).Distinct().OrderBy(p => p).ToArray());
        Assert.Contains(d.ServerGroups, g => g.Protocol == "TCP" && g.PreserveClientIpEnabled == true);
        Assert.Contains(d.ServerGroups, g => d.LoadBalancers.All(lb => lb.VpcId != g.VpcId));
        Assert.NotEmpty(d.SecurityPolicies);
        Assert.NotEmpty(SystemSecurityPolicies.All);
        Assert.Contains(d.Certificates, c => c.Type == "Server");
        Assert.Contains(d.Certificates, c => c.Type == "Ca");
        // And it passes the same validation as a state file.
        StateLoader.Parse(Newtonsoft.Json.JsonConvert.SerializeObject(d, EmulatorJson.Output));
    }

    [Theory]
    [InlineData(new[] { "--port", "70000" }, "--port")]
    [InlineData(new[] { "--latency-ms" }, "needs a value")]
    [InlineData(new[] { "--job-duration-ms", "-1" }, "--job-duration-ms")]
    [InlineData(new[] { "--verbose" }, "unknown option")]
    public void Bad_command_lines_are_rejected(string[] args, string expected)
        => Assert.Contains(expected, Assert.Throws<ArgumentException>(() => EmulatorOptions.Parse(args)).Message);

    [Fact]
    public void The_command_line_reads_every_option()
    {
        var o = EmulatorOptions.Parse(new[] { "--port", "8080", "--host", "::1", "--state", "s.json", "--job-duration-ms", "0", "--latency-ms", "25", "--parent-pid", "42" });
        Assert.Equal((8080, "::1", "s.json", 0, 25, (int?)42), (o.Port, o.Host, o.StatePath, o.JobDurationMs, o.LatencyMs, o.ParentPid));
        var defaults = EmulatorOptions.Parse(Array.Empty<string>());
        Assert.Equal((0, "127.0.0.1", 1500, 0), (defaults.Port, defaults.Host, defaults.JobDurationMs, defaults.LatencyMs));
    }
}
