using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NlbTools.Client.Pipeline;

namespace NlbTools.Tests;

/// <summary>
/// A hostile endpoint on loopback (a small HTTP server started by the test) that hands out the same NextToken
/// for ever. Get-NlbListener writes the pages it got and ends with one InvalidResponse error; it does not loop.
/// </summary>
[Collection(ClientSeamCollection.Name)]
public sealed class LoopbackPagingTests
{
    [Fact]
    public void Get_NlbListener_stops_with_an_error_when_the_service_repeats_its_NextToken()
    {
        using var server = new RepeatingTokenServer();
        var state = InitialSessionState();
        using var runspace = System.Management.Automation.Runspaces.RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript($@"
Connect-Nlb -AccessKeyId LTAI5tLoopbackKey00001 -AccessKeySecret (ConvertTo-SecureString 'loopback-secret' -AsPlainText -Force) -RegionId cn-hangzhou -Endpoint {server.Endpoint} -ErrorAction SilentlyContinue | Out-Null
try {{ Get-NlbListener -PageSize 1 }} finally {{ Disconnect-Nlb }}");
        var run = ps.BeginInvoke();
        // Generous, and only a guard: a pager that loops never finishes at all.
        if (!run.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(60)))
        {
            ps.Stop();
            Assert.Fail($"Get-NlbListener was still paging after {server.ListRequests} ListListeners requests.");
        }
        var listeners = ps.EndInvoke(run);

        Assert.Equal(2, server.ListRequests); // the first token, then the repeat: no third request
        Assert.Equal(2, listeners.Count); // the pages it got are written
        var error = Assert.Single(ps.Streams.Error);
        Assert.StartsWith("InvalidResponse,", error.FullyQualifiedErrorId);
        Assert.Contains("NextToken 'tok-bp1bpn0kn908w4nbw0001' a second time", error.ToString());
    }

    [Fact]
    public void An_unexpected_cancel_is_a_Transport_error_record_not_a_raw_exception()
    {
        // Not Ctrl+C: the transport gives up by itself (as a disposed HttpClient or a closed connection does).
        using var shell = new InProcessShell((r, ct) => InProcessShell.Action(r) == "ListListeners"
            ? Task.FromException<NlbHttpResponse>(new TaskCanceledException("A task was canceled."))
            : Task.FromResult(InProcessShell.Ok(new { RequestId = "R" })));
        using var ps = shell.Create("Get-NlbListener -ErrorAction SilentlyContinue -ErrorVariable e; $e");
        var errors = ps.Invoke().Select(o => o.BaseObject).OfType<ErrorRecord>().ToList();

        var error = Assert.Single(errors);
        Assert.StartsWith("Transport.Cancelled,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
        Assert.Contains("not by the caller", error.Exception.Message);
    }

    private static System.Management.Automation.Runspaces.InitialSessionState InitialSessionState()
    {
        var state = System.Management.Automation.Runspaces.InitialSessionState.CreateDefault2();
        state.ImportPSModule(typeof(NlbTools.Commands.GetNlbListenerCommand).Assembly.Location);
        return state;
    }

    /// <summary>Answers every ListListeners with one listener and the same NextToken; anything else with an empty success.</summary>
    private sealed class RepeatingTokenServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private int _listRequests;

        public RepeatingTokenServer()
        {
            _listener.Start();
            Endpoint = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
            _loop = Task.Run(AcceptLoop);
        }

        public string Endpoint { get; }
        public int ListRequests => Volatile.Read(ref _listRequests);

        private async Task AcceptLoop()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
                catch (Exception) { return; }
                _ = Task.Run(() => Serve(client));
            }
        }

        private async Task Serve(TcpClient client)
        {
            using (client)
            {
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[1];
                // Headers up to the blank line (bounded), then the body by Content-Length.
                while (head.Length < 65536 && !head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
                {
                    if (await stream.ReadAsync(buffer) == 0) return;
                    head.Append((char)buffer[0]);
                }
                var headers = head.ToString().Split("\r\n");
                string? Header(string name) => headers.FirstOrDefault(h => h.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))?.Split(':', 2)[1].Trim();
                var length = int.TryParse(Header("Content-Length"), out var n) ? Math.Min(n, 1 << 20) : 0;
                var body = new byte[length];
                for (var read = 0; read < length;)
                {
                    var got = await stream.ReadAsync(body.AsMemory(read));
                    if (got == 0) break;
                    read += got;
                }

                string json;
                if (Header("x-acs-action") == "ListListeners")
                {
                    var number = Interlocked.Increment(ref _listRequests);
                    json = $"{{\"RequestId\":\"R-{number}\",\"NextToken\":\"tok-bp1bpn0kn908w4nbw0001\",\"MaxResults\":1,\"TotalCount\":100," +
                           $"\"Listeners\":[{{\"ListenerId\":\"lsn-bp1bpn0kn908w4nbw{number:0000}@1000\",\"ListenerProtocol\":\"TCP\",\"ListenerPort\":1000,\"RegionId\":\"cn-hangzhou\"}}]}}";
                }
                else
                {
                    json = "{\"RequestId\":\"R-other\",\"Regions\":[{\"RegionId\":\"cn-hangzhou\"}]}";
                }
                var payload = Encoding.UTF8.GetBytes(json);
                var response = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(response);
                await stream.WriteAsync(payload);
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
            _stop.Dispose();
        }
    }
}
