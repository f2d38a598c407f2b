# Set-NlbListenerAttribute as runbooks use it (issue 11, 16.10, 16.11): any object with a ListenerId binds,
# only what differs is sent, piped objects carry the desired state (snapshot restore, CSV, JSON), -WhatIf
# shows before -> after, NlbJob.Changes. Against the staged module and the emulator, with the real-length
# ids of states/runbook.json (8 TCP, 6 UDP, 8 TCPSSL listeners in cn-hangzhou, 2 TCP in cn-shanghai).
BeforeAll {
    Import-Module $env:NLBTOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emu = Start-TestEmulator -StatePath (Join-Path $PSScriptRoot 'states/runbook.json') -JobDurationMs 200
    $script:Secret = ConvertTo-SecureString $Emu.AccessKeySecret -AsPlainText -Force
    Connect-Nlb -AccessKeyId $Emu.AccessKeyId -AccessKeySecret $Secret -Endpoint $Emu.Endpoint -RegionId cn-hangzhou | Out-Null
    $script:Fqid = 'NlbTools.Commands.SetNlbListenerAttributeCommand'
    $script:Arrow = [string][char]0x2192

    function script:Get-State { @((Invoke-EmulatorControl -Emulator $Emu -Path state).Listeners) }
    function script:Get-StateListener([string] $Id) { Get-State | Where-Object ListenerId -eq $Id }
    # Counts to diff against: what a step sent is what the logs gained after the mark.
    function script:New-Mark { [pscustomobject]@{ Requests = @(Invoke-EmulatorControl -Emulator $Emu -Path requests).Count; Jobs = @(Invoke-EmulatorControl -Emulator $Emu -Path jobs).Count } }
    function script:Get-Sent($Mark, [string] $Action = 'UpdateListenerAttribute') {
        @(Invoke-EmulatorControl -Emulator $Emu -Path requests | Select-Object -Skip $Mark.Requests | Where-Object Action -eq $Action)
    }
    function script:Get-Updates($Mark) { @(Get-Sent $Mark | Where-Object { -not $_.DryRun }) }
    # Updates run concurrently, so the log order is not the input order: look a listener's request up by id.
    function script:Get-UpdateFor($Mark, [string] $Id) { @(Get-Updates $Mark | Where-Object { $_.Parameters.ListenerId -eq $Id }) }
    function script:Get-NewJobs($Mark) { @(Invoke-EmulatorControl -Emulator $Emu -Path jobs | Select-Object -Skip $Mark.Jobs) }
    function script:Get-SentNames($Request) { @($Request.Parameters.PSObject.Properties.Name | Where-Object { $_ -notin 'ListenerId', 'RegionId', 'ClientToken' } | Sort-Object) }
    # Every updatable attribute of every listener, as one comparable text (state field by field).
    function script:Get-Updatable {
        Get-State | Sort-Object ListenerId | ForEach-Object {
            [ordered]@{
                ListenerId = $_.ListenerId; ListenerDescription = $_.ListenerDescription; ServerGroupId = $_.ServerGroupId
                SecurityPolicyId = $_.SecurityPolicyId; CertificateIds = @($_.CertificateIds) -join ','; CaCertificateIds = @($_.CaCertificateIds) -join ','
                CaEnabled = $_.CaEnabled; IdleTimeout = $_.IdleTimeout; Cps = $_.Cps; Mss = $_.Mss; ProxyProtocolEnabled = $_.ProxyProtocolEnabled
                Ppv2VpcIdEnabled = $_.ProxyProtocolV2Config.Ppv2VpcIdEnabled; Ppv2PrivateLinkEpIdEnabled = $_.ProxyProtocolV2Config.Ppv2PrivateLinkEpIdEnabled
                Ppv2PrivateLinkEpsIdEnabled = $_.ProxyProtocolV2Config.Ppv2PrivateLinkEpsIdEnabled; SecSensorEnabled = $_.SecSensorEnabled
                AlpnEnabled = $_.AlpnEnabled; AlpnPolicy = $_.AlpnPolicy
            } | ConvertTo-Json -Compress
        }
    }
    function script:Id([int] $N, [int] $Port) { 'lsn-bp1bpn0kn908w4nbw{0:d4}@{1}' -f $N, $Port }
    $script:Tcp2 = Id 2 81; $script:Tcp6 = Id 6 8085; $script:Sh1 = 'lsn-uf6bpn0kn908w4nbw0301@80'
    $script:Udp1 = Id 101 53; $script:Tls1 = Id 201 443
}

AfterAll {
    Disconnect-Nlb
    if ($Emu) { $Emu | Stop-TestEmulator }
}

Describe 'Set-NlbListenerAttribute in runbooks' {
    BeforeEach {
        Invoke-EmulatorControl -Emulator $Emu -Path reset | Out-Null
        $script:Seed = Get-Updatable
    }

    Context 'binding: an object with a ListenerId binds by property name, whatever made it' {
        It '<Name> updates exactly the listeners it names (region from the object)' -ForEach @(
            @{ Name = 'a [pscustomobject] built in a script block'; WithRegion = $true
               Make = { param($t) $t | ForEach-Object { [pscustomobject]@{ ListenerId = $_.Id; RegionId = $_.Region } } } }
            @{ Name = 'Select-Object output'; WithRegion = $true
               Make = { param($t) $t | ForEach-Object { [pscustomobject]@{ ListenerId = $_.Id; RegionId = $_.Region; Extra = 1 } } | Select-Object ListenerId, RegionId } }
            @{ Name = 'Import-Csv rows'; WithRegion = $true
               Make = { param($t) $path = Join-Path $TestDrive 'ids.csv'; @('ListenerId,RegionId') + @($t | ForEach-Object { "$($_.Id),$($_.Region)" }) | Set-Content $path; Import-Csv $path } }
            @{ Name = 'ConvertFrom-Json output'; WithRegion = $true
               Make = { param($t) ConvertTo-Json -InputObject @($t | ForEach-Object { @{ ListenerId = $_.Id; RegionId = $_.Region } }) | ConvertFrom-Json } }
            @{ Name = 'deserialized NlbListeners (Export-Clixml, Import-Clixml)'; WithRegion = $true
               Make = { param($t) $path = Join-Path $TestDrive 'l.xml'; $t | ForEach-Object { Get-NlbListener -ListenerId $_.Id -RegionId $_.Region } | Export-Clixml $path; Import-Clixml $path } }
            @{ Name = 'live NlbListeners from Get-NlbListener'; WithRegion = $true
               Make = { param($t) $t | ForEach-Object { Get-NlbListener -ListenerId $_.Id -RegionId $_.Region } } }
            @{ Name = 'plain strings (the session region)'; WithRegion = $false
               Make = { param($t) $t.Id } }
        ) {
            $targets = @(@{ Id = $Tcp2; Region = 'cn-hangzhou' }, @{ Id = $Tcp6; Region = 'cn-hangzhou' })
            if ($WithRegion) { $targets += @{ Id = $Sh1; Region = 'cn-shanghai' } }
            $inputs = @(& $Make $targets)
            $mark = New-Mark
            $jobs = @($inputs | Set-NlbListenerAttribute -IdleTimeout 300 -ErrorVariable err | Wait-NlbJob -ErrorVariable waitErr)
            $err + $waitErr | Should -BeNullOrEmpty
            $jobs.Status | Should -Be @($targets | ForEach-Object { 'Succeeded' })
            $jobs.ListenerId | Should -Be $targets.Id
            @(Get-State | Where-Object IdleTimeout -eq 300 | ForEach-Object ListenerId | Sort-Object) | Should -Be @($targets.Id | Sort-Object)
            foreach ($t in $targets) { (Get-UpdateFor $mark $t.Id).Parameters.RegionId | Should -Be $t.Region }
        }

        It '-ListenerId takes several ids (16.11)' {
            $jobs = @(Set-NlbListenerAttribute -ListenerId $Tcp2, $Tcp6 -ListenerDescription 'two-at-once' | Wait-NlbJob)
            $jobs.ListenerId | Should -Be @($Tcp2, $Tcp6)
            @(Get-State | Where-Object ListenerDescription -eq 'two-at-once').Count | Should -Be 2
        }

        It 'a row of Get-NlbListener | Export-Csv binds, with its Tags, PPv2 and certificate columns, and -IdleTimeout changes only that' {
            $path = Join-Path $TestDrive 'tcp.csv'
            Get-NlbListener -ListenerProtocol TCP | Export-Csv -Path $path -NoTypeInformation
            $mark = New-Mark
            $jobs = @(Import-Csv $path | Set-NlbListenerAttribute -IdleTimeout 300 | Wait-NlbJob)
            $jobs.Count | Should -Be 8
            @(Get-State | Where-Object { $_.ListenerProtocol -eq 'TCP' -and $_.RegionId -eq 'cn-hangzhou' -and $_.IdleTimeout -ne 300 }) | Should -BeNullOrEmpty
            foreach ($u in (Get-Updates $mark)) { Get-SentNames $u | Should -Be @('IdleTimeout') }
        }

        It 'a piped object without ListenerId, or with an empty one, is a ListenerIdMissing error and nothing is sent' {
            $mark = New-Mark
            [pscustomobject]@{ Name = 'web' }, [pscustomobject]@{ ListenerId = '' } | Set-NlbListenerAttribute -IdleTimeout 300 -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 2
            $err | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be "NlbListenerIdMissing,$Fqid" }
            "$($err[0])" | Should -Match 'ListenerId property'
            (Get-Sent $mark).Count | Should -Be 0
        }
    }

    Context 'only what differs is sent' {
        It 're-running a change sends 0 updates and makes 0 jobs, and the output still pipes to Wait-NlbJob' {
            Get-NlbListener -ListenerProtocol TCP | Set-NlbListenerAttribute -IdleTimeout 300 -ListenerDescription 'rerun' | Wait-NlbJob | Out-Null
            $mark = New-Mark
            $again = @(Get-NlbListener -ListenerProtocol TCP | Set-NlbListenerAttribute -IdleTimeout 300 -ListenerDescription 'rerun' -ErrorVariable err)
            $waited = @($again | Wait-NlbJob -ErrorVariable waitErr)
            $err + $waitErr | Should -BeNullOrEmpty
            (Get-Sent $mark).Count | Should -Be 0
            (Get-NewJobs $mark).Count | Should -Be 0
            $again.Count | Should -Be 8
            $again | ForEach-Object { $_ | Should -BeOfType NlbTools.NlbJob; $_.Status | Should -Be 'NoChange'; $_.JobId | Should -BeNullOrEmpty; $_.Changes | Should -BeNullOrEmpty }
            $waited.Status | Sort-Object -Unique | Should -Be 'NoChange'
            $waited.ListenerId | Should -Be $again.ListenerId
        }

        It 'ids are read once each to diff; -Verbose says nothing was sent; -Wait returns the listener as read' {
            Set-NlbListenerAttribute -ListenerId $Tcp2, $Tcp6 -IdleTimeout 300 | Wait-NlbJob | Out-Null
            $mark = New-Mark
            $verbose = Set-NlbListenerAttribute -ListenerId $Tcp2, $Tcp6 -IdleTimeout 300 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            ($verbose.Message -match 'no change') | Should -HaveCount 2
            $listener = Set-NlbListenerAttribute -ListenerId $Tcp2 -IdleTimeout 300 -Wait
            $listener | Should -BeOfType NlbTools.NlbListener
            $listener.IdleTimeout | Should -Be 300
            (Get-Sent $mark GetListenerAttribute).Count | Should -Be 3
            (Get-Sent $mark).Count | Should -Be 0
        }

        It 'a partial diff sends only the differing attribute; NlbJob.Changes names it with before and after' {
            $mark = New-Mark
            $job = Set-NlbListenerAttribute -ListenerId $Tcp2 -IdleTimeout 900 -ListenerDescription 'only-this'
            $sent = Get-Updates $mark
            $sent.Count | Should -Be 1
            Get-SentNames $sent[0] | Should -Be @('ListenerDescription')
            $job.Changes.Count | Should -Be 1
            $job.Changes[0].Name | Should -Be 'ListenerDescription'
            $job.Changes[0].Before | Should -Be 'tcp-2'
            $job.Changes[0].After | Should -Be 'only-this'
            "$($job.Changes[0])" | Should -Be "ListenerDescription tcp-2 $Arrow only-this"
        }

        It '-Force sends everything bound' {
            $mark = New-Mark
            $job = Set-NlbListenerAttribute -ListenerId $Tcp2 -IdleTimeout 900 -ListenerDescription 'tcp-2' -Force
            $job.JobId | Should -Not -BeNullOrEmpty
            Get-SentNames (Get-Updates $mark)[0] | Should -Be @('IdleTimeout', 'ListenerDescription')
            $job.Changes.Name | Should -Be @('ListenerDescription', 'IdleTimeout')
            (Get-Sent $mark GetListenerAttribute).Count | Should -Be 1 -Because 'the IdleTimeout range depends on the protocol, so it is read once even with -Force'
        }

        It 'a modified NlbListener piped back sends just what was modified' {
            $l = Get-NlbListener -ListenerId $Tcp6
            $l.IdleTimeout = 120
            $l.ProxyProtocolV2Config.Ppv2PrivateLinkEpIdEnabled = $true
            $mark = New-Mark
            $job = $l | Set-NlbListenerAttribute | Wait-NlbJob
            $job.Status | Should -Be 'Succeeded'
            $sent = Get-Updates $mark
            Get-SentNames $sent[0] | Should -Be @('IdleTimeout', 'ProxyProtocolV2Config')
            ($sent[0].Parameters.ProxyProtocolV2Config | ConvertFrom-Json).PSObject.Properties.Name | Should -Be 'Ppv2PrivateLinkEpIdEnabled'
            (Get-Sent $mark GetListenerAttribute).Count | Should -Be 0 -Because 'the piped listener was just read'
            $now = Get-StateListener $Tcp6
            $now.IdleTimeout | Should -Be 120
            $now.ProxyProtocolV2Config.Ppv2PrivateLinkEpIdEnabled | Should -BeTrue
        }

        It 'a piped listener read before this session changed it is read again, so the service is compared, not the copy' {
            $snapshot = Get-NlbListener -ListenerId $Tcp2
            Set-NlbListenerAttribute -ListenerId $Tcp2 -ListenerDescription 'changed-meanwhile' -Wait | Out-Null
            $mark = New-Mark
            $snapshot | Set-NlbListenerAttribute | Wait-NlbJob | Out-Null
            (Get-Sent $mark GetListenerAttribute).Count | Should -Be 1
            Get-SentNames (Get-Updates $mark)[0] | Should -Be @('ListenerDescription')
            (Get-StateListener $Tcp2).ListenerDescription | Should -Be 'tcp-2'
        }
    }

    Context 'desired state from piped objects' {
        It 'snapshot, change 20 listeners of all three protocols, restore: the state equals the snapshot; restoring again sends nothing' {
            $path = Join-Path $TestDrive 'before.xml'
            Get-NlbListener | Export-Clixml -Path $path
            $all = @(Get-NlbListener)
            $tcp = @($all | Where-Object ListenerProtocol -eq TCP)
            $udp = @($all | Where-Object ListenerProtocol -eq UDP | Select-Object -First 5)
            $tls = @($all | Where-Object ListenerProtocol -eq TCPSSL | Select-Object -First 7)
            ($tcp.Count + $udp.Count + $tls.Count) | Should -Be 20
            $other = @{ 'sgp-bp1atstuj3rtoptyui0zb' = 'sgp-bp1q3ys8lfy0w2x1wvs7c'; 'sgp-bp1q3ys8lfy0w2x1wvs7c' = 'sgp-bp1atstuj3rtoptyui0zb'
                        'sgp-bp1udp4m1n2b3v4c5x6de' = 'sgp-bp1tcpudp2h3j4k5l6hij'; 'sgp-bp1tcpudp2h3j4k5l6hij' = 'sgp-bp1udp4m1n2b3v4c5x6de' }
            $jobs = @(
                $tcp | ForEach-Object {
                    $_ | Set-NlbListenerAttribute -IdleTimeout 301 -ListenerDescription 'changed' -ServerGroupId $other[$_.ServerGroupId] -Cps 1234 `
                        -ProxyProtocolEnabled (-not $_.ProxyProtocolEnabled) -Ppv2VpcIdEnabled (-not $_.ProxyProtocolV2Config.Ppv2VpcIdEnabled) -SecSensorEnabled $true
                }
                $udp | ForEach-Object { $_ | Set-NlbListenerAttribute -IdleTimeout 10 -ServerGroupId $other[$_.ServerGroupId] -Ppv2PrivateLinkEpsIdEnabled $true }
                $tls | ForEach-Object {
                    $change = @{
                        CertificateIds = if ($_.CertificateIds[0] -eq '12315790-cn-hangzhou') { '12315792-cn-hangzhou' } else { '12315790-cn-hangzhou' }
                        SecurityPolicyId = if ($_.SecurityPolicyId -eq 'tls_cipher_policy_1_2') { 'tls-bp14bb1e7dll4f1ybbfa' } else { 'tls_cipher_policy_1_1' }
                        ServerGroupId = if ($_.ServerGroupId -eq 'sgp-bp1atstuj3rtoptyui0zb') { 'sgp-bp1k7xq2wq9j5d3lmn0ab' } else { 'sgp-bp1atstuj3rtoptyui0zb' }
                        Mss = 1300; CaEnabled = -not $_.CaEnabled
                    }
                    # ALPN and CA certificates can only be restored where the snapshot has a value to restore.
                    if ($_.AlpnEnabled) { if ($_.ListenerPort % 4 -eq 3) { $change.AlpnEnabled = $false } else { $change.AlpnPolicy = 'HTTP1Only' } }
                    if ($_.CaCertificateIds) { $change.CaCertificateIds = 'ca-bp1rb7k2m9x4c1vqz5yt3' }
                    $_ | Set-NlbListenerAttribute @change
                }
            ) | Wait-NlbJob
            $jobs.Count | Should -Be 20
            $jobs.Status | Sort-Object -Unique | Should -Be 'Succeeded'
            $changed = Get-Updatable
            @(Compare-Object $Seed $changed).Count | Should -Be 40 -Because '20 listeners differ from the snapshot'

            $mark = New-Mark
            $restored = @(Import-Clixml -Path $path | Set-NlbListenerAttribute -ErrorVariable err | Wait-NlbJob)
            $err | Should -BeNullOrEmpty
            (Get-Updatable) | Should -Be $Seed
            @($restored | Where-Object Status -eq 'Succeeded').Count | Should -Be 20
            @($restored | Where-Object Status -eq 'NoChange').Count | Should -Be 2
            $attributes = ($restored.Changes | Measure-Object).Count
            Write-Host "    restore: $attributes attributes restored on 20 listeners with $((Get-Updates $mark).Count) updates"
            $attributes | Should -BeGreaterOrEqual 100
            @($restored.Changes.Name | Sort-Object -Unique) | Should -Contain 'CertificateIds'
            @($restored.Changes.Name | Sort-Object -Unique) | Should -Contain 'Ppv2VpcIdEnabled'
            @($restored.Changes.Name | Sort-Object -Unique) | Should -Contain 'AlpnEnabled'

            $again = New-Mark
            $second = @(Import-Clixml -Path $path | Set-NlbListenerAttribute | Wait-NlbJob)
            (Get-Sent $again).Count | Should -Be 0
            (Get-NewJobs $again).Count | Should -Be 0
            $second.Status | Sort-Object -Unique | Should -Be 'NoChange'
        }

        It 'Get-NlbListener | Export-Csv, then Import-Csv | Set-NlbListenerAttribute restores from the CSV' {
            $path = Join-Path $TestDrive 'all.csv'
            Get-NlbListener | Export-Csv -Path $path -NoTypeInformation
            Set-NlbListenerAttribute -ListenerId $Tcp2 -IdleTimeout 120 -Ppv2VpcIdEnabled $true -ProxyProtocolEnabled $true | Wait-NlbJob | Out-Null
            Set-NlbListenerAttribute -ListenerId $Tls1 -CertificateIds '12315792-cn-hangzhou' -AlpnPolicy HTTP2Only -CaEnabled $false | Wait-NlbJob | Out-Null
            Set-NlbListenerAttribute -ListenerId $Udp1 -ServerGroupId 'sgp-bp1tcpudp2h3j4k5l6hij' | Wait-NlbJob | Out-Null
            (Get-Updatable) | Should -Not -Be $Seed

            $mark = New-Mark
            $jobs = @(Import-Csv $path | Set-NlbListenerAttribute -ErrorVariable err | Wait-NlbJob)
            $err | Should -BeNullOrEmpty
            (Get-Updatable) | Should -Be $Seed
            (Get-Updates $mark).Count | Should -Be 3
            @($jobs | Where-Object Status -eq 'Succeeded').ListenerId | Should -Be @($Tcp2, $Udp1, $Tls1)
        }

        It 'a CSV with ListenerId and columns named like the parameters: empty cells are left alone' {
            $path = Join-Path $TestDrive 'change.csv'
            @(
                'ListenerId,RegionId,IdleTimeout,ListenerDescription,Cps,ProxyProtocolEnabled,Ppv2VpcIdEnabled,ListenerPort,ListenerProtocol,ListenerStatus,LoadBalancerId'
                "$(Id 1 80),cn-hangzhou,300,,,True,,9999,UDP,Stopped,nlb-other"
                "$Tcp2,,,csv-row-2,2000,,False,,,,"
                "$Sh1,cn-shanghai,,sh-from-csv,,,,,,,"
            ) | Set-Content $path
            $mark = New-Mark
            $jobs = @(Import-Csv $path | Set-NlbListenerAttribute | Wait-NlbJob)
            $jobs.Status | Should -Be @('Succeeded', 'Succeeded', 'Succeeded')
            (Get-Updates $mark).Count | Should -Be 3
            Get-SentNames (Get-UpdateFor $mark (Id 1 80))[0] | Should -Be @('IdleTimeout', 'ProxyProtocolEnabled')
            Get-SentNames (Get-UpdateFor $mark $Tcp2)[0] | Should -Be @('Cps', 'ListenerDescription', 'ProxyProtocolV2Config')
            $sh = (Get-UpdateFor $mark $Sh1)[0]
            Get-SentNames $sh | Should -Be @('ListenerDescription')
            $sh.Parameters.RegionId | Should -Be 'cn-shanghai'
            $first = Get-StateListener (Id 1 80)
            $first.ListenerPort | Should -Be 80
            $first.ListenerProtocol | Should -Be 'TCP'
            $first.ListenerDescription | Should -Be 'tcp-1'
            (Get-StateListener $Tcp2).ProxyProtocolV2Config.Ppv2VpcIdEnabled | Should -BeFalse
        }

        It 'JSON with a nested ProxyProtocolV2Config is a desired state' {
            $json = '[{"ListenerId":"' + $Tcp6 + '","IdleTimeout":121,"ProxyProtocolV2Config":{"Ppv2VpcIdEnabled":false,"Ppv2PrivateLinkEpsIdEnabled":true}}]'
            $job = $json | ConvertFrom-Json | Set-NlbListenerAttribute | Wait-NlbJob
            $job.Changes.Name | Should -Be @('IdleTimeout', 'Ppv2VpcIdEnabled', 'Ppv2PrivateLinkEpsIdEnabled')
            $now = Get-StateListener $Tcp6
            $now.IdleTimeout | Should -Be 121
            $now.ProxyProtocolV2Config.Ppv2VpcIdEnabled | Should -BeFalse
            $now.ProxyProtocolV2Config.Ppv2PrivateLinkEpsIdEnabled | Should -BeTrue
        }

        It 'a bad cell is a per-row error naming the column, the value and the listener; the other rows go on' {
            $path = Join-Path $TestDrive 'bad.csv'
            @(
                'ListenerId,Cps,ProxyProtocolV2Config,CaEnabled'
                "$Tcp2,lots,,"
                "$Tcp6,777,VpcId=maybe,"
                "$Tls1,,,perhaps"
                "$(Id 1 80),555,,"
            ) | Set-Content $path
            $mark = New-Mark
            $jobs = @(Import-Csv $path | Set-NlbListenerAttribute -ErrorVariable err -ErrorAction SilentlyContinue)
            $err.Count | Should -Be 3
            $err | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be "NlbInvalidAttributeValue,$Fqid"; $_.CategoryInfo.Category | Should -Be 'InvalidArgument' }
            $err[0].TargetObject | Should -Be $Tcp2
            "$($err[0])" | Should -Match ([regex]::Escape($Tcp2) + ".*column 'Cps' value 'lots'.*whole number")
            "$($err[1])" | Should -Match "column 'ProxyProtocolV2Config' value 'VpcId=maybe'.*True or False"
            "$($err[2])" | Should -Match "column 'CaEnabled' value 'perhaps'"
            $jobs.ListenerId | Should -Be @(Id 1 80)
            (Get-Sent $mark).Parameters.ListenerId | Should -Be @(Id 1 80)
        }

        It 'a value that breaks a protocol rule is a per-row rule error, and nothing is sent for that row' {
            $path = Join-Path $TestDrive 'rules.csv'
            @(
                'ListenerId,IdleTimeout,AlpnPolicy,CertificateIds'
                "$Udp1,300,,"
                "$Tls1,,HTTP3,"
                "$Tcp2,,,12315790-cn-hangzhou"
                "$Tcp6,299,,"
            ) | Set-Content $path
            $mark = New-Mark
            $jobs = @(Import-Csv $path | Set-NlbListenerAttribute -ErrorVariable err -ErrorAction SilentlyContinue)
            $err.FullyQualifiedErrorId | Should -Be @("IdleTimeoutOutOfRange,$Fqid", "InvalidAlpnPolicy,$Fqid", "ParameterRequiresTcpSsl,$Fqid")
            $err.TargetObject | Should -Be @($Udp1, $Tls1, $Tcp2)
            "$($err[0])" | Should -Match 'UDP'
            $jobs.ListenerId | Should -Be @($Tcp6)
            (Get-Sent $mark).Parameters.ListenerId | Should -Be @($Tcp6)
        }

        It 'an object that carries no attribute and no attribute parameter is NoAttributeSpecified' {
            { [pscustomobject]@{ ListenerId = $Tcp2 } | Set-NlbListenerAttribute } | Should -Throw -ErrorId "NlbNoAttributeSpecified,$Fqid"
            { $Tcp2 | Set-NlbListenerAttribute } | Should -Throw -ErrorId "NlbNoAttributeSpecified,$Fqid"
        }
    }

    Context '-WhatIf shows before and after' {
        It 'prints "IdleTimeout 900 -> 300" per listener, a no-change line for a listener already there, and prechecks only the one that would change' {
            Set-NlbListenerAttribute -ListenerId $Tcp6 -IdleTimeout 300 | Wait-NlbJob | Out-Null
            $transcript = Join-Path $TestDrive 'whatif.txt'
            $mark = New-Mark
            Start-Transcript -Path $transcript -Force | Out-Null
            try { $out = Get-NlbListener -ListenerId $Tcp2, $Tcp6 | Set-NlbListenerAttribute -IdleTimeout 300 -WhatIf }
            finally { Stop-Transcript | Out-Null }
            $out | Should -BeNullOrEmpty
            $text = Get-Content $transcript -Raw -Encoding utf8
            $text | Should -Match ("What if: Updating listener " + [regex]::Escape($Tcp2) + " \(TCP\) in cn-hangzhou: IdleTimeout 900 $Arrow 300\. The service's precheck \(DryRun\) passed")
            $text | Should -Match ("What if: listener " + [regex]::Escape($Tcp6) + " \(TCP\) in cn-hangzhou: no change")
            $dry = Get-Sent $mark
            $dry.Count | Should -Be 1
            $dry[0].DryRun | Should -BeTrue
            $dry[0].Parameters.ListenerId | Should -Be $Tcp2
        }
    }

    Context 'NlbJob.Changes' {
        It 'has one entry per attribute sent, in API order, and its Before values undo the change' {
            $job = Set-NlbListenerAttribute -ListenerId $Tls1 -Cps 100 -IdleTimeout 300 -CertificateIds '12315792-cn-hangzhou' -Ppv2VpcIdEnabled $true
            $job.Changes.Name | Should -Be @('CertificateIds', 'IdleTimeout', 'Cps', 'Ppv2VpcIdEnabled')
            $job.Changes | ForEach-Object { $_ | Should -BeOfType NlbTools.ListenerChange }
            $job.Changes[0].Before | Should -Be @('12315790-cn-hangzhou')
            $job.Changes[0].After | Should -Be @('12315792-cn-hangzhou')
            ($job.Changes | Where-Object Name -eq IdleTimeout).Before | Should -Be 900
            ($job.Changes | Where-Object Name -eq Ppv2VpcIdEnabled).Before | Should -BeFalse
            $done = $job | Wait-NlbJob
            $done.Changes.Count | Should -Be 4

            $undo = @{}
            foreach ($c in $job.Changes) { $undo[$c.Name] = $c.Before }
            Set-NlbListenerAttribute -ListenerId $Tls1 @undo | Wait-NlbJob | Out-Null
            (Get-Updatable) | Should -Be $Seed
        }
    }

    Context 'listener-independent rules are checked once, before the first listener (16.10)' {
        It '<Name>: one error for <Count> listeners, and nothing is sent' -ForEach @(
            @{ Name = 'a 1-character description'; Protocol = 'TCP'; Count = 8; Params = @{ ListenerDescription = 'x' }; RuleId = 'InvalidListenerDescription'; Says = 'must be 2 to 256 characters' }
            @{ Name = 'a description with a space'; Protocol = 'UDP'; Count = 6; Params = @{ ListenerDescription = 'web app' }; RuleId = 'InvalidListenerDescription'; Says = 'contains a space;' }
            @{ Name = 'Cps out of range'; Protocol = 'TCP'; Count = 8; Params = @{ Cps = -1 }; RuleId = 'CpsOutOfRange'; Says = 'allowed are 0 to 1000000' }
            @{ Name = 'two certificates'; Protocol = 'TCPSSL'; Count = 8; Params = @{ CertificateIds = '12315790-cn-hangzhou', '12315791-cn-hangzhou' }; RuleId = 'TooManyCertificates'; Says = 'exactly one' }
        ) {
            $mark = New-Mark
            Get-NlbListener -ListenerProtocol $Protocol | Set-NlbListenerAttribute @Params -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be "$RuleId,$Fqid"
            "$($err[0])" | Should -Match ([regex]::Escape($Says))
            "$($err[0])" | Should -Not -Match 'U\+0020'
            (Get-Sent $mark).Count | Should -Be 0
            (Get-Sent $mark GetListenerAttribute).Count | Should -Be 0
        }
    }
}
