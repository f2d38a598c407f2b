# build.ps1 Bench, figure 7: N updates piped through Set-NlbListenerAttribute into Wait-NlbJob against an emulator
# that enforces a quota on UpdateListenerAttribute (and one of its own on ListAsynJobs), with or without
# x-acs-retry-after on refusals. Runs in its own pwsh (a fresh session: no pacing learned yet); prints one JSON line.
param(
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [string] $Endpoint,
    [Parameter(Mandatory)] [string] $AccessKeyId,
    [Parameter(Mandatory)] [string] $AccessKeySecret,
    [Parameter(Mandatory)] [string] $RegionId,
    [Parameter(Mandatory)] [string] $RetryAfter,
    [double] $Rate = 10,
    [int] $Burst = 10,
    [double] $PollRate = 2
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
Import-Module $Module
$null = Connect-Nlb -AccessKeyId $AccessKeyId -AccessKeySecret (ConvertTo-SecureString $AccessKeySecret -AsPlainText -Force) -Endpoint $Endpoint -RegionId $RegionId

$targets = @(Get-NlbListener)
$limits = @{ Limits = @{ UpdateListenerAttribute = @{ Rate = $Rate; Burst = $Burst }; ListAsynJobs = @{ Rate = $PollRate } }; RetryAfter = [bool]::Parse($RetryAfter) }
$null = Invoke-RestMethod -Method Post -Uri "$Endpoint/_emulator/ratelimits" -Body ($limits | ConvertTo-Json -Depth 4) -ContentType 'application/json'

$errors = $null
$sw = [Diagnostics.Stopwatch]::StartNew()
$done = @($targets | Set-NlbListenerAttribute -IdleTimeout 303 -ErrorVariable +errors -ErrorAction SilentlyContinue | Wait-NlbJob -ErrorVariable +errors -ErrorAction SilentlyContinue)
$ms = $sw.Elapsed.TotalMilliseconds
$counts = (Invoke-RestMethod -Uri "$Endpoint/_emulator/ratelimits").Counts

[pscustomobject]@{
    Updates          = $targets.Count
    Succeeded        = @($done | Where-Object Status -EQ 'Succeeded').Count
    Errors           = @($errors).Count
    Ms               = $ms
    UpdatesAllowed   = $counts.UpdateListenerAttribute.Allowed
    UpdatesThrottled = $counts.UpdateListenerAttribute.Throttled
    PollsAllowed     = $counts.ListAsynJobs.Allowed
    PollsThrottled   = $counts.ListAsynJobs.Throttled
} | ConvertTo-Json -Compress
