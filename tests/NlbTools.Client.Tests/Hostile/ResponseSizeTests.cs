using System.IO.Compression;
using System.Text;
using NlbTools.Client.Credentials;
using NlbTools.Client.Models;
using NlbTools.Client.Pipeline;
using Xunit;

namespace NlbTools.Client.Tests.Hostile;

/// <summary>
/// Issue 15 item 2: answers are read as they stream, up to 16 MiB decompressed. Allocation is measured for the
/// whole process, so these tests run alone (the collection is not parallel).
/// </summary>
[Collection(nameof(ProcessWideNetworkSettings))]
public sealed class ResponseSizeTests
{
    private const long Mib = 1024 * 1024;

    private static NlbClient Client(Uri endpoint) => new(new NlbClientOptions
    {
        Endpoint = endpoint,
        Credentials = new StaticCredentialsProvider(TestClients.KeyId, TestClients.Secret),
        Clock = new FakeClock(),
    });

    /// <summary>1 GiB of zeros, gzipped: about 1 MB on the wire.</summary>
    private static readonly Lazy<byte[]> s_gzipBomb = new(() =>
    {
        var zeros = new byte[Mib];
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.SmallestSize, leaveOpen: true))
            for (var i = 0; i < 1024; i++) gzip.Write(zeros);
        return packed.ToArray();
    });

    private static async Task<(NlbException Error, long AllocatedBytes)> Measure(LoopbackServer server)
    {
        using var client = Client(server.Uri);
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var e = await Assert.ThrowsAsync<NlbException>(() => client.DescribeRegionsAsync(new DescribeRegionsRequest()));
        return (e, GC.GetTotalAllocatedBytes(precise: true) - before);
    }

    [Fact]
    public async Task A_300_MB_body_without_a_length_is_cut_at_16_MiB_while_streaming()
    {
        var chunk = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
        long written = 0;
        await using var server = new LoopbackServer(async (_, s) =>
        {
            await s.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"RequestId\":\"R\",\"Pad\":\""));
            for (var i = 0; i < 300 * 16; i++) { await s.WriteAsync(chunk); Interlocked.Add(ref written, chunk.Length); }
        });

        var (e, allocated) = await Measure(server);

        Assert.Equal("NlbResponseTooLarge", e.Code);
        Assert.Contains("larger than 16 MiB", e.Message);
        Assert.True(allocated < 80 * Mib, $"reading the answer allocated {allocated / Mib} MiB");
        Assert.True(Interlocked.Read(ref written) < 300 * Mib, "the client read the whole body"); // it hung up early
    }

    [Fact]
    public async Task A_declared_length_over_the_cap_is_refused_before_reading()
    {
        await using var server = new LoopbackServer(async (_, s) =>
            await s.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 314572800\r\nConnection: close\r\n\r\n{")));

        var (e, allocated) = await Measure(server);

        Assert.Equal("NlbResponseTooLarge", e.Code);
        Assert.True(allocated < 8 * Mib, $"allocated {allocated / Mib} MiB");
    }

    [Fact]
    public async Task A_gzip_bomb_of_1_MB_that_expands_to_1_GiB_is_stopped_while_decompressing()
    {
        var bomb = s_gzipBomb.Value;
        Assert.InRange(bomb.Length, 100_000, 2 * Mib);
        await using var server = new LoopbackServer((_, s) =>
            LoopbackServer.Write(s, 200, "Content-Type: application/json\r\nContent-Encoding: gzip\r\n", bomb));

        var (e, allocated) = await Measure(server);

        Assert.Equal("NlbResponseTooLarge", e.Code);
        Assert.Contains("after decompression", e.Message);
        Assert.True(allocated < 80 * Mib, $"reading the answer allocated {allocated / Mib} MiB");
    }

    [Fact]
    public async Task A_service_message_loses_its_control_characters_and_is_cut_to_a_few_KB()
    {
        var huge = new string('x', 300_000);
        var json = "{\"Code\":\"Bad\\u001b[31mCode\\r\\nX-Injected: yes\",\"RequestId\":\"R\\u001b]0;title\\u0007-1\","
                   + "\"Message\":\"line one\\r\\nInjected: yes \\u001b[2J\\u009b31m\\u202Eevil " + huge + "\"}";
        await using var server = new LoopbackServer((_, s) => LoopbackServer.Json(s, 400, json));

        var (e, _) = await Measure(server);

        Assert.Equal("Bad[31mCode X-Injected: yes", e.Code);
        Assert.Equal("R]0;title-1", e.RequestId);
        Assert.StartsWith("line one Injected: yes [2J31mevil xxx", e.Message);
        Assert.DoesNotContain(e.Message + e.Code + e.RequestId, c => char.IsControl(c) || c == '\u202E');
        Assert.InRange(e.Message.Length, ServiceText.MaxMessageChars, ServiceText.MaxMessageChars + 64);
        Assert.EndsWith("more characters not shown)", e.Message);
    }
}
