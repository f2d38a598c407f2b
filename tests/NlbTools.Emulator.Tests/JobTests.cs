using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace NlbTools.Emulator.Tests;

/// <summary>Asynchronous writes: Configuring/Processing for --job-duration-ms, then applied and Succeeded.</summary>
public class JobTests : IAsyncLifetime
{
    private const string Tcp = "lsn-hzweb01@80", Stopped = "lsn-hzweb01@8080";
    // A fake clock: the job's duration passes only when the test says so, no sleeping, no races.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private TestEmulator _emu = null!;
    public async Task InitializeAsync() => _emu = await TestEmulator.StartAsync(jobDurationMs: 60_000, clock: _clock);
    public async Task DisposeAsync() => await _emu.DisposeAsync();

    private async Task<string> Status(string listenerId) => (string)(await _emu.CallAsync("GetListenerAttribute", query: new { ListenerId = listenerId }))["ListenerStatus"]!;
    private async Task<string> JobStatus(string jobId) => (string)(await _emu.CallAsync("GetJobStatus", query: new { JobId = jobId }))["Status"]!;

    /// <summary>Lets the job timer fire and its continuation run (it takes the state lock on the thread pool).</summary>
    private async Task PassJobDurationAsync(string listenerId, string expected)
    {
        _clock.Advance(TimeSpan.FromMinutes(1));
        for (var i = 0; i < 200 && await Status(listenerId) != expected; i++) await Task.Delay(10);
    }

    [Fact]
    public async Task Update_is_Configuring_and_Processing_for_the_duration_then_applied_Running_and_Succeeded()
    {
        var jobId = (string)(await _emu.CallAsync("UpdateListenerAttribute", new { ListenerId = Tcp, IdleTimeout = 123 }))["JobId"]!;
        Assert.Equal("Configuring", await Status(Tcp));
        Assert.Equal("Processing", await JobStatus(jobId));
        var during = (await _emu.CallAsync("GetListenerAttribute", query: new { ListenerId = Tcp })).Body!;
        Assert.Equal(900, (int)during["IdleTimeout"]!);

        // While it is configuring, another change is refused.
        Assert.Equal("IncorrectStatus.listener", (await _emu.CallAsync("UpdateListenerAttribute", new { ListenerId = Tcp, IdleTimeout = 60 })).Code);

        await PassJobDurationAsync(Tcp, "Running");
        Assert.Equal("Running", await Status(Tcp));
        Assert.Equal("Succeeded", await JobStatus(jobId));
        Assert.Equal(123, (int)(await _emu.CallAsync("GetListenerAttribute", query: new { ListenerId = Tcp }))["IdleTimeout"]!);
    }

    [Fact]
    public async Task Stop_then_Start_go_through_Stopping_and_Starting()
    {
        var stop = (string)(await _emu.CallAsync("StopListener", new { ListenerId = Tcp }))["JobId"]!;
        Assert.Equal("Stopping", await Status(Tcp));
        await PassJobDurationAsync(Tcp, "Stopped");
        Assert.Equal("Succeeded", await JobStatus(stop));
        Assert.Equal("IncorrectStatus.listener", (await _emu.CallAsync("StopListener", new { ListenerId = Tcp })).Code);

        var start = (string)(await _emu.CallAsync("StartListener", new { ListenerId = Tcp }))["JobId"]!;
        Assert.Equal("Starting", await Status(Tcp));
        await PassJobDurationAsync(Tcp, "Running");
        Assert.Equal("Succeeded", await JobStatus(start));
    }

    [Fact]
    public async Task Start_and_Stop_check_status_DryRun_and_the_listener()
    {
        Assert.Equal("IncorrectStatus.listener", (await _emu.CallAsync("StartListener", new { ListenerId = Tcp })).Code);
        Assert.Equal("DryRunOperation", (await _emu.CallAsync("StartListener", new { ListenerId = Stopped, DryRun = true })).Code);
        Assert.Equal("Stopped", await Status(Stopped));
        var missing = await _emu.CallAsync("StopListener", new { ListenerId = "lsn-nope@1" });
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("ResourceNotFound.listener", missing.Code);
    }

    [Fact]
    public async Task A_retried_Start_with_the_same_ClientToken_gets_the_same_job_even_while_it_runs()
    {
        var first = (string)(await _emu.CallAsync("StartListener", new { ListenerId = Stopped, ClientToken = "start-1" }))["JobId"]!;
        var retry = await _emu.CallAsync("StartListener", new { ListenerId = Stopped, ClientToken = "start-1" });
        Assert.Equal(HttpStatusCode.OK, retry.Status);
        Assert.Equal(first, (string)retry["JobId"]!);
    }

    [Fact]
    public async Task ListAsynJobs_reports_jobs_with_a_string_TotalCount()
    {
        var a = (string)(await _emu.CallAsync("UpdateListenerAttribute", new { ListenerId = Tcp, Cps = 5 }))["JobId"]!;
        var b = (string)(await _emu.CallAsync("StartListener", new { ListenerId = Stopped }))["JobId"]!;
        var answer = await _emu.CallAsync("ListAsynJobs", query: new { JobIds = new[] { a, b, "unknown-job" } });
        Assert.Equal(Newtonsoft.Json.Linq.JTokenType.String, answer["TotalCount"].Type);
        Assert.Equal("2", (string?)answer["TotalCount"]);
        Assert.Equal(new[] { a, b }, answer["Jobs"].Select(j => (string)j["Id"]!).ToArray());
        Assert.All(answer["Jobs"], j => Assert.Equal("Processing", (string?)j["Status"]));
    }

    [Fact]
    public async Task An_unknown_job_is_ResourceNotFound_JobId()
    {
        var answer = await _emu.CallAsync("GetJobStatus", query: new { JobId = "00000000-0000-0000-0000-000000000000" });
        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("ResourceNotFound.JobId", answer.Code);
    }

    [Fact]
    public async Task Reset_drops_running_jobs_so_they_do_not_touch_the_new_state()
    {
        await _emu.CallAsync("UpdateListenerAttribute", new { ListenerId = Tcp, IdleTimeout = 55 });
        await _emu.ControlAsync("reset", new { });
        _clock.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(100);
        var l = (await _emu.CallAsync("GetListenerAttribute", query: new { ListenerId = Tcp })).Body!;
        Assert.Equal("Running", (string?)l["ListenerStatus"]);
        Assert.Equal(900, (int)l["IdleTimeout"]!);
    }
}
