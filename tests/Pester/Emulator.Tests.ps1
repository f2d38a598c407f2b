BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
}

Describe 'NlbTools.Emulator (staged)' {
    Context 'started with the demo state' {
        BeforeAll { $script:emu = Start-TestEmulator -JobDurationMs 100 }
        AfterAll { $script:emu | Stop-TestEmulator }

        It 'prints {Endpoint, AccessKeyId, AccessKeySecret} on a loopback port within 3 s' {
            $emu.Endpoint | Should -Match '^http://127\.0\.0\.1:\d+$'
            $emu.AccessKeyId | Should -Not -BeNullOrEmpty
            $emu.AccessKeySecret | Should -Not -BeNullOrEmpty
            Write-Host "    emulator JSON line after $($emu.StartupMs) ms"
            $emu.StartupMs | Should -BeLessThan 3000
        }

        It 'serves the demo state on /_emulator/state with the secrets masked' {
            $state = Invoke-EmulatorControl -Emulator $emu -Path state
            $state.Regions.RegionId | Should -Contain 'cn-shanghai'
            @($state.Listeners).Count | Should -BeGreaterOrEqual 12
            $state.Listeners.ListenerProtocol | Sort-Object -Unique | Should -Be @('TCP', 'TCPSSL', 'UDP')
            $state.AccessKeys.AccessKeySecret | Should -Not -Contain $emu.AccessKeySecret
        }

        # Pwsh7Only: Invoke-WebRequest -SkipHttpErrorCheck is PowerShell 7+ (tools/ci/Test-Desktop.ps1 lists the reason).
        It 'answers an unsigned call with a JSON error and logs it without secrets' -Tag 'Pwsh7Only' {
            $response = Invoke-WebRequest -Uri "$($emu.Endpoint)/?Action=ListListeners&Version=2022-04-30" -SkipHttpErrorCheck
            $response.StatusCode | Should -Be 400
            $answer = $response.Content | ConvertFrom-Json
            $answer.Code | Should -Be 'IncompleteSignature'
            $answer.RequestId | Should -Be $response.Headers['x-acs-request-id'][0]
            $log = @(Invoke-EmulatorControl -Emulator $emu -Path requests)
            $log[-1].Action | Should -Be 'ListListeners'
            $log[-1].Code | Should -Be 'IncompleteSignature'
        }

        It 'sets faults and resets back to the seed' {
            $set = Invoke-EmulatorControl -Emulator $emu -Path faults -Body @{ Rate = 0.5; Codes = @('SystemBusy'); Seed = 7 }
            $set.Rate | Should -Be 0.5
            $null = Invoke-EmulatorControl -Emulator $emu -Path reset
            (Invoke-EmulatorControl -Emulator $emu -Path faults).Rate | Should -Be 0
            (Invoke-EmulatorControl -Emulator $emu -Path requests | Measure-Object).Count | Should -Be 0
        }
    }

    It 'exits with an error naming the problem when the state file is malformed' {
        $bad = Join-Path $TestDrive 'bad-state.json'
        Set-Content $bad '{"AccessKeys": [ {"AccessKeyId": "a"'
        { Start-TestEmulator -StatePath $bad -TimeoutSeconds 15 } | Should -Throw '*exit code 2*not a valid state document*'
    }

    It 'exits when its --parent-pid process exits' {
        $sleeper = Start-Process -FilePath (Get-Command sleep -ErrorAction Ignore).Source -ArgumentList 60 -PassThru -ErrorAction Ignore
        if (-not $sleeper) { Set-ItResult -Skipped -Because 'no sleep command on this system'; return }
        try {
            $emu = Start-TestEmulator -ExtraArgs @('--parent-pid', "$($sleeper.Id)")
            $sleeper.Kill()
            $emu.Process.WaitForExit(10000) | Should -BeTrue
        }
        finally {
            if (-not $sleeper.HasExited) { $sleeper.Kill() }
            if ($emu) { $emu | Stop-TestEmulator }
        }
    }
}
