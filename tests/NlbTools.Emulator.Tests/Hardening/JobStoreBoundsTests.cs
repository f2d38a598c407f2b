using NlbTools.Emulator.Jobs;

namespace NlbTools.Emulator.Tests.Hardening;

/// <summary>Issue 15 item 12: jobs and their ClientTokens do not grow without limit in a long-running emulator.</summary>
public sealed class JobStoreBoundsTests
{
    private static Job NewJob(int i, string status, string? token = null) => new()
    {
        JobId = $"job-{i:D5}", Action = "UpdateListenerAttribute", ResourceId = "lsn-bp1bpn0kn908w4nbw0001@1000",
        ClientToken = token, Status = status, Parameters = new Dictionary<string, string>(), CreateTime = DateTimeOffset.UnixEpoch.AddSeconds(i),
    };

    [Fact]
    public void Finished_jobs_beyond_the_cap_are_forgotten_oldest_first_with_their_tokens()
    {
        var store = new JobStore(maxJobs: 100);
        store.Add(NewJob(0, "Processing"), null);
        for (var i = 1; i <= 300; i++) store.Add(NewJob(i, "Succeeded", token: $"token-{i}"), "sig");

        Assert.True(store.All.Count <= 100, $"{store.All.Count} jobs kept");
        Assert.NotNull(store.Find("job-00000"));            // still running: never dropped
        Assert.NotNull(store.Find("job-00300"));            // the newest stay
        Assert.Null(store.Find("job-00001"));               // the oldest finished ones go
        Assert.Null(store.FindByToken("UpdateListenerAttribute", "token-1", "sig"));
        Assert.Equal("job-00300", store.FindByToken("UpdateListenerAttribute", "token-300", "sig")!.JobId);
        Assert.Equal(store.All.Select(j => j.JobId).OrderBy(x => x, StringComparer.Ordinal), store.All.Select(j => j.JobId)); // order kept
    }

    [Fact]
    public void The_default_cap_holds_a_bulk_run_many_times_over()
    {
        Assert.True(JobStore.MaxJobs >= 10_000);
        var store = new JobStore();
        for (var i = 0; i < JobStore.MaxJobs + 5_000; i++) store.Add(NewJob(i, "Succeeded"), null);
        Assert.InRange(store.All.Count, JobStore.MaxJobs * 9 / 10, JobStore.MaxJobs);
    }
}
