using NlbTools.Client.Credentials;
using NlbTools.Client.Pipeline;
using Xunit;

namespace NlbTools.Client.Tests.Credentials;

public class RefreshTests
{
    private const string RoleArn = "acs:ram::1234567890123456:role/nlb-admin";

    private static (TestHome, FakeClock, RamRoleArnCredentialsProvider, Func<int>) Setup(Func<int, FakeClock, NlbHttpResponse>? answer = null)
    {
        var home = new TestHome();
        var clock = new FakeClock();
        var count = 0;
        home.Env.Clock = clock;
        home.Env.Transport = new FakeTransport(_ =>
        {
            var n = Interlocked.Increment(ref count);
            return answer?.Invoke(n, clock) ?? FakeTransport.Json(200, StsCall.CredentialsJson($"STS.temporary{n:0000}", "s" + n, "t" + n, clock.UtcNow.AddSeconds(900)));
        });
        var provider = new RamRoleArnCredentialsProvider(new StaticCredentialsProvider("LTAIcaller000001", TestHome.Secret),
            new StsRoleOptions { RoleArn = RoleArn, DurationSeconds = 900 }, home.Env);
        return (home, clock, provider, () => Volatile.Read(ref count));
    }

    [Fact]
    public async Task Credentials_are_reused_until_180_seconds_before_expiry_then_fetched_again()
    {
        var (home, clock, provider, calls) = Setup();
        using var _ = home;
        var first = await provider.GetCredentialsAsync(default);
        Assert.Equal(1, calls());

        clock.Advance(TimeSpan.FromSeconds(900 - 181));           // 181 s left: still good
        Assert.Same(first, await provider.GetCredentialsAsync(default));
        Assert.Equal(1, calls());

        clock.Advance(TimeSpan.FromSeconds(1));                   // 180 s left: refresh
        var second = await provider.GetCredentialsAsync(default);
        Assert.Equal("STS.temporary0002", second.AccessKeyId);
        Assert.Equal(2, calls());
        Assert.True(second.Expiration > clock.UtcNow.AddSeconds(180));
    }

    [Fact]
    public async Task Many_concurrent_callers_share_one_refresh()
    {
        using var home = new TestHome();
        var clock = new FakeClock();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var count = 0;
        home.Env.Clock = clock;
        home.Env.Transport = new FakeTransport(async _ =>
        {
            var n = Interlocked.Increment(ref count);
            await release.Task;
            return FakeTransport.Json(200, StsCall.CredentialsJson($"STS.temporary{n:0000}", "s", "t", clock.UtcNow.AddHours(1)));
        });
        var provider = new RamRoleArnCredentialsProvider(new StaticCredentialsProvider("LTAIcaller000001", TestHome.Secret),
            new StsRoleOptions { RoleArn = RoleArn }, home.Env);

        var callers = Enumerable.Range(0, 64).Select(_ => Task.Run(() => provider.GetCredentialsAsync(default))).ToArray();
        while (Volatile.Read(ref count) == 0) await Task.Delay(5);
        release.SetResult();
        var results = await Task.WhenAll(callers);

        Assert.Equal(1, count);
        Assert.All(results, r => Assert.Equal("STS.temporary0001", r.AccessKeyId));
    }

    [Fact]
    public async Task A_failed_refresh_keeps_still_valid_credentials_and_expired_ones_are_never_returned()
    {
        var failing = false;
        var (home, clock, provider, _) = Setup();
        using var _ = home;
        home.Env.Transport = new FakeTransport(_ => failing
            ? FakeTransport.Json(503, """{"Code":"ServiceUnavailable","Message":"down"}""")
            : FakeTransport.Json(200, StsCall.CredentialsJson("STS.temporary0001", "s", "t", clock.UtcNow.AddSeconds(900))));
        var first = await provider.GetCredentialsAsync(default);

        failing = true;
        clock.Advance(TimeSpan.FromSeconds(900 - 100));            // in the refresh window, 100 s left
        Assert.Same(first, await provider.GetCredentialsAsync(default));

        clock.Advance(TimeSpan.FromSeconds(80));                   // 20 s left: too close to hand out
        var e = await Assert.ThrowsAsync<NlbCredentialsException>(() => provider.GetCredentialsAsync(default));
        Assert.Contains("ServiceUnavailable", e.Message);
    }

    [Fact]
    public async Task A_cancelled_caller_stops_waiting_at_once_and_the_shared_fetch_still_lands()
    {
        using var home = new TestHome();
        var clock = new FakeClock();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        home.Env.Clock = clock;
        home.Env.Transport = new FakeTransport(async _ =>
        {
            await release.Task;
            return FakeTransport.Json(200, StsCall.CredentialsJson("STS.temporary0001", "s", "t", clock.UtcNow.AddHours(1)));
        });
        var provider = new RamRoleArnCredentialsProvider(new StaticCredentialsProvider("LTAIcaller000001", TestHome.Secret),
            new StsRoleOptions { RoleArn = RoleArn }, home.Env);

        using var cts = new CancellationTokenSource();
        var waiting = provider.GetCredentialsAsync(cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        release.SetResult();
        Assert.Equal("STS.temporary0001", (await provider.GetCredentialsAsync(default)).AccessKeyId);
    }

    /// <summary>Issue 15.9: a source that only hands out credentials with less than 180 s left.</summary>
    [Fact]
    public async Task Credentials_that_arrive_inside_the_refresh_window_are_used_for_half_their_life_not_refetched_per_request()
    {
        var (home, clock, provider, calls) = Setup((n, now) => FakeTransport.Json(200,
            StsCall.CredentialsJson($"STS.temporary{n:0000}", "s" + n, "t" + n, now.UtcNow.AddSeconds(120))));
        using var _ = home;

        for (var i = 0; i < 100; i++)                              // 100 requests over 59 s
        {
            Assert.Equal("STS.temporary0001", (await provider.GetCredentialsAsync(default)).AccessKeyId);
            clock.Advance(TimeSpan.FromMilliseconds(590));
        }
        Assert.Equal(1, calls());                                   // before the fix: 100

        clock.Advance(TimeSpan.FromSeconds(1));                    // 60 s of 120: half their life
        Assert.Equal("STS.temporary0002", (await provider.GetCredentialsAsync(default)).AccessKeyId);
        Assert.Equal(2, calls());
    }

    [Fact]
    public void The_refresh_time_is_180_s_ahead_or_half_the_remaining_life_or_never()
    {
        var now = new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
        NlbCredentials Expiring(double seconds) => new("STS.temporary0001", "s", "t", now.AddSeconds(seconds), "test");
        Assert.Equal(now.AddSeconds(3600 - 180), RefreshingCredentials.RefreshTime(Expiring(3600), now));
        Assert.Equal(now.AddSeconds(90), RefreshingCredentials.RefreshTime(Expiring(180), now));
        Assert.Equal(now.AddSeconds(5), RefreshingCredentials.RefreshTime(Expiring(10), now));
        Assert.Equal(now, RefreshingCredentials.RefreshTime(Expiring(-5), now));  // already expired: fetch again next time
        Assert.Equal(DateTimeOffset.MaxValue, RefreshingCredentials.RefreshTime(new NlbCredentials("LTAI5tTestKeyId0001", "s"), now));
    }
}
