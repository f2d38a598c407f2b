using System.Net;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;
using NlbTools.Emulator.Quotas;
using NlbTools.Emulator.State;

namespace NlbTools.Emulator.Tests;

/// <summary>Quotas: token buckets per (AccessKeyId, action), set by POST /_emulator/ratelimits or --rate-limit; on a fake clock.</summary>
public class RateLimitTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private TestEmulator _emu = null!;
    public async Task InitializeAsync() => _emu = await TestEmulator.StartAsync(clock: _clock);
    public async Task DisposeAsync() => await _emu.DisposeAsync();

    private Task<Answer> Update() => _emu.CallAsync("UpdateListenerAttribute", new { ListenerId = "lsn-hzweb01@80", ListenerDescription = "quota-test" });

    [Fact]
    public async Task Off_by_default_and_the_view_says_so()
    {
        for (var i = 0; i < 30; i++) Assert.Equal(HttpStatusCode.OK, (await _emu.CallAsync("ListListeners")).Status);
        var view = await _emu.ControlAsync("ratelimits");
        Assert.Empty((JObject)view["Limits"]!);
        Assert.Empty((JObject)view["Counts"]!);
    }

    [Fact]
    public async Task Over_the_burst_the_answer_is_Throttling_User_and_a_token_comes_back_at_the_rate()
    {
        await _emu.ControlAsync("ratelimits", new { Limits = new { UpdateListenerAttribute = new { Rate = 10, Burst = 3 } } });
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await Update()).Status);
        var refused = await Update();
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("Throttling.User", refused.Code);
        Assert.Equal("Request was denied due to user flow control.", refused.Message);
        Assert.NotNull(refused.RequestId);
        Assert.False(refused.Response.Headers.Contains("x-acs-retry-after"));
        // Other actions have no quota.
        Assert.Equal(HttpStatusCode.OK, (await _emu.CallAsync("ListListeners")).Status);

        _clock.Advance(TimeSpan.FromMilliseconds(100)); // one token at 10/s
        Assert.Equal(HttpStatusCode.OK, (await Update()).Status);
        Assert.Equal("Throttling.User", (await Update()).Code);
        _clock.Advance(TimeSpan.FromSeconds(10)); // refills to the burst, not beyond
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await Update()).Status);
        Assert.Equal("Throttling.User", (await Update()).Code);

        var counts = (await _emu.ControlAsync("ratelimits"))["Counts"]!["UpdateListenerAttribute"]!;
        Assert.Equal(7, (int)counts["Allowed"]!);
        Assert.Equal(3, (int)counts["Throttled"]!);
    }

    [Fact]
    public async Task With_RetryAfter_the_refusal_says_how_many_ms_until_a_token_is_free()
    {
        await _emu.ControlAsync("ratelimits", new { Limits = new { UpdateListenerAttribute = new { Rate = 4, Burst = 1 } }, RetryAfter = true });
        Assert.Equal(HttpStatusCode.OK, (await Update()).Status);
        var refused = await Update();
        Assert.Equal("Throttling.User", refused.Code);
        Assert.Equal("250", refused.Response.Headers.GetValues("x-acs-retry-after").Single());
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal("150", (await Update()).Response.Headers.GetValues("x-acs-retry-after").Single());
        _clock.Advance(TimeSpan.FromMilliseconds(150));
        Assert.Equal(HttpStatusCode.OK, (await Update()).Status);
    }

    [Fact]
    public async Task Each_AccessKeyId_has_its_own_bucket()
    {
        await _emu.ControlAsync("ratelimits", new { Limits = new { ListListeners = new { Rate = 1, Burst = 1 } } });
        Assert.Equal(HttpStatusCode.OK, (await _emu.CallAsync("ListListeners")).Status);
        Assert.Equal("Throttling.User", (await _emu.CallAsync("ListListeners")).Code);
        Assert.Equal(HttpStatusCode.OK, (await _emu.CallAsync("ListListeners", signer: Signer.ReadOnly)).Status);
        Assert.Equal("Throttling.User", (await _emu.CallAsync("ListListeners", signer: Signer.ReadOnly)).Code);
    }

    [Fact]
    public async Task Refusals_show_in_the_request_log_marked_as_rate_limited()
    {
        await _emu.ControlAsync("ratelimits", new { Limits = new { UpdateListenerAttribute = new { Rate = 1, Burst = 1 } } });
        await Update();
        await Update();
        var log = ((JArray)await _emu.ControlAsync("requests?action=UpdateListenerAttribute")).ToList();
        Assert.Equal(2, log.Count);
        Assert.Null((string?)log[0]["Code"]);
        Assert.False((bool?)log[0]["RateLimited"] ?? false);
        Assert.Equal("Throttling.User", (string?)log[1]["Code"]);
        Assert.Equal(400, (int)log[1]["HttpStatus"]!);
        Assert.True((bool)log[1]["RateLimited"]!);
        Assert.Equal(DemoState.AccessKeyId, (string?)log[1]["AccessKeyId"]);
    }

    [Fact]
    public async Task A_refused_request_changes_nothing()
    {
        await _emu.ControlAsync("ratelimits", new { Limits = new { UpdateListenerAttribute = new { Rate = 1, Burst = 1 } } });
        await _emu.CallAsync("UpdateListenerAttribute", new { ListenerId = "lsn-hzweb01@80", ListenerDescription = "first" });
        _clock.Advance(TimeSpan.FromMilliseconds(1)); // let the job's timer run
        var refused = await _emu.CallAsync("UpdateListenerAttribute", new { ListenerId = "lsn-hzweb01@443", ListenerDescription = "second" });
        Assert.Equal("Throttling.User", refused.Code);
        Assert.Single((JArray)await _emu.ControlAsync("jobs"));
    }

    [Theory]
    [InlineData("{\"Limits\":{\"UpdateListenerAttribute\":{\"Rate\":0}}}", "Rate")]
    [InlineData("{\"Limits\":{\"UpdateListenerAttribute\":{\"Rate\":5,\"Burst\":0}}}", "Burst")]
    [InlineData("{\"Limits\":{\"Bad Name\":{\"Rate\":5}}}", "action name")]
    [InlineData("{\"Limits\":{\"UpdateListenerAttribute\":{\"Rate\":5,\"Brust\":3}}}", "Brust")]
    public async Task A_bad_body_is_refused_with_a_reason_and_changes_nothing(string body, string mentions)
    {
        await _emu.ControlAsync("ratelimits", new { Limits = new { ListListeners = new { Rate = 2 } } });
        var answer = await _emu.ControlAsync("ratelimits", body);
        Assert.Equal("InvalidParameter", (string?)answer["Code"]);
        Assert.Contains(mentions, (string?)answer["Message"]);
        Assert.Equal(2.0, (double)(await _emu.ControlAsync("ratelimits"))["Limits"]!["ListListeners"]!["Rate"]!);
    }

    [Fact]
    public async Task Setting_empty_limits_turns_the_quota_off()
    {
        await _emu.ControlAsync("ratelimits", new { Limits = new { ListListeners = new { Rate = 1 } } });
        await _emu.CallAsync("ListListeners");
        Assert.Equal("Throttling.User", (await _emu.CallAsync("ListListeners")).Code);
        await _emu.ControlAsync("ratelimits", new { Limits = new { } });
        Assert.Equal(HttpStatusCode.OK, (await _emu.CallAsync("ListListeners")).Status);
    }

    [Theory]
    [InlineData("UpdateListenerAttribute=10:10", 10.0, 10)]
    [InlineData("ListAsynJobs=2", 2.0, 2)]
    [InlineData("ListListeners=0.5", 0.5, 1)]
    public void The_command_line_option_parses(string text, double rate, int burst)
    {
        var (_, limit) = RateLimiter.ParseOption(text);
        Assert.Equal(rate, limit.Rate);
        Assert.Equal(burst, limit.EffectiveBurst);
    }

    [Theory]
    [InlineData("UpdateListenerAttribute")]
    [InlineData("UpdateListenerAttribute=0")]
    [InlineData("UpdateListenerAttribute=10:0")]
    [InlineData("=10")]
    [InlineData("UpdateListenerAttribute=ten")]
    public void A_bad_command_line_option_names_the_option(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => EmulatorOptions.Parse(new[] { "--rate-limit", text }));
        Assert.Contains("--rate-limit", e.Message);
    }

    [Fact]
    public async Task Command_line_limits_apply_from_the_start_and_survive_a_reset()
    {
        var options = EmulatorOptions.Parse(new[] { "--rate-limit", "ListListeners=1:1", "--rate-limit-retry-after" });
        await using var host = await EmulatorHost.StartAsync(options, DemoState.Create, _clock);
        Assert.Null(host.Runtime.RateLimits.TryTake("k", "ListListeners"));
        Assert.Equal(1000, host.Runtime.RateLimits.TryTake("k", "ListListeners"));
        host.Runtime.Reset();
        Assert.Null(host.Runtime.RateLimits.TryTake("k", "ListListeners"));
        Assert.True(host.Runtime.RateLimits.Current.RetryAfter);
    }
}
