using NlbTools.Client.Models;
using NlbTools.Client.Pipeline;
using Xunit;

namespace NlbTools.Client.Tests;

public class EndpointTests
{
    private static async Task<Uri> SentTo(Action<NlbClientOptions> configure, string? requestRegion = null)
    {
        var transport = new MockTransport(TestClients.Job());
        using var client = TestClients.Create(transport, configure: configure);
        await client.StartListenerAsync(new ListenerActionRequest { ListenerId = "lsn-1@80", RegionId = requestRegion });
        return transport.Requests[0].Uri;
    }

    [Fact]
    public async Task DefaultIsTheRegionalHttpsEndpoint()
        => Assert.Equal("https://nlb.cn-shanghai.aliyuncs.com/", (await SentTo(o => o.RegionId = "cn-shanghai")).AbsoluteUri);

    [Fact]
    public async Task VpcNetworkUsesTheVpcEndpoint()
        => Assert.Equal("https://nlb-vpc.cn-shanghai.aliyuncs.com/", (await SentTo(o => { o.RegionId = "cn-shanghai"; o.Network = "vpc"; })).AbsoluteUri);

    [Fact]
    public async Task RequestRegionOverridesTheDefaultRegion()
    {
        var transport = new MockTransport(TestClients.Job());
        using var client = TestClients.Create(transport);
        await client.StartListenerAsync(new ListenerActionRequest { ListenerId = "lsn-1@80", RegionId = "eu-central-1" });
        Assert.Equal("nlb.eu-central-1.aliyuncs.com", transport.Requests[0].Uri.Host);
        Assert.Equal("eu-central-1", transport.Requests[0].Parameter("RegionId"));
    }

    [Fact]
    public async Task ExplicitEndpointOverridesBoth()
    {
        var uri = await SentTo(o => { o.Endpoint = new Uri("http://127.0.0.1:18080"); o.Network = "vpc"; });
        Assert.Equal("http://127.0.0.1:18080/", uri.AbsoluteUri);
    }

    [Theory]
    [InlineData("http://127.0.0.1:1")]
    [InlineData("http://localhost:1")]
    [InlineData("http://[::1]:1")]
    [InlineData("https://nlb.example.test")]
    public void AcceptedEndpoints(string endpoint)
    {
        using var client = TestClients.Create(new MockTransport(), configure: o => o.Endpoint = new Uri(endpoint));
        Assert.NotNull(client);
    }

    [Theory]
    [InlineData("http://nlb.cn-hangzhou.aliyuncs.com")]
    [InlineData("http://10.0.0.1:8080")]
    [InlineData("ftp://127.0.0.1")]
    public void PlainHttpOffLoopbackIsRefused(string endpoint)
    {
        var ex = Assert.Throws<NlbException>(() => TestClients.Create(new MockTransport(), configure: o => o.Endpoint = new Uri(endpoint)));
        Assert.Equal("InvalidEndpoint", ex.Code);
        Assert.Contains("https", ex.Message);
    }

    [Fact]
    public async Task NoRegionAndNoEndpointNamesRegionId()
    {
        var transport = new MockTransport(TestClients.Job());
        using var client = TestClients.Create(transport, configure: o => o.RegionId = null);

        var ex = await Assert.ThrowsAsync<NlbException>(() => client.StartListenerAsync(new ListenerActionRequest { ListenerId = "lsn-1@80" }));

        Assert.Equal("MissingRegion", ex.Code);
        Assert.Contains("-RegionId", ex.Message);
        Assert.Empty(transport.Requests);
    }

    [Theory]
    [InlineData("evil.com/x")]
    [InlineData("CN-HANGZHOU")]
    [InlineData("cn hangzhou")]
    public async Task RegionMustLookLikeARegion(string region)
    {
        var ex = await Assert.ThrowsAsync<NlbException>(() => SentTo(o => o.RegionId = region));
        Assert.Equal("InvalidRegion", ex.Code);
    }

    [Fact]
    public async Task UnknownNetworkIsRefused()
    {
        var ex = await Assert.ThrowsAsync<NlbException>(() => SentTo(o => o.Network = "intranet"));
        Assert.Equal("InvalidNetwork", ex.Code);
    }

    [Fact]
    public async Task NoCredentialsIsAClearError()
    {
        var transport = new MockTransport(TestClients.Job());
        using var client = TestClients.Create(transport, configure: o => o.Credentials = null);
        var ex = await Assert.ThrowsAsync<NlbException>(() => client.StartListenerAsync(new ListenerActionRequest { ListenerId = "lsn-1@80" }));
        Assert.Equal("MissingCredentials", ex.Code);
    }
}
