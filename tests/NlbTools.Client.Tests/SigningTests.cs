using NlbTools.Client.Models;
using NlbTools.Client.Pipeline;
using NlbTools.Client.Signing;
using Xunit;

namespace NlbTools.Client.Tests;

/// <summary>The signing policy: what goes on the wire verifies the way a server verifies it.</summary>
public class SigningTests
{
    [Fact]
    public async Task WriteIsAFormPostSignedWithV3()
    {
        var transport = new MockTransport(TestClients.Job());
        using var client = TestClients.Create(transport);

        await client.UpdateListenerAttributeAsync(new UpdateListenerAttributeRequest { ListenerId = "lsn-1@80", ListenerDescription = "web tier *" });

        var r = Assert.Single(transport.Requests);
        Assert.Equal("POST", r.Method);
        Assert.Equal("/", r.Uri.AbsolutePath);
        Assert.Equal("", r.Uri.Query);
        Assert.Equal("application/x-www-form-urlencoded", r.Header("Content-Type"));
        Assert.Equal("UpdateListenerAttribute", r.Header("x-acs-action"));
        Assert.Equal("2022-04-30", r.Header("x-acs-version"));
        Assert.Equal("nlb.cn-hangzhou.aliyuncs.com", r.Header("host"));
        Assert.Equal("application/json", r.Header("Accept"));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", r.Header("x-acs-date"));
        Assert.StartsWith("ACS3-HMAC-SHA256 Credential=" + TestClients.KeyId + ",SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=",
            r.Header("Authorization"));
        Assert.Null(r.Header("x-acs-security-token"));
        Assert.Contains("ListenerDescription=web%20tier%20%2A", r.BodyText);
        SignatureCheck.AssertValid(r, TestClients.Secret);
    }

    [Fact]
    public async Task ReadWithQueryParametersVerifies()
    {
        var transport = new MockTransport(MockTransport.Json(200, new { RequestId = "R", Listeners = Array.Empty<object>() }));
        using var client = TestClients.Create(transport);

        await client.ListListenersAsync(new ListListenersRequest
        {
            ListenerIds = new() { "lsn-a@80", "lsn-b@81" },
            Tag = new() { new Tag("env", "prod test") },
            MaxResults = 20,
        });

        var r = Assert.Single(transport.Requests);
        Assert.Empty(r.Body);
        Assert.Null(r.Header("Content-Type"));
        Assert.Equal(AcsSignature.EmptyPayloadHash, r.Header("x-acs-content-sha256"));
        SignatureCheck.AssertValid(r, TestClients.Secret);
    }

    [Fact]
    public async Task StsCredentialsSendAndSignTheTokenAndKeyIdHeaders()
    {
        var transport = new MockTransport(TestClients.Job());
        using var client = TestClients.Create(transport, configure: o =>
            o.Credentials = new NlbTools.Client.Credentials.StaticCredentialsProvider("STS.NTestKeyId0001", TestClients.Secret, TestClients.Token));

        await client.StartListenerAsync(new ListenerActionRequest { ListenerId = "lsn-1@80" });

        var r = Assert.Single(transport.Requests);
        Assert.Equal(TestClients.Token, r.Header("x-acs-security-token"));
        Assert.Equal("STS.NTestKeyId0001", r.Header("x-acs-accesskey-id"));
        Assert.Contains("x-acs-accesskey-id;", r.Header("Authorization"));
        Assert.Contains("x-acs-security-token;", r.Header("Authorization"));
        SignatureCheck.AssertValid(r, TestClients.Secret);
    }

    [Fact]
    public async Task UserAgentNamesProductVersionOsAndRuntime()
    {
        var transport = new MockTransport(TestClients.Job());
        using var client = TestClients.Create(transport, configure: o => o.UserAgentSuffix = "pester/5.7.1");

        await client.StartListenerAsync(new ListenerActionRequest { ListenerId = "lsn-1@80" });

        var ua = transport.Requests[0].Header("User-Agent")!;
        Assert.Matches(@"^NlbTools/0\.\d+\.\d+ \([^;()]+; [^;()]+\) pester/5\.7\.1$", ua);
        Assert.Contains(".NET", ua);
    }
}
