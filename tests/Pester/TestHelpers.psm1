# Helpers for Pester tests that need a running NlbTools.Emulator (the staged one under out/NlbTools/emulator).
# Import with: Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
Set-StrictMode -Version 3.0

function Get-TestEmulatorDll {
    if (-not $env:NLBTOOLS_MODULE) { throw 'NLBTOOLS_MODULE is not set: run the tests through ./build.ps1 Test (it stages the module first).' }
    $dll = Join-Path (Split-Path $env:NLBTOOLS_MODULE -Parent) 'emulator/NlbTools.Emulator.dll'
    if (-not (Test-Path $dll)) { throw "The staged emulator is missing: $dll. Run ./build.ps1 Build." }
    return $dll
}

function Get-DotnetPath {
    # Under `dotnet pwsh` the host path is given; otherwise dotnet must be on PATH.
    if ($env:DOTNET_HOST_PATH -and (Test-Path $env:DOTNET_HOST_PATH)) { return $env:DOTNET_HOST_PATH }
    $cmd = Get-Command dotnet -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if (-not $cmd) { throw 'dotnet was not found on PATH.' }
    return $cmd.Source
}

# One command line from separate arguments, quoted the way the C runtime splits them (what ArgumentList does on .NET Core).
function Join-CommandLine([string[]] $Arguments) {
    $quoted = foreach ($a in $Arguments) {
        if ($a -and $a -notmatch '[\s"]') { $a; continue }
        # Backslashes before a quote, and at the end before the closing quote, are doubled; quotes are escaped.
        '"' + (($a -replace '(\\*)"', '$1$1\"') -replace '(\\+)$', '$1$1') + '"'
    }
    $quoted -join ' '
}

<#
.SYNOPSIS
    Starts the staged emulator on 127.0.0.1 (any free port) and returns Endpoint, AccessKeyId, AccessKeySecret, Process.
.DESCRIPTION
    The emulator gets --parent-pid of this PowerShell process, so it ends with the test run even if a test
    forgets Stop-TestEmulator. StartupMs is how long the first stdout line (the JSON object) took.
#>
function Start-TestEmulator {
    [CmdletBinding()]
    param(
        [string] $StatePath,
        [int] $JobDurationMs = -1,
        [int] $LatencyMs = -1,
        [string[]] $ExtraArgs = @(),
        [int] $TimeoutSeconds = 20
    )
    $arguments = [System.Collections.Generic.List[string]]::new()
    $arguments.Add((Get-TestEmulatorDll))
    $arguments.AddRange([string[]] @('--port', '0', '--host', '127.0.0.1', '--parent-pid', "$PID"))
    if ($StatePath) { $arguments.AddRange([string[]] @('--state', (Resolve-Path $StatePath).Path)) }
    if ($JobDurationMs -ge 0) { $arguments.AddRange([string[]] @('--job-duration-ms', "$JobDurationMs")) }
    if ($LatencyMs -ge 0) { $arguments.AddRange([string[]] @('--latency-ms', "$LatencyMs")) }
    foreach ($a in $ExtraArgs) { $arguments.Add($a) }

    $psi = [System.Diagnostics.ProcessStartInfo]::new((Get-DotnetPath))
    if ($psi.PSObject.Properties['ArgumentList']) { foreach ($a in $arguments) { $psi.ArgumentList.Add($a) } }
    else { $psi.Arguments = Join-CommandLine $arguments } # .NET Framework (Windows PowerShell 5.1) has no ArgumentList
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $stopwatch = [System.Diagnostics.Stopwatch]::StartNew()
    $process = [System.Diagnostics.Process]::Start($psi)
    # Drain stderr in the background so the emulator never blocks on a full pipe.
    $stderr = $process.StandardError.ReadToEndAsync()
    $lineTask = $process.StandardOutput.ReadLineAsync()
    if (-not $lineTask.Wait([TimeSpan]::FromSeconds($TimeoutSeconds)) -or -not $lineTask.Result) {
        if (-not $process.HasExited) { $process.Kill() }
        $process.WaitForExit()
        throw "The emulator did not print its JSON line within $TimeoutSeconds s (exit code $($process.ExitCode)): $($stderr.Result)"
    }
    $startupMs = $stopwatch.ElapsedMilliseconds
    $info = $lineTask.Result | ConvertFrom-Json
    [pscustomobject]@{
        PSTypeName      = 'NlbTools.TestEmulator'
        Endpoint        = $info.Endpoint
        AccessKeyId     = $info.AccessKeyId
        AccessKeySecret = $info.AccessKeySecret
        Process         = $process
        StartupMs       = $startupMs
        Stderr          = $stderr
    }
}

function Stop-TestEmulator {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Emulator)
    process {
        $p = $Emulator.Process
        if ($p -and -not $p.HasExited) {
            $p.Kill()
            $null = $p.WaitForExit(10000)
        }
    }
}

<#
.SYNOPSIS
    Calls a control endpoint: GET state|requests|jobs|faults|ratelimits, POST faults|ratelimits (with -Body) and reset.
#>
function Invoke-EmulatorControl {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [ValidateSet('requests', 'jobs', 'state', 'faults', 'ratelimits', 'reset')] [string] $Path,
        [hashtable] $Body
    )
    $uri = "$($Emulator.Endpoint)/_emulator/$Path"
    if ($Path -eq 'reset' -or $Body) {
        $json = if ($Body) { $Body | ConvertTo-Json -Depth 10 -Compress } else { '{}' }
        return Invoke-RestMethod -Method Post -Uri $uri -Body $json -ContentType 'application/json'
    }
    # Lists (requests, jobs) come out one item at a time; an empty list gives nothing.
    Invoke-RestMethod -Method Get -Uri $uri | ForEach-Object { $_ }
}

Export-ModuleMember -Function Start-TestEmulator, Stop-TestEmulator, Invoke-EmulatorControl
