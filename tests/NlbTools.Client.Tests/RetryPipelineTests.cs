using System.Net.Http;
using NlbTools.Client.Models;
using NlbTools.Client.Pipeline;
using NlbTools.Client.Signing;
using Xunit;

namespace NlbTools.Client.Tests;

public class RetryPipelineTests
{
    private static UpdateListenerAttributeRequest Update() => new() { ListenerId = "lsn-1@80", IdleTimeout = 60 };

    [Fact]
    public async Task SystemBusyTwiceThenSuccessIsThreeAttemptsWithThreeNoncesAndOneClientToken()
    {
        var transport = new MockTransport(TestClients.SystemBusy(), TestClients.SystemBusy(), TestClients.Job("job-42"));
        using var client = TestClients.Create(transport);

        var result = await client.UpdateListenerAttributeAsync(Update());

        Assert.Equal("job-42", result.JobId);
        var sent = transport.Requests;
        Assert.Equal(3, sent.Count);
        Assert.Equal(3, sent.Select(r => r.Header("x-acs-signature-nonce")).Distinct().Count());
        Assert.Equal(3, sent.Select(r => r.Header("Authorization")).Distinct().Count()); // signed afresh each time
        var tokens = sent.Select(r => r.Parameter("ClientToken")).Distinct().ToList();
        Assert.Single(tokens);
        Assert.False(string.IsNullOrEmpty(tokens[0]));
        Assert.Equal(tokens[0], result.ClientToken);
    }

    [Fact]
    public async Task CallerClientTokenIsKeptOnEveryAttempt()
    {
        var transport = new MockTransport(TestClients.SystemBusy(), TestClients.Job());
        using var client = TestClients.Create(transport);
        var request = Update();
        request.ClientToken = "my-token-1";

        var result = await client.UpdateListenerAttributeAsync(request);

        Assert.All(transport.Requests, r => Assert.Equal("my-token-1", r.Parameter("ClientToken")));
        Assert.Equal("my-token-1", result.ClientToken);
    }

    [Fact]
    public async Task EachLogicalCallGetsItsOwnGeneratedClientToken()
    {
        var transport = new MockTransport(TestClients.Job(), TestClients.Job());
        using var client = TestClients.Create(transport);
        var a = await client.UpdateListenerAttributeAsync(Update());
        var b = await client.UpdateListenerAttributeAsync(Update());
        Assert.NotEqual(a.ClientToken, b.ClientToken);
        Assert.True(a.ClientToken!.Length <= 64 && a.ClientToken.All(c => c < 128));
    }

    [Fact]
    public async Task ThrottlingWithRetryAfterWaitsAtLeastThatLongOnTheClock()
    {
        var clock = new FakeClock();
        var seenAt = new List<DateTimeOffset>();
        var answers = new Queue<NlbHttpResponse>(new[]
        {
            MockTransport.Error(400, "Throttling.User", "Request was denied due to user flow control.", "REQ-T", retryAfterMs: 1500),
            TestClients.Job(),
        });
        var transport = new MockTransport(r => { seenAt.Add(clock.UtcNow); return answers.Dequeue(); });
        var retries = new List<NlbRetryInfo>();
        using var client = TestClients.Create(transport, clock, o => o.OnRetry = retries.Add);

        await client.UpdateListenerAttributeAsync(Update());

        Assert.Equal(2, seenAt.Count);
        Assert.True(seenAt[1] - seenAt[0] >= TimeSpan.FromMilliseconds(1500), $"waited {seenAt[1] - seenAt[0]}");
        Assert.Equal(TimeSpan.FromMilliseconds(1500), clock.Delays.Single());
        var info = Assert.Single(retries);
        Assert.True(info.IsThrottling);
        Assert.Equal("Throttling.User", info.ErrorCode);
        Assert.Equal(1, info.Attempt);
        Assert.Equal("UpdateListenerAttribute", info.Action);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), info.Delay);
        // The fresh x-acs-date follows the clock.
        Assert.NotEqual(transport.Requests[0].Header("x-acs-date"), transport.Requests[1].Header("x-acs-date"));
    }

    [Fact]
    public async Task BackoffIsCappedExponentialWithFullJitter()
    {
        var clock = new FakeClock();
        var busy = Enumerable.Range(0, 6).Select(_ => TestClients.SystemBusy()).Append(TestClients.Job()).ToArray();
        var transport = new MockTransport(busy);
        using var client = TestClients.Create(transport, clock, o =>
        {
            o.MaxAttempts = 7;
            o.BackoffBase = TimeSpan.FromSeconds(1);
            o.BackoffCap = TimeSpan.FromSeconds(4);
            o.TotalTimeout = TimeSpan.FromMinutes(10);
        });

        await client.UpdateListenerAttributeAsync(Update());

        var delays = clock.Delays;
        Assert.Equal(6, delays.Count);
        for (var i = 0; i < delays.Count; i++)
        {
            var ceiling = Math.Min(4, Math.Pow(2, i));
            Assert.InRange(delays[i].TotalSeconds, 0, ceiling);
        }
    }

    [Fact]
    public async Task GivesUpAfterMaxAttemptsWithTheServiceError()
    {
        var transport = new MockTransport(r => TestClients.SystemBusy());
        using var client = TestClients.Create(transport, configure: o => o.MaxAttempts = 3);

        var ex = await Assert.ThrowsAsync<NlbException>(() => client.UpdateListenerAttributeAsync(Update()));

        Assert.Equal("SystemBusy", ex.Code);
        Assert.Equal(400, ex.HttpStatus);
        Assert.Equal("REQ-BUSY", ex.RequestId);
        Assert.Equal(3, transport.Requests.Count);
    }

    [Fact]
    public async Task TotalBudgetStopsRetriesBeforeItIsExceeded()
    {
        var clock = new FakeClock();
        var transport = new MockTransport(r => TestClients.SystemBusy(retryAfterMs: 1500));
        using var client = TestClients.Create(transport, clock, o => { o.MaxAttempts = 20; o.TotalTimeout = TimeSpan.FromSeconds(4); });

        var ex = await Assert.ThrowsAsync<NlbException>(() => client.UpdateListenerAttributeAsync(Update()));

        Assert.Equal("SystemBusy", ex.Code);
        Assert.Equal(3, transport.Requests.Count); // at 0 s, 1.5 s and 3 s; a 4th at 4.5 s would break the budget
        Assert.True(clock.UtcNow - new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero) < TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task CancellationDuringBackoffEndsTheCallPromptly()
    {
        var clock = new FakeClock { BlockDelays = true };
        var transport = new MockTransport(r => TestClients.SystemBusy(retryAfterMs: 60_000));
        using var client = TestClients.Create(transport, clock);
        using var cts = new CancellationTokenSource();

        var call = client.UpdateListenerAttributeAsync(Update(), cts.Token);
        await clock.DelayEntered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"took {stopwatch.Elapsed}");
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task CancellationDuringAnAttemptIsNotRetried()
    {
        using var cts = new CancellationTokenSource();
        var transport = new MockTransport(async (r, ct) =>
        {
            cts.Cancel();
            await Task.Delay(Timeout.Infinite, ct);
            return TestClients.Job();
        });
        using var client = TestClients.Create(transport);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.UpdateListenerAttributeAsync(Update(), cts.Token));
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task AlreadyCancelledTokenSendsNothing()
    {
        var transport = new MockTransport(TestClients.Job());
        using var client = TestClients.Create(transport);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.UpdateListenerAttributeAsync(Update(), new CancellationToken(true)));
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task NetworkErrorIsRetried()
    {
        var calls = 0;
        var transport = new MockTransport(r => ++calls == 1 ? throw new HttpRequestException("Connection refused") : TestClients.Job());
        using var client = TestClients.Create(transport);

        var result = await client.UpdateListenerAttributeAsync(Update());

        Assert.Equal("job-1", result.JobId);
        Assert.Equal(2, transport.Requests.Count);
    }

    [Fact]
    public async Task PerRequestTimeoutIsRetriedAndReportedAsTransportTimeout()
    {
        var transport = new MockTransport(async (r, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct); // never answers: only the per-attempt timeout ends it
            return TestClients.Job();
        });
        var retries = new List<NlbRetryInfo>();
        using var client = TestClients.Create(transport, configure: o =>
        {
            o.RequestTimeout = TimeSpan.FromMilliseconds(100);
            o.MaxAttempts = 2;
            o.OnRetry = retries.Add;
        });

        var ex = await Assert.ThrowsAsync<NlbException>(() => client.GetListenerAttributeAsync(new GetListenerAttributeRequest { ListenerId = "lsn-1@80" }));

        Assert.Equal("Transport.Timeout", ex.Code);
        Assert.Equal(0, ex.HttpStatus);
        Assert.Equal(2, transport.Requests.Count);
        Assert.Equal("Transport.Timeout", Assert.Single(retries).ErrorCode);
    }

    [Fact]
    public async Task ConnectionFailureAfterAllAttemptsIsATransportError()
    {
        var transport = new MockTransport(r => throw new HttpRequestException("No route to host"));
        using var client = TestClients.Create(transport, configure: o => o.MaxAttempts = 2);

        var ex = await Assert.ThrowsAsync<NlbException>(() => client.ListListenersAsync(new ListListenersRequest()));

        Assert.Equal("Transport.ConnectionFailed", ex.Code);
        Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.Equal(2, transport.Requests.Count);
    }

    [Theory]
    [InlineData(500, "InternalError", true)]
    [InlineData(503, "ServiceUnavailable", true)]
    [InlineData(400, "ServiceUnavailable", true)]
    [InlineData(400, "Throttling", true)]
    [InlineData(400, "Throttling.Api", true)]
    [InlineData(429, "TooManyRequests", true)]
    [InlineData(400, "SystemBusy", true)]
    [InlineData(400, "IllegalParam.IdleTimeout", false)]
    [InlineData(404, "ResourceNotFound.listener", false)]
    [InlineData(403, "Forbidden.NoPermission", false)]
    [InlineData(400, "IdempotenceSignatureMismatch", false)]
    public async Task WhatIsRetried(int status, string code, bool retried)
    {
        var transport = new MockTransport(MockTransport.Error(status, code, "x"), TestClients.Job());
        using var client = TestClients.Create(transport);

        if (retried) await client.StopListenerAsync(new ListenerActionRequest { ListenerId = "lsn-1@80" });
        else Assert.Equal(code, (await Assert.ThrowsAsync<NlbException>(() => client.StopListenerAsync(new ListenerActionRequest { ListenerId = "lsn-1@80" }))).Code);

        Assert.Equal(retried ? 2 : 1, transport.Requests.Count);
    }

    [Theory]
    [InlineData("IncorrectStatus.listener")]
    [InlineData("Conflict.Lock")]
    public async Task ListenerBusyCodesAreRetriedForWritesOnly(string code)
    {
        var write = new MockTransport(MockTransport.Error(400, code, "busy"), TestClients.Job());
        using (var client = TestClients.Create(write))
            await client.UpdateListenerAttributeAsync(Update());
        Assert.Equal(2, write.Requests.Count);
        Assert.Equal(write.Requests[0].Parameter("ClientToken"), write.Requests[1].Parameter("ClientToken"));

        var read = new MockTransport(MockTransport.Error(400, code, "busy"), TestClients.Job());
        using (var client = TestClients.Create(read))
            await Assert.ThrowsAsync<NlbException>(() => client.GetListenerAttributeAsync(new GetListenerAttributeRequest { ListenerId = "lsn-1@80" }));
        Assert.Single(read.Requests);
    }

    [Fact]
    public async Task NonJsonServerErrorIsRetriedAndDescribedByStatus()
    {
        var html = new NlbHttpResponse { StatusCode = 502, Body = "<html>Bad Gateway</html>"u8.ToArray() };
        var transport = new MockTransport(r => html);
        using var client = TestClients.Create(transport, configure: o => o.MaxAttempts = 2);

        var ex = await Assert.ThrowsAsync<NlbException>(() => client.ListListenersAsync(new ListListenersRequest()));

        Assert.Equal("HttpStatus.502", ex.Code);
        Assert.Equal(502, ex.HttpStatus);
        Assert.Equal(2, transport.Requests.Count);
    }

    [Fact]
    public async Task CredentialsAreFetchedForEveryAttempt()
    {
        var provider = new RotatingCredentialsProvider();
        var transport = new MockTransport(TestClients.SystemBusy(), TestClients.Job());
        using var client = TestClients.Create(transport, configure: o => o.Credentials = provider);

        await client.UpdateListenerAttributeAsync(Update());

        Assert.Equal(2, provider.Calls);
        Assert.Contains("Credential=LTAIrotating0001,", transport.Requests[0].Header("Authorization"));
        Assert.Contains("Credential=LTAIrotating0002,", transport.Requests[1].Header("Authorization"));
        Assert.Equal("token-2", transport.Requests[1].Header("x-acs-security-token"));
        // Each attempt verifies with the secret it was signed with.
        for (var i = 0; i < 2; i++) SignatureCheck.AssertValid(transport.Requests[i], $"secret-{i + 1}");
    }

    [Fact]
    public void PipelineOrderIsRetrySignLog()
    {
        using var client = TestClients.Create(new MockTransport(), configure: o => o.Log = _ => { });
        Assert.Collection(client.Policies,
            p => Assert.IsType<RetryPolicy>(p),
            p => Assert.IsType<SigningPolicy>(p),
            p => Assert.IsType<LoggingPolicy>(p));
    }

    [Fact]
    public async Task LogHasOneLinePerAttemptAndOneForTheRetryDecision()
    {
        var lines = new List<string>();
        var transport = new MockTransport(TestClients.SystemBusy(), TestClients.Job(requestId: "REQ-2"));
        using var client = TestClients.Create(transport, configure: o => o.Log = lines.Add);

        await client.UpdateListenerAttributeAsync(Update());

        Assert.Equal(3, lines.Count);
        Assert.Matches(@"^UpdateListenerAttribute nlb\.cn-hangzhou\.aliyuncs\.com attempt 1: HTTP 400 SystemBusy RequestId=REQ-BUSY AccessKeyId=LTAI\*\*\*\*0001 \d+ ms$", lines[0]);
        Assert.StartsWith("UpdateListenerAttribute: SystemBusy on attempt 1 of 5, retrying in", lines[1]);
        Assert.Matches(@"^UpdateListenerAttribute nlb\.cn-hangzhou\.aliyuncs\.com attempt 2: HTTP 200 OK RequestId=REQ-2 ", lines[2]);
    }

    [Fact]
    public void RetryClassificationIsPublicForTheCmdlets()
    {
        Assert.True(NlbErrorClassifier.IsThrottling(new NlbException("Throttling.User", "x", 400)));
        Assert.False(NlbErrorClassifier.IsThrottling(new NlbException("SystemBusy", "x", 400)));
        Assert.True(NlbErrorClassifier.IsRetryable(new NlbException("Conflict.Lock", "x", 400), isWrite: true));
        Assert.False(NlbErrorClassifier.IsRetryable(new NlbException("Conflict.Lock", "x", 400), isWrite: false));
    }
}
