using System.Net;
using Newtonsoft.Json.Linq;
using NlbTools.Emulator.State;

namespace NlbTools.Emulator.Tests;

/// <summary>Authentication works like the gateway: V3 and V2, every auth error code, STS, permissions.</summary>
public class AuthTests : IAsyncLifetime
{
    private TestEmulator _emu = null!;
    public async Task InitializeAsync() => _emu = await TestEmulator.StartAsync();
    public async Task DisposeAsync() => await _emu.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_correctly_signed_request_succeeds_with_a_RequestId_in_body_and_header(bool v2)
    {
        var answer = await _emu.CallAsync("DescribeRegions", signer: Signer.Demo with { V2 = v2 });
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.NotNull(answer.RequestId);
        Assert.Equal(answer.RequestId, answer.Response.Headers.GetValues("x-acs-request-id").Single());
        Assert.Equal(2, ((JArray)answer["Regions"]).Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Unknown_key_is_InvalidAccessKeyId_NotFound(bool v2)
    {
        var answer = await _emu.CallAsync("DescribeRegions", signer: new Signer("LTAIunknown", "whatever", V2: v2));
        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("InvalidAccessKeyId.NotFound", answer.Code);
    }

    [Theory]
    [InlineData(false, "ACS3-HMAC-SHA256\n")]
    [InlineData(true, "POST&%2F&AccessKeyId%3D")]
    public async Task Wrong_secret_is_SignatureDoesNotMatch_with_the_server_string_to_sign(bool v2, string stringToSignStart)
    {
        var answer = await _emu.CallAsync("DescribeRegions", signer: Signer.Demo with { Secret = "wrong", V2 = v2 });
        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal("SignatureDoesNotMatch", answer.Code);
        Assert.Contains("server string to sign is:" + stringToSignStart, answer.Message);
        Assert.DoesNotContain(DemoState.AccessKeySecret, answer.Raw);
        Assert.NotNull(answer.Body!["HostId"]);
        Assert.NotNull(answer.Body!["Recommend"]);
    }

    [Fact]
    public async Task A_body_changed_after_signing_is_SignatureDoesNotMatch()
    {
        var request = _emu.BuildRequest("UpdateListenerAttribute", "2022-04-30",
            TestEmulator.ToPairs(new { ListenerId = "lsn-hzweb01@80", ListenerDescription = "signed" }), new(), Signer.Demo,
            new CallOptions { AfterSigning = r => r.Content = new ByteArrayContent("ListenerId=lsn-hzweb01%4080&ListenerDescription=tampered"u8.ToArray()) { Headers = { { "Content-Type", "application/x-www-form-urlencoded" } } } });
        var answer = await _emu.SendAsync(request);
        Assert.Equal("SignatureDoesNotMatch", answer.Code);
    }

    [Theory]
    [InlineData("ACS3-HMAC-SHA256 Credential=LTAI5tNlbEmulatorDemo")]
    [InlineData("ACS3-HMAC-SHA256 Credential=LTAI5tNlbEmulatorDemo,SignedHeaders=host,Signature=")]
    [InlineData("ACS3-HMAC-SHA1 Credential=x,SignedHeaders=host,Signature=y")]
    [InlineData("Bearer abc")]
    public async Task A_malformed_Authorization_header_is_IncompleteSignature(string authorization)
    {
        var request = _emu.BuildRequest("DescribeRegions", "2022-04-30", new(), new(), Signer.Demo, new CallOptions
        {
            AfterSigning = r => { r.Headers.Remove("Authorization"); r.Headers.TryAddWithoutValidation("Authorization", authorization); },
        });
        var answer = await _emu.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("IncompleteSignature", answer.Code);
    }

    [Fact]
    public async Task An_unsigned_request_is_IncompleteSignature()
    {
        var answer = await _emu.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/?Action=DescribeRegions&Version=2022-04-30"));
        Assert.Equal("IncompleteSignature", answer.Code);
    }

    [Fact]
    public async Task An_x_acs_header_left_out_of_SignedHeaders_is_IncompleteSignature()
    {
        var request = _emu.BuildRequest("DescribeRegions", "2022-04-30", new(), new(), Signer.Demo,
            new CallOptions { AfterSigning = r => r.Headers.TryAddWithoutValidation("x-acs-extra", "unsigned") });
        Assert.Equal("IncompleteSignature", (await _emu.SendAsync(request)).Code);
    }

    [Theory]
    [InlineData(false, -16)]
    [InlineData(false, 16)]
    [InlineData(true, -16)]
    public async Task A_timestamp_outside_15_minutes_is_InvalidTimeStamp_Expired(bool v2, int minutes)
    {
        var answer = await _emu.CallAsync("DescribeRegions", signer: Signer.Demo with { V2 = v2 }, options: new CallOptions { ClockSkew = TimeSpan.FromMinutes(minutes) });
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("InvalidTimeStamp.Expired", answer.Code);
    }

    [Fact]
    public async Task A_timestamp_inside_the_window_is_accepted()
    {
        var answer = await _emu.CallAsync("DescribeRegions", options: new CallOptions { ClockSkew = TimeSpan.FromMinutes(-14) });
        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Fact]
    public async Task An_unreadable_timestamp_is_IllegalTimestamp()
    {
        var request = _emu.BuildRequest("DescribeRegions", "2022-04-30", new(), new(), Signer.Demo with { V2 = true }, new CallOptions
        {
            AfterSigning = r => r.RequestUri = new Uri(r.RequestUri!.OriginalString.Replace("Timestamp=", "Timestamp=x"), UriKind.Relative),
        });
        Assert.Equal("IllegalTimestamp", (await _emu.SendAsync(request)).Code);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_replayed_nonce_is_SignatureNonceUsed(bool v2)
    {
        var options = new CallOptions { Nonce = "fixed-nonce-" + v2 };
        Assert.Equal(HttpStatusCode.OK, (await _emu.CallAsync("DescribeRegions", signer: Signer.Demo with { V2 = v2 }, options: options)).Status);
        var replay = await _emu.CallAsync("DescribeRegions", signer: Signer.Demo with { V2 = v2 }, options: options);
        Assert.Equal(HttpStatusCode.BadRequest, replay.Status);
        Assert.Equal("SignatureNonceUsed", replay.Code);
    }

    [Fact]
    public async Task A_forged_request_does_not_burn_the_nonce()
    {
        var options = new CallOptions { Nonce = "nonce-under-attack" };
        Assert.Equal("SignatureDoesNotMatch", (await _emu.CallAsync("DescribeRegions", signer: Signer.Demo with { Secret = "guess" }, options: options)).Code);
        Assert.Equal(HttpStatusCode.OK, (await _emu.CallAsync("DescribeRegions", options: options)).Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sts_keys_need_their_security_token(bool v2)
    {
        Assert.Equal(HttpStatusCode.OK, (await _emu.CallAsync("DescribeRegions", signer: Signer.Sts with { V2 = v2 })).Status);
        Assert.Equal("InvalidSecurityToken.MismatchWithAccessKey", (await _emu.CallAsync("DescribeRegions", signer: Signer.Sts with { Token = null, V2 = v2 })).Code);
        Assert.Equal("InvalidSecurityToken.MismatchWithAccessKey", (await _emu.CallAsync("DescribeRegions", signer: Signer.Sts with { Token = "other", V2 = v2 })).Code);
    }

    [Fact]
    public async Task A_denied_action_is_Forbidden_NoPermission_with_AccessDeniedDetail()
    {
        Assert.Equal(HttpStatusCode.OK, (await _emu.CallAsync("ListListeners", signer: Signer.ReadOnly)).Status);
        var answer = await _emu.CallAsync("UpdateListenerAttribute", new { ListenerId = "lsn-hzweb01@80", IdleTimeout = 60 }, signer: Signer.ReadOnly);
        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal("Forbidden.NoPermission", answer.Code);
        var detail = (JObject)answer["AccessDeniedDetail"];
        Assert.Equal("nlb:UpdateListenerAttribute", (string?)detail["AuthAction"]);
        Assert.Equal("ImplicitDeny", (string?)detail["NoPermissionType"]);
        Assert.Equal(DemoState.ReadOnlyAccessKeyId, (string?)detail["AuthPrincipalDisplayName"]);
    }

    [Fact]
    public async Task Missing_Action_is_MissingParameter()
    {
        var answer = await _emu.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/?Version=2022-04-30"));
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("MissingParameter", answer.Code);
        Assert.Contains("Action", answer.Message);
    }

    [Fact]
    public async Task An_unknown_action_is_InvalidAction_NotFound()
    {
        var answer = await _emu.CallAsync("DeleteEverything");
        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("InvalidAction.NotFound", answer.Code);
    }

    [Fact]
    public async Task An_unknown_version_is_InvalidParameter()
    {
        var answer = await _emu.CallAsync("ListListeners", version: "2099-01-01");
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("InvalidParameter", answer.Code);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task Other_methods_are_UnsupportedHTTPMethod(string method)
    {
        var answer = await _emu.CallAsync("DescribeRegions", options: new CallOptions { Method = method });
        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal("UnsupportedHTTPMethod", answer.Code);
    }

    [Fact]
    public async Task GET_with_everything_in_the_query_works_too()
    {
        var answer = await _emu.CallAsync("GetListenerAttribute", query: new { ListenerId = "lsn-hzweb01@80" }, signer: Signer.DemoV2, options: new CallOptions { Method = "GET" });
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("lsn-hzweb01@80", (string?)answer["ListenerId"]);
    }
}
