using System.Net;
using NlbTools.Client.Pipeline;
using Xunit;

namespace NlbTools.Client.Tests;

/// <summary>
/// The .NET Framework (Windows PowerShell 5.1) network settings, decided from runtime descriptions: this machine runs
/// .NET 10, so the descriptions stand in for powershell.exe on the Windows versions the module meets.
/// </summary>
public sealed class NetFrameworkNetworkSettingsTests
{
    private const string Framework48 = ".NET Framework 4.8.9032.0";
    private const SecurityProtocolType Ssl3 = (SecurityProtocolType)48; // named Ssl3 on .NET Framework, obsolete here
    private const SecurityProtocolType Tls10 = (SecurityProtocolType)192;
    private const SecurityProtocolType Tls11 = (SecurityProtocolType)768;

    private static NetFrameworkNetworkSettings Decide(string framework, SecurityProtocolType current, bool tls13) =>
        NetFrameworkNetworkSettings.For(new NetworkRuntime(framework, current, tls13));

    [Fact]
    public void Powershell_exe_with_ssl3_and_tls10_gets_tls12_added_and_keeps_both()
    {
        var settings = Decide(Framework48, Ssl3 | Tls10, tls13: false);
        Assert.Equal(Ssl3 | Tls10 | SecurityProtocolType.Tls12, settings.SecurityProtocol);
    }

    [Fact]
    public void Tls13_is_added_only_where_the_runtime_and_the_os_have_it()
    {
        var withTls13 = Decide(Framework48, Tls10 | Tls11 | SecurityProtocolType.Tls12, tls13: true);
        Assert.Equal(Tls10 | Tls11 | SecurityProtocolType.Tls12 | NetFrameworkNetworkSettings.Tls13, withTls13.SecurityProtocol);
        Assert.Equal(12288, (int)NetFrameworkNetworkSettings.Tls13);

        var without = Decide(Framework48, Tls10 | Tls11, tls13: false);
        Assert.Equal(Tls10 | Tls11 | SecurityProtocolType.Tls12, without.SecurityProtocol);
        Assert.False(without.SecurityProtocol!.Value.HasFlag(NetFrameworkNetworkSettings.Tls13));
    }

    [Fact]
    public void SystemDefault_is_left_alone_because_the_os_already_chooses()
    {
        // 0 | Tls12 would pin the process to TLS 1.2 alone and take TLS 1.3 away where Schannel has it.
        Assert.Null(Decide(Framework48, SecurityProtocolType.SystemDefault, tls13: true).SecurityProtocol);
        Assert.Null(Decide(Framework48, SecurityProtocolType.SystemDefault, tls13: false).SecurityProtocol);
    }

    [Fact]
    public void Protocols_that_already_include_what_is_wanted_are_not_rewritten()
    {
        Assert.Null(Decide(Framework48, SecurityProtocolType.Tls12, tls13: false).SecurityProtocol);
        Assert.Null(Decide(Framework48, SecurityProtocolType.Tls12 | NetFrameworkNetworkSettings.Tls13, tls13: true).SecurityProtocol);
    }

    [Fact]
    public void Each_endpoint_gets_a_connection_limit_above_the_largest_throttle_limit_and_a_60_second_lease()
    {
        var settings = Decide(Framework48, SecurityProtocolType.Tls12, tls13: false);
        Assert.True(settings.ConfiguresEndpoints);
        Assert.Equal(72, settings.ConnectionLimit); // 64 updates in flight (-ThrottleLimit 64) + 8 job polls
        Assert.Equal(TimeSpan.FromSeconds(60), settings.ConnectionLeaseTimeout);

        Assert.Equal(72, settings.ConnectionLimitFor(2));      // the .NET Framework default for a host
        Assert.Equal(500, settings.ConnectionLimitFor(500));   // a user's higher limit stays
        Assert.Equal(60_000, settings.LeaseTimeoutMillisecondsFor(Timeout.Infinite));
        Assert.Equal(5_000, settings.LeaseTimeoutMillisecondsFor(5_000)); // a user's lease stays
    }

    [Theory]
    [InlineData(".NET 10.0.0")]
    [InlineData(".NET Core 3.1.32")]
    [InlineData(".NET 8.0.11")]
    [InlineData("Mono 6.12.0.200")]
    public void Nothing_changes_outside_net_framework(string framework)
    {
        var settings = Decide(framework, Ssl3 | Tls10, tls13: true);
        Assert.Null(settings.SecurityProtocol);
        Assert.Null(settings.ConnectionLimit);
        Assert.Null(settings.ConnectionLeaseTimeout);
        Assert.False(settings.ConfiguresEndpoints);
        Assert.Equal(2, settings.ConnectionLimitFor(2));
        Assert.Equal(Timeout.Infinite, settings.LeaseTimeoutMillisecondsFor(Timeout.Infinite));
    }

    [Fact]
    public void The_runtime_this_test_runs_on_is_described_as_not_net_framework()
    {
        var runtime = NetworkRuntime.Current();
        Assert.StartsWith(".NET ", runtime.FrameworkDescription);
        Assert.False(runtime.IsNetFramework);
        Assert.True(new NetworkRuntime(Framework48, SecurityProtocolType.Tls12, false).IsNetFramework);
    }

    [Fact]
    public void Apply_on_net_core_returns_the_same_handler_and_leaves_the_protocols_alone()
    {
#pragma warning disable SYSLIB0014 // ServicePointManager is obsolete on .NET Core: read only to show it is untouched
        var before = ServicePointManager.SecurityProtocol;
        using var handler = new HttpClientHandler();
        Assert.Same(handler, NetFrameworkNetworkSettings.Apply(handler));
        Assert.Equal(before, ServicePointManager.SecurityProtocol);
#pragma warning restore SYSLIB0014
    }

    [Fact]
    public async Task The_endpoint_step_runs_for_each_request_uri_before_the_inner_handler()
    {
        var order = new List<string>();
        var inner = new RecordingHandler(order);
        using var wrapped = new ServicePointSettingsHandler(inner, uri => order.Add("configure " + uri.Authority));
        using var client = new HttpClient(wrapped);

        await client.GetAsync("https://nlb.cn-hangzhou.aliyuncs.com/?Action=ListListeners");
        await client.GetAsync("https://nlb.cn-shanghai.aliyuncs.com/?Action=ListListeners");

        Assert.Equal(new[]
        {
            "configure nlb.cn-hangzhou.aliyuncs.com", "send nlb.cn-hangzhou.aliyuncs.com",
            "configure nlb.cn-shanghai.aliyuncs.com", "send nlb.cn-shanghai.aliyuncs.com",
        }, order);
    }

    [Fact]
    public void The_endpoint_step_raises_the_servicepoint_limit_and_sets_the_lease_but_keeps_what_a_user_set()
    {
        // ServicePoint objects still exist on .NET 10 (HttpClient ignores them), so the step's effect can be read back.
#pragma warning disable SYSLIB0014
        var settings = Decide(Framework48, SecurityProtocolType.Tls12, tls13: false);
        var fresh = new Uri("https://nlb.cn-hangzhou.aliyuncs.com/");
        var point = ServicePointManager.FindServicePoint(fresh);
        point.ConnectionLimit = 2;
        point.ConnectionLeaseTimeout = Timeout.Infinite;
        NetFrameworkNetworkSettings.ConfigureServicePoint(settings, fresh);
        Assert.Equal(72, point.ConnectionLimit);
        Assert.Equal(60_000, point.ConnectionLeaseTimeout);

        var tuned = new Uri("https://nlb.eu-central-1.aliyuncs.com/");
        var userPoint = ServicePointManager.FindServicePoint(tuned);
        userPoint.ConnectionLimit = 256;
        userPoint.ConnectionLeaseTimeout = 15_000;
        NetFrameworkNetworkSettings.ConfigureServicePoint(settings, tuned);
        Assert.Equal(256, userPoint.ConnectionLimit);
        Assert.Equal(15_000, userPoint.ConnectionLeaseTimeout);
#pragma warning restore SYSLIB0014
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        private readonly List<string> _order;

        public RecordingHandler(List<string> order) => _order = order;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _order.Add("send " + request.RequestUri!.Authority);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
