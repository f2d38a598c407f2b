# A sample Pester test of your own script (here, the runbook next to this file) against the NLB emulator that
# ships with NlbTools: no account, no mocks, real requests, and assertions on the emulator's state and request log.
#   Invoke-Pester ./Update-ListenerIdleTimeout.Tests.ps1
# (NlbTools' own build runs it too, against the module it just built.)

BeforeAll {
    # Your tests would just say Import-Module NlbTools.
    if ($env:NLBTOOLS_MODULE) { Import-Module $env:NLBTOOLS_MODULE -Force } else { Import-Module NlbTools }

    $script:runbook = Join-Path $PSScriptRoot 'Update-ListenerIdleTimeout.ps1'
    # Short jobs keep the test fast; -Connect points this session at the emulator.
    $script:emulator = Start-NlbEmulator -JobDurationMs 100 -Connect

    function Get-EmulatorState { Invoke-RestMethod "$($emulator.Endpoint)/_emulator/state" }
    # A JSON array comes back as one object; unroll it.
    function Get-EmulatorRequests { @(Invoke-RestMethod "$($emulator.Endpoint)/_emulator/requests" | ForEach-Object { $_ }) }
    function Get-ContextListeners([string] $Protocol) {
        $region = (Get-NlbContext).RegionId
        @((Get-EmulatorState).Listeners | Where-Object { $_.RegionId -eq $region -and $_.ListenerProtocol -eq $Protocol })
    }
    # The runbook reports with Write-Host; keep the test output quiet.
    function Invoke-Runbook([hashtable] $Arguments) {
        $global:LASTEXITCODE = 0
        & $runbook @Arguments 3>$null 6>$null
        return $LASTEXITCODE
    }
}

AfterAll {
    $emulator | Stop-NlbEmulator
}

Describe 'Update-ListenerIdleTimeout.ps1' {
    BeforeEach {
        # Every test starts from the same seed state.
        Invoke-RestMethod -Method Post "$($emulator.Endpoint)/_emulator/reset" -ContentType 'application/json' -Body '{}' | Out-Null
    }

    It 'sets the idle timeout and the description of every running TCP listener, and nothing else' {
        $tcpBefore = Get-ContextListeners TCP
        $udpBefore = Get-ContextListeners UDP
        $sslBefore = Get-ContextListeners TCPSSL
        $running = @($tcpBefore | Where-Object ListenerStatus -eq 'Running' | ForEach-Object ListenerId)
        $running.Count | Should -BeGreaterThan 0

        Invoke-Runbook @{ IdleTimeout = 120; Description = 'idle-120' } | Should -Be 0

        foreach ($listener in (Get-ContextListeners TCP)) {
            $old = $tcpBefore | Where-Object ListenerId -eq $listener.ListenerId
            if ($listener.ListenerId -in $running) {
                $listener.IdleTimeout | Should -Be 120
                $listener.ListenerDescription | Should -Be 'idle-120'
            } else {
                # A stopped listener fails the server-side precheck (IncorrectStatus.listener) and is left alone.
                $listener.IdleTimeout | Should -Be $old.IdleTimeout
                $listener.ListenerDescription | Should -Be $old.ListenerDescription
            }
        }
        (Get-ContextListeners UDP | ConvertTo-Json -Depth 5) | Should -Be ($udpBefore | ConvertTo-Json -Depth 5)
        (Get-ContextListeners TCPSSL | ConvertTo-Json -Depth 5) | Should -Be ($sslBefore | ConvertTo-Json -Depth 5)
    }

    It 'changes each listener exactly once' {
        Invoke-Runbook @{ IdleTimeout = 120 } | Should -Be 0

        $changed = @(Get-ContextListeners TCP | Where-Object IdleTimeout -eq 120 | ForEach-Object ListenerId)
        $applied = @(Get-EmulatorRequests | Where-Object { $_.Action -eq 'UpdateListenerAttribute' -and -not $_.DryRun -and $_.HttpStatus -eq 200 })
        @($applied.Parameters.ListenerId | Sort-Object) | Should -Be @($changed | Sort-Object)
    }

    It 'run a second time, sends no update and starts no job' {
        Invoke-Runbook @{ IdleTimeout = 120 } | Should -Be 0
        $requestsBefore = @(Get-EmulatorRequests).Count
        $jobsBefore = @(Invoke-RestMethod "$($emulator.Endpoint)/_emulator/jobs" | ForEach-Object { $_ }).Count

        Invoke-Runbook @{ IdleTimeout = 120 } | Should -Be 0

        $second = @(Get-EmulatorRequests | Select-Object -Skip $requestsBefore | Where-Object Action -eq 'UpdateListenerAttribute')
        @($second | Where-Object { -not $_.DryRun }) | Should -BeNullOrEmpty
        @(Invoke-RestMethod "$($emulator.Endpoint)/_emulator/jobs" | ForEach-Object { $_ }).Count | Should -Be $jobsBefore
        # Prechecks go only to listeners that would still change: the stopped one, which the first run left alone.
        $stopped = @(Get-ContextListeners TCP | Where-Object ListenerStatus -ne 'Running' | ForEach-Object ListenerId)
        @($second.Parameters.ListenerId | Sort-Object -Unique) | Should -Be @($stopped | Sort-Object)
    }

    It 'only prechecks on the server under -WhatIf' {
        $before = (Get-EmulatorState).Listeners | ConvertTo-Json -Depth 5

        Invoke-Runbook @{ IdleTimeout = 120; WhatIf = $true } | Should -Be 0

        (Get-EmulatorState).Listeners | ConvertTo-Json -Depth 5 | Should -Be $before
        $updates = @(Get-EmulatorRequests | Where-Object Action -eq 'UpdateListenerAttribute')
        @($updates | Where-Object { -not $_.DryRun }) | Should -BeNullOrEmpty
        @($updates.Parameters.ListenerId | Sort-Object -Unique) | Should -Be @(Get-ContextListeners TCP | ForEach-Object ListenerId | Sort-Object)
    }
}
