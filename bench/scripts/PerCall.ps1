# build.ps1 Bench, figure 5: warm Get-NlbListener -ListenerId calls one after another, timed in blocks (the median
# block is reported, so one hiccup of a busy machine does not decide the figure). Prints one JSON line.
param(
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [string] $Endpoint,
    [Parameter(Mandatory)] [string] $AccessKeyId,
    [Parameter(Mandatory)] [string] $AccessKeySecret,
    [Parameter(Mandatory)] [string] $RegionId,
    [Parameter(Mandatory)] [string] $ListenerId,
    [int] $Calls = 300,
    [int] $Blocks = 5,
    [int] $Warmup = 30
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
Import-Module $Module
$null = Connect-Nlb -AccessKeyId $AccessKeyId -AccessKeySecret (ConvertTo-SecureString $AccessKeySecret -AsPlainText -Force) -Endpoint $Endpoint -RegionId $RegionId

for ($i = 0; $i -lt $Warmup; $i++) { $null = Get-NlbListener -ListenerId $ListenerId }
$perBlock = [Math]::Max(1, [int]($Calls / $Blocks))
$blockMs = foreach ($b in 1..$Blocks) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    for ($i = 0; $i -lt $perBlock; $i++) {
        $l = Get-NlbListener -ListenerId $ListenerId
        if ($l.ListenerId -ne $ListenerId) { throw "unexpected answer for $ListenerId" }
    }
    $sw.Elapsed.TotalMilliseconds / $perBlock
}
$sorted = @($blockMs | Sort-Object)
[pscustomobject]@{ Calls = $perBlock * $Blocks; MsPerCall = $sorted[[int][Math]::Floor($sorted.Count / 2)]; Blocks = $blockMs } | ConvertTo-Json -Compress
