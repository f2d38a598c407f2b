using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NlbTools.Client.Tests.Hostile;

/// <summary>
/// A hostile endpoint on 127.0.0.1: accepts connections, reads each request head (and body), and lets the test
/// write any answer bytes it likes. Records every request head; stopped by Dispose.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<string> _heads = new();
    private int _connections;

    public LoopbackServer(Func<string, Stream, Task> answer)
    {
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient socket;
                try { socket = await _listener.AcceptTcpClientAsync(_stop.Token); }
                catch (Exception) { return; }
                Interlocked.Increment(ref _connections);
                _ = Task.Run(async () =>
                {
                    using (socket)
                    {
                        try
                        {
                            var stream = socket.GetStream();
                            var head = await ReadHead(stream);
                            lock (_heads) _heads.Add(head);
                            await answer(head, stream);
                        }
                        catch (IOException) { } // the client hung up (it stopped reading, as it should)
                        catch (SocketException) { }
                        catch (ObjectDisposedException) { }
                    }
                });
            }
        });
    }

    public Uri Uri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
    public int Connections => Volatile.Read(ref _connections);
    public IReadOnlyList<string> Heads { get { lock (_heads) return _heads.ToList(); } }

    public static async Task Write(Stream stream, int status, string headers, byte[] body)
    {
        var head = $"HTTP/1.1 {status} X\r\n{headers}Content-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);
    }

    public static Task Json(Stream stream, int status, string json) => Write(stream, status, "Content-Type: application/json\r\n", Encoding.UTF8.GetBytes(json));

    private static async Task<string> ReadHead(Stream stream)
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
        for (var read = 0; read < length;)
        {
            var n = await stream.ReadAsync(body.AsMemory(read));
            if (n == 0) break;
            read += n;
        }
        return head;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
