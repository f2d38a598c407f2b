# Issue 15 items 1, 3 and 8 end to end: credential values with control characters are refused before anything is
# sent, a proxy from HTTP_PROXY is never used for the emulator on loopback, and Start-NlbEmulator never runs a
# dotnet planted in the current directory. (The hostile-endpoint cases live in the xunit Hostile tests.)
BeforeAll {
    Import-Module $env:NLBTOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:emu = Start-TestEmulator
    $script:secret = ConvertTo-SecureString $emu.AccessKeySecret -AsPlainText -Force
    $script:pwsh = @([Environment]::ProcessPath)
    $entry = [Reflection.Assembly]::GetEntryAssembly().Location
    if ($entry -and $entry.EndsWith('.dll')) { $script:pwsh += $entry }
}

AfterAll {
    Disconnect-Nlb
    $emu | Stop-TestEmulator
}

Describe 'Credential values with control characters (issue 15 item 3)' {
    It 'Connect-Nlb -AccessKeyId with CR/LF is refused, naming the field, and nothing is sent' {
        $before = @(Invoke-EmulatorControl $emu requests).Count
        $err = $null
        try { Connect-Nlb -AccessKeyId "$($emu.AccessKeyId)`r`nX-Injected: yes" -AccessKeySecret $secret -Endpoint $emu.Endpoint -RegionId cn-hangzhou }
        catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Be 'NlbCredentialsInvalidValue,NlbTools.Commands.ConnectNlbCommand'
        "$err" | Should -Match "The AccessKeyId from 'explicit' contains a control character \(U\+000D\)"
        "$err" | Should -Not -Match 'X-Injected'
        @(Invoke-EmulatorControl $emu requests).Count | Should -Be $before
        (Get-NlbContext -WarningAction SilentlyContinue).Endpoint | Should -Not -Be ([uri]$emu.Endpoint).AbsoluteUri
    }

    It 'Connect-Nlb -SecurityToken with an ESC is refused the same way' {
        $token = ConvertTo-SecureString "CAIS$([char]27)[2Jtoken" -AsPlainText -Force
        { Connect-Nlb -AccessKeyId $emu.AccessKeyId -AccessKeySecret $secret -SecurityToken $token -Endpoint $emu.Endpoint } |
            Should -Throw -ErrorId 'NlbCredentialsInvalidValue,NlbTools.Commands.ConnectNlbCommand'
    }
}

Describe 'Proxies (issue 15 item 1)' {
    It 'with HTTP_PROXY set to a loopback listener, calls to the emulator on loopback do not touch the proxy' {
        $proxy = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $proxy.Start()
        $proxyUri = "http://127.0.0.1:$(([System.Net.IPEndPoint]$proxy.LocalEndpoint).Port)"
        $file = Join-Path ([IO.Path]::GetTempPath()) "nlbtools-proxy-$([guid]::NewGuid().ToString('N')).ps1"
        Set-Content -Path $file -Value @'
Import-Module $args[0]
$secret = ConvertTo-SecureString $args[3] -AsPlainText -Force
Connect-Nlb -AccessKeyId $args[2] -AccessKeySecret $secret -Endpoint $args[1] -RegionId cn-hangzhou | Out-Null
@(Get-NlbRegion -ErrorAction Stop).Count
'@
        $saved = @{ HTTP_PROXY = $env:HTTP_PROXY; HTTPS_PROXY = $env:HTTPS_PROXY; ALL_PROXY = $env:ALL_PROXY; NO_PROXY = $env:NO_PROXY }
        try {
            $env:HTTP_PROXY = $proxyUri; $env:HTTPS_PROXY = $proxyUri; $env:ALL_PROXY = $proxyUri; $env:NO_PROXY = $null
            $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $file $env:NLBTOOLS_MODULE $emu.Endpoint $emu.AccessKeyId $emu.AccessKeySecret 2>&1
            $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
            [int]($output | Select-Object -Last 1) | Should -BeGreaterThan 0
            $proxy.Pending() | Should -BeFalse -Because 'no connection may reach the proxy'
        }
        finally {
            foreach ($k in $saved.Keys) { Set-Item "env:$k" -Value $saved[$k] -ErrorAction Ignore; if (-not $saved[$k]) { Remove-Item "env:$k" -ErrorAction Ignore } }
            $proxy.Stop()
            Remove-Item $file -ErrorAction Ignore
        }
    }
}

Describe 'Start-NlbEmulator and a planted dotnet (issue 15 item 8)' {
    It 'does not run a dotnet planted in the current directory, even with . first on PATH' -Skip:$IsWindows {
        $dir = Join-Path ([IO.Path]::GetTempPath()) "nlbtools-planted-$([guid]::NewGuid().ToString('N'))"
        $null = New-Item -ItemType Directory -Path $dir
        $marker = Join-Path $dir 'planted-ran'
        Set-Content -Path (Join-Path $dir 'dotnet') -Value "#!/bin/sh`ntouch '$marker'`nexit 1"
        chmod +x (Join-Path $dir 'dotnet')
        $savedPath = $env:PATH; $savedHost = $env:DOTNET_HOST_PATH
        Push-Location $dir
        [Environment]::CurrentDirectory = $dir
        try {
            $env:PATH = ".$([IO.Path]::PathSeparator)$savedPath"
            $env:DOTNET_HOST_PATH = $null
            $started = Start-NlbEmulator
            $started.Endpoint | Should -Match '^http://127\.0\.0\.1:\d+$'
            $started | Stop-NlbEmulator
            Test-Path $marker | Should -BeFalse
        }
        finally {
            $env:PATH = $savedPath; $env:DOTNET_HOST_PATH = $savedHost
            Pop-Location
            [Environment]::CurrentDirectory = (Get-Location -PSProvider FileSystem).ProviderPath
            Remove-Item $dir -Recurse -Force -ErrorAction Ignore
        }
    }
}
