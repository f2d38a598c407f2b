using System.Diagnostics;
using System.Text.Json;
using NlbTools.Emulator;
using NlbTools.Emulator.State;

// NlbTools.Emulator: a local, stateful NLB endpoint. Contract: design.md "Emulator command line".
EmulatorOptions options;
try { options = EmulatorOptions.Parse(args); }
catch (ArgumentException e)
{
    Console.Error.WriteLine($"NlbTools.Emulator: {e.Message}");
    Console.Error.WriteLine(EmulatorOptions.Usage);
    return 2;
}

if (!options.IsLoopbackHost) Console.Error.WriteLine(options.ExposureWarning);

// The seed is a factory: reset builds it again (the file is read once; its text is parsed again).
Func<StateDocument> seed;
try
{
    if (options.StatePath == null) seed = DemoState.Create;
    else
    {
        var source = options.StatePath;
        var text = StateLoader.ReadFile(source);
        StateDocument? first = StateLoader.Parse(text, source); // fails here, before listening, if the file is bad
        seed = () =>
        {
            var document = first ?? StateLoader.Parse(text, source);
            first = null;
            return document;
        };
    }
}
catch (StateFileException e)
{
    Console.Error.WriteLine($"NlbTools.Emulator: {e.Message}");
    return 2;
}

EmulatorHost host;
try { host = await EmulatorHost.StartAsync(options, seed); }
catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ArgumentException)
{
    Console.Error.WriteLine($"NlbTools.Emulator: cannot listen on {options.Host}:{options.Port}: {e.Message}");
    return 3;
}

await using (host)
{
    var key = host.Runtime.State.PrimaryAccessKey;
    Console.Out.WriteLine($"{{\"Endpoint\":{Json(host.Endpoint)},\"AccessKeyId\":{Json(key.AccessKeyId)},\"AccessKeySecret\":{Json(key.AccessKeySecret)}}}");
    Console.Out.Flush();

    if (options.ParentPid is int parentPid) _ = WatchParentAsync(parentPid, host.App.Lifetime);
    await host.App.WaitForShutdownAsync();
}
return 0;

// A JSON string literal, without loading a serializer on the start path.
static string Json(string value) => "\"" + JsonEncodedText.Encode(value).ToString() + "\"";

// Exit when the process that started us exits (Start-NlbEmulator passes the PowerShell process id).
static async Task WatchParentAsync(int pid, Microsoft.Extensions.Hosting.IHostApplicationLifetime lifetime)
{
    Process? parent;
    try { parent = Process.GetProcessById(pid); }
    catch (ArgumentException) { parent = null; }
    while (parent != null && !HasExited(parent)) await Task.Delay(500);
    lifetime.StopApplication();

    static bool HasExited(Process p)
    {
        try { return p.HasExited; }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { return true; }
    }
}
