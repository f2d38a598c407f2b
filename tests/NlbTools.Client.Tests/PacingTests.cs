using NlbTools.Client.Models;
using NlbTools.Client.Pacing;
using NlbTools.Client.Pipeline;
using Xunit;

namespace NlbTools.Client.Tests;

/// <summary>
/// A service quota emulated inside the mock transport: a token bucket on the fake clock, so the pacing
/// policy's waits are the only thing that moves time.
/// </summary>
internal sealed class QuotaTransport
{
    private readonly FakeClock _clock;
    private readonly double _rate;
    private readonly int _burst;
    private readonly bool _retryAfter;
    private double _tokens;
    private DateTimeOffset _stamp;

    public QuotaTransport(FakeClock clock, double rate, int burst, bool retryAfter)
    {
        _clock = clock;
        _rate = rate;
        _burst = burst;
        _retryAfter = retryAfter;
        _tokens = burst;
        _stamp = clock.UtcNow;
        Transport = new MockTransport(_ => Answer());
    }

    public MockTransport Transport { get; }
    public int Allowed { get; private set; }
    public int Throttled { get; private set; }

    private NlbHttpResponse Answer()
    {
        var now = _clock.UtcNow;
        _tokens = Math.Min(_burst, _tokens + (now - _stamp).TotalSeconds * _rate);
        _stamp = now;
        if (_tokens >= 1)
        {
            _tokens -= 1;
            Allowed++;
            return TestClients.Job($"job-{Allowed}");
        }
        Throttled++;
        int? wait = _retryAfter ? (int)Math.Ceiling((1 - _tokens) / _rate * 1000) : null;
        return MockTransport.Error(400, "Throttling.User", "Request was denied due to user flow control.", "REQ-T", wait);
    }
}

public class PacingTests
{
    private static UpdateListenerAttributeRequest Update(int i) => new() { ListenerId = $"lsn-bp1bpn0kn908w4nbw{i:0000}@1000", IdleTimeout = 60 };

    private static (NlbClient Client, QuotaTransport Quota, FakeClock Clock, List<string> Log) Setup(double rate, int burst, bool retryAfter, PacerRegistry? pacers = null, FakeClock? sharedClock = null)
    {
        var clock = sharedClock ?? new FakeClock();
        var quota = new QuotaTransport(clock, rate, burst, retryAfter);
        var log = new List<string>();
        var client = TestClients.Create(quota.Transport, clock, o =>
        {
            o.Pacers = pacers ?? new PacerRegistry();
            o.Log = line => { lock (log) log.Add(line); };
        });
        return (client, quota, clock, log);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Three_hundred_sequential_updates_under_10_per_second_meet_the_floor_with_few_refusals(bool retryAfter)
    {
        var (client, quota, clock, log) = Setup(10, 10, retryAfter);
        var start = clock.UtcNow;
        for (var i = 0; i < 300; i++) await client.UpdateListenerAttributeAsync(Update(i));
        var seconds = (clock.UtcNow - start).TotalSeconds;

        Assert.Equal(300, quota.Allowed);
        var floor = (300 - 10) / 10.0;
        Assert.True(seconds <= floor * 1.15, $"{seconds:0.0} s against a floor of {floor} s; {quota.Throttled} refusals");
        Assert.True(quota.Throttled <= 30, $"{quota.Throttled} refusals of {quota.Allowed + quota.Throttled} requests");
        Assert.Contains(log, l => l.Contains("pacing") && l.Contains("slowing down"));
    }

    [Fact]
    public async Task Before_any_throttling_nothing_waits()
    {
        var (client, quota, clock, _) = Setup(1000, 1000, false);
        for (var i = 0; i < 50; i++) await client.UpdateListenerAttributeAsync(Update(i));
        Assert.Empty(clock.Delays);
        Assert.Equal(0, quota.Throttled);
    }

    [Fact]
    public async Task The_learned_rate_is_kept_for_the_next_client_of_the_process()
    {
        var pacers = new PacerRegistry();
        var first = Setup(5, 5, false, pacers);
        for (var i = 0; i < 60; i++) await first.Client.UpdateListenerAttributeAsync(Update(i));
        var learned = pacers.Find(new Uri("https://nlb.cn-hangzhou.aliyuncs.com/"), "UpdateListenerAttribute")!.Rate;
        Assert.NotNull(learned);
        Assert.InRange(learned!.Value, 2.5, 10);

        // A new client (a new pipeline, much later) starts paced at that rate: its first burst is not refused wholesale.
        var second = Setup(5, 5, false, pacers, first.Clock);
        await first.Clock.Delay(TimeSpan.FromMinutes(10), CancellationToken.None);
        for (var i = 0; i < 40; i++) await second.Client.UpdateListenerAttributeAsync(Update(i));
        // The retry jitter is random, so the count varies from run to run (0 to 5 seen); a cold start is refused far more often.
        Assert.True(second.Quota.Throttled <= 8, $"{second.Quota.Throttled} refusals");
    }

    /// <summary>Two refusals within a second: what a cut needs.</summary>
    private static void Throttle(Pacer pacer, DateTimeOffset t)
    {
        var a = pacer.Reserve(t);
        var b = pacer.Reserve(t);
        pacer.Answered(a, true, t);
        Assert.NotNull(pacer.Answered(b, true, t));
    }

    [Fact]
    public void A_lone_refusal_now_and_then_does_not_slow_the_pace_down()
    {
        // A busy gateway refusing 1 request in 25 at random: pacing must not ratchet down on it.
        var pacer = new Pacer();
        var t = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 1000; i++)
        {
            t += TimeSpan.FromMilliseconds(25);
            pacer.Answered(pacer.Reserve(t), i % 25 == 24, t);
        }
        Assert.Null(pacer.Rate);
    }

    [Fact]
    public void A_burst_already_in_flight_cuts_the_rate_once()
    {
        var pacer = new Pacer();
        var now = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var tickets = Enumerable.Range(0, 8).Select(_ => pacer.Reserve(now)).ToList();
        for (var i = 0; i < 4; i++) pacer.Answered(tickets[i], false, now);
        Assert.Null(pacer.Answered(tickets[4], true, now)); // one refusal alone is not a limit
        Assert.Null(pacer.Rate);
        Assert.NotNull(pacer.Answered(tickets[5], true, now));
        for (var i = 6; i < 8; i++) Assert.Null(pacer.Answered(tickets[i], true, now));
        Assert.Equal(1, pacer.Cuts);
        Assert.Equal(4 * CubicRate.Beta, pacer.Rate!.Value, 3); // Beta x the 4/s the service accepted
        // Requests sent after the cut and throttled again cut again.
        var later = new[] { pacer.Reserve(now.AddSeconds(1)), pacer.Reserve(now.AddSeconds(1)) };
        pacer.Answered(later[0], true, now.AddSeconds(1.1));
        pacer.Answered(later[1], true, now.AddSeconds(1.2));
        Assert.Equal(2, pacer.Cuts);
    }

    [Fact]
    public void Successes_grow_the_rate_along_the_cubic_curve_back_to_the_last_throttled_rate_and_past_it()
    {
        var pacer = new Pacer();
        var t0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 10; i++) pacer.Answered(pacer.Reserve(t0), false, t0);
        Throttle(pacer, t0);
        Assert.Equal(7, pacer.Rate!.Value, 3);
        var k = Math.Pow(10 * (1 - CubicRate.Beta) / CubicRate.ScaleConstant, 1.0 / 3);
        // Keep sending at the paced rate, so the 2 x sent-rate cap is not what limits the growth.
        var t = t0;
        while ((t - t0).TotalSeconds < k)
        {
            t += TimeSpan.FromSeconds(1 / pacer.Rate!.Value);
            pacer.Answered(pacer.Reserve(t), false, t);
        }
        Assert.InRange(pacer.Rate!.Value, 9.5, 10.5);
        for (var i = 0; i < 40; i++)
        {
            t += TimeSpan.FromSeconds(1 / pacer.Rate!.Value);
            pacer.Answered(pacer.Reserve(t), false, t);
        }
        Assert.True(pacer.Rate!.Value > 10.5, $"rate {pacer.Rate}");
    }

    [Fact]
    public void A_slow_caller_neither_raises_nor_loses_the_learned_rate()
    {
        var pacer = new Pacer();
        var t = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 10; i++) pacer.Answered(pacer.Reserve(t), false, t);
        Throttle(pacer, t);
        var learned = pacer.Rate!.Value;
        for (var i = 0; i < 20; i++)
        {
            t += TimeSpan.FromMinutes(1); // one request a minute: no evidence for more, none for less
            pacer.Answered(pacer.Reserve(t), false, t);
        }
        Assert.Equal(learned, pacer.Rate!.Value, 3);
    }

    [Fact]
    public void Tokens_are_handed_out_evenly_spaced_at_the_rate()
    {
        var pacer = new Pacer();
        var t = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 5; i++) pacer.Answered(pacer.Reserve(t), false, t);
        Throttle(pacer, t); // 5/s accepted -> 3.5/s
        var waits = Enumerable.Range(0, 4).Select(_ => pacer.Reserve(t).Wait.TotalSeconds).ToList();
        Assert.Equal(0, waits[0], 3);
        Assert.Equal(1 / 3.5, waits[1], 3);
        Assert.Equal(2 / 3.5, waits[2], 3);
        Assert.Equal(3 / 3.5, waits[3], 3);
    }

    [Fact]
    public async Task Pacing_applies_to_every_attempt_and_the_pipeline_order_is_retry_status_pacing_sign()
    {
        var (client, _, _, _) = Setup(10, 10, false);
        Assert.Equal(new[] { typeof(RetryPolicy), typeof(ListenerStatusPolicy), typeof(PacingPolicy), typeof(SigningPolicy), typeof(LoggingPolicy) },
            client.Policies.Select(p => p.GetType()));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Waiting_for_a_token_does_not_count_against_the_request_timeout()
    {
        // A 0.2 s request timeout and a pace of one request every 0.5 s: the waits are for tokens, not for answers.
        var (client, quota, clock, _) = Setup(2, 1, false);
        client.Options.RequestTimeout = TimeSpan.FromMilliseconds(200);
        for (var i = 0; i < 20; i++) await client.UpdateListenerAttributeAsync(Update(i));
        Assert.Equal(20, quota.Allowed);
        Assert.Contains(clock.Delays, d => d > TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Verbose_says_when_pacing_slows_down_and_when_it_speeds_up()
    {
        var (client, _, _, log) = Setup(10, 10, false);
        for (var i = 0; i < 200; i++) await client.UpdateListenerAttributeAsync(Update(i));
        Assert.Contains(log, l => l.StartsWith("UpdateListenerAttribute pacing (nlb.cn-hangzhou.aliyuncs.com): slowing down to "));
        Assert.Contains(log, l => l.StartsWith("UpdateListenerAttribute pacing (nlb.cn-hangzhou.aliyuncs.com): speeding up to "));
    }
}
