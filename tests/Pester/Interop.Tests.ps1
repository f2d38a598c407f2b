# The official npm client (@alicloud/openapi-client 0.4.15) against the staged emulator, V3 and V2 signatures.
# Needs node and npm; when the npm registry cannot be reached the test is SKIPPED with the reason, never passed.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:interopDir = Join-Path $env:NLBTOOLS_ROOT 'tests/Interop'
    $script:skipReason = $null

    function Test-InteropInstalled {
        $pkg = Join-Path $interopDir 'node_modules/@alicloud/openapi-client/package.json'
        (Test-Path $pkg) -and ((Get-Content $pkg -Raw | ConvertFrom-Json).version -eq '0.4.15')
    }

    $node = Get-Command node -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    $npm = Get-Command npm -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if (-not $node -or -not $npm) {
        $script:skipReason = 'node and npm are not installed on this machine'
    }
    elseif (-not (Test-InteropInstalled)) {
        Push-Location $interopDir
        try {
            $output = & $npm.Source ci --no-audit --no-fund 2>&1 | Out-String
            if ($LASTEXITCODE -ne 0) {
                $null = & $npm.Source ping 2>&1
                if ($LASTEXITCODE -ne 0) { $script:skipReason = "the npm registry cannot be reached (npm ci failed: $($output.Trim() -split "`n" | Select-Object -Last 1))" }
                else { throw "npm ci failed although the registry answers:`n$output" }
            }
        }
        finally { Pop-Location }
    }
}

Describe 'Official npm client interop' {
    It 'calls the emulator with V3 and V2 signatures: reads, UpdateListenerAttribute, wrong secret, replayed nonce' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        $emu = Start-TestEmulator -JobDurationMs 100
        try {
            $env:NLB_EMULATOR_ENDPOINT = $emu.Endpoint
            $env:NLB_EMULATOR_KEY_ID = $emu.AccessKeyId
            $env:NLB_EMULATOR_KEY_SECRET = $emu.AccessKeySecret
            $env:NLB_EMULATOR_STS = '1'
            $output = & node (Join-Path $interopDir 'interop.js') 2>&1 | Out-String
            $exit = $LASTEXITCODE
            Write-Host $output
            $output | Should -Match 'SUMMARY passed=(1[2-9]|[2-9]\d) failed=0'
            $exit | Should -Be 0
        }
        finally {
            Remove-Item Env:NLB_EMULATOR_* -ErrorAction Ignore
            $emu | Stop-TestEmulator
        }
    }
}
