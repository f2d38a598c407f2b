using System.Net;
using Newtonsoft.Json.Linq;

namespace NlbTools.Emulator.Tests;

/// <summary>
/// UpdateListenerAttribute as the seed documents it: every rule answers with its code and HTTP status.
/// Demo listeners: lsn-hzweb01@80 TCP, @443 TCPSSL, @53 UDP, @8080 TCP Stopped (all cn-hangzhou);
/// lsn-shapp01@80 TCP in cn-shanghai (no HD monitoring).
/// </summary>
public class UpdateListenerAttributeTests : IAsyncLifetime
{
    private const string Tcp = "lsn-hzweb01@80", Tls = "lsn-hzweb01@443", Udp = "lsn-hzweb01@53", Stopped = "lsn-hzweb01@8080", Shanghai = "lsn-shapp01@80";
    private TestEmulator _emu = null!;
    public async Task InitializeAsync() => _emu = await TestEmulator.StartAsync(jobDurationMs: 0);
    public async Task DisposeAsync() => await _emu.DisposeAsync();

    private Task<Answer> Update(object parameters) => _emu.CallAsync("UpdateListenerAttribute", parameters);

    private async Task AssertError(object parameters, HttpStatusCode status, string code)
    {
        var answer = await Update(parameters);
        Assert.True(answer.Code == code, $"expected {code}, got {answer.Code}: {answer.Message}");
        Assert.Equal(status, answer.Status);
        Assert.NotNull(answer.RequestId);
    }

    [Fact]
    public async Task Applies_every_field_and_answers_a_JobId()
    {
        var answer = await Update(new
        {
            ListenerId = Tls, RegionId = "cn-hangzhou", ListenerDescription = "new-name_1.2;a/b@c", ServerGroupId = "sgp-hztcp01",
            SecurityPolicyId = "tls-hzcustom01", CertificateIds = new[] { "12315791-cn-hangzhou" }, CaCertificateIds = new[] { "ca-hzroot01" },
            CaEnabled = "True", IdleTimeout = 300, Cps = 1000, Mss = 1400, ProxyProtocolEnabled = "TRUE",
            ProxyProtocolV2Config = "{\"Ppv2VpcIdEnabled\":true,\"Ppv2PrivateLinkEpIdEnabled\":false}",
            SecSensorEnabled = true, AlpnEnabled = true, AlpnPolicy = "HTTP2Preferred",
        });
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Matches("^[0-9a-f-]{36}$", (string)answer["JobId"]!);

        var l = (await _emu.CallAsync("GetListenerAttribute", query: new { ListenerId = Tls })).Body!;
        Assert.Equal("Running", (string?)l["ListenerStatus"]);
        Assert.Equal("new-name_1.2;a/b@c", (string?)l["ListenerDescription"]);
        Assert.Equal("tls-hzcustom01", (string?)l["SecurityPolicyId"]);
        Assert.Equal(new[] { "12315791-cn-hangzhou" }, l["CertificateIds"]!.ToObject<string[]>());
        Assert.Equal(new[] { "ca-hzroot01" }, l["CaCertificateIds"]!.ToObject<string[]>());
        Assert.True((bool)l["CaEnabled"]!);
        Assert.Equal(300, (int)l["IdleTimeout"]!);
        Assert.Equal(1000, (int)l["Cps"]!);
        Assert.Equal(1400, (int)l["Mss"]!);
        Assert.True((bool)l["ProxyProtocolEnabled"]!);
        Assert.True((bool)l["ProxyProtocolV2Config"]!["Ppv2VpcIdEnabled"]!);
        Assert.False((bool)l["ProxyProtocolV2Config"]!["Ppv2PrivateLinkEpsIdEnabled"]!);
        Assert.True((bool)l["SecSensorEnabled"]!);
        Assert.Equal("HTTP2Preferred", (string?)l["AlpnPolicy"]);
        Assert.Equal("env", (string?)l["Tags"]![0]!["TagKey"]);
    }

    [Fact]
    public async Task Unknown_listener_is_ResourceNotFound_listener() =>
        await AssertError(new { ListenerId = "lsn-nope@1", IdleTimeout = 60 }, HttpStatusCode.NotFound, "ResourceNotFound.listener");

    [Fact]
    public async Task A_listener_asked_for_in_another_region_is_not_found() =>
        await AssertError(new { ListenerId = Tcp, RegionId = "cn-shanghai", IdleTimeout = 60 }, HttpStatusCode.NotFound, "ResourceNotFound.listener");

    [Fact]
    public async Task Missing_ListenerId_is_MissingParameter() =>
        await AssertError(new { IdleTimeout = 60 }, HttpStatusCode.BadRequest, "MissingParameter");

    public static TheoryData<string, string, object> TlsOnlyParameters => new()
    {
        { Tcp, "SecurityPolicyId", "tls_cipher_policy_1_2" }, { Udp, "CertificateIds.1", "12315790-cn-hangzhou" },
        { Tcp, "CaCertificateIds.1", "ca-hzroot01" }, { Udp, "CaEnabled", "false" }, { Tcp, "AlpnEnabled", "false" },
        { Udp, "AlpnPolicy", "HTTP1Only" }, { Tcp, "Mss", "1000" },
    };

    [Theory]
    [MemberData(nameof(TlsOnlyParameters))]
    public async Task Tcpssl_only_parameters_are_rejected_on_TCP_and_UDP(string listener, string name, object value)
        => await AssertError(new Dictionary<string, string> { ["ListenerId"] = listener, [name] = (string)value }, HttpStatusCode.BadRequest, "IllegalParam");

    [Theory]
    [InlineData(Tcp, 9)]
    [InlineData(Tcp, 901)]
    [InlineData(Tls, 5)]
    [InlineData(Udp, 21)]
    [InlineData(Udp, 9)]
    public async Task IdleTimeout_out_of_range_is_IllegalParam_IdleTimeout(string listener, int idle)
        => await AssertError(new { ListenerId = listener, IdleTimeout = idle }, HttpStatusCode.BadRequest, "IllegalParam.IdleTimeout");

    [Theory]
    [InlineData(Tcp, 10)]
    [InlineData(Tcp, 900)]
    [InlineData(Udp, 20)]
    public async Task IdleTimeout_at_the_bounds_is_accepted(string listener, int idle)
        => Assert.Equal(HttpStatusCode.OK, (await Update(new { ListenerId = listener, IdleTimeout = idle })).Status);

    [Theory]
    [InlineData("a")]
    [InlineData("has space")]
    [InlineData("semi;colon#hash")]
    public async Task A_description_outside_the_documented_rules_is_IllegalParam(string description)
        => await AssertError(new { ListenerId = Tcp, ListenerDescription = description }, HttpStatusCode.BadRequest, "IllegalParam");

    [Fact]
    public async Task A_257_character_description_is_IllegalParam()
        => await AssertError(new { ListenerId = Tcp, ListenerDescription = new string('a', 257) }, HttpStatusCode.BadRequest, "IllegalParam");

    [Fact]
    public async Task Cps_above_a_million_is_IllegalParam()
        => await AssertError(new { ListenerId = Tcp, Cps = 1000001 }, HttpStatusCode.BadRequest, "IllegalParam");

    [Fact]
    public async Task Mss_above_1500_is_IllegalParam()
        => await AssertError(new { ListenerId = Tls, Mss = 1501 }, HttpStatusCode.BadRequest, "IllegalParam");

    [Fact]
    public async Task AlpnEnabled_without_AlpnPolicy_is_IllegalParam()
        => await AssertError(new { ListenerId = Tls, AlpnEnabled = true }, HttpStatusCode.BadRequest, "IllegalParam");

    [Theory]
    [InlineData(Tcp, "sgp-hzudp01")]
    [InlineData(Udp, "sgp-hztcp01")]
    [InlineData(Tls, "sgp-hztcpip01")]
    [InlineData(Tls, "sgp-hztcpudp01")]
    [InlineData(Tls, "sgp-hzudp01")]
    public async Task An_incompatible_server_group_is_IllegalParam(string listener, string group)
        => await AssertError(new { ListenerId = listener, ServerGroupId = group }, HttpStatusCode.BadRequest, "IllegalParam");

    [Theory]
    [InlineData(Tcp, "sgp-hztcpudp01")]
    [InlineData(Tcp, "sgp-hztcpip01")]
    [InlineData(Udp, "sgp-hztcpudp01")]
    [InlineData(Tls, "sgp-hztcp01")]
    public async Task A_compatible_server_group_is_accepted(string listener, string group)
        => Assert.Equal(HttpStatusCode.OK, (await Update(new { ListenerId = listener, ServerGroupId = group })).Status);

    [Fact]
    public async Task A_server_group_in_another_VPC_is_Mismatch_VpcId()
        => await AssertError(new { ListenerId = Tcp, ServerGroupId = "sgp-hzothervpc01" }, HttpStatusCode.BadRequest, "Mismatch.VpcId");

    [Fact]
    public async Task An_unknown_server_group_is_ResourceNotFound_serverGroup()
        => await AssertError(new { ListenerId = Tcp, ServerGroupId = "sgp-nope" }, HttpStatusCode.NotFound, "ResourceNotFound.serverGroup");

    [Theory]
    [InlineData("CertificateIds")]
    [InlineData("CaCertificateIds")]
    public async Task More_than_one_certificate_is_IllegalParamSize_certificateIds(string name)
        => await AssertError(new Dictionary<string, string> { ["ListenerId"] = Tls, [name + ".1"] = "12315790-cn-hangzhou", [name + ".2"] = "12315791-cn-hangzhou" },
            HttpStatusCode.BadRequest, "IllegalParamSize.certificateIds");

    [Theory]
    [InlineData("cert-nope")]
    [InlineData("ca-hzroot01")]
    [InlineData("12315800-cn-shanghai")]
    public async Task An_unknown_server_certificate_is_ResourceNotFound_Certificate(string id)
        => await AssertError(new { ListenerId = Tls, CertificateIds = new[] { id } }, HttpStatusCode.BadRequest, "ResourceNotFound.Certificate");

    [Fact]
    public async Task An_unknown_CA_certificate_is_ResourceNotFound_CaCertificate()
        => await AssertError(new { ListenerId = Tls, CaCertificateIds = new[] { "12315790-cn-hangzhou" } }, HttpStatusCode.NotFound, "ResourceNotFound.CaCertificate");

    [Theory]
    [InlineData("tls-nope")]
    [InlineData("tls-shcustom01")]
    public async Task An_unknown_security_policy_is_ResourceNotFound_securitypolicy(string id)
        => await AssertError(new { ListenerId = Tls, SecurityPolicyId = id }, HttpStatusCode.NotFound, "ResourceNotFound.securitypolicy");

    [Fact]
    public async Task A_system_security_policy_is_accepted()
        => Assert.Equal(HttpStatusCode.OK, (await Update(new { ListenerId = Tls, SecurityPolicyId = "tls_cipher_policy_1_2_strict" })).Status);

    [Fact]
    public async Task SecSensorEnabled_in_a_region_without_HD_monitoring_is_OperationDenied()
    {
        await AssertError(new { ListenerId = Shanghai, SecSensorEnabled = true }, HttpStatusCode.BadRequest, "OperationDenied.RegionNotSupportHDMonitor");
        Assert.Equal(HttpStatusCode.OK, (await Update(new { ListenerId = Shanghai, SecSensorEnabled = false })).Status);
    }

    [Fact]
    public async Task A_listener_that_is_not_Running_is_IncorrectStatus_listener()
        => await AssertError(new { ListenerId = Stopped, IdleTimeout = 60 }, HttpStatusCode.BadRequest, "IncorrectStatus.listener");

    [Fact]
    public async Task DryRun_passes_every_check_then_answers_DryRunOperation_and_changes_nothing()
    {
        var before = (await _emu.CallAsync("GetListenerAttribute", query: new { ListenerId = Tcp })).Body!;
        await AssertError(new { ListenerId = Tcp, IdleTimeout = 77, DryRun = "True" }, HttpStatusCode.BadRequest, "DryRunOperation");
        // A dry run still runs every check first.
        await AssertError(new { ListenerId = Tcp, IdleTimeout = 5, DryRun = true }, HttpStatusCode.BadRequest, "IllegalParam.IdleTimeout");
        var after = (await _emu.CallAsync("GetListenerAttribute", query: new { ListenerId = Tcp })).Body!;
        Assert.Equal((int)before["IdleTimeout"]!, (int)after["IdleTimeout"]!);
        Assert.Empty(await _emu.ControlAsync("jobs"));
    }

    [Fact]
    public async Task The_same_ClientToken_with_the_same_parameters_returns_the_same_JobId_and_applies_once()
    {
        var first = await Update(new { ListenerId = Tcp, ListenerDescription = "once", ClientToken = "token-1" });
        var second = await Update(new { ListenerId = Tcp, ListenerDescription = "once", ClientToken = "token-1" });
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal((string?)first["JobId"], (string?)second["JobId"]);
        var jobs = await _emu.ControlAsync("jobs");
        Assert.Single(jobs);
        Assert.Equal("token-1", (string?)jobs[0]!["ClientToken"]);
    }

    [Fact]
    public async Task The_same_ClientToken_with_different_parameters_is_IdempotenceSignatureMismatch()
    {
        Assert.Equal(HttpStatusCode.OK, (await Update(new { ListenerId = Tcp, IdleTimeout = 100, ClientToken = "token-2" })).Status);
        await AssertError(new { ListenerId = Tcp, IdleTimeout = 101, ClientToken = "token-2" }, HttpStatusCode.BadRequest, "IdempotenceSignatureMismatch");
    }

    [Theory]
    [InlineData("IdleTimeout", "abc")]
    [InlineData("IdleTimeout", "99999999999999")]
    [InlineData("ProxyProtocolEnabled", "yes")]
    [InlineData("ProxyProtocolV2Config", "{not json")]
    [InlineData("ProxyProtocolV2Config", "{\"Unknown\":true}")]
    [InlineData("ProxyProtocolV2Config", "{\"Ppv2VpcIdEnabled\":42}")]
    [InlineData("CertificateIds.x", "a")]
    public async Task Malformed_values_are_400_InvalidParameter_never_500(string name, string value)
        => await AssertError(new Dictionary<string, string> { ["ListenerId"] = Tls, [name] = value }, HttpStatusCode.BadRequest, "InvalidParameter");

    [Fact]
    public async Task A_flattened_ProxyProtocolV2Config_is_accepted_too()
    {
        Assert.Equal(HttpStatusCode.OK, (await Update(new Dictionary<string, string> { ["ListenerId"] = Tcp, ["ProxyProtocolV2Config.Ppv2PrivateLinkEpsIdEnabled"] = "true" })).Status);
        var l = (await _emu.CallAsync("GetListenerAttribute", query: new { ListenerId = Tcp })).Body!;
        Assert.True((bool)l["ProxyProtocolV2Config"]!["Ppv2PrivateLinkEpsIdEnabled"]!);
    }
}
