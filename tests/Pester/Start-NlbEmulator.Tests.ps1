# Start-NlbEmulator / Stop-NlbEmulator: the bundled emulator as a child process.
BeforeAll {
    Import-Module $env:NLBTOOLS_MODULE -Force
    # Get-NlbContext without a connection asks the default chain: keep its ECS source off the network.
    $script:SavedMetadataEndpoint = $env:NLBTOOLS_ECS_METADATA_ENDPOINT
    if (-not $env:NLBTOOLS_ECS_METADATA_ENDPOINT) { $env:NLBTOOLS_ECS_METADATA_ENDPOINT = 'http://127.0.0.1:9/' }
}

AfterAll {
    $env:NLBTOOLS_ECS_METADATA_ENDPOINT = $SavedMetadataEndpoint
    Stop-NlbEmulator -ErrorAction SilentlyContinue
    Disconnect-Nlb
}

Describe 'Start-NlbEmulator and Stop-NlbEmulator' {
    It 'starts the emulator, connects to it, and stops it' {
        $emu = Start-NlbEmulator -Connect -JobDurationMs 200
        $emu | Should -BeOfType NlbTools.NlbEmulatorInfo
        $emu.Endpoint | Should -Match '^http://127\.0\.0\.1:\d+$'
        $emu.AccessKeyId | Should -Not -BeNullOrEmpty
        $process = Get-Process -Id $emu.ProcessId
        $process | Should -Not -BeNullOrEmpty

        (Get-NlbContext).CredentialSource | Should -Be 'emulator'
        (Get-NlbContext).Endpoint | Should -Be ([uri]$emu.Endpoint).AbsoluteUri
        $listeners = @(Get-NlbListener)
        $listeners.Count | Should -BeGreaterThan 0
        (Set-NlbListenerAttribute -ListenerId $listeners[0].ListenerId -ListenerDescription 'emulated' | Wait-NlbJob).Status | Should -Be 'Succeeded'

        $emu | Stop-NlbEmulator
        $process.WaitForExit(10000) | Should -BeTrue
        (Get-NlbContext -WarningAction SilentlyContinue).IsConnected | Should -BeFalse
    }

    It 'seeds from -StatePath' {
        $state = @{
            AccessKeys    = @(@{ AccessKeyId = 'LTAI5tPesterStateKey1'; AccessKeySecret = 'PesterStateSecret0000000000000' })
            Regions       = @(@{ RegionId = 'eu-central-1' })
            LoadBalancers = @(@{ LoadBalancerId = 'nlb-eu1'; RegionId = 'eu-central-1'; VpcId = 'vpc-eu' })
            ServerGroups  = @(@{ ServerGroupId = 'sgp-eu1'; RegionId = 'eu-central-1'; VpcId = 'vpc-eu'; Protocol = 'TCP' })
            Listeners     = @(@{ ListenerId = 'lsn-eu1@80'; LoadBalancerId = 'nlb-eu1'; ListenerProtocol = 'TCP'; ListenerPort = 80; ServerGroupId = 'sgp-eu1' })
        }
        $path = Join-Path $TestDrive 'state.json'
        $state | ConvertTo-Json -Depth 10 | Set-Content $path
        $emu = Start-NlbEmulator -StatePath $path -Connect
        try {
            $emu.AccessKeyId | Should -Be 'LTAI5tPesterStateKey1'
            (Get-NlbContext).RegionId | Should -Be 'eu-central-1'
            (Get-NlbListener).ListenerId | Should -Be 'lsn-eu1@80'
        }
        finally { Stop-NlbEmulator -ProcessId $emu.ProcessId }
    }

    It 'Stop-NlbEmulator with no arguments stops every emulator this session started' {
        $a = Start-NlbEmulator
        $b = Start-NlbEmulator
        Stop-NlbEmulator
        (Get-Process -Id $a.ProcessId -ErrorAction SilentlyContinue) | Where-Object { -not $_.HasExited } | Should -BeNullOrEmpty
        (Get-Process -Id $b.ProcessId -ErrorAction SilentlyContinue) | Where-Object { -not $_.HasExited } | Should -BeNullOrEmpty
    }

    It 'a missing state file is a terminating error' {
        { Start-NlbEmulator -StatePath (Join-Path $TestDrive 'nope.json') } | Should -Throw -ErrorId 'NlbEmulatorStateNotFound,NlbTools.Commands.StartNlbEmulatorCommand'
    }
}
