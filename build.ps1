#!/usr/bin/env pwsh
<#
.SYNOPSIS
    The one entry point: Build, Test, Docs, Package, Demo, Bench.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test
.EXAMPLE
    dotnet pwsh ./build.ps1 Test -Suite Pester -PesterPath tests/Pester/Get-NlbListener.Tests.ps1
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Docs', 'Package', 'Demo', 'Bench')]
    [string[]] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    # Test only: which suites to run (default all). 'Dotnet' = every xunit project, 'Pester' = tests/Pester and examples.
    [ValidateSet('Dotnet', 'Pester')]
    [string[]] $Suite = @('Dotnet', 'Pester'),

    # Test only: restrict Pester to these paths (an array, or one comma-separated string as a shell passes it).
    [string[]] $PesterPath,

    # Test only: a dotnet test --filter expression for the xunit projects.
    [string] $DotnetFilter
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'NlbTools'
$PesterVersion = '5.7.1'

# The pwsh running this script (dotnet pwsh on a fresh machine), reused for child processes.
function Get-PwshCommand {
    $entry = [System.Reflection.Assembly]::GetEntryAssembly().Location
    if ($entry -and $entry.EndsWith('.dll')) { return @([Environment]::ProcessPath, $entry) }
    return @([Environment]::ProcessPath)
}

function Invoke-Native {
    param([string] $What, [scriptblock] $Command)
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)." }
}

function Get-ModuleVersion {
    [xml] $props = Get-Content (Join-Path $Root 'Directory.Build.props') -Raw
    return ($props.Project.PropertyGroup | Where-Object { $_['Version'] } | Select-Object -First 1).Version
}

function Invoke-Build {
    $version = Get-ModuleVersion
    Write-Host "Building NlbTools $version ($Configuration)" -ForegroundColor Cyan
    $publish = Join-Path $Out 'publish'
    Invoke-Native 'dotnet publish NlbTools' { dotnet publish (Join-Path $Root 'src/NlbTools/NlbTools.csproj') -c $Configuration -o (Join-Path $publish 'module') --nologo -v quiet }
    Invoke-Native 'dotnet publish NlbTools.Emulator' { dotnet publish (Join-Path $Root 'src/NlbTools.Emulator/NlbTools.Emulator.csproj') -c $Configuration -o (Join-Path $publish 'emulator') --nologo -v quiet }

    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $ModuleOut, (Join-Path $ModuleOut 'en-US')

    # The shipped payload is an allow-list, never "whatever landed in bin".
    foreach ($file in 'NlbTools.dll', 'NlbTools.pdb', 'NlbTools.Client.dll', 'NlbTools.Client.pdb', 'Newtonsoft.Json.dll') {
        $source = Join-Path $publish "module/$file"
        if (-not (Test-Path $source)) { throw "Build output is missing $file." }
        Copy-Item $source $ModuleOut
    }
    Copy-Item (Join-Path $Root 'src/NlbTools/NlbTools.Format.ps1xml') $ModuleOut
    Copy-Item (Join-Path $publish 'emulator') (Join-Path $ModuleOut 'emulator') -Recurse
    foreach ($file in 'LICENSE', 'README.md') {
        if (Test-Path (Join-Path $Root $file)) { Copy-Item (Join-Path $Root $file) $ModuleOut }
    }

    $manifest = Get-Content (Join-Path $Root 'NlbTools.psd1') -Raw
    $manifest = $manifest -replace "ModuleVersion(\s*)=(\s*)'[^']*'", "ModuleVersion`$1=`$2'$version'"
    Set-Content -Path (Join-Path $ModuleOut 'NlbTools.psd1') -Value $manifest -Encoding utf8NoBOM

    if (Get-Command Invoke-Docs -ErrorAction Ignore) { Invoke-Docs }
    Write-Host "Staged $ModuleOut" -ForegroundColor Green
}

function Get-TrxCounts([string] $TrxPath) {
    [xml] $trx = Get-Content $TrxPath -Raw
    $c = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{ Total = [int]$c.total; Passed = [int]$c.passed; Failed = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted; Skipped = [int]$c.notExecuted }
}

function Invoke-DotnetTests {
    $results = Join-Path $Out 'TestResults'
    $totals = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($project in Get-ChildItem (Join-Path $Root 'tests') -Filter '*.Tests.csproj' -Recurse | Sort-Object Name) {
        $name = $project.BaseName
        $trx = Join-Path $results "$name.trx"
        if (Test-Path $trx) { Remove-Item $trx }
        Write-Host "`n== dotnet test $name" -ForegroundColor Cyan
        $testArgs = @('test', $project.FullName, '-c', $Configuration, '--nologo', '--logger', "trx;LogFileName=$name.trx", '--results-directory', $results)
        if ($DotnetFilter) { $testArgs += @('--filter', $DotnetFilter) }
        & dotnet @testArgs | Out-Host
        $exit = $LASTEXITCODE
        if (-not (Test-Path $trx)) {
            Write-Host "$name produced no results (exit code $exit)." -ForegroundColor Red
            $totals.Failed++
            continue
        }
        $counts = Get-TrxCounts $trx
        if ($exit -ne 0 -and $counts.Failed -eq 0) { $counts.Failed = 1 }
        $totals.Passed += $counts.Passed; $totals.Failed += $counts.Failed; $totals.Skipped += $counts.Skipped
    }
    return $totals
}

function Get-PesterModulePath {
    $path = Join-Path ([Environment]::GetFolderPath('UserProfile')) ".nuget/packages/pester/$PesterVersion/tools/Pester.psd1"
    if ($env:NUGET_PACKAGES) { $path = Join-Path $env:NUGET_PACKAGES "pester/$PesterVersion/tools/Pester.psd1" }
    if (-not (Test-Path $path)) {
        Invoke-Native 'dotnet restore (Pester)' { dotnet restore (Join-Path $Root 'tools/Dependencies/Dependencies.csproj') --nologo -v quiet }
    }
    if (-not (Test-Path $path)) { throw "Pester $PesterVersion was not found at $path after restore." }
    return $path
}

function Invoke-PesterTests {
    $pester = Get-PesterModulePath
    $paths = if ($PesterPath) { $PesterPath | ForEach-Object { $_ -split "," } | ForEach-Object { (Resolve-Path $_.Trim()).Path } }
             else { @(Join-Path $Root 'tests/Pester') + @(Get-ChildItem (Join-Path $Root 'examples') -Filter '*.Tests.ps1' -Recurse -ErrorAction Ignore | ForEach-Object FullName) }
    $summary = Join-Path $Out 'TestResults/pester-summary.json'
    $null = New-Item -ItemType Directory -Force -Path (Split-Path $summary)
    if (Test-Path $summary) { Remove-Item $summary }
    $runner = @'
param($PesterPath, $Paths, $Summary, $ResultXml)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -RequiredVersion 5.7.1
$config = New-PesterConfiguration
# -File passes one string per parameter, so the paths arrive joined by the path separator.
$config.Run.Path = $Paths -split [System.IO.Path]::PathSeparator
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = $ResultXml
$result = Invoke-Pester -Configuration $config
@{ Passed = $result.PassedCount; Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount; Skipped = $result.SkippedCount + $result.NotRunCount } |
    ConvertTo-Json | Set-Content $Summary
'@
    $runnerPath = Join-Path $Out 'TestResults/run-pester.ps1'
    Set-Content -Path $runnerPath -Value $runner
    Write-Host "`n== Pester" -ForegroundColor Cyan
    # A child pwsh that sees only the staged module (tests import it by path from NLBTOOLS_MODULE).
    $env:NLBTOOLS_MODULE = Join-Path $ModuleOut 'NlbTools.psd1'
    $env:NLBTOOLS_ROOT = $Root
    $pwsh = Get-PwshCommand
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $runnerPath -PesterPath $pester -Paths ($paths -join [System.IO.Path]::PathSeparator) -Summary $summary -ResultXml (Join-Path $Out 'TestResults/pester.xml') | Out-Host
    if (-not (Test-Path $summary)) { return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    $s = Get-Content $summary -Raw | ConvertFrom-Json
    return [pscustomobject]@{ Passed = [int]$s.Passed; Failed = [int]$s.Failed; Skipped = [int]$s.Skipped }
}

function Invoke-Test {
    Invoke-Build
    # Tests never reach the real ECS metadata address (100.100.100.200): the default chain's ECS source asks this
    # closed loopback port instead. Tests of that source point the variable at an emulator.
    $env:NLBTOOLS_ECS_METADATA_ENDPOINT = 'http://127.0.0.1:9/'
    $all = @()
    if ('Dotnet' -in $Suite) { $all += Invoke-DotnetTests }
    if ('Pester' -in $Suite) { $all += Invoke-PesterTests }
    $passed = ($all | Measure-Object Passed -Sum).Sum
    $failed = ($all | Measure-Object Failed -Sum).Sum
    $skipped = ($all | Measure-Object Skipped -Sum).Sum
    Write-Host ''
    if ($passed + $failed -eq 0) { Write-Host 'No test ran.' -ForegroundColor Red; $failed = [Math]::Max($failed, 0) }
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

# Docs, Package, Demo and Bench live in tools/build/<Task>.ps1, each defining Invoke-<Task>.
foreach ($taskFile in Get-ChildItem (Join-Path $Root 'tools/build') -Filter '*.ps1' -ErrorAction Ignore) { . $taskFile.FullName }

foreach ($t in $Task) {
    switch ($t) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        default {
            $fn = "Invoke-$t"
            if ($t -eq 'Demo' -and -not (Get-Command $fn -ErrorAction Ignore)) { Invoke-Build; continue }
            if (-not (Get-Command $fn -ErrorAction Ignore)) { throw "Task $t is not implemented yet." }
            & $fn
        }
    }
}
exit 0
