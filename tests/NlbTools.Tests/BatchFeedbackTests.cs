using System.Management.Automation;
using NlbTools.Client.Pipeline;

namespace NlbTools.Tests;

/// <summary>What a user sees while a batch runs: progress that clears completely, and errors and retries that name their listener.</summary>
[Collection(ClientSeamCollection.Name)]
public sealed class BatchFeedbackTests
{
    private static string Lsn(int i) => $"lsn-bp1bpn0kn908w4nbw{i:0000}@1000";

    private const string Pipe = "1..12 | ForEach-Object { 'lsn-bp1bpn0kn908w4nbw{0:d4}@1000' -f $_ }";

    private static int Index(RecordedRequest r) => int.Parse(r.Parameter("ListenerId")!.Substring(21, 4));

    [Fact]
    public void Set_shows_progress_while_it_submits_and_clears_it_at_the_end()
    {
        using var shell = new InProcessShell((r, ct) => Task.FromResult(InProcessShell.Ok(new { RequestId = "REQ", JobId = "job-" + Index(r) })));
        using var ps = shell.Create($"$ProgressPreference = 'Continue'; {Pipe} | Set-NlbListenerAttribute -ListenerDescription web-01");
        Assert.Equal(12, ps.Invoke().Count);

        var records = ps.Streams.Progress.ToList();
        Assert.Contains(records, p => p.RecordType == ProgressRecordType.Processing && p.StatusDescription == "1 sent, 0 done (0 failed), last sent " + Lsn(1) && p.CurrentOperation == Lsn(1));
        Assert.Equal(ProgressRecordType.Completed, records.Last().RecordType);
        Assert.All(records, p => Assert.Equal(records[0].ActivityId, p.ActivityId));
    }

    [Fact]
    public void Set_writes_no_progress_when_ProgressPreference_is_SilentlyContinue()
    {
        using var shell = new InProcessShell((r, ct) => Task.FromResult(InProcessShell.Ok(new { RequestId = "REQ", JobId = "job-1" })));
        using var ps = shell.Create($"$ProgressPreference = 'SilentlyContinue'; {Pipe} | Set-NlbListenerAttribute -ListenerDescription web-01");
        ps.Invoke();
        Assert.Empty(ps.Streams.Progress);
    }

    [Fact]
    public void Wait_NlbJob_completes_every_child_record_before_the_parent_and_writes_nothing_after()
    {
        var polls = 0;
        // job-3 fails and job-4 never ends (it times out), so every way out of the wait is taken.
        using var shell = new InProcessShell((r, ct) =>
        {
            var round = Interlocked.Increment(ref polls);
            return Task.FromResult(InProcessShell.Jobs(r, id => id == "job-4" || round < 2 ? "Processing" : id == "job-3" ? "Failed" : "Succeeded"));
        });
        using var ps = shell.Create("$ProgressPreference = 'Continue'; 1..4 | ForEach-Object { [NlbTools.NlbJob]@{ JobId = \"job-$_\"; ListenerId = 'lsn-bp1bpn0kn908w4nbw{0:d4}@1000' -f $_ } } | Wait-NlbJob -TimeoutSec 3");
        ps.Invoke();

        var records = ps.Streams.Progress.ToList();
        var parent = records.FindLastIndex(p => p.ParentActivityId == -1 && p.RecordType == ProgressRecordType.Completed);
        Assert.Equal(records.Count - 1, parent);
        var children = records.Where(p => p.ParentActivityId != -1).GroupBy(p => p.ActivityId).ToList();
        Assert.NotEmpty(children);
        Assert.All(children, g => Assert.Equal(ProgressRecordType.Completed, g.Last().RecordType));
        Assert.Contains(records, p => p.Activity.StartsWith(Lsn(1) + ": job job-1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_service_error_in_a_batch_names_its_listener()
    {
        using var shell = new InProcessShell((r, ct) => Task.FromResult(Index(r) == 5
            ? MockTransport.Error(403, "Forbidden.NoPermission", "You are not authorized to do this action.")
            : InProcessShell.Ok(new { RequestId = "REQ", JobId = "job-" + Index(r) })));
        using var ps = shell.Create($"{Pipe} | Set-NlbListenerAttribute -ListenerDescription web-01");
        Assert.Equal(11, ps.Invoke().Count);

        var error = Assert.Single(ps.Streams.Error);
        Assert.StartsWith("Forbidden.NoPermission,", error.FullyQualifiedErrorId);
        Assert.StartsWith($"Listener {Lsn(5)}: You are not authorized", error.ErrorDetails.Message);
        Assert.Equal(Lsn(5), error.TargetObject);
    }

    [Fact]
    public void Every_verbose_retry_line_names_its_listener()
    {
        var failed = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
        // Every update fails once with SystemBusy, then succeeds; the diff's reads answer at once.
        using var shell = new InProcessShell((r, ct) => Task.FromResult(InProcessShell.ReadAnswer(r) ?? (failed.TryAdd(Index(r), true)
            ? MockTransport.Error(400, "SystemBusy", "The system is busy.")
            : InProcessShell.Ok(new { RequestId = "REQ", JobId = "job-" + Index(r) }))));
        using var ps = shell.Create($"{Pipe} | Set-NlbListenerAttribute -ListenerDescription web-01 -Verbose");
        Assert.Equal(12, ps.Invoke().Count);

        var retries = ps.Streams.Verbose.Select(v => v.Message).Where(m => m.Contains("SystemBusy") && m.Contains("retrying")).ToList();
        Assert.Equal(12, retries.Count);
        for (var i = 1; i <= 12; i++) Assert.Single(retries, m => m.StartsWith($"Listener {Lsn(i)}: UpdateListenerAttribute", StringComparison.Ordinal));
    }
}
