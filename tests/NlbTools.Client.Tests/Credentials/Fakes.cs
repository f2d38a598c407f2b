using System.Collections.Concurrent;
using System.Text;
using NlbTools.Client.Pipeline;
using NlbTools.Client.Signing;

namespace NlbTools.Client.Tests.Credentials;

/// <summary>A clock that moves only when told; Delay completes at once (nothing here waits on it).</summary>
internal sealed class FakeClock : ISystemClock
{
    private long _ticks = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero).UtcTicks;
    public DateTimeOffset UtcNow => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    public Task Delay(TimeSpan delay, CancellationToken cancellationToken) { Advance(delay); return Task.CompletedTask; }
}

/// <summary>Answers each request with a handler; records every request it saw.</summary>
internal sealed class FakeTransport : NlbTransport
{
    private readonly Func<NlbHttpRequest, Task<NlbHttpResponse>> _handler;

    public FakeTransport(Func<NlbHttpRequest, NlbHttpResponse> handler) : this(r => Task.FromResult(handler(r))) { }
    public FakeTransport(Func<NlbHttpRequest, Task<NlbHttpResponse>> handler) => _handler = handler;

    public ConcurrentQueue<NlbHttpRequest> Requests { get; } = new();

    public override Task<NlbHttpResponse> SendAsync(NlbHttpRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        return _handler(request);
    }

    public static NlbHttpResponse Json(int status, string json) => new() { StatusCode = status, Body = Encoding.UTF8.GetBytes(json) };
    public static NlbHttpResponse Text(int status, string text) => new() { StatusCode = status, Body = Encoding.UTF8.GetBytes(text) };
}

/// <summary>What an STS request carried, with its V2 signature checked against a known secret.</summary>
internal sealed class StsCall
{
    public StsCall(NlbHttpRequest request)
    {
        Request = request;
        Query = AcsSignature.ParseFormString(request.Uri.Query).ToDictionary(p => p.Key, p => p.Value);
        Body = AcsSignature.ParseFormString(Encoding.UTF8.GetString(request.Body ?? [])).ToDictionary(p => p.Key, p => p.Value);
    }

    public NlbHttpRequest Request { get; }
    public Dictionary<string, string> Query { get; }
    public Dictionary<string, string> Body { get; }

    public bool SignedWith(string secret)
    {
        var all = Query.Where(p => p.Key != "Signature").Concat(Body);
        return AcsSignature.ComputeV2(Request.Method, all, secret, out _) == Query["Signature"];
    }

    public static string CredentialsJson(string id, string secret, string token, DateTimeOffset expiration) => $$$"""
        {"RequestId":"6894B13B-6D71-4EF5-88FA-F32781734A7F",
         "AssumedRoleUser":{"AssumedRoleId":"344584339364951186:nlbtools","Arn":"acs:ram::123456789012****:role/nlb-admin/nlbtools"},
         "Credentials":{"AccessKeyId":"{{{id}}}","AccessKeySecret":"{{{secret}}}","SecurityToken":"{{{token}}}",
                        "Expiration":"{{{expiration.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}}"}}
        """;
}
