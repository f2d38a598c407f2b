using System.Net;
using NlbTools.Client.Credentials;
using NlbTools.Client.Models;
using NlbTools.Client.Pipeline;
using NlbTools.Client.Tests.Credentials;
using Xunit;

namespace NlbTools.Client.Tests.Hostile;

/// <summary>Issue 15 item 1: a redirect is an error naming where it points, and nothing follows it.</summary>
public sealed class RedirectTests
{
    private static NlbClient Client(Uri endpoint) => new(new NlbClientOptions
    {
        Endpoint = endpoint,
        Credentials = new StaticCredentialsProvider(TestClients.KeyId, TestClients.Secret, TestClients.Token),
        Clock = new FakeClock(),
    });

    [Fact]
    public async Task A_307_from_the_endpoint_is_an_error_naming_the_target_and_the_target_receives_nothing()
    {
        await using var target = new LoopbackServer((_, s) => LoopbackServer.Json(s, 200, """{"RequestId":"stolen"}"""));
        await using var endpoint = new LoopbackServer((_, s) => LoopbackServer.Write(s, 307, $"Location: {target.Uri}steal?token=x\r\n", []));
        using var client = Client(endpoint.Uri);

        var e = await Assert.ThrowsAsync<NlbException>(() => client.GetJobStatusAsync(new GetJobStatusRequest { JobId = "72dcd26b-f12d-4c27-b3af-18f6aed5b160" }));

        Assert.Equal("NlbRedirectRefused", e.Code);
        Assert.Equal(307, e.HttpStatus);
        Assert.Contains($"a redirect to http://127.0.0.1:{target.Uri.Port}", e.Message);
        Assert.DoesNotContain("token=x", e.Message);              // the target's path and query are not echoed
        var sent = Assert.Single(endpoint.Heads);                    // not retried
        Assert.Contains("x-acs-security-token: " + TestClients.Token, sent, StringComparison.OrdinalIgnoreCase); // what a follow would carry
        Assert.Equal(0, target.Connections);
    }

    [Fact]
    public async Task A_relative_301_names_the_endpoint_itself_and_is_not_followed()
    {
        await using var endpoint = new LoopbackServer((_, s) => LoopbackServer.Write(s, 301, "Location: /elsewhere\r\n", []));
        using var client = Client(endpoint.Uri);

        var e = await Assert.ThrowsAsync<NlbException>(() => client.DescribeRegionsAsync(new DescribeRegionsRequest()));

        Assert.Equal("NlbRedirectRefused", e.Code);
        Assert.Contains($"a redirect to http://127.0.0.1:{endpoint.Uri.Port}", e.Message);
        Assert.Single(endpoint.Heads);
    }

    [Fact]
    public async Task The_credentials_uri_STS_and_metadata_paths_follow_no_redirect()
    {
        await using var target = new LoopbackServer((_, s) => LoopbackServer.Json(s, 200,
            """{"Code":"Success","AccessKeyId":"STS.stolen0001","AccessKeySecret":"s","SecurityToken":"t","Expiration":"2099-01-01T00:00:00Z"}"""));
        await using var redirector = new LoopbackServer((_, s) => LoopbackServer.Write(s, 302, $"Location: {target.Uri}\r\n", []));
        using var home = new TestHome();
        home.Variables[CredentialsEnvironment.StsEndpointVariable] = redirector.Uri.ToString();
        home.Env.MetadataEndpoint = redirector.Uri;

        var providers = new ICredentialsProvider[]
        {
            new CredentialsUriProvider(redirector.Uri + "credentials", home.Env),
            new RamRoleArnCredentialsProvider(new StaticCredentialsProvider("LTAIcaller000001", TestHome.Secret),
                new StsRoleOptions { RoleArn = "acs:ram::1234567890123456:role/nlb-admin" }, home.Env),
            new EcsRamRoleCredentialsProvider("nlb-role", home.Env),
        };
        home.Variables.Remove("ALIBABA_CLOUD_ECS_METADATA_DISABLED");
        foreach (var provider in providers)
        {
            var e = await Assert.ThrowsAsync<NlbCredentialsException>(() => provider.GetCredentialsAsync(default));
            Assert.Contains($"a redirect to http://127.0.0.1:{target.Uri.Port}", e.Message);
        }
        Assert.Equal(3, redirector.Heads.Count);
        Assert.Equal(0, target.Connections);
    }
}

/// <summary>HttpClient.DefaultProxy is process-wide: nothing else may run while a test changes it.</summary>
[CollectionDefinition(nameof(ProcessWideNetworkSettings), DisableParallelization = true)]
public sealed class ProcessWideNetworkSettings { }

/// <summary>Issue 15 item 1: a loopback endpoint never goes through a proxy; other hosts use the one .NET finds.</summary>
[Collection(nameof(ProcessWideNetworkSettings))]
public sealed class ProxyTests
{
    [Fact]
    public async Task Loopback_and_the_metadata_address_bypass_the_proxy_that_HTTP_PROXY_gives_and_other_hosts_use_it()
    {
        await using var proxy = new LoopbackServer((_, s) => LoopbackServer.Json(s, 200, """{"RequestId":"via-proxy"}"""));
        await using var endpoint = new LoopbackServer((_, s) => LoopbackServer.Json(s, 200, """{"RequestId":"direct"}"""));
        var saved = HttpClient.DefaultProxy;
        HttpClient.DefaultProxy = new WebProxy(proxy.Uri); // what .NET builds from HTTP_PROXY / HTTPS_PROXY
        try
        {
            using var transport = new HttpClientTransport();
            var direct = await transport.SendAsync(new NlbHttpRequest { Method = "GET", Uri = endpoint.Uri }, default);
            Assert.Equal(200, direct.StatusCode);
            Assert.Equal(1, endpoint.Connections);
            Assert.Equal(0, proxy.Connections);
            Assert.True(HttpClientTransport.IsDirectHost("100.100.100.200"));
            Assert.True(HttpClientTransport.IsDirectHost("localhost"));
            Assert.True(HttpClientTransport.IsDirectHost("[::1]"));

            // The control: a real host goes to the proxy (which answers for it here).
            var proxied = await transport.SendAsync(new NlbHttpRequest { Method = "GET", Uri = new Uri("http://nlb.cn-hangzhou.aliyuncs.com/") }, default);
            Assert.Equal(200, proxied.StatusCode);
            Assert.StartsWith("GET http://nlb.cn-hangzhou.aliyuncs.com/ HTTP/1.1", Assert.Single(proxy.Heads));
        }
        finally
        {
            HttpClient.DefaultProxy = saved;
        }
    }
}
