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

    Context 'as a local service for one user (issue 15 items 10 and 12)' {
        BeforeAll {
            Import-Module $env:NLBTOOLS_MODULE -Force
            $script:emu = Start-TestEmulator -JobDurationMs 100
            $script:port = ([uri]$emu.Endpoint).Port
            # HTTP/1.1 by hand: Invoke-WebRequest will not send a Host other than the URI's.
            function script:Send-Raw([string] $Request) {
                $client = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $port)
                try {
                    $stream = $client.GetStream()
                    $bytes = [Text.Encoding]::ASCII.GetBytes($Request)
                    $stream.Write($bytes, 0, $bytes.Length)
                    $reader = [IO.StreamReader]::new($stream)
                    $text = $reader.ReadToEnd()
                    [pscustomobject]@{ Status = [int]$text.Substring(9, 3); Text = $text }
                }
                finally { $client.Dispose() }
            }
        }
        AfterAll { $script:emu | Stop-TestEmulator }

        It 'refuses a Host that is not 127.0.0.1:PORT or localhost:PORT on API, metadata and control routes' {
            foreach ($path in '/?Action=ListListeners&Version=2022-04-30', '/latest/meta-data/ram/security-credentials/', '/_emulator/state') {
                $r = Send-Raw "GET $path HTTP/1.1`r`nHost: rebound.example:$port`r`nConnection: close`r`n`r`n"
                $r.Status | Should -Be 403 -Because $path
                $r.Text | Should -Match '"Code":"Forbidden.Host"'
            }
            (Send-Raw "GET /_emulator/state HTTP/1.1`r`nHost: localhost:$port`r`nConnection: close`r`n`r`n").Status | Should -Be 200
        }

        It 'the module''s own calls pass the stricter checks (Host, signed Content-Type, exact x-acs-date)' {
            $secret = ConvertTo-SecureString $emu.AccessKeySecret -AsPlainText -Force
            Connect-Nlb -AccessKeyId $emu.AccessKeyId -AccessKeySecret $secret -Endpoint $emu.Endpoint -RegionId cn-hangzhou | Out-Null
            try {
                $job = Set-NlbListenerAttribute -ListenerId 'lsn-hzweb01@80' -IdleTimeout 333 -ErrorAction Stop | Wait-NlbJob -ErrorAction Stop
                $job.Status | Should -Be 'Succeeded'
                (Get-NlbListener -ListenerId 'lsn-hzweb01@80' -ErrorAction Stop).IdleTimeout | Should -Be 333
            }
            finally { Disconnect-Nlb }
        }

        It 'takes control POSTs as JSON only: a form or text/plain reset is refused and resets nothing' {
            $null = Invoke-WebRequest -Uri "$($emu.Endpoint)/?Action=DescribeRegions&Version=2022-04-30" -SkipHttpErrorCheck
            foreach ($type in 'text/plain', 'application/x-www-form-urlencoded') {
                $r = Invoke-WebRequest -Method Post -Uri "$($emu.Endpoint)/_emulator/reset" -ContentType $type -Body 'x=1' -SkipHttpErrorCheck
                $r.StatusCode | Should -Be 415
                ($r.Content | ConvertFrom-Json).Code | Should -Be 'UnsupportedMediaType'
            }
            @(Invoke-EmulatorControl -Emulator $emu -Path requests).Count | Should -BeGreaterThan 0 # the log survived: no reset ran
        }

        It 'logs an unsigned 1 MiB request without its parameter values' {
            $body = 'Action=UpdateListenerAttribute&Version=2022-04-30&ListenerDescription=' + ('d' * 1000000)
            $r = Invoke-WebRequest -Method Post -Uri "$($emu.Endpoint)/" -ContentType 'application/x-www-form-urlencoded' -Body $body -SkipHttpErrorCheck
            ($r.Content | ConvertFrom-Json).Code | Should -Be 'IncompleteSignature'
            $entry = @(Invoke-EmulatorControl -Emulator $emu -Path requests)[-1]
            $entry.ParametersOmitted | Should -BeTrue
            @($entry.Parameters.PSObject.Properties).Count | Should -Be 0
        }

        It 'documents the STS, OIDC and metadata routes as test conveniences, not a security boundary (item 11)' {
            foreach ($doc in 'src/NlbTools.Emulator/README.md', 'docs/en-US/about_NlbTools.md') {
                $text = (Get-Content (Join-Path $env:NLBTOOLS_ROOT $doc) -Raw) -replace '\s+', ' '
                $text | Should -Match 'test conveniences, not a security boundary' -Because "$doc warns whoever exposes the emulator"
                $text | Should -Match 'AssumeRoleWithOIDC`? accepts any well-formed JWT' -Because $doc
            }
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
