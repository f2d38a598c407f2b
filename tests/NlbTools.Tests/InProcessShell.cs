using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using NlbTools.Client;
using NlbTools.Client.Pipeline;
using NlbTools.Commands;
using NlbTools.Session;

namespace NlbTools.Tests;

/// <summary>Tests that swap the clients' transport share one static seam, so they never run side by side.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClientSeamCollection
{
    public const string Name = "client seam";
}

/// <summary>
/// A runspace with the module imported and connected to a fake endpoint; every client it creates talks to
/// <see cref="Transport"/> (the client's own MockTransport), so the real client pipeline runs in-process.
/// </summary>
public sealed class InProcessShell : IDisposable
{
    private readonly Runspace _runspace;
    private int _inFlight;
    private int _maxInFlight;

    public InProcessShell(Func<RecordedRequest, CancellationToken, Task<NlbHttpResponse>> handler, PSHost? host = null)
    {
        Transport = new MockTransport(async (request, ct) =>
        {
            // Connect-Nlb's check call (DescribeRegions) is answered here, so each test's handler sees only its own actions.
            if (request.Header("x-acs-action") == "DescribeRegions")
                return Ok(new { RequestId = "REQ-REGIONS", Regions = new[] { new { RegionId = "cn-hangzhou", LocalName = "China (Hangzhou)" } } });
            // Reads (the diff's GetListenerAttribute) run one at a time on the pipeline thread; -ThrottleLimit
            // bounds the writes, so only those count as in flight.
            if (Action(request) == "GetListenerAttribute") return await handler(request, ct);
            var now = Interlocked.Increment(ref _inFlight);
            InFlightAtStart.Enqueue((request.Header("x-acs-action") ?? "", request.Parameter("ListenerId"), now));
            lock (this) _maxInFlight = Math.Max(_maxInFlight, now);
            try { return await handler(request, ct); }
            finally { Interlocked.Decrement(ref _inFlight); }
        });
        // Own pacers: the process-wide ones would carry what one test's throttling taught into the next test.
        var pacers = new NlbTools.Client.Pacing.PacerRegistry();
        NlbSession.ConfigureClient = options =>
        {
            options.Transport = Transport;
            options.Pacers = pacers;
        };

        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(typeof(GetNlbListenerCommand).Assembly.Location);
        _runspace = host == null ? RunspaceFactory.CreateRunspace(state) : RunspaceFactory.CreateRunspace(host, state);
        _runspace.Open();
        Run("Connect-Nlb -AccessKeyId LTAI5tInProcessKey01 -AccessKeySecret (ConvertTo-SecureString 'in-process-secret' -AsPlainText -Force) -RegionId cn-hangzhou -Endpoint http://127.0.0.1:9");
    }

    public MockTransport Transport { get; }

    /// <summary>Each request as it started: action, listener id, requests in flight including it.</summary>
    public ConcurrentQueue<(string Action, string? ListenerId, int InFlight)> InFlightAtStart { get; } = new();

    public int MaxInFlight { get { lock (this) return _maxInFlight; } }

    public int Count(string action) => Transport.Requests.Count(r => r.Header("x-acs-action") == action);

    public PowerShell Create(string script)
    {
        var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        return ps;
    }

    public List<PSObject> Run(string script)
    {
        using var ps = Create(script);
        return ps.Invoke().ToList();
    }

    /// <summary>Waits (up to 20 s) until the fake endpoint has seen a request for <paramref name="action"/>.</summary>
    public async Task WaitForRequest(string action, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Count(action) < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No {action} request arrived.");
            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        NlbSession.ConfigureClient = null;
        _runspace.Dispose();
    }

    public static NlbHttpResponse Ok(object body) => MockTransport.Json(200, body);

    /// <summary>GetListenerAttribute's answer for a listener of <paramref name="protocol"/> with the service defaults, or null for other actions.</summary>
    public static NlbHttpResponse? ReadAnswer(RecordedRequest r, string protocol = "TCP")
        => Action(r) == "GetListenerAttribute"
            ? Ok(new { RequestId = "REQ-READ", ListenerId = r.Parameter("ListenerId"), ListenerProtocol = protocol, ListenerStatus = "Running", IdleTimeout = 900, RegionId = "cn-hangzhou" })
            : null;

    public static NlbHttpResponse Jobs(RecordedRequest r, Func<string, string> status)
    {
        var ids = r.Query.Concat(r.Form).Where(p => p.Key.StartsWith("JobIds.", StringComparison.Ordinal)).Select(p => p.Value).ToList();
        return Ok(new { RequestId = "REQ-JOBS", Jobs = ids.Select(id => new { Id = id, Status = status(id) }).ToList(), TotalCount = ids.Count.ToString() });
    }

    public static string Action(RecordedRequest r) => r.Header("x-acs-action") ?? "";
}
