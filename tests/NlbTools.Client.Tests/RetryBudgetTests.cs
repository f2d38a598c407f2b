using System.Net;
using System.Net.Sockets;
using NlbTools.Client.Models;
using NlbTools.Client.Pipeline;
using Xunit;

namespace NlbTools.Client.Tests;

/// <summary>Throttling does not use up attempts; a settled listener state fails at once; a hung endpoint is described.</summary>
public class RetryBudgetTests
{
    private const string ListenerId = "lsn-bp1bpn0kn908w4nbw0001@1000";
    private static UpdateListenerAttributeRequest Update() => new() { ListenerId = ListenerId, IdleTimeout = 60 };
    private static NlbHttpResponse Throttled(int? retryAfterMs = null)
        => MockTransport.Error(400, "Throttling.User", "Request was denied due to user flow control.", "REQ-T", retryAfterMs);
    private static NlbHttpResponse ListenerIn(string status)
        => MockTransport.Json(200, new { RequestId = "REQ-READ", ListenerId, ListenerStatus = status, ListenerProtocol = "TCP" });

    [Fact]
    public async Task Throttling_refusals_do_not_use_up_the_attempt_budget()
    {
        // Twelve refusals in a row, more than the 10 attempts a failure may take: still one success, no error.
        var answers = Enumerable.Range(0, 12).Select(_ => Throttled(100)).Append(TestClients.Job("job-after-quota")).ToArray();
        var transport = new MockTransport(answers);
        using var client = TestClients.Create(transport);
        var job = await client.UpdateListenerAttributeAsync(Update());
        Assert.Equal("job-after-quota", job.JobId);
        Assert.Equal(13, transport.Requests.Count);
        Assert.Single(transport.Requests.Select(r => r.Parameter("ClientToken")).Distinct());
    }

    [Fact]
    public async Task Throttling_is_bounded_by_the_total_timeout()
    {
        var clock = new FakeClock();
        var transport = new MockTransport(_ => Throttled(1000));
        using var client = TestClients.Create(transport, clock, o => o.TotalTimeout = TimeSpan.FromSeconds(30));
        var start = clock.UtcNow;
        var e = await Assert.ThrowsAsync<NlbException>(() => client.UpdateListenerAttributeAsync(Update()));
        Assert.Equal("Throttling.User", e.Code);
        Assert.Equal("REQ-T", e.RequestId);
        Assert.True(transport.Requests.Count > 10, $"{transport.Requests.Count} requests: more than MaxAttempts, so throttling did not use attempts");
        Assert.InRange((clock.UtcNow - start).TotalSeconds, 25, 30);
    }

    [Fact]
    public async Task Failures_still_count_against_MaxAttempts()
    {
        var transport = new MockTransport(_ => TestClients.SystemBusy());
        using var client = TestClients.Create(transport);
        var e = await Assert.ThrowsAsync<NlbException>(() => client.UpdateListenerAttributeAsync(Update()));
        Assert.Equal("SystemBusy", e.Code);
        Assert.Equal(10, transport.Requests.Count);
    }

    [Fact]
    public async Task Retry_after_waits_are_spread_so_refused_callers_do_not_return_together()
    {
        var retries = new List<NlbRetryInfo>();
        var transport = new MockTransport(_ => Throttled(400));
        using var client = TestClients.Create(transport, configure: o => { o.TotalTimeout = TimeSpan.FromSeconds(60); o.OnRetry = retries.Add; });
        await Assert.ThrowsAsync<NlbException>(() => client.UpdateListenerAttributeAsync(Update()));
        Assert.True(retries.Count > 20);
        Assert.All(retries, r => Assert.InRange(r.Delay.TotalMilliseconds, 400, 500));
        Assert.True(retries.Select(r => r.Delay).Distinct().Count() > 5, "the waits are jittered, not all the same");
    }

    [Theory]
    [InlineData("Stopped")]
    [InlineData("Deleting")]
    public async Task A_listener_in_a_settled_state_fails_at_once_naming_the_state(string status)
    {
        var transport = new MockTransport(r => r.Header("x-acs-action") == "GetListenerAttribute"
            ? ListenerIn(status)
            : MockTransport.Error(400, "IncorrectStatus.listener", $"The status of listener [{ListenerId}] is incorrect.", "REQ-STATUS"));
        using var client = TestClients.Create(transport);
        var e = await Assert.ThrowsAsync<NlbException>(() => client.UpdateListenerAttributeAsync(Update()));
        Assert.Equal("IncorrectStatus.listener", e.Code);
        Assert.Equal("REQ-STATUS", e.RequestId);
        Assert.Equal(400, e.HttpStatus);
        Assert.Contains($"The listener {ListenerId} is {status}", e.Message);
        Assert.Equal(1, transport.Requests.Count(r => r.Header("x-acs-action") == "UpdateListenerAttribute"));
        Assert.Equal(1, transport.Requests.Count(r => r.Header("x-acs-action") == "GetListenerAttribute"));
    }

    [Fact]
    public async Task A_dry_run_on_a_stopped_listener_fails_the_same_way()
    {
        var transport = new MockTransport(r => r.Header("x-acs-action") == "GetListenerAttribute"
            ? ListenerIn("Stopped")
            : MockTransport.Error(400, "IncorrectStatus.listener", $"The status of listener [{ListenerId}] is incorrect."));
        using var client = TestClients.Create(transport);
        var request = Update();
        request.DryRun = true;
        var e = await Assert.ThrowsAsync<NlbException>(() => client.UpdateListenerAttributeAsync(request));
        Assert.Contains("is Stopped", e.Message);
        Assert.Single(transport.Requests, r => r.Header("x-acs-action") == "UpdateListenerAttribute");
    }

    [Fact]
    public async Task A_configuring_listener_is_waited_for()
    {
        var updates = 0;
        var transport = new MockTransport(r =>
        {
            if (r.Header("x-acs-action") == "GetListenerAttribute") return ListenerIn("Configuring");
            return ++updates < 3 ? MockTransport.Error(400, "IncorrectStatus.listener", "The status of listener is incorrect.") : TestClients.Job("job-done");
        });
        using var client = TestClients.Create(transport);
        Assert.Equal("job-done", (await client.UpdateListenerAttributeAsync(Update())).JobId);
        Assert.Equal(3, updates);
    }

    [Fact]
    public async Task A_status_read_that_fails_leaves_the_decision_to_the_retries()
    {
        var updates = 0;
        var transport = new MockTransport(r =>
        {
            if (r.Header("x-acs-action") == "GetListenerAttribute") return MockTransport.Error(403, "Forbidden.NoPermission", "denied");
            return ++updates < 2 ? MockTransport.Error(400, "IncorrectStatus.listener", "The status of listener is incorrect.") : TestClients.Job("job-done");
        });
        using var client = TestClients.Create(transport);
        Assert.Equal("job-done", (await client.UpdateListenerAttributeAsync(Update())).JobId);
    }

    [Fact]
    public async Task A_hung_endpoint_says_no_answer_within_the_timeout_and_the_final_error_gives_time_and_attempts()
    {
        // A real loopback socket that accepts and never answers. The test is about the request timeout's
        // messages, so it sets that knob small (0.3 s), and 3 attempts so the count does not depend on machine speed.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = new List<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            try { while (true) { var c = await listener.AcceptTcpClientAsync(); lock (accepted) accepted.Add(c); } }
            catch (Exception) { }
        });
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var lines = new List<string>();
        using var client = new NlbClient(new NlbClientOptions
        {
            RegionId = "cn-hangzhou",
            Endpoint = new Uri($"http://127.0.0.1:{port}"),
            Credentials = new NlbTools.Client.Credentials.StaticCredentialsProvider(TestClients.KeyId, TestClients.Secret),
            RequestTimeout = TimeSpan.FromMilliseconds(300),
            TotalTimeout = TimeSpan.FromSeconds(20),
            MaxAttempts = 3,
            BackoffBase = TimeSpan.FromMilliseconds(1),
            BackoffCap = TimeSpan.FromMilliseconds(1),
            Pacers = new Pacing.PacerRegistry(),
            Log = l => { lock (lines) lines.Add(l); },
        });
        try
        {
            var e = await Assert.ThrowsAsync<NlbException>(() => client.UpdateListenerAttributeAsync(Update()));
            Assert.True(e.Code == "Transport.Timeout", e.Code + ": " + e.Message + " | " + string.Join(" | ", lines));
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(e.Message, $@"^UpdateListenerAttribute {ListenerId}: no answer from 127\.0\.0\.1 in 3 attempts over \d+(\.\d+)? s \(each attempt waits up to 0\.3 s"), e.Message);
            Assert.Contains(lines, l => l.StartsWith($"UpdateListenerAttribute {ListenerId}: no answer within 0.3 s, retrying (2 of 3)"));
            Assert.Contains(lines, l => l.StartsWith($"UpdateListenerAttribute {ListenerId}: no answer within 0.3 s, retrying (3 of 3)"));
            Assert.DoesNotContain(lines, l => l.Contains("TaskCanceledException"));
        }
        finally
        {
            listener.Stop();
            lock (accepted) foreach (var c in accepted) c.Dispose();
            await accepting;
        }
    }
}
