using System.Net;
using System.Text;
using Newtonsoft.Json.Linq;
using NlbTools.Emulator.Api;
using NlbTools.Emulator.Control;
using NlbTools.Emulator.Identity;
using NlbTools.Emulator.State;
using Xunit.Abstractions;

namespace NlbTools.Emulator.Tests.Hardening;

/// <summary>Alone in the process while it runs: it measures the managed heap, which other tests would move.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCollection
{
    public const string Name = "Memory measurements";
}

/// <summary>Issue 15 item 12: what the emulator keeps per request is bounded by sizes it sets itself.</summary>
[Collection(MemoryCollection.Name)]
public sealed class BoundedMemoryTests : IAsyncLifetime
{
    private readonly ITestOutputHelper _output;
    private TestEmulator _emu = null!;

    public BoundedMemoryTests(ITestOutputHelper output) => _output = output;
    public async Task InitializeAsync() => _emu = await TestEmulator.StartAsync(jobDurationMs: 0);
    public async Task DisposeAsync() => await _emu.DisposeAsync();

    /// <summary>An unsigned form body of exactly the largest size the emulator accepts.</summary>
    private static string LargestUnsignedBody()
    {
        const string head = "Action=UpdateListenerAttribute&Version=2022-04-30&ListenerId=lsn-bp1bpn0kn908w4nbw0001@1000&ListenerDescription=";
        return head + new string('d', RpcEndpoint.MaxBodyBytes - head.Length);
    }

    [Fact]
    public async Task A_hundred_and_fifty_unsigned_1_MiB_requests_grow_the_heap_by_less_than_the_log_byte_cap()
    {
        var body = LargestUnsignedBody();
        Assert.Equal(RpcEndpoint.MaxBodyBytes, Encoding.ASCII.GetByteCount(body));
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < 150; i++)
        {
            using var response = await _emu.Http.PostAsync("/", new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("IncompleteSignature", (string?)JObject.Parse(await response.Content.ReadAsStringAsync())["Code"]);
        }
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var growth = after - before;
        _output.WriteLine($"managed heap growth after 150 unsigned {RpcEndpoint.MaxBodyBytes}-byte requests: {growth / (1024.0 * 1024):F1} MiB (log cap {RequestLog.MaxTotalBytes / (1024 * 1024)} MiB)");
        Assert.Equal(150, _emu.Runtime.Log.Snapshot().Count);
        Assert.True(growth < RequestLog.MaxTotalBytes, $"the heap grew by {growth} bytes, more than the log's cap of {RequestLog.MaxTotalBytes}");
    }
}

/// <summary>Issue 15 item 12: the request log's own bounds, and issued keys and tokens pruned.</summary>
public sealed class BoundsTests : IAsyncLifetime
{
    private TestEmulator _emu = null!;
    public async Task InitializeAsync() => _emu = await TestEmulator.StartAsync(jobDurationMs: 0);
    public async Task DisposeAsync() => await _emu.DisposeAsync();

    [Fact]
    public async Task A_failed_signature_is_logged_without_parameter_values()
    {
        var wrong = Signer.Demo with { Secret = "not-the-secret-value-0000000" };
        var answer = await _emu.CallAsync("UpdateListenerAttribute", new { ListenerId = "lsn-hzweb01@80", ListenerDescription = "secret-looking-value" }, signer: wrong);
        Assert.Equal("SignatureDoesNotMatch", answer.Code);
        var entry = (JObject)((JArray)await _emu.ControlAsync("requests")).Last!;
        Assert.Equal("UpdateListenerAttribute", (string?)entry["Action"]);
        Assert.Equal("SignatureDoesNotMatch", (string?)entry["Code"]);
        Assert.Empty((JObject)entry["Parameters"]!);
        Assert.True((bool)entry["ParametersOmitted"]!);
        Assert.DoesNotContain("secret-looking-value", entry.ToString());
    }

    [Fact]
    public async Task A_signed_request_s_long_values_are_cut_in_the_log_and_its_extra_parameters_dropped()
    {
        var parameters = new Dictionary<string, string> { ["RegionId"] = "cn-hangzhou", ["Padding"] = new string('p', 100_000) };
        for (var i = 0; i < RequestLog.MaxParameters + 50; i++) parameters["Extra" + i] = "x";
        var answer = await _emu.CallAsync("ListListeners", parameters);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var entry = (JObject)((JArray)await _emu.ControlAsync("requests")).Last!;
        var logged = (JObject)entry["Parameters"]!;
        Assert.True(logged.Count <= RequestLog.MaxParameters);
        Assert.True((bool)entry["ParametersTruncated"]!);
        Assert.All(logged.Properties(), p => Assert.True(((string)p.Value!).Length <= RequestLog.MaxValueChars + 40, p.Name));
        if (logged["Padding"] is { } padding) Assert.Contains("[cut: 100000 characters]", (string)padding!);
    }

    [Fact]
    public void The_log_drops_its_oldest_entries_to_stay_under_its_byte_cap()
    {
        var log = new RequestLog();
        var value = new string('v', RequestLog.MaxValueChars);
        var parameters = Enumerable.Range(0, RequestLog.MaxParameters).ToDictionary(i => "P" + i, _ => value);
        var added = 0;
        while (added < 1000)
        {
            log.Add(new RequestLogEntry { Time = "t", RequestId = "r" + added, Parameters = RequestLog.ForLog(parameters, out _) });
            added++;
        }
        var kept = log.Snapshot();
        Assert.True(log.TotalBytes <= RequestLog.MaxTotalBytes, $"{log.TotalBytes} > {RequestLog.MaxTotalBytes}");
        Assert.True(kept.Count < added, "every entry is ~400 KB, so 1000 of them cannot all fit under the cap");
        Assert.Equal("r999", kept[^1].RequestId); // the newest stays
        Assert.Equal(kept.Sum(e => e.EstimatedBytes), log.TotalBytes);
    }

    [Fact]
    public void The_log_holds_at_most_its_capacity_of_entries()
    {
        var log = new RequestLog(capacity: 10);
        for (var i = 0; i < 25; i++) log.Add(new RequestLogEntry { Time = "t", RequestId = "r" + i, Parameters = new Dictionary<string, string>() });
        Assert.Equal(Enumerable.Range(15, 10).Select(i => "r" + i), log.Snapshot().Select(e => e.RequestId));
    }

    [Fact]
    public async Task Issued_keys_are_pruned_once_expired_past_the_timestamp_window_and_capped_in_number()
    {
        var clock = new Identity.SharedClock();
        var runtime = new EmulatorRuntime(new EmulatorOptions(), DemoState.Create, clock);
        var first = TemporaryCredentials.Issue(runtime, TimeSpan.FromSeconds(900));
        Assert.NotNull(runtime.State.FindAccessKey(first.AccessKeyId));

        // Expired, but within the window it still answers InvalidSecurityToken.Expired rather than "not found".
        clock.Advance(TimeSpan.FromSeconds(900) + Auth.Authenticator.Window - TimeSpan.FromSeconds(1));
        for (var i = 0; i < 256; i++) TemporaryCredentials.Issue(runtime, TimeSpan.FromHours(12));
        Assert.NotNull(runtime.State.FindAccessKey(first.AccessKeyId));

        clock.Advance(TimeSpan.FromSeconds(2));
        for (var i = 0; i < 256; i++) TemporaryCredentials.Issue(runtime, TimeSpan.FromHours(12));
        Assert.Null(runtime.State.FindAccessKey(first.AccessKeyId));
        Assert.DoesNotContain(runtime.State.Snapshot().AccessKeys, k => k.AccessKeyId == first.AccessKeyId);
        Assert.Equal(512, runtime.State.IssuedAccessKeyCount);

        // Long-lived keys in a loop: the oldest go beyond the cap; seed keys are never pruned.
        var issued = new List<string>();
        for (var i = 0; i < StateStore.MaxIssuedAccessKeys + 100; i++) issued.Add(TemporaryCredentials.Issue(runtime, TimeSpan.FromHours(12)).AccessKeyId);
        Assert.Equal(StateStore.MaxIssuedAccessKeys, runtime.State.IssuedAccessKeyCount);
        Assert.Null(runtime.State.FindAccessKey(issued[0]));
        Assert.NotNull(runtime.State.FindAccessKey(issued[^1]));
        Assert.NotNull(runtime.State.FindAccessKey(DemoState.AccessKeyId));
        Assert.NotNull(runtime.State.FindAccessKey(DemoState.StsAccessKeyId));
        Assert.Equal(StateStore.MaxIssuedAccessKeys + DemoState.Create().AccessKeys.Count, runtime.State.Snapshot().AccessKeys.Count);
        await Task.CompletedTask;
    }

    [Fact]
    public void Metadata_tokens_are_pruned_once_expired_and_capped_in_number()
    {
        var tokens = new MetadataTokens();
        var now = DateTimeOffset.UtcNow;
        var shortLived = tokens.Issue(now, TimeSpan.FromSeconds(1));
        Assert.True(tokens.IsValid(shortLived, now));
        for (var i = 0; i < 300; i++) tokens.Issue(now.AddSeconds(2), TimeSpan.FromSeconds(1));
        Assert.False(tokens.IsValid(shortLived, now.AddSeconds(2)));
        Assert.Equal(300, tokens.Count); // 301 issued; the expired one was pruned on the 256th issue

        for (var i = 0; i < MetadataTokens.MaxTokens + 100; i++) tokens.Issue(now, TimeSpan.FromHours(6));
        Assert.Equal(MetadataTokens.MaxTokens, tokens.Count);
        var newest = tokens.Issue(now, TimeSpan.FromHours(6));
        Assert.True(tokens.IsValid(newest, now));
    }

    [Fact]
    public async Task A_PUT_token_loop_over_HTTP_stays_under_the_cap()
    {
        for (var i = 0; i < 50; i++)
        {
            using var put = new HttpRequestMessage(HttpMethod.Put, "/latest/api/token");
            put.Headers.Add("X-aliyun-ecs-metadata-token-ttl-seconds", "21600");
            Assert.Equal(HttpStatusCode.OK, (await _emu.Http.SendAsync(put)).StatusCode);
        }
        Assert.Equal(50, _emu.Runtime.MetadataTokens.Count);
        await _emu.ControlAsync("reset", new { });
        Assert.Equal(0, _emu.Runtime.MetadataTokens.Count);
    }
}
