# Wait-NlbJob against the staged module and the emulator (jobs take --job-duration-ms to succeed).
BeforeAll {
    Import-Module $env:NLBTOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emu = Start-TestEmulator -JobDurationMs 400
    $script:Secret = ConvertTo-SecureString $Emu.AccessKeySecret -AsPlainText -Force
    Connect-Nlb -AccessKeyId $Emu.AccessKeyId -AccessKeySecret $Secret -Endpoint $Emu.Endpoint -RegionId cn-hangzhou | Out-Null
    function script:Get-Requests([string] $Action) { @(Invoke-EmulatorControl -Emulator $Emu -Path requests | Where-Object Action -eq $Action) }
    $script:Fqid = 'NlbTools.Commands.WaitNlbJobCommand'
}

AfterAll {
    Disconnect-Nlb
    if ($Emu) { $Emu | Stop-TestEmulator }
}

Describe 'Wait-NlbJob' {
    It 'waits for a job that succeeds and returns it with its Status, ObservedAt and Elapsed (submission to when it was seen)' {
        $job = Set-NlbListenerAttribute -ListenerId 'lsn-hzweb01@80' -ListenerDescription 'waited-for'
        Start-Sleep -Milliseconds 1500 # the job (400 ms) ends long before it is waited for
        $done = $job | Wait-NlbJob
        $done.JobId | Should -Be $job.JobId
        $done.ListenerId | Should -Be 'lsn-hzweb01@80'
        $done.Status | Should -Be 'Succeeded'
        $done.Elapsed | Should -BeOfType [timespan]
        $done.PSObject.Properties.Name | Should -Not -Contain 'Duration'
        $done.ObservedAt | Should -BeGreaterThan $done.SubmittedAt
        $done.Elapsed | Should -Be ($done.ObservedAt - $done.SubmittedAt)
        # Elapsed counts the time before waiting began: it is not the job's own run time, and is named so.
        $done.Elapsed.TotalMilliseconds | Should -BeGreaterOrEqual 1500
        ((Invoke-EmulatorControl -Emulator $Emu -Path state).Listeners | Where-Object ListenerId -eq 'lsn-hzweb01@80').ListenerDescription | Should -Be 'waited-for'
    }

    It 'waits for several jobs together with batched ListAsynJobs polls' {
        $batchesBefore = (Get-Requests ListAsynJobs).Count
        $singlesBefore = (Get-Requests GetJobStatus).Count
        $jobs = @(Get-NlbListener -ListenerProtocol TCPSSL) + @(Get-NlbListener -ListenerProtocol UDP) |
            Set-NlbListenerAttribute -ListenerDescription 'batch'
        $jobs.Count | Should -Be 5
        $done = @($jobs | Wait-NlbJob)
        $done.Status | Sort-Object -Unique | Should -Be 'Succeeded'
        $done.JobId | Should -Be $jobs.JobId

        $polls = @(Get-Requests ListAsynJobs | Select-Object -Skip $batchesBefore)
        # Waiting one job at a time would cost at least one poll per job.
        $polls.Count | Should -BeLessThan $jobs.Count
        ($polls[0].Parameters.PSObject.Properties.Name -like 'JobIds.*').Count | Should -BeGreaterThan 1
        (Get-Requests GetJobStatus).Count | Should -Be $singlesBefore
    }

    It 'binds -JobId by property name' {
        $job = Set-NlbListenerAttribute -ListenerId 'lsn-hzweb01@80' -ListenerDescription 'by-name'
        ([pscustomobject]@{ JobId = $job.JobId } | Wait-NlbJob).Status | Should -Be 'Succeeded'
    }

    It 'reports an unknown job as a non-terminating error' {
        $out = Wait-NlbJob -JobId 'job-that-does-not-exist' -TimeoutSec 30 -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be "ResourceNotFound.JobId,$Fqid"
    }

    It 'reports a failed job as a non-terminating error naming the job and the listener, and goes on with the others' {
        try {
            $jobs = 'lsn-hzedge01@22', 'lsn-hzweb01@80' | Set-NlbListenerAttribute -ListenerDescription 'fails-or-not'
            # Deleting a listener while its job runs makes the emulator fail that job.
            Invoke-RestMethod -Method Delete -Uri "$($Emu.Endpoint)/_emulator/listeners/$([uri]::EscapeDataString('lsn-hzedge01@22'))" | Out-Null
            $done = @($jobs | Wait-NlbJob -ErrorVariable err -ErrorAction SilentlyContinue)
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be "NlbJobFailed,$Fqid"
            $err[0].Exception.Message | Should -Match ([regex]::Escape($jobs[0].JobId))
            $err[0].Exception.Message | Should -Match 'lsn-hzedge01@22'
            $done.ListenerId | Should -Contain 'lsn-hzweb01@80'
            ($done | Where-Object ListenerId -eq 'lsn-hzweb01@80').Status | Should -Be 'Succeeded'
        }
        finally {
            Invoke-EmulatorControl -Emulator $Emu -Path reset | Out-Null
        }
    }

    Context 'timeout' {
        BeforeAll {
            $script:Slow = Start-TestEmulator -JobDurationMs 60000
            $slowSecret = ConvertTo-SecureString $Slow.AccessKeySecret -AsPlainText -Force
            Connect-Nlb -AccessKeyId $Slow.AccessKeyId -AccessKeySecret $slowSecret -Endpoint $Slow.Endpoint -RegionId cn-hangzhou | Out-Null
        }
        AfterAll {
            Connect-Nlb -AccessKeyId $Emu.AccessKeyId -AccessKeySecret $Secret -Endpoint $Emu.Endpoint -RegionId cn-hangzhou | Out-Null
            if ($Slow) { $Slow | Stop-TestEmulator }
        }

        It 'gives a non-terminating error with the last state when -TimeoutSec passes' {
            $job = Set-NlbListenerAttribute -ListenerId 'lsn-hzweb01@80' -ListenerDescription 'slow'
            $out = $job | Wait-NlbJob -TimeoutSec 2 -ErrorVariable err -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be "NlbJobTimeout,$Fqid"
            $err[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
            $err[0].Exception.Message | Should -Match 'Processing'
            $err[0].Exception.Message | Should -Match ([regex]::Escape($job.JobId))
            $err[0].Exception.Message | Should -Match 'lsn-hzweb01@80'
        }

        It 'Set-NlbListenerAttribute -Wait -TimeoutSec 1 reports NlbJobTimeout with the real last state, not Unknown' {
            $out = Set-NlbListenerAttribute -ListenerId 'lsn-hzweb01@443' -ListenerDescription 'slow-wait' -Wait -TimeoutSec 1 -ErrorVariable err -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'NlbJobTimeout,NlbTools.Commands.SetNlbListenerAttributeCommand'
            $err[0].Exception.Message | Should -Match 'its last state was Processing'
            $err[0].Exception.Message | Should -Not -Match 'Unknown'
            $err[0].TargetObject.Status | Should -Be 'Processing'
        }
    }
}
