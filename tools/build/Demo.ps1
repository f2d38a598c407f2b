# build.ps1 Demo: the README's first command. Builds, starts the bundled emulator, runs the sample runbook
# examples/Update-ListenerIdleTimeout.ps1 against it, stops the emulator, and exits 0 only if all of that worked.

$script:DemoDriver = @'
param($ManifestPath, $Runbook)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'   # as in most automation; the runbook prints its own steps
Import-Module $ManifestPath
$emulator = Start-NlbEmulator -JobDurationMs 1000 -Connect
Write-Host "NLB emulator on $($emulator.Endpoint) (process $($emulator.ProcessId)), seeded with its demo state." -ForegroundColor Green
$code = 1
try {
    $global:LASTEXITCODE = 0
    & $Runbook -IdleTimeout 300
    $code = $LASTEXITCODE
} finally {
    Stop-NlbEmulator
    Write-Host "`nEmulator stopped." -ForegroundColor Green
}
exit $code
'@

function Invoke-Demo {
    Invoke-Build
    $driver = Join-Path $Out 'demo-driver.ps1'
    Set-Content -LiteralPath $driver -Value $DemoDriver
    $pwsh = Get-PwshCommand
    # A fresh pwsh, as a user would have: only the staged module, no profile.
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $driver `
        -ManifestPath (Join-Path $ModuleOut 'NlbTools.psd1') -Runbook (Join-Path $Root 'examples/Update-ListenerIdleTimeout.ps1') | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "The demo failed (exit code $LASTEXITCODE)." }
    Write-Host "`nDemo finished." -ForegroundColor Green
}
