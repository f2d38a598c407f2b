using System.Net;
using System.Net.Sockets;
using System.Text;
using Newtonsoft.Json.Linq;
using Xunit;

namespace NlbTools.Emulator.Tests.Reliability;

/// <summary>
/// Issue 8 §5: the emulator under hostile input. Every answer the application gives is a JSON error with a
/// Code (never a 500, never a stack trace); input so broken that it is not HTTP is refused by Kestrel; a
/// thousand malformed requests in a row leave the emulator serving.
/// </summary>
public sealed class HardeningTests : IAsyncLifetime
{
    private TestEmulator _emu = null!;

    public async Task InitializeAsync() => _emu = await TestEmulator.StartAsync(jobDurationMs: 0);
    public async Task DisposeAsync() => await _emu.DisposeAsync();

    private const string Tcp = "lsn-hzweb01@80";

    /// <summary>Signed correctly, so they reach the action, with parameters no client should send.</summary>
    public static TheoryData<string, string, string> GarbageParameters => new()
    {
        { "UpdateListenerAttribute", "ListenerId=" + Tcp + "&IdleTimeout=abc", "" },
        { "UpdateListenerAttribute", "ListenerId=" + Tcp + "&IdleTimeout=99999999999999999999", "" },
        { "UpdateListenerAttribute", "ListenerId=" + Tcp + "&CaEnabled=maybe", "" },
        { "UpdateListenerAttribute", "ListenerId=" + Tcp + "&ProxyProtocolV2Config={not json", "" },
        { "UpdateListenerAttribute", "ListenerId=" + Tcp + "&ProxyProtocolV2Config=[1,2]", "" },
        { "UpdateListenerAttribute", "ListenerId=" + Tcp + "&CertificateIds.1000000=x", "" },
        { "UpdateListenerAttribute", "ListenerId=" + Tcp + "&CertificateIds.0=x", "" },
        { "UpdateListenerAttribute", "ListenerId=" + Tcp + "&CertificateIds.x=y", "" },
        { "UpdateListenerAttribute", "ListenerId=" + new string('l', 10000) + "&IdleTimeout=60", "" },
        { "UpdateListenerAttribute", "IdleTimeout=60", "" },
        { "UpdateListenerAttribute", "ListenerId=&IdleTimeout=60", "" },
        { "UpdateListenerAttribute", "ListenerId=" + Tcp + "&ListenerDescription=" + Uri.EscapeDataString("\u0000\u202E"), "" },
        { "UpdateListenerAttribute", "ListenerId=" + Tcp + "&DryRun=yes&IdleTimeout=60", "" },
        { "GetListenerAttribute", "ListenerId=" + Uri.EscapeDataString("lsn-x'\"<>&;"), "" },
        { "ListListeners", "MaxResults=-1", "" },
        { "ListListeners", "MaxResults=100000", "" },
        { "ListListeners", "NextToken=not-a-token", "" },
        // Unknown ids in a list filter match nothing; that is an answer, not an error.
        { "ListListeners", "ListenerIds.1=a&ListenerIds.500=b", "ok" },
        { "ListListeners", "Tag.1.Key=&Tag.1.Value=x", "" },
        { "ListAsynJobs", "JobIds.1=" + new string('j', 5000), "ok" },
        { "GetJobStatus", "", "" },
        { "ListServerGroups", "MaxResults=abc", "" },
        { "DescribeRegions", "AcceptLanguage=" + new string('x', 3000), "ok" },
    };

    [Theory]
    [MemberData(nameof(GarbageParameters))]
    public async Task Garbage_parameters_get_a_coded_4xx_never_a_500(string action, string parameters, string okIsFine)
    {
        var pairs = parameters.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => new KeyValuePair<string, string>(p[0], p.Length > 1 ? Uri.UnescapeDataString(p[1]) : ""))
            .ToDictionary(p => p.Key, p => p.Value);
        var answer = await _emu.CallAsync(action, pairs);
        if (okIsFine == "ok" && answer.Status == HttpStatusCode.OK) return;
        AssertCodedClientError(answer.Status, answer.Raw);
    }

    public static TheoryData<string, string> GarbageHeaders => new()
    {
        { "Authorization", "ACS3-HMAC-SHA256 garbage" },
        { "Authorization", "ACS3-HMAC-SHA256 Credential=,SignedHeaders=,Signature=" },
        { "Authorization", new string('A', 16 * 1024) },
        { "Authorization", "Basic dXNlcjpwYXNz" },
        { "x-acs-date", "yesterday" },
        { "x-acs-date", "9999-99-99T99:99:99Z" },
        { "x-acs-signature-nonce", "" },
        { "x-acs-content-sha256", "zz" },
        { "x-acs-version", "1900-01-01" },
        { "x-acs-action", "../../etc/passwd" },
        { "x-acs-security-token", "!!not-a-token!!" },
        { "Content-Type", "application/x-www-form-urlencoded; charset=klingon" },
    };

    [Theory]
    [MemberData(nameof(GarbageHeaders))]
    public async Task Garbage_headers_get_a_coded_400(string name, string value)
    {
        var answer = await _emu.CallAsync("ListListeners", options: new CallOptions
        {
            AfterSigning = r =>
            {
                if (name == "Content-Type")
                {
                    r.Content ??= new ByteArrayContent(Encoding.ASCII.GetBytes("RegionId=cn-hangzhou"));
                    r.Content.Headers.Remove(name);
                    r.Content.Headers.TryAddWithoutValidation(name, value);
                }
                else
                {
                    r.Headers.Remove(name);
                    r.Headers.TryAddWithoutValidation(name, value);
                }
            },
        });
        AssertCodedClientError(answer.Status, answer.Raw);
    }

    [Fact]
    public async Task An_unsigned_request_gets_an_error_code()
    {
        var response = await _emu.Http.PostAsync("/?Action=UpdateListenerAttribute&Version=2022-04-30",
            new StringContent("ListenerId=" + Tcp + "&IdleTimeout=60", Encoding.ASCII, "application/x-www-form-urlencoded"));
        AssertCodedClientError(response.StatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal("IncompleteSignature", (string?)JObject.Parse(await response.Content.ReadAsStringAsync())["Code"]);
    }

    [Fact]
    public async Task A_lying_Content_Length_over_the_limit_is_413_with_a_code_before_the_body_is_read()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, new Uri(_emu.Endpoint).Port);
        var stream = client.GetStream();
        var head = $"POST / HTTP/1.1\r\nHost: 127.0.0.1:{new Uri(_emu.Endpoint).Port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1073741824\r\n\r\nAction=x";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var answer = await ReadAnswerAsync(stream);
        Assert.StartsWith("HTTP/1.1 413", answer);
        Assert.Contains("\"Code\":\"RequestEntityTooLarge\"", answer);
    }

    [Fact]
    public async Task A_thousand_malformed_requests_in_a_row_do_not_crash_it_and_a_valid_request_then_succeeds()
    {
        var port = new Uri(_emu.Endpoint).Port;
        var appAnswers = 0;
        var protocolRefusals = 0;
        var random = new Random(8);
        for (var i = 0; i < 1000; i++)
        {
            switch (i % 10)
            {
                case 0:
                    // Not HTTP at all: Kestrel refuses it (400 or a closed connection); the app never sees it.
                    var raw = RawGarbage(random, i);
                    using (var client = new TcpClient())
                    {
                        await client.ConnectAsync(IPAddress.Loopback, port);
                        var stream = client.GetStream();
                        await stream.WriteAsync(raw);
                        var reply = await ReadAnswerAsync(stream);
                        Assert.True(reply.Length == 0 || reply.StartsWith("HTTP/1.1 4", StringComparison.Ordinal), $"request {i}: {reply}");
                        protocolRefusals++;
                    }
                    continue;
                case 1:
                    var big = await _emu.Http.PostAsync("/", new ByteArrayContent(new byte[1024 * 1024 + 1]));
                    Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
                    AssertCoded(await big.Content.ReadAsStringAsync());
                    break;
                case 2:
                case 3:
                    var unsigned = await _emu.Http.GetAsync($"/?Action=ListListeners&Version=2022-04-30&junk{i}=%ZZ");
                    AssertCodedClientError(unsigned.StatusCode, await unsigned.Content.ReadAsStringAsync());
                    break;
                case 4:
                case 5:
                    var garbageHeader = await _emu.CallAsync("GetListenerAttribute", query: new { ListenerId = Tcp },
                        options: new CallOptions { AfterSigning = r => { r.Headers.Remove("x-acs-date"); r.Headers.TryAddWithoutValidation("x-acs-date", "garbage-" + i); } });
                    AssertCodedClientError(garbageHeader.Status, garbageHeader.Raw);
                    break;
                default:
                    var signedGarbage = await _emu.CallAsync("UpdateListenerAttribute",
                        new Dictionary<string, string> { ["ListenerId"] = Tcp, ["IdleTimeout"] = "x" + i, ["CertificateIds." + (i * 7919)] = "c" });
                    AssertCodedClientError(signedGarbage.Status, signedGarbage.Raw);
                    break;
            }
            appAnswers++;
        }

        Assert.Equal(100, protocolRefusals);
        Assert.Equal(900, appAnswers);
        var valid = await _emu.CallAsync("UpdateListenerAttribute", new { ListenerId = Tcp, IdleTimeout = 321 });
        Assert.Equal(HttpStatusCode.OK, valid.Status);
        Assert.False(string.IsNullOrEmpty((string?)valid.Body?["JobId"]));
        var read = await _emu.CallAsync("GetListenerAttribute", query: new { ListenerId = Tcp });
        Assert.Equal(321, (int)read.Body!["IdleTimeout"]!);
        // The request log kept up and holds no 500.
        var log = (JArray)await _emu.ControlAsync("requests");
        Assert.True(log.Count >= 900);
        Assert.DoesNotContain(log, e => (int)e["HttpStatus"]! >= 500);
    }

    private static byte[] RawGarbage(Random random, int i)
    {
        switch (i / 10 % 5)
        {
            case 0: return Encoding.ASCII.GetBytes("GARBAGE\r\n\r\n");
            case 1: return Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nThis is not a header\r\n\r\n");
            case 2: return Encoding.ASCII.GetBytes("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n");
            case 3: return Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + new string('x', 64 * 1024) + "\r\n\r\n");
            default:
                var bytes = new byte[512];
                random.NextBytes(bytes);
                return bytes;
        }
    }

    /// <summary>What the server answered before closing (or nothing), within 5 s.</summary>
    private static async Task<string> ReadAnswerAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var buffer = new byte[8192];
        var text = new StringBuilder();
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
                var s = text.ToString();
                var headerEnd = s.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (headerEnd < 0) continue;
                var length = System.Text.RegularExpressions.Regex.Match(s, @"(?i)Content-Length:\s*(\d+)");
                if (!length.Success || s.Length - headerEnd - 4 >= int.Parse(length.Groups[1].Value)) break;
            }
        }
        catch (IOException) { } // reset by the server: also a refusal
        catch (OperationCanceledException) { throw new TimeoutException("no answer and no close within 5 s: " + text); }
        return text.ToString();
    }

    private static void AssertCodedClientError(HttpStatusCode status, string raw)
    {
        Assert.True((int)status >= 400 && (int)status < 500, $"expected a 4xx, got {(int)status}: {raw}");
        AssertCoded(raw);
    }

    private static void AssertCoded(string raw)
    {
        var json = JObject.Parse(raw);
        Assert.False(string.IsNullOrEmpty((string?)json["Code"]), raw);
        Assert.False(string.IsNullOrEmpty((string?)json["RequestId"]), raw);
        Assert.DoesNotContain("   at ", raw);
    }
}
