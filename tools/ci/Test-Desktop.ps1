<#
.SYNOPSIS
    Runs the Pester suite on Windows PowerShell 5.1 (powershell.exe) against the module staged in out/NlbTools.
.DESCRIPTION
    For the GitHub workflow's Windows PowerShell job, after `dotnet pwsh ./build.ps1 Build` has staged the module
    (and the emulator, which runs on the .NET 10 runtime). Pester 5.7.1 comes from the NuGet cache, fetched by
    tools/Dependencies the same way build.ps1 Test fetches it. Tests that need what 5.1 lacks are left out, each with
    its reason, printed before the run. Ends with "N passed, N failed, N skipped" and exit code 1 on any failure.
    This file must itself run under 5.1: no PowerShell 7 syntax, ASCII only (the syntax test checks both).
.EXAMPLE
    powershell.exe -NoProfile -ExecutionPolicy Bypass -File tools/ci/Test-Desktop.ps1
#>
[CmdletBinding()]
param(
    # Restrict the run to these test files or folders (default: tests/Pester and the examples' tests); commas split.
    [string[]] $Path
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$PesterVersion = '5.7.1'
# Full paths with the platform's separator: Pester's ExcludePath compares them with the discovered files as text.
$ModuleManifest = [System.IO.Path]::GetFullPath((Join-Path $Root 'out/NlbTools/NlbTools.psd1'))

# Left out on 5.1, and why. Whole files go to ExcludePath; a block inside a file carries -Tag 'Pwsh7Only'.
$Pwsh7Only = @(
    [pscustomobject]@{ Test = 'tests/Pester/ImportCost.Tests.ps1'; Reason = 'measures the start-up and Import-Module cost of a fresh pwsh ([Environment]::ProcessPath is .NET 6+); the pwsh jobs measure it' }
    [pscustomobject]@{ Test = 'tests/Pester/Package.Tests.ps1'; Reason = 'installs the package with PSResourceGet, which ships with PowerShell 7.4+, in a fresh pwsh' }
    [pscustomobject]@{ Test = 'tests/Pester/Interop.Tests.ps1'; Reason = 'the official npm client (node) against the emulator: no Windows PowerShell in it; the pwsh jobs run it' }
    [pscustomobject]@{ Test = 'tests/Pester/Runspaces.Tests.ps1'; Reason = 'tests ForEach-Object -Parallel (PowerShell 7 only) sharing the connection across runspaces; the pwsh jobs run it' }
    [pscustomobject]@{ Test = "tag 'Pwsh7Only'"; Reason = 'build tooling (the docs drift check dot-sources tools/build/Docs.ps1, which runs under pwsh in build.ps1) and pwsh-only cmdlet parameters such as Invoke-WebRequest -SkipHttpErrorCheck' }
)

if ($PSVersionTable.PSEdition -ne 'Desktop') { Write-Warning "This is PowerShell $($PSVersionTable.PSVersion) ($($PSVersionTable.PSEdition)); the script is meant for Windows PowerShell 5.1." }
if (-not (Test-Path $ModuleManifest)) { throw "The staged module is missing: $ModuleManifest. Run 'dotnet pwsh ./build.ps1 Build' first." }

# Pester 5 from the NuGet cache (the PowerShell Gallery is not used), restored on demand like build.ps1 does.
$packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
$pester = Join-Path $packages "pester/$PesterVersion/tools/Pester.psd1"
if (-not (Test-Path $pester)) {
    & dotnet restore (Join-Path $Root 'tools/Dependencies/Dependencies.csproj') --nologo -v quiet
    if ($LASTEXITCODE -ne 0) { throw "dotnet restore (Pester) failed (exit code $LASTEXITCODE)." }
}
if (-not (Test-Path $pester)) { throw "Pester $PesterVersion was not found at $pester after restore." }
Import-Module $pester -RequiredVersion $PesterVersion -Force

# What build.ps1 Test sets for the suite: the staged module, the repository, and no real ECS metadata address.
$env:NLBTOOLS_MODULE = $ModuleManifest
$env:NLBTOOLS_ROOT = $Root
$env:NLBTOOLS_ECS_METADATA_ENDPOINT = 'http://127.0.0.1:9/'

# PowerShell 6+ defines these; 5.1 runs only on Windows on .NET Framework, so give them the values they would have.
foreach ($pair in @(@('IsWindows', $true), @('IsLinux', $false), @('IsMacOS', $false), @('IsCoreCLR', $false))) {
    if (-not (Get-Variable -Name $pair[0] -Scope Global -ErrorAction SilentlyContinue)) { Set-Variable -Name $pair[0] -Value $pair[1] -Scope Global }
}
# 5.1's Invoke-WebRequest parses HTML with Internet Explorer unless told not to, and fails where IE was never set up.
$global:PSDefaultParameterValues['Invoke-WebRequest:UseBasicParsing'] = $true

# -File hands over one string, so a comma-separated list arrives whole (as with build.ps1 -PesterPath).
$paths = if ($Path) { @($Path | ForEach-Object { $_ -split ',' } | ForEach-Object { (Resolve-Path $_.Trim()).Path }) }
         else { @([System.IO.Path]::GetFullPath((Join-Path $Root 'tests/Pester'))) + @(Get-ChildItem (Join-Path $Root 'examples') -Filter '*.Tests.ps1' -Recurse | ForEach-Object { $_.FullName }) }

Write-Host "PowerShell $($PSVersionTable.PSVersion) ($($PSVersionTable.PSEdition)), CLR $([Environment]::Version), Pester $PesterVersion"
Write-Host 'Left out on Windows PowerShell 5.1:'
foreach ($item in $Pwsh7Only) { Write-Host "  - $($item.Test): $($item.Reason)" }

$config = New-PesterConfiguration
$config.Run.Path = [string[]] $paths
$config.Run.ExcludePath = [string[]] @($Pwsh7Only | Where-Object { $_.Test -like '*.ps1' } | ForEach-Object { [System.IO.Path]::GetFullPath((Join-Path $Root $_.Test)) })
$config.Run.PassThru = $true
$config.Filter.ExcludeTag = 'Pwsh7Only'
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$resultDir = Join-Path $Root 'out/TestResults'
$null = New-Item -ItemType Directory -Force -Path $resultDir
$config.TestResult.OutputPath = Join-Path $resultDir 'pester-desktop.xml'

$result = Invoke-Pester -Configuration $config
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
Write-Host ''
Write-Host "$($result.PassedCount) passed, $failed failed, $($result.SkippedCount + $result.NotRunCount) skipped"
if ($failed -gt 0 -or $result.PassedCount -eq 0) { exit 1 }
exit 0
