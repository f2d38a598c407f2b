using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Newtonsoft.Json.Linq;
using NlbTools.Emulator.Api;

namespace NlbTools.Emulator.Tests.Hardening;

/// <summary>
/// Issue 15 item 10: every route refuses a Host header that is not the address the emulator listens on (DNS
/// rebinding), and control POSTs take JSON only (a page's form or text/plain POST needs no preflight).
/// </summary>
public sealed class HostAllowListTests : IAsyncLifetime
{
    private const string Tcp = "lsn-hzweb01@80";
    private TestEmulator _emu = null!;
    private int Port => new Uri(_emu.Endpoint).Port;

    public async Task InitializeAsync() => _emu = await TestEmulator.StartAsync(jobDurationMs: 0);
    public async Task DisposeAsync() => await _emu.DisposeAsync();

    public static TheoryData<string> Routes => new()
    {
        "GET /?Action=ListListeners&Version=2022-04-30&RegionId=cn-hangzhou",
        "POST /?Action=AssumeRoleWithOIDC&Version=2015-04-01",
        "PUT /latest/api/token",
        "GET /latest/meta-data/ram/security-credentials/",
        "GET /_emulator/state",
        "POST /_emulator/reset",
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_route_refuses_a_Host_that_is_not_the_listening_address(string route)
    {
        var hosts = new[] { "attacker.example:" + Port, "127.0.0.1.nip.io:" + Port, "127.0.0.2:" + Port, "[::1]:" + Port, "127.0.0.1:" + (Port == 1 ? 2 : Port - 1), "127.0.0.1", "localhost" };
        foreach (var host in hosts)
        {
            var (status, body) = await RawHttp.SendAsync(Port, $"{route} HTTP/1.1\r\nHost: {host}\r\nX-aliyun-ecs-metadata-token-ttl-seconds: 60\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}");
            Assert.True(status == 403, $"{route} with Host {host}: {status} {body}");
            var json = JObject.Parse(body);
            Assert.Equal("Forbidden.Host", (string?)json["Code"]);
            Assert.Contains("127.0.0.1:" + Port, (string?)json["Message"]);
            Assert.NotNull(json["RequestId"]);
        }
    }

    [Fact]
    public async Task A_refused_Host_changes_nothing_a_reset_through_a_rebound_name_does_not_reset()
    {
        Assert.Equal(HttpStatusCode.OK, (await _emu.CallAsync("UpdateListenerAttribute", new { ListenerId = Tcp, ListenerDescription = "kept" })).Status);
        var (status, _) = await RawHttp.SendAsync(Port, $"POST /_emulator/reset HTTP/1.1\r\nHost: rebound.example:{Port}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}");
        Assert.Equal(403, status);
        var listener = await _emu.CallAsync("GetListenerAttribute", query: new { ListenerId = Tcp });
        Assert.Equal("kept", (string?)listener.Body!["ListenerDescription"]);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("LOCALHOST")]
    public async Task The_listening_address_and_localhost_with_the_port_are_served(string name)
    {
        var (status, body) = await RawHttp.SendAsync(Port, $"GET /_emulator/state HTTP/1.1\r\nHost: {name}:{Port}\r\nConnection: close\r\n\r\n");
        Assert.True(status == 200, body);
        var (metadataStatus, role) = await RawHttp.SendAsync(Port, $"GET /latest/meta-data/ram/security-credentials/ HTTP/1.1\r\nHost: {name}:{Port}\r\nConnection: close\r\n\r\n");
        Assert.Equal(200, metadataStatus);
        Assert.Equal(_emu.Runtime.Options.EcsRoleName, role);
    }

    [Fact]
    public async Task A_signed_API_call_with_the_listening_address_as_Host_succeeds()
    {
        // TestEmulator signs host = 127.0.0.1:PORT, as the official clients and ours send it.
        var answer = await _emu.CallAsync("ListListeners", new { RegionId = "cn-hangzhou" });
        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Theory]
    [InlineData("127.0.0.1", 8080, "127.0.0.1", 8080, true)]
    [InlineData("localhost", 8080, "127.0.0.1", 8080, true)]
    [InlineData("[::1]", 8080, "::1", 8080, true)]
    [InlineData("localhost", 8080, "::1", 8080, true)]
    [InlineData("[::1]", 8080, "127.0.0.1", 8080, false)]
    [InlineData("127.0.0.1", 8080, "::1", 8080, false)]
    [InlineData("127.0.0.1", 8081, "127.0.0.1", 8080, false)]
    [InlineData("localhost", 8080, "10.1.2.3", 8080, false)]
    [InlineData("10.1.2.3", 8080, "::ffff:10.1.2.3", 8080, true)]
    [InlineData("evil.example", 8080, "127.0.0.1", 8080, false)]
    public void The_rule_the_local_address_of_the_connection_or_localhost_when_it_is_loopback(string name, int port, string local, int localPort, bool allowed)
        => Assert.Equal(allowed, HostAllowList.IsAllowed(new HostString(name, port), IPAddress.Parse(local), localPort, "127.0.0.1"));

    [Fact]
    public void A_host_given_by_name_allows_that_name_only()
    {
        Assert.True(HostAllowList.IsAllowed(new HostString("emu.internal", 8080), IPAddress.Parse("10.1.2.3"), 8080, "emu.internal"));
        Assert.False(HostAllowList.IsAllowed(new HostString("other.internal", 8080), IPAddress.Parse("10.1.2.3"), 8080, "emu.internal"));
        Assert.False(HostAllowList.IsAllowed(new HostString("0.0.0.0", 8080), IPAddress.Parse("10.1.2.3"), 8080, "0.0.0.0"));
    }

    public static TheoryData<string?> NotJson => new() { null, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp" };

    [Theory]
    [MemberData(nameof(NotJson))]
    public async Task Control_POSTs_refuse_a_body_that_is_not_JSON_and_change_nothing(string? contentType)
    {
        Assert.Equal(HttpStatusCode.OK, (await _emu.CallAsync("UpdateListenerAttribute", new { ListenerId = Tcp, ListenerDescription = "kept" })).Status);
        foreach (var path in new[] { "reset", "faults" })
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(path == "faults" ? "{\"Rate\":1,\"Codes\":[\"SystemBusy\"]}" : "{}"));
            if (contentType != null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            var response = await _emu.Http.PostAsync("/_emulator/" + path, content);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
            Assert.Equal("UnsupportedMediaType", (string?)JObject.Parse(await response.Content.ReadAsStringAsync())["Code"]);
        }
        var listener = await _emu.CallAsync("GetListenerAttribute", query: new { ListenerId = Tcp });
        Assert.Equal(HttpStatusCode.OK, listener.Status); // no fault was set
        Assert.Equal("kept", (string?)listener.Body!["ListenerDescription"]); // no reset happened
    }

    [Fact]
    public async Task Control_POSTs_with_JSON_are_served()
    {
        var reset = await _emu.Http.PostAsync("/_emulator/reset", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
    }

    [Fact]
    public async Task A_control_body_over_its_cap_is_413_RequestEntityTooLarge()
    {
        var big = "{\"Rate\":0,\"Actions\":[\"" + new string('a', Control.ControlEndpoints.MaxBodyBytes) + "\"]}";
        var response = await _emu.Http.PostAsync("/_emulator/faults", new StringContent(big, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("RequestEntityTooLarge", (string?)JObject.Parse(await response.Content.ReadAsStringAsync())["Code"]);
    }
}
