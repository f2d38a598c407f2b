using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NlbTools.Emulator.Tests.Hardening;

/// <summary>HTTP/1.1 written by hand, for what HttpClient will not send (a Host of our choosing, a header twice).</summary>
internal static class RawHttp
{
    /// <summary>Sends the request text (headers and body; ask for Connection: close) and returns the answer's status and body.</summary>
    public static async Task<(int Status, string Body)> SendAsync(int port, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var received = new MemoryStream();
        await stream.CopyToAsync(received, timeout.Token);
        var answer = Encoding.UTF8.GetString(received.ToArray());
        var end = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = answer.Substring(0, end);
        var body = answer.Substring(end + 4);
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)) body = Dechunk(body);
        return (int.Parse(answer.Substring(9, 3)), body);
    }

    private static string Dechunk(string chunked)
    {
        var sb = new StringBuilder();
        var at = 0;
        while (true)
        {
            var lineEnd = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(chunked.Substring(at, lineEnd - at).Split(';')[0], 16);
            if (size == 0) return sb.ToString();
            sb.Append(chunked, lineEnd + 2, size); // ASCII/JSON bodies: characters = bytes
            at = lineEnd + 2 + size + 2;
        }
    }

    /// <summary>A signed HttpRequestMessage as text, with extra header lines, so a test can change what HttpClient would normalize.</summary>
    public static async Task<string> ToTextAsync(HttpRequestMessage request, string host, Func<string, string, IEnumerable<string>>? headerLines = null)
    {
        var body = request.Content == null ? Array.Empty<byte>() : await request.Content.ReadAsByteArrayAsync();
        var sb = new StringBuilder();
        sb.Append(request.Method.Method).Append(' ').Append(request.RequestUri!.OriginalString).Append(" HTTP/1.1\r\n");
        sb.Append("Host: ").Append(host).Append("\r\n");
        var headers = request.Headers.Select(h => (h.Key, Value: string.Join(", ", h.Value)));
        if (request.Content != null) headers = headers.Concat(request.Content.Headers.Select(h => (h.Key, Value: string.Join(", ", h.Value))));
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var line in headerLines?.Invoke(name, value) ?? new[] { value }) sb.Append(name).Append(": ").Append(line).Append("\r\n");
        }
        sb.Append("Content-Length: ").Append(body.Length).Append("\r\nConnection: close\r\n\r\n");
        return sb.ToString() + Encoding.UTF8.GetString(body);
    }
}
