using System.Management.Automation;
using NlbTools.Client.Pipeline;
using NlbTools.Engine;

namespace NlbTools.Tests;

/// <summary>Set-NlbListenerAttribute's concurrent writes: input order, the throttle limit, and adaptation to throttling.</summary>
[Collection(ClientSeamCollection.Name)]
public sealed class ConcurrencyTests
{
    private const string Listeners =
        "0..{0} | ForEach-Object {{ [NlbTools.NlbListener]@{{ ListenerId = \"lsn-$_\"; ListenerProtocol = 'TCP'; RegionId = 'cn-hangzhou' }} }}";

    private static int Index(RecordedRequest r) => int.Parse(r.Parameter("ListenerId")!.Substring(4));

    [Fact]
    public void Output_and_errors_keep_the_input_order_while_updates_run_concurrently()
    {
        // Earlier listeners answer later, so completion order is the reverse of input order; lsn-3 fails.
        using var shell = new InProcessShell(async (r, ct) =>
        {
            if (InProcessShell.ReadAnswer(r) is { } read) return read;
            var i = Index(r);
            await Task.Delay((12 - i) * 40, ct);
            return i == 3
                ? MockTransport.Error(404, "ResourceNotFound.listener", $"The specified resource lsn-{i} is not found.")
                : InProcessShell.Ok(new { RequestId = $"REQ-{i}", JobId = $"job-{i}" });
        });

        var lines = shell.Run(string.Format(Listeners, 11) +
            " | Set-NlbListenerAttribute -IdleTimeout 300 -ThrottleLimit 8 2>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { 'E:' + $_.TargetObject + ':' + $_.FullyQualifiedErrorId } else { 'O:' + $_.ListenerId + ':' + $_.JobId } }");

        var expected = Enumerable.Range(0, 12).Select(i => i == 3
            ? "E:lsn-3:ResourceNotFound.listener,NlbTools.Commands.SetNlbListenerAttributeCommand"
            : $"O:lsn-{i}:job-{i}");
        Assert.Equal(expected, lines.Select(l => l.ToString()));
        Assert.InRange(shell.MaxInFlight, 4, 8);
    }

    [Fact]
    public void ThrottleLimit_1_sends_one_at_a_time()
    {
        using var shell = new InProcessShell(async (r, ct) =>
        {
            if (InProcessShell.ReadAnswer(r) is { } read) return read;
            await Task.Delay(10, ct);
            return InProcessShell.Ok(new { RequestId = "REQ", JobId = $"job-{Index(r)}" });
        });
        var jobs = shell.Run(string.Format(Listeners, 5) + " | Set-NlbListenerAttribute -IdleTimeout 300 -ThrottleLimit 1");
        Assert.Equal(6, jobs.Count);
        Assert.Equal(1, shell.MaxInFlight);
    }

    [Fact]
    public void Throttling_halves_concurrency_and_it_recovers_gradually()
    {
        // The first 8 requests are held until all 8 are in flight, then throttled together; everything else
        // (their retries included) succeeds after 50 ms. The barrier keeps this independent of machine speed.
        var arrivals = 0;
        var allEightInFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var shell = new InProcessShell(async (r, ct) =>
        {
            if (InProcessShell.ReadAnswer(r) is { } read) return read;
            if (Interlocked.Increment(ref arrivals) <= 8)
            {
                if (Volatile.Read(ref arrivals) >= 8) allEightInFlight.TrySetResult();
                await allEightInFlight.Task.WaitAsync(ct);
                return MockTransport.Error(400, "Throttling.User", "Request was denied due to user flow control.", "REQ-T", retryAfterMs: 1);
            }
            await Task.Delay(50, ct);
            return InProcessShell.Ok(new { RequestId = "REQ", JobId = $"job-{Index(r)}" });
        });

        var jobs = shell.Run(string.Format(Listeners, 23) + " | Set-NlbListenerAttribute -IdleTimeout 300 -ThrottleLimit 8");

        Assert.Equal(Enumerable.Range(0, 24).Select(i => $"job-{i}"), jobs.Select(j => ((NlbJob)j.BaseObject).JobId));
        // Requests in the order they reached the endpoint, each with how many were in flight (itself included).
        var starts = shell.InFlightAtStart.Where(s => s.Action == "UpdateListenerAttribute").ToList();
        var shown = string.Join(",", starts.Select(s => $"{s.ListenerId}:{s.InFlight}"));
        Assert.True(starts.Count == 32, shown); // 24 items + 8 retries
        Assert.True(starts.Take(8).Max(s => s.InFlight) == 8, shown);
        // Entries 8-15 are the retries of the throttled eight; they hold their slots until they succeed.
        Assert.True(starts.Skip(8).Take(8).Select(s => s.ListenerId).OrderBy(x => x).SequenceEqual(starts.Take(8).Select(s => s.ListenerId).OrderBy(x => x)), shown);
        // Eight throttles took the width down to 1: the first new item starts alone, and the width then grows
        // one step per run of successes (1, 2, 3 ...), so the next few start at most three at a time.
        Assert.True(starts[16].InFlight == 1, shown);
        Assert.True(starts.Skip(16).Take(4).Max(s => s.InFlight) <= 3, shown);
        Assert.True(shell.MaxInFlight <= 8);
    }
}

public sealed class AdaptiveLimiterTests
{
    [Fact]
    public async Task Throttling_halves_the_limit_down_to_one_and_successes_raise_it_one_step_at_a_time()
    {
        var limiter = new AdaptiveLimiter(8);
        limiter.OnThrottled();
        Assert.Equal(4, limiter.Limit);
        limiter.OnThrottled();
        limiter.OnThrottled();
        limiter.OnThrottled();
        Assert.Equal(1, limiter.Limit);

        var epoch = await limiter.AcquireAsync(CancellationToken.None);
        limiter.OnSuccess(epoch);
        Assert.Equal(2, limiter.Limit);
        limiter.OnSuccess(epoch);
        Assert.Equal(2, limiter.Limit);
        limiter.OnSuccess(epoch);
        Assert.Equal(3, limiter.Limit);
        for (var i = 0; i < 100; i++) limiter.OnSuccess(epoch);
        Assert.Equal(8, limiter.Limit);
    }

    [Fact]
    public async Task Successes_of_requests_let_in_before_the_last_throttling_do_not_count()
    {
        var limiter = new AdaptiveLimiter(8);
        var before = await limiter.AcquireAsync(CancellationToken.None);
        limiter.OnThrottled();
        limiter.OnThrottled();
        Assert.Equal(2, limiter.Limit);
        for (var i = 0; i < 10; i++) limiter.OnSuccess(before);
        Assert.Equal(2, limiter.Limit);
    }

    [Fact]
    public async Task Waiters_start_only_when_a_slot_frees()
    {
        var limiter = new AdaptiveLimiter(2);
        await limiter.AcquireAsync(CancellationToken.None);
        await limiter.AcquireAsync(CancellationToken.None);
        var third = limiter.AcquireAsync(CancellationToken.None);
        Assert.False(third.IsCompleted);
        limiter.Release();
        await third.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_cancelled_waiter_gives_up()
    {
        var limiter = new AdaptiveLimiter(1);
        await limiter.AcquireAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var waiter = limiter.AcquireAsync(cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
    }
}
