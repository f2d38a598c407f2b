# Set-NlbListenerAttribute against the staged module and a real emulator on loopback.
BeforeAll {
    Import-Module $env:NLBTOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

    # Two regions, every protocol, all listeners Running, so "exactly the TCP listeners" is unambiguous.
    $listener = { param($id, $lb, $protocol, $port, $group, $region) @{ ListenerId = $id; LoadBalancerId = $lb; ListenerProtocol = $protocol; ListenerPort = $port; ServerGroupId = $group; RegionId = $region } }
    $state = @{
        AccessKeys    = @(
            @{ AccessKeyId = 'LTAI5tPesterSetKey01'; AccessKeySecret = 'PesterSetSecret000000000000000' }
            @{ AccessKeyId = 'LTAI5tPesterReadOnly1'; AccessKeySecret = 'PesterReadOnlySecret0000000000'; DeniedActions = @('UpdateListenerAttribute') }
        )
        Regions       = @(@{ RegionId = 'cn-hangzhou' }, @{ RegionId = 'cn-shanghai' })
        LoadBalancers = @(
            @{ LoadBalancerId = 'nlb-hz1'; RegionId = 'cn-hangzhou'; VpcId = 'vpc-hz' }
            @{ LoadBalancerId = 'nlb-sh1'; RegionId = 'cn-shanghai'; VpcId = 'vpc-sh' }
        )
        ServerGroups  = @(
            @{ ServerGroupId = 'sgp-hztcp'; RegionId = 'cn-hangzhou'; VpcId = 'vpc-hz'; Protocol = 'TCP'; PreserveClientIpEnabled = $false }
            @{ ServerGroupId = 'sgp-hztcpip'; RegionId = 'cn-hangzhou'; VpcId = 'vpc-hz'; Protocol = 'TCP'; PreserveClientIpEnabled = $true }
            @{ ServerGroupId = 'sgp-hzudp'; RegionId = 'cn-hangzhou'; VpcId = 'vpc-hz'; Protocol = 'UDP'; PreserveClientIpEnabled = $true }
            @{ ServerGroupId = 'sgp-shtcp'; RegionId = 'cn-shanghai'; VpcId = 'vpc-sh'; Protocol = 'TCP' }
        )
        Certificates  = @(
            @{ CertificateId = 'cert-hz1'; RegionId = 'cn-hangzhou'; Type = 'Server' }
            @{ CertificateId = 'cert-hz2'; RegionId = 'cn-hangzhou'; Type = 'Server' }
        )
        Listeners     = @(
            & $listener 'lsn-hz1@80' 'nlb-hz1' 'TCP' 80 'sgp-hztcp' 'cn-hangzhou'
            & $listener 'lsn-hz1@53' 'nlb-hz1' 'UDP' 53 'sgp-hzudp' 'cn-hangzhou'
            & $listener 'lsn-hz1@81' 'nlb-hz1' 'TCP' 81 'sgp-hztcpip' 'cn-hangzhou'
            (& $listener 'lsn-hz1@443' 'nlb-hz1' 'TCPSSL' 443 'sgp-hztcp' 'cn-hangzhou') + @{ CertificateIds = @('cert-hz1') }
            & $listener 'lsn-hz1@54' 'nlb-hz1' 'UDP' 54 'sgp-hzudp' 'cn-hangzhou'
            & $listener 'lsn-hz1@82' 'nlb-hz1' 'TCP' 82 'sgp-hztcp' 'cn-hangzhou'
            & $listener 'lsn-sh1@80' 'nlb-sh1' 'TCP' 80 'sgp-shtcp' 'cn-shanghai'
        )
    }
    $statePath = Join-Path $TestDrive 'state.json'
    $state | ConvertTo-Json -Depth 10 | Set-Content -Path $statePath
    $script:Emu = Start-TestEmulator -StatePath $statePath -JobDurationMs 300
    $script:Secret = ConvertTo-SecureString $Emu.AccessKeySecret -AsPlainText -Force
    Connect-Nlb -AccessKeyId $Emu.AccessKeyId -AccessKeySecret $Secret -Endpoint $Emu.Endpoint -RegionId cn-hangzhou | Out-Null

    function script:Get-Requests([string] $Action) { @(Invoke-EmulatorControl -Emulator $Emu -Path requests | Where-Object Action -eq $Action) }
    function script:Get-StateListener([string] $Id) { (Invoke-EmulatorControl -Emulator $Emu -Path state).Listeners | Where-Object ListenerId -eq $Id }
    $script:Fqid = 'NlbTools.Commands.SetNlbListenerAttributeCommand'
}

AfterAll {
    Disconnect-Nlb
    if ($Emu) { $Emu | Stop-TestEmulator }
}

Describe 'Set-NlbListenerAttribute' {
    BeforeEach {
        Invoke-EmulatorControl -Emulator $Emu -Path reset | Out-Null
        $script:UpdatesBefore = (Get-Requests UpdateListenerAttribute).Count
    }

    Context 'pipeline from Get-NlbListener to Wait-NlbJob' {
        It 'updates exactly the TCP listeners of the region, PATCHing only IdleTimeout' {
            $tcp = @(Get-NlbListener -RegionId cn-hangzhou | Where-Object ListenerProtocol -eq 'TCP')
            $jobs = @(Get-NlbListener -RegionId cn-hangzhou | Where-Object ListenerProtocol -eq 'TCP' | Set-NlbListenerAttribute -IdleTimeout 300 | Wait-NlbJob)

            $jobs.Status | Should -Be @('Succeeded', 'Succeeded', 'Succeeded')
            # Output keeps the input order even though the updates run concurrently.
            $jobs.ListenerId | Should -Be $tcp.ListenerId
            $after = (Invoke-EmulatorControl -Emulator $Emu -Path state).Listeners
            ($after | Where-Object IdleTimeout -eq 300).ListenerId | Sort-Object | Should -Be ('lsn-hz1@80', 'lsn-hz1@81', 'lsn-hz1@82')
            ($after | Where-Object ListenerId -eq 'lsn-sh1@80').IdleTimeout | Should -Be 900

            $updates = @(Get-Requests UpdateListenerAttribute | Select-Object -Skip $UpdatesBefore)
            $updates.Count | Should -Be 3
            foreach ($u in $updates) {
                @($u.Parameters.PSObject.Properties.Name | Sort-Object) | Should -Be @('ClientToken', 'IdleTimeout', 'ListenerId', 'RegionId')
                $u.Parameters.RegionId | Should -Be 'cn-hangzhou'
                $u.DryRun | Should -BeFalse
            }
        }

        It 'carries the region of piped listeners to the update' {
            $jobs = @(Get-NlbListener -RegionId cn-shanghai | Set-NlbListenerAttribute -ListenerDescription 'sh-web' | Wait-NlbJob)
            $jobs.RegionId | Should -Be 'cn-shanghai'
            (Get-StateListener 'lsn-sh1@80').ListenerDescription | Should -Be 'sh-web'
            (Get-Requests UpdateListenerAttribute | Select-Object -Last 1).Parameters.RegionId | Should -Be 'cn-shanghai'
        }

        It 'returns an NlbJob that names the listener, region, action and client token' {
            $job = Set-NlbListenerAttribute -ListenerId 'lsn-hz1@80' -ListenerDescription 'web-80'
            $job | Should -BeOfType NlbTools.NlbJob
            $job.JobId | Should -Not -BeNullOrEmpty
            $job.RequestId | Should -Not -BeNullOrEmpty
            $job.ListenerId | Should -Be 'lsn-hz1@80'
            $job.RegionId | Should -Be 'cn-hangzhou'
            $job.Action | Should -Be 'UpdateListenerAttribute'
            $job.ClientToken | Should -Be (Get-Requests UpdateListenerAttribute | Select-Object -Last 1).ClientToken
        }

        It 'uses a given -ClientToken for one listener only, and refuses it for a second before sending' {
            $jobs = 'lsn-hz1@80', 'lsn-hz1@82' | Set-NlbListenerAttribute -IdleTimeout 120 -ClientToken 'runbook-42' -ErrorVariable err -ErrorAction SilentlyContinue
            @($jobs).Count | Should -Be 1
            $jobs.ListenerId | Should -Be 'lsn-hz1@80'
            $jobs.ClientToken | Should -Be 'runbook-42'
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be "NlbClientTokenForOneListener,$Fqid"
            $err[0].Exception.Message | Should -Match 'lsn-hz1@80'
            @(Get-Requests UpdateListenerAttribute).Count - $UpdatesBefore | Should -Be 1
            (Get-StateListener 'lsn-hz1@82').IdleTimeout | Should -Not -Be 120
        }

        It '-Wait returns the updated listener' {
            $updated = Set-NlbListenerAttribute -ListenerId 'lsn-hz1@80' -IdleTimeout 120 -Wait
            $updated | Should -BeOfType NlbTools.NlbListener
            $updated.IdleTimeout | Should -Be 120
            $updated.RegionId | Should -Be 'cn-hangzhou'
        }
    }

    Context 'PATCH semantics and booleans' {
        It 'sets booleans to true and back to false, sending only the bound ones' {
            Set-NlbListenerAttribute -ListenerId 'lsn-hz1@80' -ProxyProtocolEnabled $true -Ppv2VpcIdEnabled $true -Wait | Out-Null
            $on = Get-StateListener 'lsn-hz1@80'
            $on.ProxyProtocolEnabled | Should -BeTrue
            $on.ProxyProtocolV2Config.Ppv2VpcIdEnabled | Should -BeTrue

            Set-NlbListenerAttribute -ListenerId 'lsn-hz1@80' -ProxyProtocolEnabled $false -Wait | Out-Null
            $off = Get-StateListener 'lsn-hz1@80'
            $off.ProxyProtocolEnabled | Should -BeFalse
            $off.ProxyProtocolV2Config.Ppv2VpcIdEnabled | Should -BeTrue

            $last = Get-Requests UpdateListenerAttribute | Select-Object -Last 1
            $last.Parameters.ProxyProtocolEnabled | Should -Match '^false$'
            $last.Parameters.PSObject.Properties.Name | Should -Not -Contain 'ProxyProtocolV2Config'
            $last.Parameters.PSObject.Properties.Name | Should -Not -Contain 'IdleTimeout'
        }

        It 'sends the ProxyProtocolV2Config members that were bound as one JSON field' {
            Set-NlbListenerAttribute -ListenerId 'lsn-hz1@80' -Ppv2PrivateLinkEpIdEnabled $false -Ppv2PrivateLinkEpsIdEnabled $true | Out-Null
            $json = (Get-Requests UpdateListenerAttribute | Select-Object -Last 1).Parameters.ProxyProtocolV2Config | ConvertFrom-Json
            $json.Ppv2PrivateLinkEpIdEnabled | Should -BeFalse
            $json.Ppv2PrivateLinkEpsIdEnabled | Should -BeTrue
            $json.PSObject.Properties.Name | Should -Not -Contain 'Ppv2VpcIdEnabled'
        }

        It 'refuses to run with no attribute to change' {
            { Set-NlbListenerAttribute -ListenerId 'lsn-hz1@80' } | Should -Throw -ErrorId "NlbNoAttributeSpecified,$Fqid"
        }
    }

    Context '-WhatIf asks the service (DryRun)' {
        It 'sends DryRun=true, changes nothing, and shows the precheck RequestId' {
            $transcript = Join-Path $TestDrive 'whatif.txt'
            Start-Transcript -Path $transcript -Force | Out-Null
            try { $out = Get-NlbListener -ListenerId 'lsn-hz1@80' | Set-NlbListenerAttribute -IdleTimeout 100 -WhatIf }
            finally { Stop-Transcript | Out-Null }

            $out | Should -BeNullOrEmpty
            $dry = Get-Requests UpdateListenerAttribute | Select-Object -Last 1
            $dry.DryRun | Should -BeTrue
            $dry.Parameters.DryRun | Should -Match '^true$'
            (Get-StateListener 'lsn-hz1@80').IdleTimeout | Should -Be 900
            @(Invoke-EmulatorControl -Emulator $Emu -Path jobs).Count | Should -Be 0
            (Get-Content $transcript -Raw) | Should -Match ("What if: .*lsn-hz1@80.*RequestId " + [regex]::Escape($dry.RequestId))
        }

        It 'reports a failing precheck as an error whose ErrorId is the service code' {
            Set-NlbListenerAttribute -ListenerId 'lsn-hz1@80' -IdleTimeout 5000 -SkipClientValidation -WhatIf -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'IllegalParam.IdleTimeout,*'
            $err[0].ErrorDetails.Message | Should -Match 'RequestId'
            (Get-Requests UpdateListenerAttribute | Select-Object -Last 1).DryRun | Should -BeTrue
            (Get-StateListener 'lsn-hz1@80').IdleTimeout | Should -Be 900
        }

        It 'follows $WhatIfPreference inside an advanced function' {
            function Update-Web {
                [CmdletBinding(SupportsShouldProcess)]
                param()
                Set-NlbListenerAttribute -ListenerId 'lsn-hz1@80' -ListenerDescription 'from-function'
            }
            Update-Web -WhatIf | Should -BeNullOrEmpty
            (Get-Requests UpdateListenerAttribute | Select-Object -Last 1).DryRun | Should -BeTrue
            (Get-StateListener 'lsn-hz1@80').ListenerDescription | Should -Not -Be 'from-function'
        }
    }

    Context 'per-protocol rules (nothing is sent)' {
        It '<Name>' -ForEach @(
            @{ Name = 'TCPSSL-only parameter on TCP'; Listener = 'lsn-hz1@80'; Params = @{ SecurityPolicyId = 'tls_cipher_policy_1_2' }; RuleId = 'ParameterRequiresTcpSsl'; Parameter = 'SecurityPolicyId'; Protocol = 'TCP' }
            @{ Name = 'TCPSSL-only parameter on UDP'; Listener = 'lsn-hz1@53'; Params = @{ Mss = 1200 }; RuleId = 'ParameterRequiresTcpSsl'; Parameter = 'Mss'; Protocol = 'UDP' }
            @{ Name = 'IdleTimeout out of range for UDP'; Listener = 'lsn-hz1@53'; Params = @{ IdleTimeout = 30 }; RuleId = 'IdleTimeoutOutOfRange'; Parameter = 'IdleTimeout'; Protocol = 'UDP' }
            @{ Name = 'IdleTimeout out of range for TCP'; Listener = 'lsn-hz1@80'; Params = @{ IdleTimeout = 901 }; RuleId = 'IdleTimeoutOutOfRange'; Parameter = 'IdleTimeout'; Protocol = 'TCP' }
            @{ Name = 'AlpnEnabled without AlpnPolicy'; Listener = 'lsn-hz1@443'; Params = @{ AlpnEnabled = $true }; RuleId = 'AlpnPolicyRequired'; Parameter = 'AlpnPolicy'; Protocol = 'TCPSSL' }
            @{ Name = 'UDP server group on a TCPSSL listener'; Listener = 'lsn-hz1@443'; Params = @{ ServerGroupId = 'sgp-hzudp' }; RuleId = 'ServerGroupProtocolMismatch'; Parameter = 'ServerGroupId'; Protocol = 'TCPSSL' }
            @{ Name = 'client-IP-preserving group on a TCPSSL listener'; Listener = 'lsn-hz1@443'; Params = @{ ServerGroupId = 'sgp-hztcpip' }; RuleId = 'ServerGroupProtocolMismatch'; Parameter = 'ServerGroupId'; Protocol = 'TCPSSL' }
            @{ Name = 'TCP server group on a UDP listener'; Listener = 'lsn-hz1@53'; Params = @{ ServerGroupId = 'sgp-hztcp' }; RuleId = 'ServerGroupProtocolMismatch'; Parameter = 'ServerGroupId'; Protocol = 'UDP' }
        ) {
            Set-NlbListenerAttribute -ListenerId $Listener @Params -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be "$RuleId,$Fqid"
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err[0].TargetObject | Should -Be $Listener
            $message = $err[0].ErrorDetails.Message
            $message | Should -Match "-$Parameter "
            $message | Should -Match $Protocol
            (Get-Requests UpdateListenerAttribute).Count | Should -Be $UpdatesBefore
        }

        It 'checks a piped listener without reading it again' {
            $reads = (Get-Requests GetListenerAttribute).Count
            $udp = Get-NlbListener -ListenerId 'lsn-hz1@53'
            $udp | Set-NlbListenerAttribute -IdleTimeout 300 -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be "IdleTimeoutOutOfRange,$Fqid"
            (Get-Requests GetListenerAttribute).Count | Should -Be ($reads + 1)
            (Get-Requests UpdateListenerAttribute).Count | Should -Be $UpdatesBefore
        }

        It '-SkipClientValidation sends a server-owned range unchecked, but still applies the protocol rules' {
            Set-NlbListenerAttribute -ListenerId 'lsn-hz1@80' -IdleTimeout 1000 -SkipClientValidation -ErrorAction SilentlyContinue
            (Get-Requests UpdateListenerAttribute).Count | Should -Be ($UpdatesBefore + 1)
            Set-NlbListenerAttribute -ListenerId 'lsn-hz1@80' -Mss 1000 -SkipClientValidation -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be "ParameterRequiresTcpSsl,$Fqid"
            (Get-Requests UpdateListenerAttribute).Count | Should -Be ($UpdatesBefore + 1)
        }

        It 'keeps going after a rejected item and writes results in input order' {
            $out = 'lsn-hz1@80', 'lsn-hz1@53', 'lsn-hz1@82' | ForEach-Object { [pscustomobject]@{ ListenerId = $_ } } |
                Set-NlbListenerAttribute -IdleTimeout 200 -ErrorVariable err -ErrorAction SilentlyContinue
            @($out).ListenerId | Should -Be @('lsn-hz1@80', 'lsn-hz1@82')
            $err.Count | Should -Be 1
            $err[0].TargetObject | Should -Be 'lsn-hz1@53'
        }
    }

    Context 'service errors' {
        It 'an unknown listener is a non-terminating ObjectNotFound error' {
            $out = 'lsn-nope@1', 'lsn-hz1@80' | ForEach-Object { [pscustomobject]@{ ListenerId = $_ } } |
                Set-NlbListenerAttribute -ListenerDescription 'still-runs' -ErrorVariable err -ErrorAction SilentlyContinue
            @($out).ListenerId | Should -Be @('lsn-hz1@80')
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be "ResourceNotFound.listener,$Fqid"
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err[0].ErrorDetails.Message | Should -Match 'RequestId: [0-9A-F-]{36}'
        }

        It 'a denied action (403) is a PermissionDenied error per listener, and -ErrorAction Stop stops' {
            $readOnly = ConvertTo-SecureString 'PesterReadOnlySecret0000000000' -AsPlainText -Force
            try {
                Connect-Nlb -AccessKeyId 'LTAI5tPesterReadOnly1' -AccessKeySecret $readOnly -Endpoint $Emu.Endpoint -RegionId cn-hangzhou | Out-Null
                Get-NlbListener | Where-Object ListenerProtocol -eq TCP | Set-NlbListenerAttribute -IdleTimeout 300 -ErrorVariable err -ErrorAction SilentlyContinue
                $err.Count | Should -Be 3
                $err | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be "Forbidden.NoPermission,$Fqid" }
                $err[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
                { Set-NlbListenerAttribute -ListenerId 'lsn-hz1@80' -IdleTimeout 300 -ErrorAction Stop } | Should -Throw -ErrorId "Forbidden.NoPermission,$Fqid"
            }
            finally {
                Connect-Nlb -AccessKeyId $Emu.AccessKeyId -AccessKeySecret $Secret -Endpoint $Emu.Endpoint -RegionId cn-hangzhou | Out-Null
            }
            (Invoke-EmulatorControl -Emulator $Emu -Path state).Listeners.IdleTimeout | Should -Not -Contain 300
        }
    }
}
