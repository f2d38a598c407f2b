using System.Management.Automation;
using NlbTools.Client.Pipeline;

namespace NlbTools.Tests;

/// <summary>Wait-NlbJob's batched polling, its fallback, and failed jobs (the emulator's jobs always succeed).</summary>
[Collection(ClientSeamCollection.Name)]
public sealed class WaitNlbJobTests
{
    [Fact]
    public void Many_jobs_cost_one_ListAsynJobs_request_per_20_jobs_per_round()
    {
        using var shell = new InProcessShell((r, ct) => Task.FromResult(InProcessShell.Jobs(r, _ => "Succeeded")));
        var done = shell.Run("1..45 | ForEach-Object { \"job-$_\" } | Wait-NlbJob");

        Assert.Equal(45, done.Count);
        Assert.All(done, d => Assert.Equal("Succeeded", ((NlbJob)d.BaseObject).Status));
        Assert.Equal(Enumerable.Range(1, 45).Select(i => $"job-{i}"), done.Select(d => ((NlbJob)d.BaseObject).JobId));
        var polls = shell.Transport.Requests.Where(r => InProcessShell.Action(r) == "ListAsynJobs").ToList();
        Assert.Equal(3, polls.Count); // 20 + 20 + 5 ids
        Assert.True(polls.Count / 45.0 <= 0.2);
        Assert.Equal(0, shell.Count("GetJobStatus"));
    }

    [Fact]
    public void Falls_back_to_GetJobStatus_when_ListAsynJobs_is_unavailable()
    {
        using var shell = new InProcessShell((r, ct) => Task.FromResult(InProcessShell.Action(r) == "ListAsynJobs"
            ? MockTransport.Error(404, "InvalidAction.NotFound", "Specified api is not found.")
            : InProcessShell.Ok(new { RequestId = "REQ", Status = "Succeeded" })));
        var done = shell.Run("Wait-NlbJob -JobId job-1, job-2");

        Assert.Equal(new[] { "job-1", "job-2" }, done.Select(d => ((NlbJob)d.BaseObject).JobId));
        Assert.Equal(1, shell.Count("ListAsynJobs"));
        Assert.Equal(2, shell.Count("GetJobStatus"));
    }

    [Fact]
    public void A_failed_job_is_a_non_terminating_error_naming_the_job_and_the_listener()
    {
        using var shell = new InProcessShell((r, ct) => Task.FromResult(InProcessShell.Jobs(r, id => id == "job-bad" ? "Failed" : "Succeeded")));
        using var ps = shell.Create(
            "[NlbTools.NlbJob]@{ JobId = 'job-bad'; ListenerId = 'lsn-9@80'; Action = 'UpdateListenerAttribute' }, [NlbTools.NlbJob]@{ JobId = 'job-ok'; ListenerId = 'lsn-1@80' } | Wait-NlbJob");
        var done = ps.Invoke();

        Assert.Equal("job-ok", Assert.Single(done).Properties["JobId"].Value);
        var error = Assert.Single(ps.Streams.Error);
        Assert.Equal("NlbJobFailed,NlbTools.Commands.WaitNlbJobCommand", error.FullyQualifiedErrorId);
        Assert.Contains("job-bad", error.Exception.Message);
        Assert.Contains("lsn-9@80", error.Exception.Message);
        Assert.Equal("Failed", ((NlbJob)error.TargetObject).Status);
    }
}

/// <summary>Write-Progress per job with its state and elapsed time, and silence when progress is off.</summary>
[Collection(ClientSeamCollection.Name)]
public sealed class WaitNlbJobProgressTests
{
    private static InProcessShell JobsDoneOnSecondPoll()
    {
        var polls = 0;
        return new InProcessShell((r, ct) => Task.FromResult(InProcessShell.Jobs(r, _ => Volatile.Read(ref polls) >= 2 ? "Succeeded" : "Processing"))
            .ContinueWith(t => { Interlocked.Increment(ref polls); return t.Result; }, ct));
    }

    [Fact]
    public void Shows_each_running_job_with_its_state_and_elapsed_time()
    {
        using var shell = JobsDoneOnSecondPoll();
        using var ps = shell.Create("$ProgressPreference = 'Continue'; [NlbTools.NlbJob]@{ JobId = 'job-1'; ListenerId = 'lsn-1@80' }, [NlbTools.NlbJob]@{ JobId = 'job-2'; ListenerId = 'lsn-2@80' } | Wait-NlbJob");
        var done = ps.Invoke();

        Assert.Equal(2, done.Count);
        var records = ps.Streams.Progress.ToList();
        Assert.Contains(records, p => p.Activity.Contains("job-1") && p.Activity.Contains("lsn-1@80") && p.StatusDescription.StartsWith("Processing, ") && p.StatusDescription.EndsWith(" s"));
        Assert.Contains(records, p => p.Activity.Contains("job-2"));
        Assert.Contains(records, p => p.RecordType == System.Management.Automation.ProgressRecordType.Completed);
    }

    [Fact]
    public void Writes_no_progress_when_ProgressPreference_is_SilentlyContinue()
    {
        using var shell = JobsDoneOnSecondPoll();
        using var ps = shell.Create("$ProgressPreference = 'SilentlyContinue'; Wait-NlbJob -JobId job-1, job-2");
        Assert.Equal(2, ps.Invoke().Count);
        Assert.Empty(ps.Streams.Progress);
    }
}
