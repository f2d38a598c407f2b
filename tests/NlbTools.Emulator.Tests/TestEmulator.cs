using System.Net;
using System.Text;
using Newtonsoft.Json.Linq;
using NlbTools.Client.Signing;
using NlbTools.Emulator.State;

namespace NlbTools.Emulator.Tests;

/// <summary>An answer of the emulator: status, JSON body (null if not JSON), headers.</summary>
internal sealed record Answer(HttpStatusCode Status, JObject? Body, string Raw, HttpResponseMessage Response)
{
    public string? Code => (string?)Body?["Code"];
    public string? Message => (string?)Body?["Message"];
    public string? RequestId => (string?)Body?["RequestId"];
    public JToken this[string name] => Body![name]!;
}

/// <summary>Who signs and how (defaults: the demo key, V3).</summary>
internal sealed record Signer(string KeyId, string Secret, string? Token = null, bool V2 = false)
{
    public static Signer Demo => new(DemoState.AccessKeyId, DemoState.AccessKeySecret);
    public static Signer DemoV2 => Demo with { V2 = true };
    public static Signer ReadOnly => new(DemoState.ReadOnlyAccessKeyId, DemoState.ReadOnlyAccessKeySecret);
    public static Signer Sts => new(DemoState.StsAccessKeyId, DemoState.StsAccessKeySecret, DemoState.StsSecurityToken);
}

/// <summary>Per-call tweaks for the auth tests.</summary>
internal sealed record CallOptions
{
    public string Method { get; init; } = "POST";
    public string? Nonce { get; init; }
    public TimeSpan ClockSkew { get; init; }
    public Action<HttpRequestMessage>? AfterSigning { get; init; }
    /// <summary>How x-acs-date (V3) or Timestamp (V2) is written and signed; default yyyy-MM-ddTHH:mm:ssZ.</summary>
    public Func<DateTimeOffset, string>? FormatDate { get; init; }
    /// <summary>False: a V3 body's Content-Type is sent but left out of SignedHeaders.</summary>
    public bool SignContentType { get; init; } = true;
}

/// <summary>
/// An emulator started in-process on 127.0.0.1:0 with real Kestrel, and a caller that signs requests with
/// the CLIENT's signer (NlbTools.Client.Signing) — a second, independent implementation of the algorithm.
/// </summary>
internal sealed class TestEmulator : IAsyncDisposable
{
    private TestEmulator(EmulatorHost host)
    {
        Host = host;
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(host.Endpoint), Timeout = TimeSpan.FromSeconds(30) };
    }

    public EmulatorHost Host { get; }
    public EmulatorRuntime Runtime => Host.Runtime;
    public HttpClient Http { get; }
    public string Endpoint => Host.Endpoint;

    public static async Task<TestEmulator> StartAsync(int jobDurationMs = 0, int latencyMs = 0, Func<StateDocument>? seed = null, TimeProvider? clock = null)
    {
        var options = new EmulatorOptions { Port = 0, Host = "127.0.0.1", JobDurationMs = jobDurationMs, LatencyMs = latencyMs };
        return new TestEmulator(await EmulatorHost.StartAsync(options, seed ?? DemoState.Create, clock));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }

    public Task<Answer> CallAsync(string action, object? body = null, object? query = null, Signer? signer = null, CallOptions? options = null, string version = "2022-04-30")
        => SendAsync(BuildRequest(action, version, ToPairs(body), ToPairs(query), signer ?? Signer.Demo, options ?? new CallOptions()));

    public HttpRequestMessage BuildRequest(string action, string version, List<KeyValuePair<string, string>> body, List<KeyValuePair<string, string>> query, Signer signer, CallOptions options)
    {
        var now = DateTimeOffset.UtcNow + options.ClockSkew;
        var nonce = options.Nonce ?? Guid.NewGuid().ToString("N");
        var date = (options.FormatDate ?? AcsSignature.FormatTimestamp)(now);
        var bodyText = AcsSignature.ToFormString(body);
        var bodyBytes = Encoding.UTF8.GetBytes(bodyText);
        var uri = new Uri(Endpoint);
        HttpRequestMessage request;
        if (!signer.V2)
        {
            var headers = new List<KeyValuePair<string, string>>
            {
                new("host", uri.Authority),
                new("x-acs-action", action),
                new("x-acs-version", version),
                new("x-acs-date", date),
                new("x-acs-signature-nonce", nonce),
                new("x-acs-content-sha256", AcsSignature.Sha256Hex(bodyBytes)),
            };
            if (body.Count > 0 && options.SignContentType) headers.Add(new("content-type", AcsSignature.FormContentType));
            if (signer.Token != null) headers.Add(new("x-acs-security-token", signer.Token));
            var signature = AcsSignature.ComputeV3(options.Method, "/", query, headers, AcsSignature.Sha256Hex(bodyBytes), signer.Secret);
            request = new HttpRequestMessage(new HttpMethod(options.Method), "/" + QueryString(query));
            foreach (var (name, value) in headers)
                if (name != "host" && name != "content-type") request.Headers.TryAddWithoutValidation(name, value);
            request.Headers.TryAddWithoutValidation("Authorization", signature.ToAuthorization(signer.KeyId));
        }
        else
        {
            var common = new List<KeyValuePair<string, string>>
            {
                new("Action", action), new("Version", version), new("Format", "JSON"),
                new("Timestamp", date), new("SignatureMethod", "HMAC-SHA1"),
                new("SignatureVersion", "1.0"), new("SignatureNonce", nonce), new("AccessKeyId", signer.KeyId),
            };
            if (signer.Token != null) common.Add(new("SecurityToken", signer.Token));
            var all = common.Concat(query).ToList();
            var signature = AcsSignature.ComputeV2(options.Method, all.Concat(body), signer.Secret, out _);
            all.Add(new("Signature", signature));
            request = new HttpRequestMessage(new HttpMethod(options.Method), "/" + QueryString(all));
        }
        if (body.Count > 0)
        {
            request.Content = new ByteArrayContent(bodyBytes);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", AcsSignature.FormContentType);
        }
        options.AfterSigning?.Invoke(request);
        return request;
    }

    public async Task<Answer> SendAsync(HttpRequestMessage request)
    {
        var response = await Http.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        JObject? body = null;
        try { body = JObject.Parse(raw); } catch (Newtonsoft.Json.JsonException) { }
        return new Answer(response.StatusCode, body, raw, response);
    }

    public async Task<JToken> ControlAsync(string path, object? body = null)
    {
        var response = body == null
            ? await Http.GetAsync("/_emulator/" + path)
            : await Http.PostAsync("/_emulator/" + path, new StringContent(body as string ?? Newtonsoft.Json.JsonConvert.SerializeObject(body), Encoding.UTF8, "application/json"));
        var raw = await response.Content.ReadAsStringAsync();
        return JToken.Parse(raw);
    }

    /// <summary>Polls a listener until it has the status (bounded; jobs run on a short timer).</summary>
    public async Task<JObject> WaitForListenerStatusAsync(string listenerId, string status)
    {
        for (var i = 0; i < 200; i++)
        {
            var answer = await CallAsync("GetListenerAttribute", query: new { ListenerId = listenerId });
            if ((string?)answer.Body?["ListenerStatus"] == status) return answer.Body!;
            await Task.Delay(50);
        }
        throw new TimeoutException($"{listenerId} never became {status}.");
    }

    private static string QueryString(List<KeyValuePair<string, string>> pairs)
        => pairs.Count == 0 ? "" : "?" + AcsSignature.ToFormString(pairs);

    /// <summary>An anonymous object or dictionary into RPC pairs; lists become Name.1, Name.2 ...</summary>
    public static List<KeyValuePair<string, string>> ToPairs(object? values)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        if (values == null) return pairs;
        IEnumerable<KeyValuePair<string, object?>> entries = values is IDictionary<string, string> d
            ? d.Select(e => new KeyValuePair<string, object?>(e.Key, e.Value))
            : values.GetType().GetProperties().Select(p => new KeyValuePair<string, object?>(p.Name, p.GetValue(values)));
        foreach (var (name, value) in entries)
        {
            switch (value)
            {
                case null: break;
                case string s: pairs.Add(new(name, s)); break;
                case bool b: pairs.Add(new(name, b ? "true" : "false")); break;
                case System.Collections.IEnumerable list:
                    var i = 1;
                    foreach (var item in list) pairs.Add(new($"{name}.{i++}", Convert.ToString(item, System.Globalization.CultureInfo.InvariantCulture)!));
                    break;
                default: pairs.Add(new(name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!)); break;
            }
        }
        return pairs;
    }
}
