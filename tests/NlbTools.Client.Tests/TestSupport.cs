using NlbTools.Client.Credentials;
using NlbTools.Client.Signing;
using Xunit;
using NlbTools.Client.Pipeline;
using NlbTools.Client.Pacing;

namespace NlbTools.Client.Tests;

/// <summary>A clock that never sleeps: Delay moves time forward at once (or, when blocking, waits for cancellation only).</summary>
public sealed class FakeClock : ISystemClock
{
    private readonly object _gate = new();
    private readonly List<TimeSpan> _delays = new();

    public DateTimeOffset UtcNow { get; private set; } = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>When true, Delay never completes by itself: only the token ends it.</summary>
    public bool BlockDelays { get; set; }

    public TaskCompletionSource DelayEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<TimeSpan> Delays { get { lock (_gate) return _delays.ToArray(); } }

    public Task Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate) _delays.Add(delay);
        DelayEntered.TrySetResult();
        if (BlockDelays) return Task.Delay(Timeout.Infinite, cancellationToken);
        lock (_gate) UtcNow += delay;
        return Task.CompletedTask;
    }
}

/// <summary>Hands out a new key pair on every call, like a refreshing STS provider.</summary>
public sealed class RotatingCredentialsProvider : ICredentialsProvider
{
    private int _calls;
    public string Source => "rotating";
    public int Calls => _calls;

    public Task<NlbCredentials> GetCredentialsAsync(CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _calls);
        return Task.FromResult(new NlbCredentials($"LTAIrotating{n:0000}", $"secret-{n}", $"token-{n}", null, Source));
    }
}

public static class TestClients
{
    public const string KeyId = "LTAI5tTestKeyId0001";
    public const string Secret = "Sup3rS3cretValue-DoNotPrint";
    public const string Token = "CAIS-sts-token-DoNotPrint";

    public static NlbClient Create(NlbTransport transport, FakeClock? clock = null, Action<NlbClientOptions>? configure = null)
    {
        var options = new NlbClientOptions
        {
            RegionId = "cn-hangzhou",
            Credentials = new StaticCredentialsProvider(KeyId, Secret),
            Transport = transport,
            Clock = clock ?? new FakeClock(),
            // Own pacers: the process-wide ones would carry one test's throttling into the next.
            Pacers = new PacerRegistry(),
        };
        configure?.Invoke(options);
        return new NlbClient(options);
    }

    public static NlbHttpResponse Job(string jobId = "job-1", string requestId = "REQ-OK")
        => MockTransport.Json(200, new { RequestId = requestId, JobId = jobId });

    public static NlbHttpResponse SystemBusy(int? retryAfterMs = null)
        => MockTransport.Error(400, "SystemBusy", "System is busy, please try again later.", "REQ-BUSY", retryAfterMs);
}

public static class SignatureCheck
{
    /// <summary>Recomputes the V3 signature from what was sent (decoded query, headers, body) as a server does.</summary>
    public static void AssertValid(RecordedRequest r, string secret)
    {
        var authorization = r.Header("Authorization")!;
        var signedHeaders = authorization.Split("SignedHeaders=")[1].Split(',')[0].Split(';');
        var headers = r.Headers.Where(h => signedHeaders.Contains(h.Key.ToLowerInvariant()));
        var hash = AcsSignature.Sha256Hex(r.Body);
        Assert.Equal(hash, r.Header("x-acs-content-sha256"));
        var expected = AcsSignature.ComputeV3(r.Method, r.Uri.AbsolutePath, r.Query, headers, hash, secret);
        var keyId = authorization.Split("Credential=")[1].Split(',')[0];
        Assert.Equal(expected.ToAuthorization(keyId), authorization);
    }

}
