# build.ps1 Bench, streaming: lists the first -Count listeners and reports this process's peak working set and the
# bytes it allocated. Run once per count in a fresh pwsh; prints one JSON line.
param(
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [string] $Endpoint,
    [Parameter(Mandatory)] [string] $AccessKeyId,
    [Parameter(Mandatory)] [string] $AccessKeySecret,
    [Parameter(Mandatory)] [string] $RegionId,
    [Parameter(Mandatory)] [int] $Count
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
Import-Module $Module
$null = Connect-Nlb -AccessKeyId $AccessKeyId -AccessKeySecret (ConvertTo-SecureString $AccessKeySecret -AsPlainText -Force) -Endpoint $Endpoint -RegionId $RegionId
$null = Get-NlbListener -PageSize 1 | Select-Object -First 1   # warm-up

$process = [Diagnostics.Process]::GetCurrentProcess()
$allocatedBefore = [GC]::GetTotalAllocatedBytes($true)
$sw = [Diagnostics.Stopwatch]::StartNew()
$seen = 0
Get-NlbListener | Select-Object -First $Count | ForEach-Object { $seen++ }
$ms = $sw.Elapsed.TotalMilliseconds
$allocated = [GC]::GetTotalAllocatedBytes($true) - $allocatedBefore
$process.Refresh()
[pscustomobject]@{
    Count          = $seen
    Ms             = $ms
    AllocatedBytes = $allocated
    PeakWorkingSet = $process.PeakWorkingSet64
    HeapAfter      = [GC]::GetTotalMemory($false)
} | ConvertTo-Json -Compress
