using System.Net;
using System.Net.Sockets;
using System.Text;
using NlbTools.Client.Credentials;
using NlbTools.Client.Models;
using NlbTools.Client.Pipeline;
using NlbTools.Client.Signing;
using Xunit;

namespace NlbTools.Client.Tests;

/// <summary>
/// The real transport over loopback HTTP against a tiny server that checks the V3 signature from the raw bytes it
/// received, the way the service (and our emulator) does.
/// </summary>
public sealed class HttpClientTransportTests : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<string> _rawRequests = new();

    public HttpClientTransportTests() => _listener.Start();

    private Uri Endpoint => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public ValueTask DisposeAsync()
    {
        _listener.Stop(); // also ends a Serve loop still waiting for a connection
        return ValueTask.CompletedTask;
    }

    private static Task Within(Task server) => server.WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Serves <paramref name="count"/> connections; each answer comes from <paramref name="answer"/> (null = never answer).</summary>
    private Task Serve(int count, Func<string, Dictionary<string, string>, byte[], (int Status, string Body)?> answer) => Task.Run(async () =>
    {
        var silent = new List<TcpClient>(); // connections left unanswered stay open until the end
        for (var i = 0; i < count; i++)
        {
            var socket = await _listener.AcceptTcpClientAsync();
            var stream = socket.GetStream();
            var (head, body) = await ReadRequest(stream);
            lock (_rawRequests) _rawRequests.Add(head);
            var lines = head.Split("\r\n");
            var headers = lines.Skip(1).Where(l => l.Contains(':'))
                .ToDictionary(l => l[..l.IndexOf(':')].Trim().ToLowerInvariant(), l => l[(l.IndexOf(':') + 1)..].Trim());
            var reply = answer(lines[0], headers, body);
            if (reply == null) { silent.Add(socket); continue; }
            var payload = Encoding.UTF8.GetBytes(reply.Value.Body);
            var response = $"HTTP/1.1 {reply.Value.Status} X\r\nContent-Type: application/json\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response).Concat(payload).ToArray());
            socket.Dispose();
        }
        foreach (var s in silent) s.Dispose();
    });

    private static async Task<(string Head, byte[] Body)> ReadRequest(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (!(buffer.Count >= 4 && buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0) break;
            buffer.Add(one[0]);
        }
        var head = Encoding.ASCII.GetString(buffer.ToArray());
        var lengthLine = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var length = lengthLine == null ? 0 : int.Parse(lengthLine.Split(':')[1].Trim());
        var body = new byte[length];
        var read = 0;
        while (read < length)
        {
            var n = await stream.ReadAsync(body.AsMemory(read));
            if (n == 0) break; // the client gave up mid-request
            read += n;
        }
        return (head, body);
    }

    private NlbClient Client(Action<NlbClientOptions>? configure = null)
    {
        var options = new NlbClientOptions { Endpoint = Endpoint, Credentials = new StaticCredentialsProvider(TestClients.KeyId, TestClients.Secret) };
        configure?.Invoke(options);
        return new NlbClient(options);
    }

    private static bool SignatureVerifies(string requestLine, Dictionary<string, string> headers, byte[] body)
    {
        var target = new Uri("http://x" + requestLine.Split(' ')[1]);
        var authorization = headers["authorization"];
        var signed = authorization.Split("SignedHeaders=")[1].Split(',')[0].Split(';');
        var hash = AcsSignature.Sha256Hex(body);
        if (hash != headers["x-acs-content-sha256"]) return false;
        var sig = AcsSignature.ComputeV3(requestLine.Split(' ')[0], target.AbsolutePath, AcsSignature.ParseFormString(target.Query),
            headers.Where(h => signed.Contains(h.Key)), hash, TestClients.Secret);
        return sig.ToAuthorization(TestClients.KeyId) == authorization;
    }

    [Fact]
    public async Task SignedFormPostVerifiesOnTheServer()
    {
        string? form = null;
        var server = Serve(1, (line, headers, body) =>
        {
            form = Encoding.UTF8.GetString(body);
            return SignatureVerifies(line, headers, body)
                ? (200, "{\"RequestId\":\"R-ok\",\"JobId\":\"job-1\"}")
                : (400, "{\"Code\":\"SignatureDoesNotMatch\",\"Message\":\"mismatch\"}");
        });
        using var client = Client();

        var result = await client.UpdateListenerAttributeAsync(new UpdateListenerAttributeRequest
        {
            RegionId = "cn-hangzhou", ListenerId = "lsn-1@443", ListenerDescription = "a b*c 中文",
            CertificateIds = new() { "cert-1" }, ProxyProtocolV2Config = new ProxyProtocolV2Config { Ppv2VpcIdEnabled = true },
        });
        await Within(server);

        Assert.Equal("job-1", result.JobId);
        Assert.Contains("CertificateIds.1=cert-1", form);
        var head = _rawRequests.Single();
        Assert.Contains("Content-Type: application/x-www-form-urlencoded", head);
        Assert.Contains("User-Agent: NlbTools/", head);
        Assert.Contains($"Host: {Endpoint.Authority}", head);
    }

    [Fact]
    public async Task QueryParametersSurviveTheWireAndVerify()
    {
        var server = Serve(1, (line, headers, body) => SignatureVerifies(line, headers, body)
            ? (200, "{\"RequestId\":\"R\",\"Listeners\":[]}")
            : (400, "{\"Code\":\"SignatureDoesNotMatch\",\"Message\":\"mismatch\"}"));
        using var client = Client();

        var page = await client.ListListenersAsync(new ListListenersRequest
        {
            RegionId = "cn-hangzhou", ListenerIds = new() { "lsn-a@80" }, Tag = new() { new Tag("env", "prod test*~") },
        });
        await Within(server);

        Assert.Equal("R", page.RequestId);
        Assert.Contains("Tag.1.Value=prod%20test%2A~", _rawRequests.Single());
    }

    [Fact]
    public async Task ServerThatNeverAnswersTimesOutPerAttemptAndIsRetried()
    {
        _ = Serve(2, (line, headers, body) => null);
        var retries = new List<NlbRetryInfo>();
        using var client = Client(o => { o.RequestTimeout = TimeSpan.FromMilliseconds(300); o.MaxAttempts = 2; o.Clock = new FakeClock(); o.OnRetry = retries.Add; });

        var ex = await Assert.ThrowsAsync<NlbException>(() => client.GetJobStatusAsync(new GetJobStatusRequest { JobId = "job-1" }));

        Assert.Equal("Transport.Timeout", ex.Code);
        Assert.Equal("Transport.Timeout", Assert.Single(retries).ErrorCode); // two attempts, each ended by its own timeout
    }

    [Fact]
    public async Task RefusedConnectionIsATransportError()
    {
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _listener.Stop(); // nothing listens there now
        using var client = new NlbClient(new NlbClientOptions
        {
            Endpoint = new Uri($"http://127.0.0.1:{port}"), Credentials = new StaticCredentialsProvider(TestClients.KeyId, TestClients.Secret),
            MaxAttempts = 2, Clock = new FakeClock(),
        });

        var ex = await Assert.ThrowsAsync<NlbException>(() => client.GetJobStatusAsync(new GetJobStatusRequest { JobId = "job-1" }));

        Assert.Equal("Transport.ConnectionFailed", ex.Code);
    }
}
