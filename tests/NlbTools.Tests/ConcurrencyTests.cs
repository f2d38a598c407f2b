using System.Management.Automation;
using NlbTools.Client.Pipeline;

namespace NlbTools.Tests;

/// <summary>Set-NlbListenerAttribute's concurrent writes: input order and the throttle limit (pacing under a quota: NlbTools.Client.Tests PacingTests).</summary>
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
    public void The_reads_the_diff_needs_run_ahead_concurrently_and_results_keep_the_input_order()
    {
        // Piped ids must be read before they are diffed. Earlier reads answer later; lsn-5's read fails.
        var reading = 0;
        var maxReading = 0;
        var gate = new object();
        using var shell = new InProcessShell(async (r, ct) =>
        {
            if (InProcessShell.Action(r) != "GetListenerAttribute")
                return InProcessShell.Ok(new { RequestId = "REQ", JobId = $"job-{Index(r)}" });
            var now = Interlocked.Increment(ref reading);
            lock (gate) maxReading = Math.Max(maxReading, now);
            try
            {
                var i = Index(r);
                await Task.Delay((12 - i) * 30, ct);
                return i == 5 ? MockTransport.Error(404, "ResourceNotFound.listener", "The specified resource lsn-5 is not found.") : InProcessShell.ReadAnswer(r)!;
            }
            finally { Interlocked.Decrement(ref reading); }
        });

        var lines = shell.Run("0..11 | ForEach-Object { \"lsn-$_\" } | Set-NlbListenerAttribute -IdleTimeout 300 -ThrottleLimit 2 2>&1 | " +
            "ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { 'E:' + $_.TargetObject } else { 'O:' + $_.ListenerId } }");

        Assert.Equal(Enumerable.Range(0, 12).Select(i => i == 5 ? "E:lsn-5" : $"O:lsn-{i}"), lines.Select(l => l.ToString()));
        // Reads run ahead of their turn, more than the two writes in flight (ThrottleLimit 2), within their window.
        Assert.InRange(maxReading, 3, 8);
        Assert.True(shell.MaxInFlight <= 2);
    }
}
