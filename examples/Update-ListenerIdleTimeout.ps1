#Requires -Modules NlbTools
<#
.SYNOPSIS
    Runbook: sets the idle timeout and description of a region's TCP listeners, safely.

.DESCRIPTION
    1. Connects (a profile, the default credential chain, or the session's existing context).
    2. Lists the TCP listeners (optionally of one load balancer).
    3. Prechecks every change on the server with -WhatIf (DryRun): nothing changes yet. Listeners that fail
       the precheck are reported and left alone.
    4. Updates the idle timeout and the description of the others, and waits for all the jobs together.
       Only what differs is sent, so a second run changes nothing and starts no job.
    5. Prints a before/after table.
    6. Shows why UDP listeners are left out: the same timeout is rejected by per-protocol validation
       (UDP allows 10-20 seconds), before any request is sent.

    The exit code is 1 when a change that passed the precheck failed (or its job did), else 0, so cron and
    Task Scheduler can alert. Listeners that fail the precheck (for example a stopped listener) are reported
    as warnings and left unchanged.
    Works on Windows PowerShell 5.1 and PowerShell 7.

.EXAMPLE
    ./Update-ListenerIdleTimeout.ps1 -Profile prod -RegionId cn-hangzhou -IdleTimeout 300

.EXAMPLE
    ./Update-ListenerIdleTimeout.ps1 -RegionId cn-shanghai -LoadBalancerId nlb-wb7r6dlwetvt5j**** -IdleTimeout 120 -WhatIf
    Only the server-side precheck: nothing changes.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    # An aliyun CLI / credentials ini profile. Without it: the session's context, else the default chain.
    [string] $Profile,

    [Alias('Region')]
    [string] $RegionId,

    # Only the listeners of this load balancer.
    [string] $LoadBalancerId,

    [ValidateRange(10, 900)]
    [int] $IdleTimeout = 300,

    [ValidatePattern('^[\w.,;/@-]{2,256}$')]
    [string] $Description = "idle-timeout-$IdleTimeout",

    [int] $TimeoutSec = 600
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

function Write-Step([string] $Text) { Write-Host "`n== $Text" -ForegroundColor Cyan }

# The id of the listener an error record is about (the target is a listener object or an id string).
function Get-ErrorListenerId($ErrorRecord) {
    $target = $ErrorRecord.TargetObject
    if ($null -ne $target -and $target.PSObject.Properties['ListenerId']) { return [string]$target.ListenerId }
    return [string]$target
}

# 1. Connect ------------------------------------------------------------------------------------------------
Write-Step 'Connect'
$context = Get-NlbContext -WarningAction SilentlyContinue
if ($Profile -or -not $context.IsConnected) {
    $connect = @{}
    if ($Profile) { $connect.Profile = $Profile }
    if ($RegionId) { $connect.RegionId = $RegionId }
    $context = Connect-Nlb @connect
}
$regionArgs = @{}
if ($RegionId) { $regionArgs.RegionId = $RegionId }
Write-Host ("Account {0} via {1}, region {2}, endpoint {3}" -f $context.AccessKeyId, $context.CredentialSource,
    $(if ($RegionId) { $RegionId } else { $context.RegionId }), $context.Endpoint)

# 2. List the TCP listeners -------------------------------------------------------------------------------------
Write-Step 'TCP listeners'
$filter = @{ ListenerProtocol = 'TCP' }
if ($LoadBalancerId) { $filter.LoadBalancerId = $LoadBalancerId }
$before = @(Get-NlbListener @regionArgs @filter)
Write-Host "$($before.Count) TCP listener(s)."
if ($before.Count -eq 0) { return }

# 3. Precheck on the server ------------------------------------------------------------------------------------
Write-Step "Precheck (-WhatIf = DryRun on the server): IdleTimeout $IdleTimeout, description '$Description'"
$change = @{ IdleTimeout = $IdleTimeout; ListenerDescription = $Description }
$before | Set-NlbListenerAttribute @change -WhatIf -ErrorAction SilentlyContinue -ErrorVariable precheckErrors
$rejected = @{}
foreach ($e in $precheckErrors) { $rejected[(Get-ErrorListenerId $e)] = $e.FullyQualifiedErrorId.Split(',')[0] }
foreach ($id in $rejected.Keys) { Write-Warning "Precheck failed for ${id}: $($rejected[$id]); it is left unchanged." }
$ready = @($before | Where-Object { -not $rejected.ContainsKey($_.ListenerId) })
Write-Host "$($ready.Count) of $($before.Count) passed the precheck."
if ($WhatIfPreference -or $ready.Count -eq 0) { return }

# 4. Update and wait ---------------------------------------------------------------------------------------
Write-Step 'Update and wait for the jobs'
$jobs = @($ready | Set-NlbListenerAttribute @change -ErrorAction Continue -ErrorVariable updateErrors)
$done = @($jobs | Wait-NlbJob -TimeoutSec $TimeoutSec -ErrorAction Continue -ErrorVariable waitErrors)
# Only what differs is sent: a listener that already has the values gets no job (Status NoChange).
$unchanged = @($done | Where-Object Status -eq 'NoChange').Count
Write-Host "$(@($done | Where-Object Status -eq 'Succeeded').Count) of $($jobs.Count - $unchanged) job(s) succeeded; $unchanged listener(s) already had the values."

# 5. Before/after ---------------------------------------------------------------------------------------------
Write-Step 'Before / after'
$after = @{}
foreach ($l in (Get-NlbListener @regionArgs -ListenerId ($before | ForEach-Object ListenerId))) { $after[$l.ListenerId] = $l }
$before | ForEach-Object {
    $now = $after[$_.ListenerId]
    [pscustomobject]@{
        ListenerId = $_.ListenerId
        Port = if ($_.ListenerPort -eq 0 -and $_.StartPort) { "$($_.StartPort)-$($_.EndPort)" } else { $_.ListenerPort }
        Status = $now.ListenerStatus
        'IdleTimeout before' = $_.IdleTimeout
        'IdleTimeout after' = $now.IdleTimeout
        'Description before' = $_.ListenerDescription
        'Description after' = $now.ListenerDescription
    }
} | Format-Table -AutoSize | Out-String -Width 200 | ForEach-Object { Write-Host $_.Trim("`r`n") }

# 6. Why UDP listeners are left out ----------------------------------------------------------------------------
Write-Step "UDP listeners keep their timeout: $IdleTimeout s is out of range for UDP"
$udp = Get-NlbListener @regionArgs -ListenerProtocol UDP | Select-Object -First 1
if ($udp) {
    # -WhatIf as a second safety net; per-protocol validation rejects the change before anything is sent.
    $udp | Set-NlbListenerAttribute -IdleTimeout $IdleTimeout -WhatIf -ErrorAction SilentlyContinue -ErrorVariable udpErrors
    foreach ($e in $udpErrors) {
        Write-Host "$($udp.ListenerId): rejected before sending [$($e.FullyQualifiedErrorId.Split(',')[0]), $($e.CategoryInfo.Category)]" -ForegroundColor Yellow
        Write-Host "  $($e.Exception.Message)" -ForegroundColor Yellow
    }
}

# Listeners that failed the precheck were deliberately left alone (reported above); a change that passed the
# precheck and still failed is what makes the run fail.
$failed = @($updateErrors) + @($waitErrors)
if ($failed.Count -gt 0) {
    Write-Warning "$($failed.Count) update(s) failed after passing the precheck."
    exit 1
}
