using Xunit;
using System.Diagnostics;
using System.Management.Automation;
using Xunit.Abstractions;

namespace NlbTools.Tests.Reliability;

/// <summary>
/// Issue 8 §4: Ctrl+C (PowerShell.Stop) during Wait-NlbJob, during a retry back-off and during a hung request,
/// against the real emulator over real HTTP; each returns within 1 s (1.5 s allowed for a busy machine).
/// The slowest stop is written to out/TestResults/reliability-cancellation.txt.
/// </summary>
// Clients are process-wide: never beside the tests that swap every client's transport (ConfigureClient).
[Collection(ClientSeamCollection.Name)]
public sealed class LiveCancellationTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(1.5);
    private readonly ITestOutputHelper _output;

    public LiveCancellationTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Stop_during_WaitNlbJob_returns_within_a_second()
    {
        // Jobs that never finish while the test runs.
        await using var emu = await LiveEmulator.StartAsync(jobDurationMs: 600_000);
        var job = emu.Run("Set-NlbListenerAttribute -ListenerId 'lsn-hzweb01@80' -IdleTimeout 333").Single();
        using var ps = emu.Create($"Wait-NlbJob -JobId '{job.Properties["JobId"].Value}' -TimeoutSec 600");
        var run = ps.BeginInvoke();
        await emu.WaitForLoggedAsync("ListAsynJobs");

        var elapsed = Stop(ps, "Wait-NlbJob");
        Assert.True(run.IsCompleted);
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.True(elapsed < s_limit, $"Stop took {elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Stop_during_a_retry_backoff_returns_within_a_second()
    {
        await using var emu = await LiveEmulator.StartAsync();
        // Every request is throttled with a 30 s retry-after, which the client honours.
        await emu.SetFaultsAsync(new { Rate = 1.0, Codes = new[] { "Throttling.User" }, RetryAfterMs = 30_000, Seed = 1 });
        using var ps = emu.Create("Get-NlbListener -ListenerId 'lsn-hzweb01@80'");
        ps.BeginInvoke();
        await emu.WaitForLoggedAsync("GetListenerAttribute");
        await Task.Delay(200); // inside the 30 s back-off now

        var elapsed = Stop(ps, "retry back-off");
        Assert.Single(await emu.RequestsAsync("GetListenerAttribute")); // no further attempt was sent
        Assert.True(elapsed < s_limit, $"Stop took {elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Stop_during_a_hung_request_returns_within_a_second()
    {
        await using var emu = await LiveEmulator.StartAsync();
        // The emulator holds the request open until the client gives up (default per-attempt timeout: 30 s).
        // Only the update hangs: the read before it (the diff) is answered.
        await emu.SetFaultsAsync(new { Rate = 1.0, Codes = new[] { "Timeout" }, Actions = new[] { "UpdateListenerAttribute" }, Seed = 1 });
        using var ps = emu.Create("Set-NlbListenerAttribute -ListenerId 'lsn-hzweb01@80' -ListenerDescription hung -Wait");
        ps.BeginInvoke();
        await Task.Delay(700);
        Assert.Equal(PSInvocationState.Running, ps.InvocationStateInfo.State);
        Assert.Empty(await emu.RequestsAsync("UpdateListenerAttribute")); // the update is still hanging: not answered yet

        var elapsed = Stop(ps, "hung request");
        Assert.True(elapsed < s_limit, $"Stop took {elapsed.TotalMilliseconds:0} ms");
        // The emulator saw the client hang up (it logs the request when it ends).
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await emu.RequestsAsync("UpdateListenerAttribute")).Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Single(await emu.RequestsAsync("UpdateListenerAttribute"));
    }

    private TimeSpan Stop(PowerShell ps, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        ps.Stop();
        stopwatch.Stop();
        _output.WriteLine($"Stop during {what}: {stopwatch.Elapsed.TotalMilliseconds:0} ms");
        Figures.Record($"cancellation {what}", stopwatch.Elapsed);
        return stopwatch.Elapsed;
    }
}

/// <summary>Appends measured figures to out/TestResults/reliability-figures.txt (when the repository is found).</summary>
internal static class Figures
{
    public static void Record(string name, TimeSpan value)
    {
        var line = $"{DateTime.UtcNow:o} {name}: {value.TotalMilliseconds:0} ms{Environment.NewLine}";
        Console.WriteLine(line.TrimEnd());
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "NlbTools.sln"))) continue;
            var results = Path.Combine(dir.FullName, "out", "TestResults");
            Directory.CreateDirectory(results);
            lock (typeof(Figures)) File.AppendAllText(Path.Combine(results, "reliability-figures.txt"), line);
            return;
        }
    }
}
