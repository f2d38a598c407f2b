# Fault soak (issue 8 §1, issue 12 §4): 300 updates across 100 listeners, -ThrottleLimit 8, while the emulator fails
# 25% of all requests with every transient fault it knows, drops half of the connections AFTER applying a change
# (LoseAnswer: the case where a client that renews its ClientToken applies a change twice), and 5 listeners are
# deleted behind the module's back in the middle of the run. With the default retry settings, 5 runs in a row
# (each with its own fault sequence), and every run must be clean.
BeforeDiscovery {
    $script:RunNumbers = 1..5
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:NLBTOOLS_MODULE -Force

    $script:ListenerCount = 100
    $script:Rounds = 3
    $script:TransientCodes = @('SystemBusy', 'Throttling.User', 'ServiceUnavailable', 'ConnectionReset', 'Timeout', 'IncorrectStatus.listener')

    # A state with enough listeners: one region, one load balancer, one TCP server group, 100 TCP listeners.
    $ids = 1..$ListenerCount | ForEach-Object { 'lsn-bp1soakn908w4nbw{0:d4}@{1}' -f $_, (10000 + $_) }
    $state = [ordered]@{
        AccessKeys    = @(@{ AccessKeyId = 'LTAI5tSoakKey'; AccessKeySecret = 'SoakSecret00000000000000000000' })
        Regions       = @(@{ RegionId = 'cn-hangzhou'; LocalName = 'China (Hangzhou)' })
        LoadBalancers = @(@{ LoadBalancerId = 'nlb-bp1soakxqcbqqxyb8xw2'; RegionId = 'cn-hangzhou'; VpcId = 'vpc-bp1b49rqrybk45nio4abc' })
        ServerGroups  = @(@{ ServerGroupId = 'sgp-bp1soaktcp5bgh1yxr2'; RegionId = 'cn-hangzhou'; VpcId = 'vpc-bp1b49rqrybk45nio4abc'; Protocol = 'TCP' })
        Listeners     = @($ids | ForEach-Object -Begin { $i = 0 } -Process {
                $i++
                @{ ListenerId = $_; LoadBalancerId = 'nlb-bp1soakxqcbqqxyb8xw2'; RegionId = 'cn-hangzhou'; ListenerProtocol = 'TCP'; ListenerPort = 10000 + $i
                   ServerGroupId = 'sgp-bp1soaktcp5bgh1yxr2'; ListenerDescription = 'initial'; IdleTimeout = 900 }
            })
    }
    $statePath = Join-Path $TestDrive 'soak-state.json'
    $state | ConvertTo-Json -Depth 6 | Set-Content $statePath

    # Default retry settings (attempts, budget, back-off): the soak is what shows they hold. The one knob set is
    # the per-attempt timeout, and only for time: the Timeout fault hangs until the client gives up, so at the
    # default 30 s each of the ~40 hangs of a run would cost 30 s. It changes how long a hang costs, not how many
    # attempts a call has. Read when the client is created, i.e. at Connect-Nlb below.
    $script:savedKnobs = @{ T = $env:NLBTOOLS_REQUEST_TIMEOUT_SEC; A = $env:NLBTOOLS_MAX_ATTEMPTS }
    $env:NLBTOOLS_REQUEST_TIMEOUT_SEC = '1'
    # The attempts stay at the default: a value inherited from the caller's environment is removed for the run.
    Remove-Item Env:NLBTOOLS_MAX_ATTEMPTS -ErrorAction Ignore

    $script:emu = Start-TestEmulator -StatePath $statePath -JobDurationMs 50
    $secret = ConvertTo-SecureString $emu.AccessKeySecret -AsPlainText -Force
    $null = Connect-Nlb -AccessKeyId $emu.AccessKeyId -AccessKeySecret $secret -RegionId cn-hangzhou -Endpoint $emu.Endpoint

    $script:listeners = @(Get-NlbListener -LoadBalancerId nlb-bp1soakxqcbqqxyb8xw2 | Sort-Object ListenerId)
    $script:deleted = $listeners[60..64].ListenerId
    $script:trigger = $listeners[40].ListenerId

    # One run: reset the emulator to the seed state, set the faults with this run's seed, run the 3 rounds.
    function script:Invoke-SoakRun([int] $Seed) {
        $null = Invoke-EmulatorControl -Emulator $emu -Path reset
        $null = Invoke-EmulatorControl -Emulator $emu -Path faults -Body @{
            Rate = 0.25; Codes = $TransientCodes; Seed = $Seed; RetryAfterMs = 100; LoseAnswer = $true
        }

        # The run itself: 3 rounds over the 100 listeners, each round with its own values and -Wait, so every
        # round ends applied; in round 2 the 5 listeners are deleted when listener #40 passes down the pipeline.
        $errorsByRound = @{}
        $outputByRound = @{}
        $retryLines = 0
        $endpoint = $emu.Endpoint
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        foreach ($round in 1..$Rounds) {
            $roundErrors = $null
            $deleteNow = if ($round -eq 2) { $trigger } else { '' }
            $victims = $deleted
            # As a runbook does, each round lists the listeners first, so the diff compares against fresh copies
            # (no extra read). The deleted ones are piped as the copies read before the run: in round 3 their
            # read fails, in round 2 (deleted mid-pipeline) their update does.
            $fresh = @{}
            Get-NlbListener -LoadBalancerId nlb-bp1soakxqcbqqxyb8xw2 | ForEach-Object { $fresh[$_.ListenerId] = $_ }
            $stream = $listeners | ForEach-Object { if ($fresh.ContainsKey($_.ListenerId)) { $fresh[$_.ListenerId] } else { $_ } } | ForEach-Object {
                if ($_.ListenerId -eq $deleteNow) {
                    foreach ($id in $victims) { $null = Invoke-RestMethod -Method Delete -Uri "$endpoint/_emulator/listeners/$([uri]::EscapeDataString($id))" }
                }
                $_
            } | Set-NlbListenerAttribute -ListenerDescription "soak-round$round" -IdleTimeout (100 + $round) -Wait -ThrottleLimit 8 `
                -ErrorVariable roundErrors -ErrorAction SilentlyContinue -Verbose 4>&1
            $verbose = @($stream | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
            $retryLines += @($verbose | Where-Object { $_.Message -match 'retrying in' }).Count
            $outputByRound[$round] = @($stream | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
            $errorsByRound[$round] = @($roundErrors)
        }
        $elapsed = $clock.Elapsed

        $faultView = Invoke-RestMethod -Uri "$endpoint/_emulator/faults"
        $null = Invoke-EmulatorControl -Emulator $emu -Path faults -Body @{ Rate = 0; Codes = @() }
        $log = @(Invoke-EmulatorControl -Emulator $emu -Path requests)
        $jobs = @(Invoke-EmulatorControl -Emulator $emu -Path jobs | Where-Object Action -eq 'UpdateListenerAttribute')
        $finalState = Invoke-EmulatorControl -Emulator $emu -Path state
        [pscustomobject]@{
            ErrorsByRound = $errorsByRound; OutputByRound = $outputByRound; RetryLines = $retryLines; Elapsed = $elapsed
            FaultView = $faultView; Log = $log; Jobs = $jobs; FinalState = $finalState
        }
    }

    $script:SoakRuns = @{}
    foreach ($run in 1..5) {
        $script:SoakRuns[$run] = Invoke-SoakRun (20261129 + $run)
        Write-Host ("    soak run $run done in {0:N1} s" -f $SoakRuns[$run].Elapsed.TotalSeconds)
    }
}

AfterAll {
    if ($script:emu) { $script:emu | Stop-TestEmulator }
    $env:NLBTOOLS_REQUEST_TIMEOUT_SEC = $script:savedKnobs.T
    [Environment]::SetEnvironmentVariable('NLBTOOLS_MAX_ATTEMPTS', $script:savedKnobs.A)
    Disconnect-Nlb -ErrorAction Ignore
}

Describe 'Fault soak run <_> of 5 (default retry settings): 300 updates, 25% transient faults, 5 listeners deleted mid-run' -ForEach $RunNumbers {
    BeforeAll {
        $r = $SoakRuns[$_]
        $script:errorsByRound = $r.ErrorsByRound; $script:outputByRound = $r.OutputByRound; $script:retryLines = $r.RetryLines
        $script:elapsed = $r.Elapsed; $script:faultView = $r.FaultView; $script:log = $r.Log; $script:jobs = $r.Jobs
        $script:finalState = $r.FinalState; $script:runNumber = $_
    }

    It 'finishes within the 2-minute budget and reports its figures' {
        $writes = @($log | Where-Object Action -eq 'UpdateListenerAttribute')
        $tokens = @($writes.ClientToken | Sort-Object -Unique)
        $injected = ($faultView.Injected.PSObject.Properties | Measure-Object -Property Value -Sum).Sum
        $figures = [ordered]@{
            Updates            = $ListenerCount * $Rounds
            Seconds            = [math]::Round($elapsed.TotalSeconds, 1)
            RequestsSent       = $log.Count
            FaultsInjected     = $injected
            FaultsByCode       = $faultView.Injected
            RetriesMade        = $retryLines
            WriteRetries       = $writes.Count - $tokens.Count
            WriteAttempts      = $writes.Count
            DistinctTokens     = $tokens.Count
            AnswersLostAfterApply = @($writes | Where-Object { $_.Code -in 'ConnectionReset', 'Timeout' -and $_.ClientToken -in $jobs.ClientToken }).Count
            Jobs               = $jobs.Count
            DuplicateApplications = $jobs.Count - (($ListenerCount - $deleted.Count) * $Rounds + $deleted.Count)
        }
        Write-Host ("    soak run $runNumber figures: " + ($figures | ConvertTo-Json -Compress -Depth 3))
        $figuresPath = Join-Path (Split-Path $env:NLBTOOLS_MODULE | Split-Path) "TestResults/reliability-soak-$runNumber.json"
        $figures | ConvertTo-Json -Depth 3 | Set-Content $figuresPath -ErrorAction Ignore
        $elapsed.TotalSeconds | Should -BeLessThan 120
        $injected | Should -BeGreaterThan 100
        $retryLines | Should -BeGreaterThan 0
        ($writes.Count - $tokens.Count) | Should -BeGreaterThan 0
    }

    It 'injected every transient fault kind' {
        foreach ($code in $TransientCodes) { $faultView.Injected.$code | Should -BeGreaterThan 0 -Because "$code must have been injected" }
    }

    It 'shows no error for a transient fault: round 1 has none, rounds 2 and 3 only the deleted listeners' {
        $errorsByRound[1] | Should -HaveCount 0
        foreach ($round in 2, 3) {
            $errors = $errorsByRound[$round]
            $errors | Should -HaveCount $deleted.Count
            @($errors.TargetObject | Sort-Object) | Should -Be @($deleted | Sort-Object)
        }
    }

    It 'gives exactly the 5 deleted listeners a clear, non-terminating ResourceNotFound.listener error' {
        foreach ($e in $errorsByRound[2] + $errorsByRound[3]) {
            $e.FullyQualifiedErrorId | Should -BeLike 'ResourceNotFound.listener,*'
            $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            "$e" | Should -Match ([regex]::Escape($e.TargetObject))
        }
        # Non-terminating: every other listener of the same rounds was still updated and written out.
        $outputByRound[2] | Should -HaveCount ($ListenerCount - $deleted.Count)
        $outputByRound[3] | Should -HaveCount ($ListenerCount - $deleted.Count)
    }

    It 'leaves every surviving listener with the values of the last round' {
        $survivors = @($finalState.Listeners | Where-Object LoadBalancerId -eq 'nlb-bp1soakxqcbqqxyb8xw2')
        $survivors | Should -HaveCount ($ListenerCount - $deleted.Count)
        $survivors.ListenerId | Should -Not -Contain $deleted[0]
        foreach ($l in $survivors) {
            $l.ListenerDescription | Should -Be "soak-round$Rounds"
            $l.IdleTimeout | Should -Be (100 + $Rounds)
            $l.ListenerStatus | Should -Be 'Running'
        }
        foreach ($l in $outputByRound[3]) { $l.ListenerDescription | Should -Be "soak-round$Rounds" }
    }

    It 'applied each logical update exactly once: one job per ClientToken, one token per update, 0 duplicates' {
        $writes = @($log | Where-Object Action -eq 'UpdateListenerAttribute')
        $writes.ClientToken | Should -Not -Contain $null
        # One token per logical update (retries reuse it): the 290 updates that could apply used 290 distinct
        # tokens although more attempts were sent; the updates of deleted listeners add at most one token each.
        $tokens = @($writes.ClientToken | Sort-Object -Unique)
        $notFound = @($writes | Group-Object ClientToken | Where-Object { $_.Group.Code -contains 'ResourceNotFound.listener' })
        ($tokens.Count - $notFound.Count) | Should -Be (($ListenerCount - $deleted.Count) * $Rounds + $deleted.Count)
        $tokens.Count | Should -BeLessOrEqual ($ListenerCount * $Rounds)
        $writes.Count | Should -BeGreaterThan $tokens.Count
        # The answer was lost after the change was made (LoseAnswer) for some writes: the retries that followed
        # are the ones a token-renewing client would have applied twice.
        $jobTokens = @{}; foreach ($j in $jobs) { $jobTokens[$j.ClientToken] = $true }
        @($writes | Where-Object { $_.Code -in 'ConnectionReset', 'Timeout' -and $jobTokens[$_.ClientToken] }).Count | Should -BeGreaterThan 0
        # One job per token, and as many jobs as updates that could succeed: 95 x 3 + 5 (before the deletion).
        $jobs | Group-Object ClientToken | Where-Object Count -gt 1 | Should -BeNullOrEmpty
        $jobs | Should -HaveCount (($ListenerCount - $deleted.Count) * $Rounds + $deleted.Count)
        foreach ($group in $jobs | Group-Object ResourceId) {
            $expected = if ($group.Name -in $deleted) { 1 } else { $Rounds }
            $group.Count | Should -Be $expected -Because "listener $($group.Name) got $expected logical updates that could apply"
        }
    }
}
