# Get-NlbServerGroup, Get-NlbSecurityPolicy, Get-NlbRegion, argument completers and format views.
BeforeAll {
    Import-Module $env:NLBTOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emu = Start-TestEmulator
    $secret = ConvertTo-SecureString $Emu.AccessKeySecret -AsPlainText -Force
    Connect-Nlb -AccessKeyId $Emu.AccessKeyId -AccessKeySecret $secret -Endpoint $Emu.Endpoint -RegionId cn-hangzhou | Out-Null

    function script:Complete([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
    }
}

AfterAll {
    Disconnect-Nlb
    if ($Emu) { $Emu | Stop-TestEmulator }
}

Describe 'Get-NlbServerGroup' {
    It 'lists the region''s server groups with their protocol' {
        $groups = @(Get-NlbServerGroup)
        $groups.Count | Should -Be 5
        $groups | ForEach-Object { $_ | Should -BeOfType NlbTools.NlbServerGroup }
        $groups.RegionId | Sort-Object -Unique | Should -Be 'cn-hangzhou'
    }

    It 'filters by id and by protocol' {
        (Get-NlbServerGroup sgp-hzudp01).Protocol | Should -Be 'UDP'
        (Get-NlbServerGroup -Protocol TCP_UDP).ServerGroupId | Should -Be 'sgp-hztcpudp01'
    }

    It 'an unknown id is an ObjectNotFound error' {
        Get-NlbServerGroup sgp-nope -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'ResourceNotFound.serverGroup,NlbTools.Commands.GetNlbServerGroupCommand'
    }
}

Describe 'Get-NlbSecurityPolicy' {
    It 'lists custom policies' {
        $custom = @(Get-NlbSecurityPolicy)
        $custom.SecurityPolicyId | Should -Be 'tls-hzcustom01'
        $custom[0].IsSystem | Should -BeFalse
        $custom[0].TlsVersions | Should -Be @('TLSv1.2', 'TLSv1.3')
    }

    It 'lists the system policies with -System' {
        $system = @(Get-NlbSecurityPolicy -System)
        $system.SecurityPolicyId | Should -Contain 'tls_cipher_policy_1_2'
        $system.IsSystem | Sort-Object -Unique | Should -BeTrue
    }
}

Describe 'Get-NlbRegion' {
    It 'lists the regions' {
        (Get-NlbRegion).RegionId | Sort-Object | Should -Be @('cn-hangzhou', 'cn-shanghai')
    }
}

Describe 'Argument completers' {
    It 'completes listener ids' {
        $ids = Complete 'Set-NlbListenerAttribute -ListenerId lsn-hzedge'
        $ids | Should -Contain "'lsn-hzedge01@22'"
        $ids | Where-Object { $_ -notlike "'lsn-hzedge*" } | Should -BeNullOrEmpty
    }

    It 'completes only the server groups that fit the named listener' {
        # sgp-hzothervpc01 fits the protocol but lives in another VPC (Mismatch.VpcId).
        $groups = Complete "Set-NlbListenerAttribute -ListenerId 'lsn-hzweb01@443' -ServerGroupId sgp-"
        $groups | Sort-Object | Should -Be @('sgp-hztcp01')
        $udp = Complete "Set-NlbListenerAttribute -ListenerId 'lsn-hzweb01@53' -ServerGroupId sgp-"
        $udp | Sort-Object | Should -Be @('sgp-hztcpudp01', 'sgp-hzudp01')
    }

    It 'completes load balancers, security policies and regions' {
        Complete 'Get-NlbListener -LoadBalancerId nlb-' | Sort-Object | Should -Be @('nlb-hzedge01', 'nlb-hzweb01')
        Complete 'Set-NlbListenerAttribute -SecurityPolicyId tls' | Should -Contain 'tls_cipher_policy_1_2'
        Complete 'Set-NlbListenerAttribute -SecurityPolicyId tls' | Should -Contain 'tls-hzcustom01'
        Complete 'Get-NlbListener -RegionId cn-' | Sort-Object | Should -Be @('cn-hangzhou', 'cn-shanghai')
    }

    It 'completes the values of -AlpnPolicy and -ListenerProtocol' {
        Complete 'Set-NlbListenerAttribute -AlpnPolicy HTTP2' | Sort-Object | Should -Be @('HTTP2Only', 'HTTP2Optional', 'HTTP2Preferred')
        Complete 'Get-NlbListener -ListenerProtocol T' | Sort-Object | Should -Be @('TCP', 'TCPSSL')
    }

    It 'shows nothing, and no error, when the API cannot be reached' {
        $dead = [uri]'http://127.0.0.1:9'
        $Error.Clear()
        Complete "Get-NlbListener -Endpoint $dead -ListenerId lsn-" | Should -BeNullOrEmpty
        Complete "Get-NlbListener -Endpoint $dead -RegionId cn-h" | Should -Contain 'cn-hangzhou'
        $Error.Count | Should -Be 0
    }
}

Describe 'Format views' {
    It 'has a view for <Name>' -ForEach @(
        @{ Name = 'NlbServerGroup'; Command = { Get-NlbServerGroup sgp-hztcp01 }; Header = 'PreserveClientIp' }
        @{ Name = 'NlbSecurityPolicy'; Command = { Get-NlbSecurityPolicy -System }; Header = 'TlsVersions' }
        @{ Name = 'NlbRegion'; Command = { Get-NlbRegion }; Header = 'LocalName' }
        @{ Name = 'NlbContext'; Command = { Get-NlbContext }; Header = 'CredentialSource' }
        @{ Name = 'NlbJob'; Command = { Set-NlbListenerAttribute -ListenerId 'lsn-hzweb01@80' -ListenerDescription 'fmt' }; Header = 'Elapsed' }
    ) {
        $text = & $Command | Out-String -Width 250
        $text | Should -Match $Header
        (Get-FormatData -TypeName "NlbTools.$Name") | Should -Not -BeNullOrEmpty
    }
}
