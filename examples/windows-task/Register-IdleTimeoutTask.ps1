#Requires -RunAsAdministrator
#Requires -Modules ScheduledTasks
<#
.SYNOPSIS
    Registers a weekly Windows scheduled task that runs the NlbTools idle-timeout runbook.

.DESCRIPTION
    The task runs Invoke-IdleTimeoutRunbook.ps1 (transcript + exit code) with pwsh.exe if PowerShell 7 is installed,
    else with Windows PowerShell 5.1. It runs as a service account, whether or not it is logged on, never
    overlaps with itself, and is stopped after -TimeLimit.

    Credentials: put an aliyun CLI profile (%USERPROFILE%\.aliyun\config.json) or a credentials ini file
    (%USERPROFILE%\.alibabacloud\credentials) in the service account's profile, readable only by that account,
    and pass its name with -Profile. Or leave -Profile empty to use the default chain (environment variables).

.EXAMPLE
    ./Register-IdleTimeoutTask.ps1 -Credential (Get-Credential CONTOSO\svc-nlb) -Profile prod -RegionId cn-hangzhou
#>
param(
    [Parameter(Mandatory)] [pscredential] $Credential,
    [string] $Profile,
    [Parameter(Mandatory)] [string] $RegionId,
    [int] $IdleTimeout = 300,
    [string] $TaskName = 'NlbTools - TCP listener idle timeout',
    [DayOfWeek] $DayOfWeek = 'Monday',
    [datetime] $At = '03:15',
    [timespan] $TimeLimit = (New-TimeSpan -Hours 1)
)

$shell = Get-Command pwsh.exe -ErrorAction SilentlyContinue
if (-not $shell) { $shell = Get-Command powershell.exe }
$wrapper = Join-Path $PSScriptRoot 'Invoke-IdleTimeoutRunbook.ps1'
# Every value quoted for the Windows command-line rules: a profile or path with a space or a quote arrives intact.
. (Join-Path $PSScriptRoot 'TaskArguments.ps1')
$arguments = New-IdleTimeoutTaskArgument -Wrapper $wrapper -RegionId $RegionId -IdleTimeout $IdleTimeout -Profile $Profile

$action = New-ScheduledTaskAction -Execute $shell.Source -Argument $arguments -WorkingDirectory $PSScriptRoot
$trigger = New-ScheduledTaskTrigger -Weekly -DaysOfWeek $DayOfWeek -At $At
$settings = New-ScheduledTaskSettingsSet -MultipleInstances IgnoreNew -ExecutionTimeLimit $TimeLimit -StartWhenAvailable
Register-ScheduledTask -TaskName $TaskName -Description 'Sets the idle timeout of the TCP listeners (examples/Update-ListenerIdleTimeout.ps1).' `
    -Action $action -Trigger $trigger -Settings $settings -RunLevel Limited `
    -User $Credential.UserName -Password $Credential.GetNetworkCredential().Password
