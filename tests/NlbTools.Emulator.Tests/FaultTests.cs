using System.Diagnostics;
using System.Net;

namespace NlbTools.Emulator.Tests;

/// <summary>Faults set through POST /_emulator/faults, drawn from a seeded generator; latency.</summary>
public class FaultTests : IAsyncLifetime
{
    private TestEmulator _emu = null!;
    public async Task InitializeAsync() => _emu = await TestEmulator.StartAsync();
    public async Task DisposeAsync() => await _emu.DisposeAsync();

    private Task SetFaults(object config) => _emu.ControlAsync("faults", config);

    [Theory]
    [InlineData("SystemBusy", HttpStatusCode.BadRequest)]
    [InlineData("ServiceUnavailable", HttpStatusCode.ServiceUnavailable)]
    [InlineData("IncorrectStatus.listener", HttpStatusCode.BadRequest)]
    public async Task A_rate_of_1_answers_the_chosen_code(string code, HttpStatusCode status)
    {
        await SetFaults(new { Rate = 1.0, Codes = new[] { code }, Seed = 1 });
        var answer = await _emu.CallAsync("UpdateListenerAttribute", new { ListenerId = "lsn-hzweb01@80", IdleTimeout = 60 });
        Assert.Equal(status, answer.Status);
        Assert.Equal(code, answer.Code);
        Assert.NotNull(answer.RequestId);
    }

    [Fact]
    public async Task Throttling_carries_x_acs_retry_after_in_milliseconds()
    {
        await SetFaults(new { Rate = 1.0, Codes = new[] { "Throttling.User" }, RetryAfterMs = 1234 });
        var answer = await _emu.CallAsync("ListListeners");
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("Throttling.User", answer.Code);
        Assert.Equal("1234", answer.Response.Headers.GetValues("x-acs-retry-after").Single());
    }

    [Fact]
    public async Task Faults_hit_only_the_listed_actions()
    {
        await SetFaults(new { Rate = 1.0, Codes = new[] { "SystemBusy" }, Actions = new[] { "UpdateListenerAttribute" } });
        Assert.Equal(HttpStatusCode.OK, (await _emu.CallAsync("ListListeners")).Status);
        Assert.Equal("SystemBusy", (await _emu.CallAsync("UpdateListenerAttribute", new { ListenerId = "lsn-hzweb01@80", Cps = 1 })).Code);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_sequence_and_the_rate_is_honoured()
    {
        async Task<string> Run()
        {
            await SetFaults(new { Rate = 0.3, Codes = new[] { "SystemBusy", "ServiceUnavailable" }, Seed = 42 });
            var codes = new List<string>();
            for (var i = 0; i < 60; i++) codes.Add((await _emu.CallAsync("DescribeRegions")).Code ?? "ok");
            return string.Join(",", codes);
        }
        var first = await Run();
        Assert.Equal(first, await Run());
        var faults = first.Split(',').Count(c => c != "ok");
        Assert.InRange(faults, 6, 36);
        Assert.Contains("SystemBusy", first);
        Assert.Contains("ServiceUnavailable", first);
    }

    [Fact]
    public async Task ConnectionReset_aborts_the_connection()
    {
        await SetFaults(new { Rate = 1.0, Codes = new[] { "ConnectionReset" } });
        await Assert.ThrowsAsync<HttpRequestException>(() => _emu.CallAsync("DescribeRegions"));
        // The emulator logs the request after it aborted the connection, so the entry may land a moment after the client's error.
        var log = await _emu.ControlAsync("requests");
        for (var i = 0; i < 50 && !log.Any(); i++)
        {
            await Task.Delay(100);
            log = await _emu.ControlAsync("requests");
        }
        Assert.Equal("ConnectionReset", (string?)log.Last()["Code"]);
    }

    [Fact]
    public async Task Timeout_hangs_past_the_client_timeout_and_ends_when_the_client_gives_up()
    {
        await SetFaults(new { Rate = 1.0, Codes = new[] { "Timeout" } });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var request = _emu.BuildRequest("DescribeRegions", "2022-04-30", new(), new(), Signer.Demo, new CallOptions());
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _emu.Http.SendAsync(request, cts.Token));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(450), "the request must hang until the client gives up");
        // The server side ends too (it is logged once the client aborted).
        for (var i = 0; i < 100 && !(await _emu.ControlAsync("requests")).Any(e => (string?)e["Code"] == "Timeout"); i++) await Task.Delay(20);
        Assert.Contains(await _emu.ControlAsync("requests"), e => (string?)e["Code"] == "Timeout");
    }

    [Theory]
    [InlineData("{\"Rate\":2,\"Codes\":[\"SystemBusy\"]}")]
    [InlineData("{\"Rate\":0.5,\"Codes\":[\"NoSuchFault\"]}")]
    [InlineData("{\"Rate\":0.5}")]
    [InlineData("{\"Rate\":\"high\"}")]
    [InlineData("{\"Rat\":0.5}")]
    [InlineData("not json")]
    public async Task A_bad_fault_configuration_is_400_InvalidParameter(string body)
    {
        var response = await _emu.Http.PostAsync("/_emulator/faults", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"Code\":\"InvalidParameter\"", await response.Content.ReadAsStringAsync());
    }
}

/// <summary>--latency-ms is added to every answer, and concurrent requests wait in parallel.</summary>
public class LatencyTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output;
    public LatencyTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Latency_is_added_and_500_concurrent_updates_do_not_queue_behind_each_other()
    {
        await using var emu = await TestEmulator.StartAsync(latencyMs: 50, jobDurationMs: 0);
        var single = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await emu.CallAsync("DescribeRegions")).Status);
        Assert.True(single.ElapsedMilliseconds >= 50, $"one call took {single.ElapsedMilliseconds} ms");

        // 500 updates spread over the 13 demo listeners: most collide (IncorrectStatus is fine), none may 500.
        var listeners = (await emu.CallAsync("ListListeners", query: new { MaxResults = 100 }))["Listeners"].Select(l => (string)l["ListenerId"]!).ToArray();
        var watch = Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, 500).Select(i =>
            emu.CallAsync("UpdateListenerAttribute", new { ListenerId = listeners[i % listeners.Length], ListenerDescription = "parallel-" + i })));
        watch.Stop();
        _output.WriteLine($"500 concurrent UpdateListenerAttribute with --latency-ms 50: {watch.ElapsedMilliseconds} ms");
        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.OK || a.Code == "IncorrectStatus.listener", $"{a.Status} {a.Code}"));
        // Serialized, 500 x 50 ms would take 25 s; in parallel it is a small multiple of 50 ms (slack for a loaded machine).
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"500 concurrent calls took {watch.ElapsedMilliseconds} ms");
    }
}
