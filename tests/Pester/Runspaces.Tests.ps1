# Several runspaces in one process (ForEach-Object -Parallel, thread jobs, [powershell]::Create()): one context for
# the process, as in Az; clients shared by reference count; each runspace's emulators are its own.
BeforeAll {
    Import-Module $env:NLBTOOLS_MODULE -Force
    $script:SavedMetadataEndpoint = $env:NLBTOOLS_ECS_METADATA_ENDPOINT
    if (-not $env:NLBTOOLS_ECS_METADATA_ENDPOINT) { $env:NLBTOOLS_ECS_METADATA_ENDPOINT = 'http://127.0.0.1:9/' }
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    # Each request takes 150 ms, so a listing page by page is still in flight when another runspace acts.
    $script:Emu = Start-TestEmulator -LatencyMs 150
    $script:Secret = ConvertTo-SecureString $Emu.AccessKeySecret -AsPlainText -Force

    # A second runspace of this process, with the module imported (the same loaded assembly).
    function script:New-Runspace {
        $rs = [runspacefactory]::CreateRunspace()
        $rs.Open()
        $ps = [powershell]::Create()
        $ps.Runspace = $rs
        $null = $ps.AddScript("Import-Module '$env:NLBTOOLS_MODULE'").Invoke()
        $ps.Commands.Clear()
        return $ps
    }
    function script:Remove-Runspace($ps) {
        $rs = $ps.Runspace
        $ps.Dispose()
        $rs.Dispose()
    }
}

AfterAll {
    Disconnect-Nlb
    $Emu | Stop-TestEmulator
    $env:NLBTOOLS_ECS_METADATA_ENDPOINT = $SavedMetadataEndpoint
}

Describe 'One context for the process' {
    It 'ForEach-Object -Parallel uses the connection the user made (not the profile or the real cloud)' {
        Connect-Nlb -AccessKeyId $Emu.AccessKeyId -AccessKeySecret $Secret -Endpoint $Emu.Endpoint -RegionId cn-hangzhou | Out-Null
        $expected = @(Get-NlbListener).Count
        $expected | Should -BeGreaterThan 0

        $results = 1..3 | ForEach-Object -ThrottleLimit 3 -Parallel {
            Import-Module $using:env:NLBTOOLS_MODULE
            $context = Get-NlbContext
            [pscustomobject]@{ Endpoint = $context.Endpoint; Source = $context.CredentialSource; Listeners = @(Get-NlbListener -ErrorAction Stop).Count }
        }

        $results.Count | Should -Be 3
        $results.Endpoint | Sort-Object -Unique | Should -Be ([uri]$Emu.Endpoint).AbsoluteUri
        $results.Source | Sort-Object -Unique | Should -Be 'explicit'
        $results.Listeners | Sort-Object -Unique | Should -Be $expected
        Disconnect-Nlb
    }

    It 'a Disconnect-Nlb in another runspace does not break a listing in flight, and disconnects the process' {
        Connect-Nlb -AccessKeyId $Emu.AccessKeyId -AccessKeySecret $Secret -Endpoint $Emu.Endpoint -RegionId cn-hangzhou | Out-Null
        $expected = @(Get-NlbListener).Count
        $before = @(Invoke-EmulatorControl $Emu requests | Where-Object Action -EQ 'ListListeners').Count

        $other = New-Runspace
        try {
            # One listener per page: $expected requests of 150 ms each, on the client the context gave.
            $null = $other.AddScript('Get-NlbListener -PageSize 1 | ForEach-Object ListenerId')
            $async = $other.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while (@(Invoke-EmulatorControl $Emu requests | Where-Object Action -EQ 'ListListeners').Count -lt $before + 2) {
                if ([DateTime]::UtcNow -gt $deadline) { throw 'The other runspace never started listing.' }
                Start-Sleep -Milliseconds 20
            }
            $async.IsCompleted | Should -BeFalse -Because 'the listing must still be in flight when Disconnect-Nlb runs'

            Disconnect-Nlb

            $ids = @($other.EndInvoke($async))
            $other.Streams.Error | ForEach-Object { "$_" } | Should -BeNullOrEmpty
            $ids.Count | Should -Be $expected
            ($ids | Sort-Object -Unique).Count | Should -Be $expected
        }
        finally {
            Remove-Runspace $other
        }
        (Get-NlbContext -WarningAction SilentlyContinue).IsConnected | Should -BeFalse -Because 'the context belongs to the process'
    }
}

Describe 'Stop-NlbEmulator in a runspace' {
    It 'without arguments stops the emulators of the calling runspace only' {
        $other = New-Runspace
        try {
            $null = $other.AddScript('Start-NlbEmulator')
            $theirs = $other.Invoke() | Select-Object -First 1
            $other.Commands.Clear()
            $theirs.ProcessId | Should -BeGreaterThan 0
            $mine = Start-NlbEmulator
            $mineProcess = Get-Process -Id $mine.ProcessId

            Stop-NlbEmulator

            $mineProcess.WaitForExit(10000) | Should -BeTrue
            (Get-Process -Id $theirs.ProcessId -ErrorAction SilentlyContinue) | Should -Not -BeNullOrEmpty -Because "the other runspace's emulator is not ours to stop"
            $theirsProcess = Get-Process -Id $theirs.ProcessId
            $null = $other.AddScript('Stop-NlbEmulator').Invoke()
            $theirsProcess.WaitForExit(10000) | Should -BeTrue
        }
        finally {
            Remove-Runspace $other
        }
    }
}
