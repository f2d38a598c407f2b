using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net.Http;
using System.Text;
using Newtonsoft.Json.Linq;
using NlbTools.Commands;
using NlbTools.Emulator;
using NlbTools.Emulator.State;

namespace NlbTools.Tests.Reliability;

/// <summary>
/// The real emulator in-process (Kestrel on 127.0.0.1:0) and a runspace with the module imported and
/// connected to it with the emulator's demo key: the whole stack over real HTTP, nothing mocked.
/// </summary>
internal sealed class LiveEmulator : IAsyncDisposable
{
    private readonly Runspace _runspace;

    private LiveEmulator(EmulatorHost host)
    {
        Host = host;
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(host.Endpoint) };
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(typeof(GetNlbListenerCommand).Assembly.Location);
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
        Run($"Connect-Nlb -AccessKeyId {DemoState.AccessKeyId} -AccessKeySecret (ConvertTo-SecureString '{DemoState.AccessKeySecret}' -AsPlainText -Force) -RegionId cn-hangzhou -Endpoint {host.Endpoint}");
    }

    public EmulatorHost Host { get; }
    public HttpClient Http { get; }
    public string Endpoint => Host.Endpoint;

    public static async Task<LiveEmulator> StartAsync(int jobDurationMs = 0)
    {
        var options = new EmulatorOptions { Port = 0, Host = "127.0.0.1", JobDurationMs = jobDurationMs };
        var emulator = new LiveEmulator(await EmulatorHost.StartAsync(options, DemoState.Create));
        // Connect-Nlb's check call (DescribeRegions) is not part of any test: start each with an empty request log.
        var reset = await emulator.Http.PostAsync("/_emulator/reset", new StringContent("{}", Encoding.UTF8, "application/json"));
        reset.EnsureSuccessStatusCode();
        return emulator;
    }

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
        var result = ps.Invoke().ToList();
        if (ps.HadErrors) throw new InvalidOperationException(string.Join("; ", ps.Streams.Error.Select(e => e.ToString())));
        return result;
    }

    public async Task SetFaultsAsync(object config)
    {
        var response = await Http.PostAsync("/_emulator/faults", new StringContent(Newtonsoft.Json.JsonConvert.SerializeObject(config), Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    public async Task<JArray> RequestsAsync(string? action = null)
        => JArray.Parse(await Http.GetStringAsync("/_emulator/requests" + (action != null ? "?action=" + action : "")));

    /// <summary>Waits (up to 20 s) until the emulator logged <paramref name="count"/> requests of <paramref name="action"/>.</summary>
    public async Task WaitForLoggedAsync(string action, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await RequestsAsync(action)).Count < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No {action} request was logged.");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _runspace.Dispose();
        Http.Dispose();
        await Host.DisposeAsync();
    }
}
