# What a user sees while a batch runs (issue 16 items 9 and 17), against the staged module and an emulator
# with real-length ids: every per-listener error and retry line names its listener, and progress clears fully.
BeforeAll {
    Import-Module $env:NLBTOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

    $script:Ids = 1..8 | ForEach-Object { 'lsn-bp1bpn0kn908w4nbw{0:d4}@1000' -f $_ }
    $state = @{
        AccessKeys    = @(
            @{ AccessKeyId = 'LTAI5tBatchFeedback01'; AccessKeySecret = 'BatchFeedbackSecret00000000000' }
            @{ AccessKeyId = 'LTAI5tBatchReadOnly01'; AccessKeySecret = 'BatchReadOnlySecret00000000000'; DeniedActions = @('UpdateListenerAttribute') }
        )
        Regions       = @(@{ RegionId = 'cn-hangzhou' })
        LoadBalancers = @(@{ LoadBalancerId = 'nlb-bp1wb7r6dlwetvt5j5yce'; RegionId = 'cn-hangzhou'; VpcId = 'vpc-bp1b49rqrybk45nio4abc' })
        ServerGroups  = @(@{ ServerGroupId = 'sgp-bp1b49rqrybk45nio0001'; RegionId = 'cn-hangzhou'; VpcId = 'vpc-bp1b49rqrybk45nio4abc'; Protocol = 'TCP' })
        Listeners     = @($Ids | ForEach-Object {
                @{ ListenerId = $_; LoadBalancerId = 'nlb-bp1wb7r6dlwetvt5j5yce'; ListenerProtocol = 'TCP'; ListenerPort = 1000; ServerGroupId = 'sgp-bp1b49rqrybk45nio0001'; RegionId = 'cn-hangzhou' }
            })
    }
    $statePath = Join-Path $TestDrive 'state.json'
    $state | ConvertTo-Json -Depth 10 | Set-Content -Path $statePath
    $script:Emu = Start-TestEmulator -StatePath $statePath -JobDurationMs 1500
    $script:Secret = ConvertTo-SecureString $Emu.AccessKeySecret -AsPlainText -Force
    Connect-Nlb -AccessKeyId $Emu.AccessKeyId -AccessKeySecret $Secret -Endpoint $Emu.Endpoint -RegionId cn-hangzhou | Out-Null

    # Progress cannot be redirected, so those tests run in their own PowerShell and read its Progress stream.
    function script:Invoke-WithProgress([string] $Script) {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript(@"
`$ProgressPreference = 'Continue'
Import-Module '$($env:NLBTOOLS_MODULE)'
Connect-Nlb -AccessKeyId '$($Emu.AccessKeyId)' -AccessKeySecret (ConvertTo-SecureString '$($Emu.AccessKeySecret)' -AsPlainText -Force) -Endpoint '$($Emu.Endpoint)' -RegionId cn-hangzhou | Out-Null
$Script
"@)
            $output = $ps.Invoke()
            [pscustomobject]@{ Output = $output; Progress = @($ps.Streams.Progress); Errors = @($ps.Streams.Error) }
        }
        finally { $ps.Dispose() }
    }
}

AfterAll {
    if ($Emu) { $Emu | Stop-TestEmulator }
}

Describe 'Errors and retries in a batch name their listener (16.9)' {
    It 'gives each denied update an error that starts with its own listener id' {
        $readOnly = ConvertTo-SecureString 'BatchReadOnlySecret00000000000' -AsPlainText -Force
        Connect-Nlb -AccessKeyId 'LTAI5tBatchReadOnly01' -AccessKeySecret $readOnly -Endpoint $Emu.Endpoint -RegionId cn-hangzhou | Out-Null
        try {
            $Ids | Set-NlbListenerAttribute -ListenerDescription 'denied-batch' -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        }
        finally {
            Connect-Nlb -AccessKeyId $Emu.AccessKeyId -AccessKeySecret $Secret -Endpoint $Emu.Endpoint -RegionId cn-hangzhou | Out-Null
        }
        $err.Count | Should -Be 8
        foreach ($i in 0..7) {
            $err[$i].ErrorDetails.Message | Should -BeLike "Listener $($Ids[$i]): *"
            $err[$i].TargetObject | Should -Be $Ids[$i]
            $err[$i].FullyQualifiedErrorId | Should -BeLike 'Forbidden*,NlbTools.Commands.SetNlbListenerAttributeCommand'
            $err[$i].ErrorDetails.Message | Should -Match 'RequestId: '
        }
    }

    It 'starts every verbose retry line with the listener it is about' {
        $null = Invoke-EmulatorControl -Emulator $Emu -Path faults -Body @{ Rate = 0.5; Codes = @('SystemBusy'); Actions = @('UpdateListenerAttribute'); Seed = 20261202 }
        try {
            $verbose = $Ids | Set-NlbListenerAttribute -ListenerDescription 'retried-batch' -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        }
        finally {
            $null = Invoke-EmulatorControl -Emulator $Emu -Path reset
        }
        $retries = @($verbose | Where-Object Message -Match 'SystemBusy.*retrying')
        $retries.Count | Should -BeGreaterThan 0
        foreach ($line in $retries) { $line.Message | Should -Match '^Listener lsn-bp1bpn0kn908w4nbw\d{4}@1000: UpdateListenerAttribute' }
    }
}

Describe 'Progress (16.17)' {
    BeforeEach {
        # The jobs of the test before must end first: a listener with a job in flight refuses another update.
        $until = (Get-Date).AddSeconds(30)
        while (@(Invoke-EmulatorControl -Emulator $Emu -Path jobs | Where-Object Status -eq 'Processing').Count -gt 0 -and (Get-Date) -lt $until) { Start-Sleep -Milliseconds 200 }
    }

    It 'Set-NlbListenerAttribute shows how many updates it sent while it submits, and clears the record at the end' {
        $run = Invoke-WithProgress "'$($Ids -join "','")' | Set-NlbListenerAttribute -ListenerDescription 'progress-batch'"
        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Count | Should -Be 8
        $shown = @($run.Progress | Where-Object RecordType -eq 'Processing')
        $shown.Count | Should -BeGreaterThan 0
        # The listener is in the status too: PowerShell 7's minimal progress view shows no CurrentOperation.
        $shown[0].StatusDescription | Should -Be "1 sent, 0 done (0 failed), last sent $($Ids[0])"
        $shown[0].CurrentOperation | Should -Be $Ids[0]
        $run.Progress[-1].RecordType | Should -Be 'Completed'
    }

    It 'Wait-NlbJob completes every job line before the summary, and writes nothing after it' {
        $run = Invoke-WithProgress "'$($Ids -join "','")' | Set-NlbListenerAttribute -ListenerDescription 'progress-wait' | Wait-NlbJob"
        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Count | Should -Be 8
        $waitRecords = @($run.Progress | Where-Object Activity -ne 'Updating NLB listeners')
        $children = @($waitRecords | Where-Object ParentActivityId -ne -1)
        $children.Count | Should -BeGreaterThan 0
        foreach ($group in ($children | Group-Object ActivityId)) { $group.Group[-1].RecordType | Should -Be 'Completed' }
        $children[0].Activity | Should -Match '^lsn-bp1bpn0kn908w4nbw\d{4}@1000: job '
        $waitRecords[-1].Activity | Should -Be 'Waiting for NLB jobs'
        $waitRecords[-1].RecordType | Should -Be 'Completed'
    }
}
