# Bad input (issue 8 §2): every rule of the seed (UpdateListenerAttribute.txt), wrong types, empty strings,
# 1- and 257-character descriptions, forbidden characters, unicode, leading/trailing spaces, $null in arrays,
# duplicate certificate ids, negative and huge numbers, ids from another region; then malformed emulator
# state files and malformed aliyun CLI / ini credential files.
# Each case names the ErrorId it must get and where it is caught:
#   Binding  - PowerShell parameter binding; terminating; no request at all.
#   Client   - the module's own validation; no UpdateListenerAttribute request (only the read that tells the
#              listener's protocol, when a rule depends on it), and the state is unchanged.
#   Service  - only the service can know (existence, VPC, region); the state is unchanged.
# Listeners of the demo state: TCP lsn-hzweb01@80 (group sgp-hztcpip01), TCPSSL lsn-hzweb01@443,
# UDP lsn-hzweb01@53 (cn-hangzhou); lsn-shapp01@80 is in cn-shanghai.

BeforeDiscovery {
    $tcp = 'lsn-hzweb01@80'; $tls = 'lsn-hzweb01@443'; $udp = 'lsn-hzweb01@53'; $shanghai = 'lsn-shapp01@80'
    function Case($Name, $Side, $ErrorId, [hashtable] $Params) { @{ Name = $Name; Side = $Side; ErrorId = $ErrorId; Params = $Params } }
    $script:cases = @(
        # ListenerDescription: 2-256 characters, letters, digits and , . ; / @ _ -
        Case '1-character description' Client InvalidListenerDescription @{ ListenerId = $tcp; ListenerDescription = 'a' }
        Case '257-character description' Client InvalidListenerDescription @{ ListenerId = $tcp; ListenerDescription = 'd' * 257 }
        Case 'empty description' Client InvalidListenerDescription @{ ListenerId = $tcp; ListenerDescription = '' }
        Case 'forbidden character !' Client InvalidListenerDescription @{ ListenerId = $tcp; ListenerDescription = 'web!' }
        Case 'forbidden characters <script>' Client InvalidListenerDescription @{ ListenerId = $tcp; ListenerDescription = '<script>x' }
        Case 'forbidden characters % & = +' Client InvalidListenerDescription @{ ListenerId = $tcp; ListenerDescription = 'a%20b&c=d+e' }
        Case 'space inside the description' Client InvalidListenerDescription @{ ListenerId = $tcp; ListenerDescription = 'web app' }
        Case 'leading space' Client InvalidListenerDescription @{ ListenerId = $tcp; ListenerDescription = ' web' }
        Case 'trailing space' Client InvalidListenerDescription @{ ListenerId = $tcp; ListenerDescription = 'web ' }
        Case 'tab and newline' Client InvalidListenerDescription @{ ListenerId = $tcp; ListenerDescription = "we`tb`n" }
        Case 'emoji' Client InvalidListenerDescription @{ ListenerId = $tcp; ListenerDescription = "web$([char]::ConvertFromUtf32(0x1F600))" }
        Case 'zero-width space' Client InvalidListenerDescription @{ ListenerId = $tcp; ListenerDescription = "web$([char]0x200B)app" }
        Case 'right-to-left override' Client InvalidListenerDescription @{ ListenerId = $tcp; ListenerDescription = "web$([char]0x202E)ppa" }
        Case 'quote and semicolon injection' Client InvalidListenerDescription @{ ListenerId = $tcp; ListenerDescription = "x'; Remove-Item *" }
        # IdleTimeout: TCP/TCPSSL 10-900, UDP 10-20
        Case 'TCP IdleTimeout 9' Client IdleTimeoutOutOfRange @{ ListenerId = $tcp; IdleTimeout = 9 }
        Case 'TCP IdleTimeout 901' Client IdleTimeoutOutOfRange @{ ListenerId = $tcp; IdleTimeout = 901 }
        Case 'TCPSSL IdleTimeout 0' Client IdleTimeoutOutOfRange @{ ListenerId = $tls; IdleTimeout = 0 }
        Case 'UDP IdleTimeout 21' Client IdleTimeoutOutOfRange @{ ListenerId = $udp; IdleTimeout = 21 }
        Case 'negative IdleTimeout' Client IdleTimeoutOutOfRange @{ ListenerId = $tcp; IdleTimeout = -1 }
        Case 'IdleTimeout [int]::MaxValue' Client IdleTimeoutOutOfRange @{ ListenerId = $tcp; IdleTimeout = [int]::MaxValue }
        Case 'IdleTimeout beyond Int32' Binding CannotConvertArgumentNoMessage @{ ListenerId = $tcp; IdleTimeout = 99999999999 }
        Case 'IdleTimeout as text' Binding CannotConvertArgumentNoMessage @{ ListenerId = $tcp; IdleTimeout = 'ten' }
        Case 'IdleTimeout as a hashtable' Binding CannotConvertArgumentNoMessage @{ ListenerId = $tcp; IdleTimeout = @{ a = 1 } }
        # Cps 0-1000000, Mss 0-1500 (TCPSSL only)
        Case 'negative Cps' Client CpsOutOfRange @{ ListenerId = $tcp; Cps = -1 }
        Case 'Cps 1000001' Client CpsOutOfRange @{ ListenerId = $tcp; Cps = 1000001 }
        Case 'Cps [int]::MinValue' Client CpsOutOfRange @{ ListenerId = $udp; Cps = [int]::MinValue }
        Case 'Mss 1501' Client MssOutOfRange @{ ListenerId = $tls; Mss = 1501 }
        Case 'negative Mss' Client MssOutOfRange @{ ListenerId = $tls; Mss = -5 }
        # TLS settings take effect only on TCPSSL listeners
        Case 'Mss on TCP' Client ParameterRequiresTcpSsl @{ ListenerId = $tcp; Mss = 1400 }
        Case 'SecurityPolicyId on TCP' Client ParameterRequiresTcpSsl @{ ListenerId = $tcp; SecurityPolicyId = 'tls_cipher_policy_1_2' }
        Case 'CertificateIds on UDP' Client ParameterRequiresTcpSsl @{ ListenerId = $udp; CertificateIds = '12315790-cn-hangzhou' }
        Case 'CaCertificateIds on TCP' Client ParameterRequiresTcpSsl @{ ListenerId = $tcp; CaCertificateIds = 'ca-hzroot01' }
        Case 'CaEnabled on TCP' Client ParameterRequiresTcpSsl @{ ListenerId = $tcp; CaEnabled = $true }
        Case 'AlpnEnabled on UDP' Client ParameterRequiresTcpSsl @{ ListenerId = $udp; AlpnEnabled = $false }
        Case 'AlpnPolicy on TCP' Client ParameterRequiresTcpSsl @{ ListenerId = $tcp; AlpnPolicy = 'HTTP2Only' }
        # ALPN
        Case 'AlpnEnabled without AlpnPolicy' Client AlpnPolicyRequired @{ ListenerId = $tls; AlpnEnabled = $true }
        Case 'unknown AlpnPolicy' Client InvalidAlpnPolicy @{ ListenerId = $tls; AlpnPolicy = 'HTTP3Only' }
        Case 'AlpnPolicy in the wrong case' Client InvalidAlpnPolicy @{ ListenerId = $tls; AlpnPolicy = 'http2only' }
        Case 'empty AlpnPolicy' Binding ParameterArgumentValidationError @{ ListenerId = $tls; AlpnPolicy = '' }
        # Certificates: exactly one id
        Case 'two server certificates' Client TooManyCertificates @{ ListenerId = $tls; CertificateIds = '12315790-cn-hangzhou', '12315791-cn-hangzhou' }
        Case 'duplicate server certificate ids' Client TooManyCertificates @{ ListenerId = $tls; CertificateIds = '12315790-cn-hangzhou', '12315790-cn-hangzhou' }
        Case 'duplicate CA certificate ids' Client TooManyCertificates @{ ListenerId = $tls; CaCertificateIds = 'ca-hzroot01', 'ca-hzroot01' }
        Case 'empty certificate id' Client EmptyCertificateId @{ ListenerId = $tls; CertificateIds = '' }
        Case 'blank certificate id' Client EmptyCertificateId @{ ListenerId = $tls; CertificateIds = '  ' }
        Case '$null in the certificate array' Binding ParameterArgumentValidationError @{ ListenerId = $tls; CertificateIds = @('12315790-cn-hangzhou', $null) }
        Case '$null as the only CA certificate' Binding ParameterArgumentValidationError @{ ListenerId = $tls; CaCertificateIds = @($null) }
        # Server group compatibility: TCP <- TCP|TCP_UDP, UDP <- UDP|TCP_UDP, TCPSSL <- TCP without client IP preservation
        Case 'UDP server group on a TCP listener' Client ServerGroupProtocolMismatch @{ ListenerId = $tcp; ServerGroupId = 'sgp-hzudp01' }
        Case 'TCP server group on a UDP listener' Client ServerGroupProtocolMismatch @{ ListenerId = $udp; ServerGroupId = 'sgp-hztcp01' }
        Case 'client-IP-preserving group on TCPSSL' Client ServerGroupProtocolMismatch @{ ListenerId = $tls; ServerGroupId = 'sgp-hztcpip01' }
        Case 'TCP_UDP group on TCPSSL' Client ServerGroupProtocolMismatch @{ ListenerId = $tls; ServerGroupId = 'sgp-hztcpudp01' }
        # Wrong types, empty and $null for the rest
        Case 'boolean as text' Binding CannotConvertArgument @{ ListenerId = $tls; CaEnabled = 'yes' }
        Case 'empty ListenerId' Binding ParameterArgumentValidationErrorEmptyStringNotAllowed @{ ListenerId = ''; IdleTimeout = 100 }
        Case '$null ListenerId' Binding ParameterArgumentValidationErrorNullNotAllowed @{ ListenerId = $null; IdleTimeout = 100 }
        Case 'empty ServerGroupId' Binding ParameterArgumentValidationError @{ ListenerId = $tcp; ServerGroupId = '' }
        Case 'empty ClientToken' Binding ParameterArgumentValidationError @{ ListenerId = $tcp; IdleTimeout = 100; ClientToken = '' }
        Case '$null description' Binding ParameterArgumentValidationError @{ ListenerId = $tcp; ListenerDescription = $null }
        Case 'ThrottleLimit 0' Binding ParameterArgumentValidationError @{ ListenerId = $tcp; IdleTimeout = 100; ThrottleLimit = 0 }
        Case 'negative TimeoutSec' Binding ParameterArgumentValidationError @{ ListenerId = $tcp; IdleTimeout = 100; TimeoutSec = -1 }
        Case 'no attribute to change' Client NlbNoAttributeSpecified @{ ListenerId = $tcp }
        Case 'non-ASCII ClientToken' Client InvalidClientToken @{ ListenerId = $tcp; IdleTimeout = 100; ClientToken = 'tökén-1' }
        Case 'ClientToken with a line break' Client InvalidClientToken @{ ListenerId = $tcp; IdleTimeout = 100; ClientToken = "token`n2" }
        # Only the service knows: existence, VPC, region
        Case 'listener from another region' Service ResourceNotFound.listener @{ ListenerId = $shanghai; ListenerDescription = 'moved' }
        Case 'listener in another region than -RegionId' Service ResourceNotFound.listener @{ ListenerId = $tcp; RegionId = 'cn-shanghai'; ListenerDescription = 'moved' }
        Case 'listener that does not exist' Service ResourceNotFound.listener @{ ListenerId = 'lsn-doesnotexist'; ListenerDescription = 'gone' }
        Case 'listener id with injection characters' Client NlbInvalidListenerId @{ ListenerId = "lsn-x'&Action=Delete#"; ListenerDescription = 'gone' }
        Case 'listener id with a space' Client NlbInvalidListenerId @{ ListenerId = 'lsn-hzweb01@80 '; IdleTimeout = 100 }
        Case 'listener id with unicode' Client NlbInvalidListenerId @{ ListenerId = 'lsn-hzwéb01@80'; IdleTimeout = 100 }
        Case 'load balancer id given as listener id' Client NlbInvalidListenerId @{ ListenerId = 'nlb-hzweb01'; IdleTimeout = 100 }
        Case 'certificate from another region' Service ResourceNotFound.Certificate @{ ListenerId = $tls; CertificateIds = '12315800-cn-shanghai' }
        Case 'CA certificate that does not exist' Service ResourceNotFound.CaCertificate @{ ListenerId = $tls; CaCertificateIds = 'ca-nope' }
        Case 'security policy from another region' Service ResourceNotFound.securitypolicy @{ ListenerId = $tls; SecurityPolicyId = 'tls-shcustom01' }
        Case 'server group in another VPC' Service Mismatch.VpcId @{ ListenerId = $tcp; ServerGroupId = 'sgp-hzothervpc01' }
        Case 'server group that does not exist' Service ResourceNotFound.serverGroup @{ ListenerId = $tcp; ServerGroupId = 'sgp-nope' }
        Case 'fine-grained monitoring where unsupported' Service OperationDenied.RegionNotSupportHDMonitor @{ ListenerId = $shanghai; RegionId = 'cn-shanghai'; SecSensorEnabled = $true }
        Case 'a stopped listener' Service IncorrectStatus.listener @{ ListenerId = 'lsn-hzweb01@8080'; IdleTimeout = 100 }
    )
    $script:accepted = @(
        @{ Name = '2-character description'; Params = @{ ListenerId = $tcp; ListenerDescription = 'ab' } }
        @{ Name = '256-character description'; Params = @{ ListenerId = $tcp; ListenerDescription = 'd' * 256 } }
        @{ Name = 'unicode letters and digits'; Params = @{ ListenerId = $tcp; ListenerDescription = 'Ünïcødé-描述_٣' } }
        @{ Name = 'every allowed punctuation'; Params = @{ ListenerId = $tcp; ListenerDescription = 'a,b.c;d/e@f_g-h' } }
        @{ Name = 'edges of the ranges'; Params = @{ ListenerId = $tls; IdleTimeout = 10; Cps = 1000000; Mss = 1500 } }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:NLBTOOLS_MODULE -Force
    $script:emu = Start-TestEmulator -JobDurationMs 0
    $secret = ConvertTo-SecureString $emu.AccessKeySecret -AsPlainText -Force
    $null = Connect-Nlb -AccessKeyId $emu.AccessKeyId -AccessKeySecret $secret -RegionId cn-hangzhou -Endpoint $emu.Endpoint
    $script:tried = 0

    function Get-Listeners { (Invoke-EmulatorControl -Emulator $emu -Path state).Listeners | ConvertTo-Json -Depth 8 -Compress }
    function Get-LogCount { @(Invoke-EmulatorControl -Emulator $emu -Path requests).Count }

    # Runs Set-NlbListenerAttribute; returns the error records (terminating or not) and the requests it caused.
    function Invoke-Case([hashtable] $Params) {
        $before = Get-LogCount
        $errors = [System.Collections.Generic.List[object]]::new()
        $ev = $null
        try { $null = Set-NlbListenerAttribute @Params -Confirm:$false -ErrorVariable ev -ErrorAction SilentlyContinue }
        catch { $errors.Add($_) }
        foreach ($e in @($ev)) { if ($e -and -not $errors.Contains($e)) { $errors.Add($e) } }
        [pscustomobject]@{ Errors = @($errors); Requests = @(Invoke-EmulatorControl -Emulator $emu -Path requests | Select-Object -Skip $before) }
    }
}

AfterAll {
    Disconnect-Nlb -ErrorAction Ignore
    if ($script:emu) { $script:emu | Stop-TestEmulator }
    Write-Host "    bad inputs tried: $script:tried"
}

Describe 'Set-NlbListenerAttribute rejects bad input clearly' {
    It '<Name>: <Side> error <ErrorId>' -ForEach $cases {
        $script:tried++
        $stateBefore = Get-Listeners
        $result = Invoke-Case $Params
        $result.Errors | Should -Not -BeNullOrEmpty -Because 'bad input must give an error'
        $first = $result.Errors[0]
        $first.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        # Clear: for the module's own checks the record targets the listener and the message names the
        # parameter; a service error carries the service's message and RequestId.
        "$first" | Should -Not -BeNullOrEmpty
        if ($Side -eq 'Client' -and $ErrorId -ne 'NlbNoAttributeSpecified') {
            $first.TargetObject | Should -Be $Params.ListenerId
            $first.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $named = if ($ErrorId -eq 'NlbInvalidListenerId') { 'ListenerId' } else { $Params.Keys | Where-Object { $_ -notin 'ListenerId', 'RegionId' } }
            $words = @($named) + @($named | ForEach-Object { $Params[$_] } | Where-Object { $_ -is [string] -and $_.Trim().Length -gt 3 })
            "$first" | Should -Match (($words | ForEach-Object { [regex]::Escape($_) }) -join '|')
        }
        if ($Side -eq 'Service') {
            $first.TargetObject | Should -Be $Params.ListenerId
            "$first" | Should -Match 'RequestId: [0-9A-F-]{36}'
        }
        (Get-Listeners) | Should -Be $stateBefore -Because 'nothing may change'
        switch ($Side) {
            'Binding' { $result.Requests | Should -HaveCount 0 }
            'Client' {
                # At most the read that tells the listener's protocol (or server group); never a write or DryRun.
                @($result.Requests | Where-Object Action -notin 'GetListenerAttribute', 'ListServerGroups') | Should -HaveCount 0
            }
            'Service' { @($result.Requests | Where-Object Code -eq $ErrorId) | Should -Not -BeNullOrEmpty }
        }
    }

    It 'accepts the valid edge: <Name>' -ForEach $accepted {
        $script:tried++
        $result = Invoke-Case $Params
        $result.Errors | Should -HaveCount 0
        @($result.Requests | Where-Object Action -eq 'UpdateListenerAttribute') | Should -HaveCount 1
        $listener = (Invoke-EmulatorControl -Emulator $emu -Path state).Listeners | Where-Object ListenerId -eq $Params.ListenerId
        if ($Params.ListenerDescription) { $listener.ListenerDescription | Should -BeExactly $Params.ListenerDescription }
        if ($Params.Mss) { $listener.Mss | Should -Be $Params.Mss }
    }

    It 'rejects a piped object that is not a listener before sending anything: <Name>' -ForEach @(
        @{ Name = 'an object without ListenerId'; Value = [pscustomobject]@{ Name = 'web' } }
        @{ Name = 'a hashtable'; Value = @{ Id = 'lsn-hzweb01@80' } }
        @{ Name = 'a number'; Value = 42 }
    ) {
        $script:tried++
        $before = Get-LogCount
        $stateBefore = Get-Listeners
        $err = $null
        try { $Value | Set-NlbListenerAttribute -IdleTimeout 100 -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeIn @('NlbInvalidListenerId,NlbTools.Commands.SetNlbListenerAttributeCommand', 'NlbListenerIdMissing,NlbTools.Commands.SetNlbListenerAttributeCommand')
        Get-LogCount | Should -Be $before
        Get-Listeners | Should -Be $stateBefore
    }
}

Describe 'Malformed files give a clear error naming the file' {
    Context 'emulator state file' {
        It '<Name>' -ForEach @(
            @{ Name = 'truncated JSON'; Text = '{"AccessKeys": [ {"AccessKeyId": "a"'; Expect = '*not a valid state document*' }
            @{ Name = 'wrong type for Listeners'; Text = '{"AccessKeys":[{"AccessKeyId":"a","AccessKeySecret":"b"}],"Listeners":"many"}'; Expect = '*not a valid state document*' }
            @{ Name = 'no access key'; Text = '{"AccessKeys":[],"Regions":[{"RegionId":"cn-hangzhou"}]}'; Expect = '*AccessKey*' }
            @{ Name = 'listener of an unknown load balancer'; Text = '{"AccessKeys":[{"AccessKeyId":"a","AccessKeySecret":"b"}],"Regions":[{"RegionId":"cn-hangzhou"}],"Listeners":[{"ListenerId":"lsn-1","LoadBalancerId":"nlb-nope","ListenerProtocol":"TCP","ListenerPort":80}]}'; Expect = '*nlb-nope*' }
            @{ Name = 'empty file'; Text = ''; Expect = '*state*' }
        ) {
            $script:tried++
            $path = Join-Path $TestDrive 'state.json'
            Set-Content -Path $path -Value $Text
            $err = $null
            try { $null = Start-NlbEmulator -StatePath $path } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -BeLike 'NlbEmulatorStartFailed,*'
            "$err" | Should -BeLike $Expect
            "$err" | Should -BeLike "*$path*"
        }
    }

    Context 'aliyun CLI config.json and credentials ini' {
        BeforeAll {
            $script:savedEnv = @{}
            foreach ($name in 'ALIBABA_CLOUD_CONFIG_FILE', 'ALIBABA_CLOUD_CREDENTIALS_FILE', 'ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_PROFILE') {
                $savedEnv[$name] = [Environment]::GetEnvironmentVariable($name)
                [Environment]::SetEnvironmentVariable($name, $null)
            }
        }
        AfterAll {
            foreach ($name in $savedEnv.Keys) { [Environment]::SetEnvironmentVariable($name, $savedEnv[$name]) }
        }

        It 'config.json: <Name>' -ForEach @(
            @{ Name = 'truncated JSON'; Text = '{"current":"default","profiles":[{"name":"default","mode":"AK","access_key_id":"LTAIbad","access_key_secret":"NotShownSecret1'; Expect = '*not valid JSON*' }
            @{ Name = 'profiles is not an array'; Text = '{"current":"default","profiles":{"name":"default"}}'; Expect = "*'profiles'*" }
            @{ Name = 'an object where a string belongs'; Text = '{"current":"default","profiles":[{"name":"default","mode":"AK","access_key_id":{"id":1},"access_key_secret":"NotShownSecret1"}]}'; Expect = '*must be a string*' }
            @{ Name = 'AK profile without a secret'; Text = '{"current":"default","profiles":[{"name":"default","mode":"AK","access_key_id":"LTAIbad"}]}'; Expect = '*access_key_secret*' }
            @{ Name = 'top level is an array'; Text = '[1,2,3]'; Expect = '*JSON object*' }
        ) {
            $script:tried++
            $path = Join-Path $TestDrive 'config.json'
            Set-Content -Path $path -Value $Text
            $env:ALIBABA_CLOUD_CONFIG_FILE = $path
            Disconnect-Nlb # profiles are read once per session; this makes the module read the changed file
            $err = $null
            try { $null = Connect-Nlb -Profile default -Endpoint $emu.Endpoint } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -BeLike 'NlbCredentials*,NlbTools.Commands.ConnectNlbCommand'
            "$err" | Should -BeLike $Expect
            "$err" | Should -BeLike "*$path*"
            "$err" | Should -Not -BeLike '*NotShownSecret1*'
        }

        It 'a malformed config.json does not break cmdlets whose credentials and region come from elsewhere' {
            $script:tried++
            $path = Join-Path $TestDrive 'config.json'
            Set-Content -Path $path -Value '[1,2,3]'
            $env:ALIBABA_CLOUD_CONFIG_FILE = $path
            Disconnect-Nlb
            $secret = ConvertTo-SecureString $emu.AccessKeySecret -AsPlainText -Force
            # No -RegionId: the module looks for a default region, which reads the broken file.
            { $null = Connect-Nlb -AccessKeyId $emu.AccessKeyId -AccessKeySecret $secret -Endpoint $emu.Endpoint } | Should -Not -Throw
            { $null = Get-NlbContext } | Should -Not -Throw
            { $null = Get-NlbListener -ListenerId 'lsn-hzweb01@80' -RegionId cn-hangzhou -ErrorAction Stop } | Should -Not -Throw
            Disconnect-Nlb
        }

        It 'credentials ini: <Name>' -ForEach @(
            @{ Name = 'broken section header'; Text = "[default`naccess_key_id = LTAIbad`naccess_key_secret = NotShownSecret2"; Expect = '*section header*' }
            @{ Name = 'line without key = value'; Text = "[default]`ntype = access_key`njust some words NotShownSecret2"; Expect = "*key = value*" }
            @{ Name = 'duplicate section'; Text = "[default]`ntype = access_key`n[default]`ntype = access_key"; Expect = '*twice*' }
            @{ Name = 'key before any section'; Text = "access_key_id = LTAIbad`n[default]"; Expect = '*before the first*' }
            @{ Name = 'access_key profile without a secret'; Text = "[default]`ntype = access_key`naccess_key_id = LTAIbad"; Expect = '*access_key_secret*' }
        ) {
            $script:tried++
            $path = Join-Path $TestDrive 'credentials.ini'
            Set-Content -Path $path -Value $Text
            $env:ALIBABA_CLOUD_CONFIG_FILE = Join-Path $TestDrive 'no-such-config.json'
            $env:ALIBABA_CLOUD_CREDENTIALS_FILE = $path
            Disconnect-Nlb
            $err = $null
            try { $null = Connect-Nlb -Profile default -Endpoint $emu.Endpoint } catch { $err = $_ }
            $env:ALIBABA_CLOUD_CREDENTIALS_FILE = $null
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -BeLike 'NlbCredentials*,NlbTools.Commands.ConnectNlbCommand'
            "$err" | Should -BeLike $Expect
            "$err" | Should -BeLike "*$path*"
            "$err" | Should -Not -BeLike '*NotShownSecret2*'
        }
    }
}
