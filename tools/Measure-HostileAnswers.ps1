<#
.SYNOPSIS
    Peak memory of one NlbTools.Client call against a hostile loopback endpoint (issue 15 item 2).
.DESCRIPTION
    Starts a hostile server in one child pwsh and, in another fresh child pwsh, loads only the given
    NlbTools.Client.dll and makes one DescribeRegions call to it. Reports that client process's peak working set
    before and after the call, and the error it got. Cases: HugeBody (300 MB, no Content-Length), GzipBomb
    (about 1 MB of gzip that expands to 1 GiB), HugeMessage (a 300 MB error Message), LongMessage (a 10 MB one,
    under the body cap, so the message itself must be cut).
    Compare builds by pointing -ClientDll at an older build's NlbTools.Client.dll.
.EXAMPLE
    dotnet pwsh ./tools/Measure-HostileAnswers.ps1 -ClientDll out/NlbTools/NlbTools.Client.dll
#>
[CmdletBinding(DefaultParameterSetName = 'Measure')]
param(
    [Parameter(ParameterSetName = 'Measure')] [string] $ClientDll = (Join-Path $PSScriptRoot '../out/NlbTools/NlbTools.Client.dll'),
    [Parameter(ParameterSetName = 'Measure')] [ValidateSet('HugeBody', 'GzipBomb', 'HugeMessage', 'LongMessage')] [string[]] $Case = @('HugeBody', 'GzipBomb', 'HugeMessage', 'LongMessage'),
    [Parameter(ParameterSetName = 'Serve', Mandatory)] [string] $Serve,
    [Parameter(ParameterSetName = 'Call', Mandatory)] [string] $Call
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$pwsh = @([Environment]::ProcessPath)
$entry = [Reflection.Assembly]::GetEntryAssembly().Location
if ($entry -and $entry.EndsWith('.dll')) { $pwsh += $entry }

if ($Serve) {
    # The hostile endpoint: answers every connection with the chosen case, until stdin closes.
    Add-Type -TypeDefinition @'
using System; using System.IO; using System.IO.Compression; using System.Net; using System.Net.Sockets; using System.Text; using System.Threading.Tasks;
public static class HostileServer {
    public static int Start(string kind) {
        var listener = new TcpListener(IPAddress.Loopback, 0); listener.Start();
        byte[] bomb = null;
        if (kind == "GzipBomb") {
            var zeros = new byte[1 << 20]; var packed = new MemoryStream();
            using (var gz = new GZipStream(packed, CompressionLevel.SmallestSize, true)) for (int i = 0; i < 1024; i++) gz.Write(zeros, 0, zeros.Length);
            bomb = packed.ToArray();
        }
        Task.Run(async () => { while (true) { var c = await listener.AcceptTcpClientAsync(); _ = Task.Run(() => Answer(c, kind, bomb)); } });
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
    static async Task Answer(TcpClient c, string kind, byte[] bomb) {
        using (c) try {
            var s = c.GetStream(); var buf = new byte[65536]; var head = new StringBuilder();
            while (!head.ToString().Contains("\r\n\r\n")) { int n = await s.ReadAsync(buf, 0, buf.Length); if (n == 0) return; head.Append(Encoding.ASCII.GetString(buf, 0, n)); }
            var pad = new byte[65536]; for (int i = 0; i < pad.Length; i++) pad[i] = (byte)'x';
            if (kind == "GzipBomb") {
                var h = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: " + bomb.Length + "\r\nConnection: close\r\n\r\n";
                await s.WriteAsync(Encoding.ASCII.GetBytes(h)); await s.WriteAsync(bomb); return;
            }
            var total = (kind == "LongMessage" ? 10L : 300L) * 1024 * 1024;
            var prefix = kind == "HugeBody" ? "{\"RequestId\":\"R\",\"Pad\":\"" : "{\"Code\":\"Huge\",\"RequestId\":\"R\",\"Message\":\"";
            var status = kind == "HugeBody" ? "200 OK" : "400 Bad Request";
            await s.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: " + (prefix.Length + total + 2) + "\r\nConnection: close\r\n\r\n" + prefix));
            for (long w = 0; w < total; w += pad.Length) await s.WriteAsync(pad);
            await s.WriteAsync(Encoding.ASCII.GetBytes("\"}"));
        } catch (IOException) { } catch (SocketException) { }
    }
}
'@
    [HostileServer]::Start($Serve)
    [Console]::In.ReadToEnd() | Out-Null
    return
}

if ($Call) {
    # The measured process: nothing but the client assembly and one call.
    $port, $dll = $Call -split '\|', 2
    Add-Type -Path $dll
    [GC]::Collect()
    $self = [Diagnostics.Process]::GetCurrentProcess()
    $self.Refresh(); $before = $self.PeakWorkingSet64
    $options = [NlbTools.Client.NlbClientOptions]::new()
    $options.Endpoint = [uri]"http://127.0.0.1:$port"
    $options.Credentials = [NlbTools.Client.Credentials.StaticCredentialsProvider]::new('LTAI5tMeasureKey0001', 'measure-secret')
    $options.MaxAttempts = 1
    $client = [NlbTools.Client.NlbClient]::new($options)
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $outcome = try { $null = $client.DescribeRegionsAsync([NlbTools.Client.Models.DescribeRegionsRequest]::new(), [Threading.CancellationToken]::None).GetAwaiter().GetResult(); 'no error' }
               catch { $e = $_.Exception; while ($e.InnerException -and $e -isnot [NlbTools.Client.NlbException]) { $e = $e.InnerException }
                       if ($e -is [NlbTools.Client.NlbException]) { "$($e.Code), message $($e.Message.Length) chars" } else { $e.GetType().Name } }
    $seconds = $watch.Elapsed.TotalSeconds
    $self.Refresh()
    [pscustomobject]@{ PeakBeforeMB = [math]::Round($before / 1MB); PeakAfterMB = [math]::Round($self.PeakWorkingSet64 / 1MB); Seconds = [math]::Round($seconds, 1); Outcome = $outcome } |
        ConvertTo-Json -Compress
    return
}

$ClientDll = (Resolve-Path $ClientDll).Path
foreach ($kind in $Case) {
    $psi = [Diagnostics.ProcessStartInfo]::new($pwsh[0])
    foreach ($a in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $PSCommandPath, '-Serve', $kind)) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardInput = $true; $psi.RedirectStandardOutput = $true; $psi.UseShellExecute = $false
    $server = [Diagnostics.Process]::Start($psi)
    try {
        $port = $server.StandardOutput.ReadLine()
        $json = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $PSCommandPath -Call "$port|$ClientDll" 2>&1 | Select-Object -Last 1
        $r = "$json" | ConvertFrom-Json
        [pscustomobject]@{ Case = $kind; PeakBeforeMB = $r.PeakBeforeMB; PeakAfterMB = $r.PeakAfterMB; Seconds = $r.Seconds; Outcome = $r.Outcome }
    }
    finally {
        $server.StandardInput.Close()
        if (-not $server.WaitForExit(5000)) { $server.Kill() }
        $server.Dispose()
    }
}
