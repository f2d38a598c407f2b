using System.Net;
using System.Text;
using Newtonsoft.Json.Linq;
using NlbTools.Emulator.Api;
using NlbTools.Emulator.Control;
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
