<#
.SYNOPSIS
    What the scheduled task runs: the runbook Update-ListenerIdleTimeout.ps1 inside a transcript, with its exit code.

.DESCRIPTION
    Task Scheduler shows only the exit code ("Last Run Result"), so everything the runbook prints goes to a dated
    transcript under -LogDirectory, and the runbook's exit code (0 = every listener updated) becomes the task's.
    Works with Windows PowerShell 5.1 (powershell.exe) and PowerShell 7 (pwsh.exe).
#>
param(
    [string] $Profile,
    [Parameter(Mandatory)] [string] $RegionId,
    [int] $IdleTimeout = 300,
    [string] $LogDirectory = (Join-Path $env:ProgramData 'NlbTools\logs')
)

$null = New-Item -ItemType Directory -Force -Path $LogDirectory
$transcript = Join-Path $LogDirectory ("idle-timeout-{0:yyyy-MM-dd-HHmm}.log" -f (Get-Date))
Start-Transcript -Path $transcript | Out-Null
$code = 1
try {
    $runbookArgs = @{ RegionId = $RegionId; IdleTimeout = $IdleTimeout }
    if ($Profile) { $runbookArgs.Profile = $Profile }
    $global:LASTEXITCODE = 0
    & (Join-Path $PSScriptRoot '..\Update-ListenerIdleTimeout.ps1') @runbookArgs
    $code = $LASTEXITCODE
} catch {
    Write-Error $_ -ErrorAction Continue
    $code = 2
} finally {
    Stop-Transcript | Out-Null
    # Keep 90 days of logs.
    Get-ChildItem $LogDirectory -Filter 'idle-timeout-*.log' | Where-Object LastWriteTime -lt (Get-Date).AddDays(-90) | Remove-Item
}
exit $code
