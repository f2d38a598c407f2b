# build.ps1 Bench, figures 1-3: one bulk update of every listener through the pipeline, then the same update one
# listener at a time on a sample. Runs in its own pwsh; prints one JSON line (the last line of stdout).
param(
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [string] $Endpoint,
    [Parameter(Mandatory)] [string] $AccessKeyId,
    [Parameter(Mandatory)] [string] $AccessKeySecret,
    [Parameter(Mandatory)] [string] $RegionId,
    [int] $ThrottleLimit = 8,
    [int] $SequentialSample = 30
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
Import-Module $Module
$null = Connect-Nlb -AccessKeyId $AccessKeyId -AccessKeySecret (ConvertTo-SecureString $AccessKeySecret -AsPlainText -Force) -Endpoint $Endpoint -RegionId $RegionId

# API requests the emulator has seen so far, by action (its request log is append-only).
function Get-RequestCount([string] $Action) {
    # Invoke-RestMethod writes a JSON array as one object: count its items, not the output.
    (Invoke-RestMethod -Uri "$Endpoint/_emulator/requests?action=$Action").Count
}
function Get-PollCount { (Get-RequestCount 'ListAsynJobs') + (Get-RequestCount 'GetJobStatus') }

# Warm-up (JIT, connection, credentials): one read and one waited update, outside every measurement.
$first = Get-NlbListener -PageSize 1 | Select-Object -First 1
$null = $first | Set-NlbListenerAttribute -IdleTimeout 299 | Wait-NlbJob

# 1. The pipeline: list, update concurrently, wait in batches.
$pollsBefore = Get-PollCount
$requestsBefore = (Invoke-RestMethod -Uri "$Endpoint/_emulator/requests").Count
$sw = [Diagnostics.Stopwatch]::StartNew()
$done = @(Get-NlbListener | Set-NlbListenerAttribute -IdleTimeout 301 -ThrottleLimit $ThrottleLimit | Wait-NlbJob)
$pipelineMs = $sw.Elapsed.TotalMilliseconds
$polls = (Get-PollCount) - $pollsBefore
$requests = (Invoke-RestMethod -Uri "$Endpoint/_emulator/requests").Count - $requestsBefore
$succeeded = @($done | Where-Object Status -EQ 'Succeeded').Count

# 2. One at a time, the way a plain foreach over a CLI does it: each update's job is waited for before the next.
$sample = @(Get-NlbListener | Select-Object -First $SequentialSample)
$sw.Restart()
$sequentialDone = 0
foreach ($listener in $sample) {
    $job = $listener | Set-NlbListenerAttribute -IdleTimeout 302 -ThrottleLimit 1 | Wait-NlbJob
    if ($job.Status -eq 'Succeeded') { $sequentialDone++ }
}
$sequentialMs = $sw.Elapsed.TotalMilliseconds

[pscustomobject]@{
    Listeners          = $done.Count
    Succeeded          = $succeeded
    PipelineMs         = $pipelineMs
    PollRequests       = $polls
    PipelineRequests   = $requests
    SampleSize         = $sample.Count
    SampleSucceeded    = $sequentialDone
    SequentialSampleMs = $sequentialMs
} | ConvertTo-Json -Compress
