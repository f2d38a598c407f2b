# build.ps1 Bench, figure 5: warm Get-NlbListener -ListenerId calls one after another. Prints one JSON line.
param(
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [string] $Endpoint,
    [Parameter(Mandatory)] [string] $AccessKeyId,
    [Parameter(Mandatory)] [string] $AccessKeySecret,
    [Parameter(Mandatory)] [string] $RegionId,
    [Parameter(Mandatory)] [string] $ListenerId,
    [int] $Calls = 300,
    [int] $Warmup = 30
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
Import-Module $Module
$null = Connect-Nlb -AccessKeyId $AccessKeyId -AccessKeySecret (ConvertTo-SecureString $AccessKeySecret -AsPlainText -Force) -Endpoint $Endpoint -RegionId $RegionId

for ($i = 0; $i -lt $Warmup; $i++) { $null = Get-NlbListener -ListenerId $ListenerId }
$sw = [Diagnostics.Stopwatch]::StartNew()
for ($i = 0; $i -lt $Calls; $i++) {
    $l = Get-NlbListener -ListenerId $ListenerId
    if ($l.ListenerId -ne $ListenerId) { throw "unexpected answer for $ListenerId" }
}
$ms = $sw.Elapsed.TotalMilliseconds
[pscustomobject]@{ Calls = $Calls; TotalMs = $ms; MsPerCall = $ms / $Calls } | ConvertTo-Json -Compress
