using System.Diagnostics;
using System.Management.Automation;
using NlbTools.Client.Pipeline;

namespace NlbTools.Tests;

/// <summary>Ctrl+C (StopProcessing) ends waits, back-offs and requests within about a second.</summary>
[Collection(ClientSeamCollection.Name)]
public sealed class CancellationTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(1.5); // 1 s, with slack for a busy machine

    [Fact]
    public async Task Stop_during_WaitNlbJob_returns_within_a_second()
    {
        using var shell = new InProcessShell((r, ct) => Task.FromResult(InProcessShell.Jobs(r, _ => "Processing")));
        using var ps = shell.Create("Wait-NlbJob -JobId job-1, job-2 -TimeoutSec 600");
        var run = ps.BeginInvoke();
        await shell.WaitForRequest("ListAsynJobs");

        var stopwatch = Stopwatch.StartNew();
        ps.Stop();
        stopwatch.Stop();

        Assert.True(stopwatch.Elapsed < s_limit, $"Stop took {stopwatch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.True(run.IsCompleted);
    }

    [Fact]
    public async Task Stop_during_a_retry_backoff_returns_within_a_second()
    {
        // The service asks for a 30 s pause; the client honours it, and Ctrl+C must not wait it out.
        using var shell = new InProcessShell((r, ct) => Task.FromResult(MockTransport.Error(503, "ServiceUnavailable", "down", "REQ-503", retryAfterMs: 30000)));
        using var ps = shell.Create("Get-NlbListener -ListenerId lsn-1@80");
        ps.BeginInvoke();
        await shell.WaitForRequest("GetListenerAttribute");
        await Task.Delay(200); // now inside the 30 s back-off

        var stopwatch = Stopwatch.StartNew();
        ps.Stop();
        stopwatch.Stop();

        Assert.True(stopwatch.Elapsed < s_limit, $"Stop took {stopwatch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(1, shell.Count("GetListenerAttribute"));
    }

    [Fact]
    public async Task Stop_during_concurrent_updates_cancels_requests_in_flight()
    {
        // The endpoint answers the diff's reads but never the updates; only cancellation ends them.
        using var shell = new InProcessShell(async (r, ct) =>
        {
            if (InProcessShell.ReadAnswer(r) is { } read) return read;
            await Task.Delay(Timeout.Infinite, ct);
            throw new OperationCanceledException(ct);
        });
        using var ps = shell.Create("0..5 | ForEach-Object { [NlbTools.NlbListener]@{ ListenerId = \"lsn-$_\"; ListenerProtocol = 'TCP' } } | Set-NlbListenerAttribute -IdleTimeout 300 -ThrottleLimit 4");
        ps.BeginInvoke();
        await shell.WaitForRequest("UpdateListenerAttribute", 4);

        var stopwatch = Stopwatch.StartNew();
        ps.Stop();
        stopwatch.Stop();

        Assert.True(stopwatch.Elapsed < s_limit, $"Stop took {stopwatch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(4, shell.Count("UpdateListenerAttribute"));
    }
}
