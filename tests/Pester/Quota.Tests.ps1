# Issue 12: bulk changes under the API's rate limit. 300 updates piped from Get-NlbListener through
# Set-NlbListenerAttribute into Wait-NlbJob, against an emulator that enforces 10 UpdateListenerAttribute calls per
# second (burst 10) and 2 ListAsynJobs per second, once with x-acs-retry-after on refusals and once without, with the
# module's default settings. The speed target is a ratio against the floor the emulator's quota itself sets.
BeforeDiscovery {
    $script:Modes = @(@{ RetryAfter = $true }, @{ RetryAfter = $false })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:NLBTOOLS_MODULE -Force

    $script:Updates = 300
    $script:Rate = 10
    $script:Burst = 10
    $script:JobSeconds = 1.5          # the emulator's default --job-duration-ms
    $script:Floor = ($Updates - $Burst) / $Rate + $JobSeconds
    $script:StoppedId = 'lsn-bp1bpn0kn908w4nbw9001@8080'
    $script:BusyId = 'lsn-bp1bpn0kn908w4nbw9002@8081'

    $lb = 'nlb-bp1k8wqcbqqxyb8xw2cgm'
    $vpc = 'vpc-bp1b49rqrybk45nio4abc'
    $listeners = @(1..$Updates | ForEach-Object {
            @{ ListenerId = ('lsn-bp1bpn0kn908w4nbw{0:d4}@{1}' -f $_, (10000 + $_)); LoadBalancerId = $lb; RegionId = 'cn-hangzhou'
               ListenerProtocol = 'TCP'; ListenerPort = 10000 + $_; ServerGroupId = 'sgp-bp1t6jq5bgh1yxr2ncy3'; ListenerDescription = 'initial' }
        })
    $listeners += @{ ListenerId = $StoppedId; LoadBalancerId = 'nlb-bp1stoppedlbxb8xw2cgm'; RegionId = 'cn-hangzhou'; ListenerProtocol = 'TCP'
                     ListenerPort = 8080; ServerGroupId = 'sgp-bp1t6jq5bgh1yxr2ncy3'; ListenerStatus = 'Stopped' }
    $listeners += @{ ListenerId = $BusyId; LoadBalancerId = 'nlb-bp1stoppedlbxb8xw2cgm'; RegionId = 'cn-hangzhou'; ListenerProtocol = 'TCP'
                     ListenerPort = 8081; ServerGroupId = 'sgp-bp1t6jq5bgh1yxr2ncy3' }
    $state = [ordered]@{
        AccessKeys    = @(@{ AccessKeyId = 'LTAI5tQuotaTestKey0001'; AccessKeySecret = 'QuotaTestSecret000000000000000' })
        Regions       = @(@{ RegionId = 'cn-hangzhou'; LocalName = 'China (Hangzhou)' })
        LoadBalancers = @(@{ LoadBalancerId = $lb; RegionId = 'cn-hangzhou'; VpcId = $vpc }, @{ LoadBalancerId = 'nlb-bp1stoppedlbxb8xw2cgm'; RegionId = 'cn-hangzhou'; VpcId = $vpc })
        ServerGroups  = @(@{ ServerGroupId = 'sgp-bp1t6jq5bgh1yxr2ncy3'; RegionId = 'cn-hangzhou'; VpcId = $vpc; Protocol = 'TCP' })
        Listeners     = $listeners
    }
    $script:StatePath = Join-Path $TestDrive 'quota-state.json'
    $state | ConvertTo-Json -Depth 6 | Set-Content $StatePath

    # One run on its own emulator (its own port, so the session's pacers start unlearned, as for a new user).
    function script:Invoke-QuotaRun([bool] $RetryAfter) {
        $emu = Start-TestEmulator -StatePath $StatePath
        try {
            $null = Invoke-EmulatorControl -Emulator $emu -Path ratelimits -Body @{
                Limits = @{ UpdateListenerAttribute = @{ Rate = $Rate; Burst = $Burst }; ListAsynJobs = @{ Rate = 2; Burst = 2 } }
                RetryAfter = $RetryAfter
            }
            $secret = ConvertTo-SecureString $emu.AccessKeySecret -AsPlainText -Force
            $null = Connect-Nlb -AccessKeyId $emu.AccessKeyId -AccessKeySecret $secret -RegionId cn-hangzhou -Endpoint $emu.Endpoint
            $targets = @(Get-NlbListener -LoadBalancerId $lb)
            $script:setErrors = $null; $script:waitErrors = $null
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            # -Verbose on both cmdlets (each writes the pacing lines of its own requests), gathered from the whole pipeline.
            $stream = & {
                $targets | Set-NlbListenerAttribute -ListenerDescription "quota-run-$RetryAfter" -ErrorVariable script:setErrors -ErrorAction SilentlyContinue -Verbose |
                    Wait-NlbJob -ErrorVariable script:waitErrors -ErrorAction SilentlyContinue -Verbose
            } 4>&1
            $seconds = $clock.Elapsed.TotalSeconds
            $limits = Invoke-EmulatorControl -Emulator $emu -Path ratelimits
            $log = @(Invoke-EmulatorControl -Emulator $emu -Path requests)
            $final = @((Invoke-EmulatorControl -Emulator $emu -Path state).Listeners | Where-Object LoadBalancerId -eq $lb)
            $updates = $limits.Counts.UpdateListenerAttribute
            $verbose = @($stream | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
            [pscustomobject][ordered]@{
                RetryAfter        = $RetryAfter
                Seconds           = [math]::Round($seconds, 2)
                Floor             = $Floor
                Ratio             = [math]::Round($seconds / $Floor, 3)
                UpdateRequests    = $updates.Allowed + $updates.Throttled
                UpdatesThrottled  = $updates.Throttled
                ThrottledShare    = [math]::Round($updates.Throttled / ($updates.Allowed + $updates.Throttled), 3)
                PollsAllowed      = $limits.Counts.ListAsynJobs.Allowed
                PollsThrottled    = $limits.Counts.ListAsynJobs.Throttled
                Errors            = @($script:setErrors).Count + @($script:waitErrors).Count
                Jobs              = @($stream | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Count
                Succeeded         = @($stream | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] -and $_.Status -eq 'Succeeded' }).Count
                Applied           = @($final | Where-Object ListenerDescription -eq "quota-run-$RetryAfter").Count
                DistinctTokens    = @($log | Where-Object Action -eq 'UpdateListenerAttribute' | ForEach-Object ClientToken | Sort-Object -Unique).Count
                RateLimitedInLog  = @($log | Where-Object { $_.Action -eq 'UpdateListenerAttribute' -and $_.RateLimited }).Count
                SlowDownLines     = @($verbose | Where-Object Message -match 'UpdateListenerAttribute pacing .*slowing down').Count
                SpeedUpLines      = @($verbose | Where-Object Message -match 'UpdateListenerAttribute pacing .*speeding up').Count
                ErrorText         = @($script:setErrors) + @($script:waitErrors) | Select-Object -First 3 | ForEach-Object { "$_" }
            }
        }
        finally {
            Disconnect-Nlb -ErrorAction Ignore
            $emu | Stop-TestEmulator
        }
    }

    $script:Runs = @{}
    foreach ($retryAfter in $true, $false) { $script:Runs[$retryAfter] = Invoke-QuotaRun $retryAfter }
    foreach ($run in $Runs.Values) { Write-Host ('    quota run: ' + ($run | Select-Object * -ExcludeProperty ErrorText | ConvertTo-Json -Compress)) }
    $figuresPath = Join-Path (Split-Path $env:NLBTOOLS_MODULE | Split-Path) 'TestResults/quota-runs.json'
    @($Runs[$true], $Runs[$false]) | ConvertTo-Json -Depth 3 | Set-Content $figuresPath -ErrorAction Ignore
}

Describe '300 updates under 10/s (burst 10), Wait-NlbJob under 2/s, retry-after <RetryAfter>' -ForEach $Modes {

    It 'ends with 0 errors and every update applied exactly once' {
        $run = $Runs[$RetryAfter]
        $run.Errors | Should -Be 0 -Because ($run.ErrorText -join '; ')
        $run.Jobs | Should -Be $Updates
        $run.Succeeded | Should -Be $Updates
        $run.Applied | Should -Be $Updates
        $run.DistinctTokens | Should -Be $Updates
    }

    It 'takes at most 1.15 x the floor (N - burst) / rate + one job' {
        $run = $Runs[$RetryAfter]
        $run.Seconds | Should -BeLessOrEqual ($Floor * 1.15) -Because "it took $($run.Seconds) s against a floor of $Floor s"
        # And the quota really was the limit: nothing can beat the floor by more than a round trip.
        $run.Seconds | Should -BeGreaterThan ($Floor - $JobSeconds)
    }

    It 'has the service refuse at most 10% of the update requests, and says so in -Verbose and the request log' {
        $run = $Runs[$RetryAfter]
        $run.ThrottledShare | Should -BeLessOrEqual 0.10 -Because "$($run.UpdatesThrottled) of $($run.UpdateRequests) were refused"
        $run.UpdatesThrottled | Should -BeGreaterThan 0 -Because 'a quota run that is never refused did not test pacing'
        $run.RateLimitedInLog | Should -Be $run.UpdatesThrottled
        $run.SlowDownLines | Should -BeGreaterThan 0
        $run.SpeedUpLines | Should -BeGreaterThan 0
    }
}

Describe 'IncorrectStatus.listener: a settled state fails at once, a busy listener is waited for' {
    BeforeAll {
        $script:emu = Start-TestEmulator -StatePath $StatePath
        $secret = ConvertTo-SecureString $emu.AccessKeySecret -AsPlainText -Force
        $null = Connect-Nlb -AccessKeyId $emu.AccessKeyId -AccessKeySecret $secret -RegionId cn-hangzhou -Endpoint $emu.Endpoint
    }
    AfterAll {
        Disconnect-Nlb -ErrorAction Ignore
        if ($emu) { $emu | Stop-TestEmulator }
    }

    It 'a real change of a Stopped listener fails within 1.5 s naming the state (<_>)' -ForEach @('real', 'WhatIf') {
        $whatIf = $_ -eq 'WhatIf'
        $before = @(Invoke-EmulatorControl -Emulator $emu -Path requests | Where-Object Action -eq 'UpdateListenerAttribute').Count
        $err = $null
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        Set-NlbListenerAttribute -ListenerId $StoppedId -IdleTimeout 300 -WhatIf:$whatIf -ErrorVariable err -ErrorAction SilentlyContinue 6>$null
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 1.5
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'IncorrectStatus.listener,*'
        "$err" | Should -Match "The listener $([regex]::Escape($StoppedId)) is Stopped"
        @(Invoke-EmulatorControl -Emulator $emu -Path requests | Where-Object Action -eq 'UpdateListenerAttribute').Count | Should -Be ($before + 1) -Because 'a settled state is not retried'
    }

    It 'a change of a Configuring listener waits for its job and then applies' {
        $first = Set-NlbListenerAttribute -ListenerId $BusyId -ListenerDescription 'busy-first'
        $first.JobId | Should -Not -BeNullOrEmpty
        $err = $null
        $second = Set-NlbListenerAttribute -ListenerId $BusyId -ListenerDescription 'busy-second' -Wait -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -HaveCount 0
        $second.ListenerDescription | Should -Be 'busy-second'
        $refused = @(Invoke-EmulatorControl -Emulator $emu -Path requests | Where-Object { $_.Action -eq 'UpdateListenerAttribute' -and $_.Code -eq 'IncorrectStatus.listener' })
        $refused.Count | Should -BeGreaterThan 0 -Because 'the listener was Configuring when the second change came'
    }
}
