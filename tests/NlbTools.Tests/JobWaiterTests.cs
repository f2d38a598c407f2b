using System.Management.Automation;
using NlbTools.Client;
using NlbTools.Client.Credentials;
using NlbTools.Client.Pipeline;
using NlbTools.Engine;
using NlbTools.Session;

namespace NlbTools.Tests;

/// <summary>The one job-waiting service: outcomes, the timeout's last state, and a poller that cannot go on.</summary>
[Collection(ClientSeamCollection.Name)]
public sealed class JobWaiterTests
{
    private const string Listener = "lsn-bp1bpn0kn908w4nbw0001@1000";

    private static NlbClient Client(Func<RecordedRequest, NlbHttpResponse> answer, ICredentialsProvider? credentials = null)
        => new NlbClient(new NlbClientOptions
        {
            RegionId = "cn-hangzhou",
            Endpoint = new Uri("http://127.0.0.1:9"),
            Credentials = credentials ?? new StaticCredentialsProvider("LTAI5tJobWaiterKey001", "job-waiter-secret"),
            Transport = new MockTransport((r, ct) => Task.FromResult(answer(r))),
            BackoffBase = TimeSpan.FromMilliseconds(1),
        });

    private static NlbJob Job(string id) => new() { JobId = id, ListenerId = Listener, Action = "UpdateListenerAttribute", SubmittedAt = DateTimeOffset.UtcNow };

    [Fact]
    public async Task A_job_that_succeeds_comes_back_with_its_status_and_the_time_it_was_seen()
    {
        var waiter = new JobWaiter(null, CancellationToken.None);
        var w = waiter.Track(Client(r => InProcessShell.Jobs(r, _ => "Succeeded")), "cn-hangzhou", Job("job-ok"), TimeSpan.FromSeconds(60));
        var result = await waiter.WaitAsync(w, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal("Succeeded", result.Job.Status);
        Assert.NotNull(result.Job.ObservedAt);
        Assert.Equal(result.Job.ObservedAt - result.Job.SubmittedAt, result.Job.Elapsed);
    }

    [Fact]
    public async Task A_failed_job_is_an_NlbJobFailed_error_naming_the_listener()
    {
        var waiter = new JobWaiter(null, CancellationToken.None);
        var w = waiter.Track(Client(r => InProcessShell.Jobs(r, _ => "Failed")), "cn-hangzhou", Job("job-bad"), TimeSpan.FromSeconds(60));
        var result = await waiter.WaitAsync(w, CancellationToken.None);

        Assert.Equal("NlbJobFailed", result.Error!.FullyQualifiedErrorId);
        Assert.Contains(Listener, result.Error.Exception.Message);
    }

    [Fact]
    public async Task A_timeout_reports_the_last_state_the_service_gave_not_Unknown()
    {
        var waiter = new JobWaiter(null, CancellationToken.None);
        var w = waiter.Track(Client(r => InProcessShell.Jobs(r, _ => "Processing")), "cn-hangzhou", Job("job-slow"), TimeSpan.FromMilliseconds(300));
        var result = await waiter.WaitAsync(w, CancellationToken.None);

        Assert.Equal("NlbJobTimeout", result.Error!.FullyQualifiedErrorId);
        Assert.Equal("Processing", result.Job.Status);
        Assert.Contains("its last state was Processing", result.Error.Exception.Message);
        Assert.DoesNotContain("Unknown", result.Error.Exception.Message);
    }

    [Fact]
    public void Set_Wait_timing_out_reports_the_last_state_Processing()
    {
        using var shell = new InProcessShell((r, ct) => Task.FromResult(InProcessShell.Action(r) == "UpdateListenerAttribute"
            ? InProcessShell.Ok(new { RequestId = "REQ-1", JobId = "72dcd26b-f12d-4c27-b3af-18f6aed5a1c0" })
            : InProcessShell.Jobs(r, _ => "Processing")));
        using var ps = shell.Create($"Set-NlbListenerAttribute -ListenerId {Listener} -ListenerDescription web-01 -Wait -TimeoutSec 1");
        Assert.Empty(ps.Invoke());

        var error = Assert.Single(ps.Streams.Error);
        Assert.Equal("NlbJobTimeout,NlbTools.Commands.SetNlbListenerAttributeCommand", error.FullyQualifiedErrorId);
        Assert.Contains("its last state was Processing", error.Exception.Message);
        Assert.Equal("Processing", ((NlbJob)error.TargetObject).Status);
    }

    [Fact]
    public async Task Credentials_that_become_unavailable_fail_the_jobs_at_once()
    {
        var credentials = new VanishingCredentials(goodCalls: 1);
        var waiter = new JobWaiter(null, CancellationToken.None);
        var client = Client(r => InProcessShell.Jobs(r, _ => "Processing"), credentials);
        var jobs = new[] { waiter.Track(client, "cn-hangzhou", Job("job-1"), TimeSpan.FromMinutes(10)), waiter.Track(client, "cn-hangzhou", Job("job-2"), TimeSpan.FromMinutes(10)) };

        foreach (var w in jobs)
        {
            var result = await waiter.WaitAsync(w, new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
            Assert.False(result.Canceled, "the poller left the job waiting after its credentials were gone");
            Assert.IsType<NlbCredentialsException>(result.Fault);
            Assert.Null(result.Error);
        }
        await jobs[0].Poller!.Loop; // observed: it ended, and did not fault
    }

    [Fact]
    public async Task A_disposed_client_fails_the_jobs_at_once()
    {
        var waiter = new JobWaiter(null, CancellationToken.None);
        var client = Client(_ => throw new ObjectDisposedException("HttpClient"));
        var w = waiter.Track(client, "cn-hangzhou", Job("job-1"), TimeSpan.FromMinutes(10));
        var result = await waiter.WaitAsync(w, new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);

        // The client turns a disposed transport into its Transport.Cancelled error (issue 15.6), the cause kept inside.
        var fault = Assert.IsType<NlbException>(result.Fault);
        Assert.Equal("Transport.Cancelled", fault.Code);
        Assert.IsType<ObjectDisposedException>(fault.InnerException);
        await w.Poller!.Loop;
        Assert.Equal(TaskStatus.RanToCompletion, w.Poller!.Loop.Status);
    }

    [Fact]
    public void Wait_NlbJob_ends_with_the_credentials_error_at_once_not_a_timeout()
    {
        using var shell = new InProcessShell((r, ct) => Task.FromResult(InProcessShell.Jobs(r, _ => "Processing")));
        var credentials = new VanishingCredentials(goodCalls: 1);
        NlbSession.ConfigureClient = o => { o.Transport = shell.Transport; o.Credentials = credentials; };
        // A new endpoint makes a new client, which takes the credentials above.
        using var ps = shell.Create("Wait-NlbJob -JobId job-1 -TimeoutSec 600 -Endpoint http://127.0.0.1:10");
        Assert.Empty(ps.Invoke());

        // A terminating error ends the statement; in a script it shows in the error stream.
        var error = Assert.Single(ps.Streams.Error);
        Assert.StartsWith("NlbCredentialsNotFound,", error.FullyQualifiedErrorId);
        Assert.Contains("credentials file was removed", error.ErrorDetails.Message);
        Assert.True(credentials.Calls >= 2);
    }

    /// <summary>Answers a few times, then is gone (a profile file removed, an STS role revoked).</summary>
    private sealed class VanishingCredentials : ICredentialsProvider
    {
        private readonly int _goodCalls;
        private int _calls;
        public VanishingCredentials(int goodCalls) => _goodCalls = goodCalls;
        public string Source => "vanishing";
        public int Calls => Volatile.Read(ref _calls);

        public Task<NlbCredentials> GetCredentialsAsync(CancellationToken cancellationToken)
            => Interlocked.Increment(ref _calls) <= _goodCalls
                ? Task.FromResult(new NlbCredentials("LTAI5tVanishingKey001", "vanishing-secret", null, null, Source))
                : throw new NlbCredentialsException("the profile's credentials file was removed");
    }
}
