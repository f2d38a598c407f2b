using System.Net;
using Newtonsoft.Json.Linq;
using Xunit;

namespace NlbTools.Emulator.Tests.Reliability;

/// <summary>The control-endpoint additions the fault soak relies on: DELETE a listener, LoseAnswer, fault counts.</summary>
public sealed class FaultControlTests : IAsyncLifetime
{
    private TestEmulator _emu = null!;

    public async Task InitializeAsync() => _emu = await TestEmulator.StartAsync(jobDurationMs: 0);
    public async Task DisposeAsync() => await _emu.DisposeAsync();

    private const string Tcp = "lsn-hzweb01@80";

    [Fact]
    public async Task DELETE_listener_removes_it_and_later_calls_get_ResourceNotFound_listener()
    {
        var deleted = await _emu.Http.DeleteAsync("/_emulator/listeners/" + Uri.EscapeDataString(Tcp));
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        var update = await _emu.CallAsync("UpdateListenerAttribute", new { ListenerId = Tcp, IdleTimeout = 60 });
        Assert.Equal(HttpStatusCode.NotFound, update.Status);
        Assert.Equal("ResourceNotFound.listener", update.Code);
        var state = await _emu.ControlAsync("state");
        Assert.DoesNotContain(state["Listeners"]!, l => (string?)l["ListenerId"] == Tcp);

        var again = await _emu.Http.DeleteAsync("/_emulator/listeners/" + Uri.EscapeDataString(Tcp));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("ResourceNotFound.listener", (string?)JObject.Parse(await again.Content.ReadAsStringAsync())["Code"]);
    }

    [Fact]
    public async Task A_job_whose_listener_is_deleted_meanwhile_fails_without_applying()
    {
        await using var slow = await TestEmulator.StartAsync(jobDurationMs: 300);
        var job = await slow.CallAsync("UpdateListenerAttribute", new { ListenerId = Tcp, IdleTimeout = 60 });
        Assert.Equal(HttpStatusCode.OK, job.Status);
        await slow.Http.DeleteAsync("/_emulator/listeners/" + Uri.EscapeDataString(Tcp));
        JToken? status = null;
        for (var i = 0; i < 100 && (string?)status != "Failed"; i++)
        {
            await Task.Delay(20);
            status = (await slow.ControlAsync("jobs")).Single(j => (string?)j["JobId"] == (string?)job["JobId"])["Status"];
        }
        Assert.Equal("Failed", (string?)status);
    }

    [Fact]
    public async Task LoseAnswer_applies_the_change_then_drops_the_connection_and_a_retry_with_the_token_gets_the_same_job()
    {
        await _emu.ControlAsync("faults", new { Rate = 1.0, Codes = new[] { "ConnectionReset" }, Actions = new[] { "UpdateListenerAttribute" }, LoseAnswer = true, Seed = 1 });
        var body = new { ListenerId = Tcp, IdleTimeout = 77, ClientToken = "token-lose-1" };
        await Assert.ThrowsAsync<HttpRequestException>(() => _emu.CallAsync("UpdateListenerAttribute", body));
        var jobs = (await _emu.ControlAsync("jobs")).ToList();
        Assert.Single(jobs);
        Assert.Equal(77, (int)(await _emu.CallAsync("GetListenerAttribute", query: new { ListenerId = Tcp })).Body!["IdleTimeout"]!);

        await _emu.ControlAsync("faults", new { Rate = 0.0 });
        var retry = await _emu.CallAsync("UpdateListenerAttribute", body);
        Assert.Equal(HttpStatusCode.OK, retry.Status);
        Assert.Equal((string?)jobs[0]["JobId"], (string?)retry["JobId"]);
        Assert.Single(await _emu.ControlAsync("jobs"));
    }

    [Fact]
    public async Task Faults_are_counted_per_code_and_reads_never_get_IncorrectStatus_listener()
    {
        await _emu.ControlAsync("faults", new { Rate = 1.0, Codes = new[] { "IncorrectStatus.listener", "SystemBusy" }, Seed = 5 });
        for (var i = 0; i < 20; i++)
        {
            var read = await _emu.CallAsync("ListListeners");
            Assert.Equal("SystemBusy", read.Code);
        }
        var write = await _emu.CallAsync("UpdateListenerAttribute", new { ListenerId = Tcp, IdleTimeout = 60 });
        Assert.Contains(write.Code, new[] { "IncorrectStatus.listener", "SystemBusy" });
        var view = await _emu.ControlAsync("faults");
        var injected = (JObject)view["Injected"]!;
        Assert.Equal(21, injected.Properties().Sum(p => (int)p.Value));
        Assert.True((int?)injected["SystemBusy"] >= 20);
    }
}
