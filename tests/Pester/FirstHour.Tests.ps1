# Issue 16 ("the first hour at the prompt") and issue 15.9 (completion quoting, Connect-Nlb -Endpoint http://10.0.0.1),
# against an emulator seeded with real-length ids (states/real-length.json).
BeforeAll {
    Import-Module $env:NLBTOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:StatePath = Join-Path $PSScriptRoot 'states/real-length.json'
    $script:Emu = Start-TestEmulator -StatePath $StatePath
    $script:Key = 'LTAI5tRealLengthKey00001'
    $script:SecretText = 'RealLengthSecret0000000000000001'
    $script:Secret = ConvertTo-SecureString $SecretText -AsPlainText -Force

    function script:Connect-RealLength([string] $Region = 'cn-hangzhou') {
        Connect-Nlb -AccessKeyId $Key -AccessKeySecret $Secret -Endpoint $Emu.Endpoint -RegionId $Region -ErrorAction Stop | Out-Null
    }
    function script:Get-Requests([string] $Action) { @(Invoke-EmulatorControl -Emulator $Emu -Path requests | Where-Object Action -eq $Action) }
    function script:Complete([string] $Line) { (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches }

    # Environment variables a test changes, restored by Restore-TestEnvironment.
    $script:SavedEnvironment = @{}
    function script:Set-TestVariable([string] $Name, [string] $Value) {
        if (-not $SavedEnvironment.ContainsKey($Name)) { $SavedEnvironment[$Name] = [Environment]::GetEnvironmentVariable($Name) }
        [Environment]::SetEnvironmentVariable($Name, $Value)
    }
    function script:Restore-TestEnvironment {
        foreach ($pair in $SavedEnvironment.GetEnumerator()) { [Environment]::SetEnvironmentVariable($pair.Key, $pair.Value) }
        $SavedEnvironment.Clear()
        Disconnect-Nlb
    }
    # An aliyun CLI config whose current profile has a region and whose 'noregion' profile has an empty one.
    function script:Use-CliConfig {
        $path = Join-Path $TestDrive "config-$([guid]::NewGuid().ToString('n')).json"
        @{
            current  = 'prod'
            profiles = @(
                @{ name = 'prod'; mode = 'AK'; access_key_id = $Key; access_key_secret = $SecretText; region_id = 'ap-southeast-1' }
                @{ name = 'noregion'; mode = 'AK'; access_key_id = $Key; access_key_secret = $SecretText; region_id = '' }
            )
        } | ConvertTo-Json -Depth 5 | Set-Content -Path $path
        foreach ($name in 'ALIBABA_CLOUD_REGION_ID', 'ALIBABACLOUD_REGION_ID', 'ALICLOUD_REGION_ID', 'REGION_ID', 'REGION', 'ALIBABA_CLOUD_PROFILE',
                          'ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_CLI_PROFILE_DISABLED') { Set-TestVariable $name $null }
        Set-TestVariable 'ALIBABA_CLOUD_CONFIG_FILE' $path
        Set-TestVariable 'ALIBABA_CLOUD_CREDENTIALS_FILE' (Join-Path $TestDrive 'no-such-credentials.ini')
        Disconnect-Nlb # forget profiles resolved before
    }
}

AfterAll {
    Disconnect-Nlb
    if ($Emu) { $Emu | Stop-TestEmulator }
}

Describe '16.1 a profile without region_id never takes another profile''s region' {
    AfterEach { Restore-TestEnvironment }

    It 'Connect-Nlb -Profile noregion fails and says how to set a region' {
        Use-CliConfig
        { Connect-Nlb -Profile noregion -Endpoint $Emu.Endpoint } | Should -Throw -ErrorId 'NlbRegionNotSet,NlbTools.Commands.ConnectNlbCommand'
        try { Connect-Nlb -Profile noregion -Endpoint $Emu.Endpoint } catch { $message = $_.ErrorDetails.Message }
        $message | Should -Match "Profile 'noregion' has no region_id"
        $message | Should -Match '-RegionId'
        $message | Should -Match 'ALIBABA_CLOUD_REGION_ID'
        $message | Should -Not -Match 'ap-southeast-1'
        (Get-NlbContext -WarningAction SilentlyContinue).IsConnected | Should -BeFalse
    }

    It 'uses -RegionId, else ALIBABA_CLOUD_REGION_ID, never the current profile''s region' {
        Use-CliConfig
        (Connect-Nlb -Profile noregion -Endpoint $Emu.Endpoint -RegionId cn-hangzhou).RegionId | Should -Be 'cn-hangzhou'
        Disconnect-Nlb
        Set-TestVariable 'ALIBABA_CLOUD_REGION_ID' 'cn-hangzhou'
        (Connect-Nlb -Profile noregion -Endpoint $Emu.Endpoint).RegionId | Should -Be 'cn-hangzhou'
        # The profile that has a region keeps it.
        Set-TestVariable 'ALIBABA_CLOUD_REGION_ID' $null
        (Connect-Nlb -Profile prod -Endpoint $Emu.Endpoint).RegionId | Should -Be 'ap-southeast-1'
    }

    It 'a -Profile on one call does the same' {
        Use-CliConfig
        { Get-NlbListener -Profile noregion -Endpoint $Emu.Endpoint -ErrorAction Stop } | Should -Throw -ErrorId 'NlbRegionNotSet,NlbTools.Commands.GetNlbListenerCommand'
        (Get-NlbListener -Profile noregion -Endpoint $Emu.Endpoint -RegionId ap-southeast-1).ListenerId | Should -Be 'lsn-t4nbpn0kn908w4nbw0007@80'
    }
}

Describe '16.2 Ctrl+C does not reach the emulator' -Skip:$IsWindows {
    It 'SIGINT to the PowerShell process group leaves the emulator running; it still ends with PowerShell' {
        $detach = @(Get-Item /usr/bin/setsid, /bin/setsid -ErrorAction Ignore | Select-Object -First 1 | ForEach-Object FullName)
        if (-not $detach) { $detach = @((Get-Command perl -CommandType Application).Source, '-e', 'setpgrp(0, 0); exec { $ARGV[0] } @ARGV or die') }
        $pwsh = @([Environment]::ProcessPath)
        $entry = [Reflection.Assembly]::GetEntryAssembly().Location
        if ($entry -and $entry.EndsWith('.dll')) { $pwsh += $entry }
        $info = Join-Path $TestDrive 'emulator-pid.txt'
        # -NoExit keeps this PowerShell alive after Ctrl+C stops its command, as an interactive prompt would be.
        $script = "Import-Module '$env:NLBTOOLS_MODULE'; `$e = Start-NlbEmulator; Set-Content -Path '$info' -Value `$e.ProcessId; Start-Sleep 60"
        $psi = [System.Diagnostics.ProcessStartInfo]::new($detach[0])
        foreach ($a in @($detach | Select-Object -Skip 1) + $pwsh + @('-NoProfile', '-NoExit', '-Command', $script)) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardInput = $true; $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true; $psi.UseShellExecute = $false
        $shell = [System.Diagnostics.Process]::Start($psi)
        $null = $shell.StandardOutput.ReadToEndAsync(); $null = $shell.StandardError.ReadToEndAsync()
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(90)
            while (-not ((Test-Path $info) -and (Get-Content $info))) {
                if ([DateTime]::UtcNow -gt $deadline -or $shell.HasExited) { throw 'The child PowerShell did not start an emulator.' }
                Start-Sleep -Milliseconds 200
            }
            $emulatorPid = [int](Get-Content $info)
            $group = [int](& ps -o pgid= -p $shell.Id).Trim()
            $group | Should -Be $shell.Id   # its own group: the signal below reaches nothing of this test run
            [int](& ps -o pgid= -p $emulatorPid).Trim() | Should -Not -Be $group

            & /bin/kill -s INT -- "-$group"
            Start-Sleep -Seconds 2
            $shell.HasExited | Should -BeFalse
            Get-Process -Id $emulatorPid -ErrorAction Ignore | Should -Not -BeNullOrEmpty

            # --parent-pid still ends it with its PowerShell.
            $shell.Kill(); $shell.WaitForExit()
            $gone = [DateTime]::UtcNow.AddSeconds(20)
            while ((Get-Process -Id $emulatorPid -ErrorAction Ignore) -and [DateTime]::UtcNow -lt $gone) { Start-Sleep -Milliseconds 200 }
            Get-Process -Id $emulatorPid -ErrorAction Ignore | Should -BeNullOrEmpty
        }
        finally {
            if (-not $shell.HasExited) { $shell.Kill(); $shell.WaitForExit() }
            if ((Test-Path $info) -and (Get-Content $info)) { Stop-Process -Id ([int](Get-Content $info)) -ErrorAction Ignore }
        }
    }
}

Describe '16.3 tables and progress lines show real-length ids in full' {
    BeforeAll { Connect-RealLength }

    It 'Format-Table shows every ListenerId and LoadBalancerId whole' {
        $text = Get-NlbListener | Format-Table | Out-String -Width 120
        foreach ($l in Get-NlbListener) {
            $text | Should -Match ([regex]::Escape($l.ListenerId) + '\s')
            $text | Should -Match ([regex]::Escape($l.LoadBalancerId))
        }
        $text | Should -Not -Match ([string][char]0x2026)
    }

    It 'Format-Table shows every ServerGroupId and VpcId whole' {
        $text = Get-NlbServerGroup | Format-Table | Out-String -Width 120
        $text | Should -Match 'sgp-bp1kabcdefgh12345678'
        $text | Should -Match 'sgp-bp1kabcdefgh1234oth1\s.*vpc-bp1b49rqrybk45nio4xyz'
        $text | Should -Match 'vpc-bp1b49rqrybk45nio4abc'
    }

    It 'Format-Table of a job shows the listener first, then the whole job GUID' {
        $job = Set-NlbListenerAttribute -ListenerId 'lsn-bp1bpn0kn908w4nbw0001@1000' -ListenerDescription 'format-check'
        $line = ($job | Format-Table | Out-String -Width 120) -split "`n" | Where-Object { $_ -match 'lsn-' }
        $line | Should -Match ('^lsn-bp1bpn0kn908w4nbw0001@1000\s.*' + [regex]::Escape($job.JobId))
        $null = $job | Wait-NlbJob
    }

    It 'Wait-NlbJob''s progress lines name the listener first' {
        # A runspace of its own, so its progress records are collected rather than drawn.
        $ps = [PowerShell]::Create()
        try {
            $null = $ps.AddScript(@"
Import-Module '$env:NLBTOOLS_MODULE'
Connect-Nlb -AccessKeyId '$Key' -AccessKeySecret (ConvertTo-SecureString '$SecretText' -AsPlainText -Force) -Endpoint '$($Emu.Endpoint)' -RegionId cn-hangzhou | Out-Null
`$ProgressPreference = 'Continue'
Set-NlbListenerAttribute -ListenerId 'lsn-bp1bpn0kn908w4nbw0002@443' -ListenerDescription 'progress-check' | Wait-NlbJob
"@)
            $jobs = @($ps.Invoke())
            $activities = @($ps.Streams.Progress | Where-Object { $_.ParentActivityId -ge 0 -and $_.RecordType -eq 'Processing' } | ForEach-Object Activity | Sort-Object -Unique)
        }
        finally { $ps.Dispose() }
        $jobs.Count | Should -Be 1
        $activities | Should -Be @("lsn-bp1bpn0kn908w4nbw0002@443: job $($jobs[0].JobId)")
    }
}

Describe '16.4 every table header is a property' {
    BeforeAll {
        $null = Invoke-EmulatorControl -Emulator $Emu -Path reset   # the descriptions the tests above changed
        Connect-RealLength
    }

    It 'every header of the <Type> table is a property of the object' -ForEach @(
        @{ Type = 'NlbListener'; Command = { Get-NlbListener | Select-Object -First 1 } }
        @{ Type = 'NlbServerGroup'; Command = { Get-NlbServerGroup | Select-Object -First 1 } }
        @{ Type = 'NlbSecurityPolicy'; Command = { Get-NlbSecurityPolicy -System | Select-Object -First 1 } }
        @{ Type = 'NlbJob'; Command = { Set-NlbListenerAttribute -ListenerId 'lsn-bp1bpn0kn908w4nbw0004@53' -ListenerDescription 'dns' } }
        @{ Type = 'NlbRegion'; Command = { Get-NlbRegion | Select-Object -First 1 } }
    ) {
        $object = & $Command
        $headers = (Get-FormatData -TypeName "NlbTools.$Type").FormatViewDefinition[0].Control.Headers.Label
        $headers | Should -Not -BeNullOrEmpty
        foreach ($header in $headers) { $object.PSObject.Properties[$header] | Should -Not -BeNullOrEmpty -Because "the $Type table shows $header" }
    }

    It 'Sort-Object and Where-Object work on the listener headers' {
        (Get-NlbListener | Where-Object Status -eq Stopped).ListenerId | Should -Be 'lsn-bp1bpn0kn908w4nbw0005@8080'
        (Get-NlbListener | Where-Object Protocol -eq UDP).ListenerId | Should -Be 'lsn-bp1bpn0kn908w4nbw0004@53'
        (Get-NlbListener | Where-Object Description -eq 'port-range').Port | Should -Be '10000-10100'
        (Get-NlbListener | Where-Object Port -eq 443).ListenerId | Should -Be 'lsn-bp1bpn0kn908w4nbw0002@443'
        (Get-NlbListener | Where-Object Port -ne '10000-10100' | Sort-Object Port).Port | Should -Be @(53, 443, 1000, 8080, 8443)
        (Get-NlbListener | Sort-Object Description | Select-Object -First 1).Description | Should -Be 'dns'
        (Get-NlbListener | Sort-Object Protocol -Descending | Select-Object -First 1).Protocol | Should -Be 'UDP'
    }

    It 'Sort-Object and Where-Object work on the server group and policy headers' {
        (Get-NlbServerGroup | Sort-Object Servers | Select-Object -First 1).ServerGroupId | Should -Be 'sgp-bp1kabcdefgh1234oth1'
        (Get-NlbServerGroup | Where-Object Name -eq 'dns-udp').ServerGroupId | Should -Be 'sgp-bp1kabcdefgh1234udp1'
        @(Get-NlbServerGroup | Where-Object Type -eq Instance).Count | Should -Be 4
        (Get-NlbServerGroup | Where-Object Protocol -eq UDP).Name | Should -Be 'dns-udp'
        @(Get-NlbServerGroup | Where-Object PreserveClientIp).Count | Should -Be 2
        (Get-NlbSecurityPolicy | Where-Object Name -eq 'hz-modern').SecurityPolicyId | Should -Be 'tls-bp1customtlspolicy0001'
        @(Get-NlbSecurityPolicy -System | Where-Object System).Count | Should -BeGreaterThan 0
    }
}

Describe '16.5 nested values are readable and survive Export-Csv' {
    BeforeAll { Connect-RealLength }

    It 'Format-List shows ProxyProtocolV2Config, tags and HealthCheck values' {
        $listener = Get-NlbListener 'lsn-bp1bpn0kn908w4nbw0001@1000' | Format-List | Out-String -Width 200
        $listener | Should -Match 'ProxyProtocolV2Config : Ppv2VpcIdEnabled=True;Ppv2PrivateLinkEpIdEnabled=False;Ppv2PrivateLinkEpsIdEnabled=False'
        $listener | Should -Match 'Tags\s+: \{env=prod, team=web\}'
        $group = Get-NlbServerGroup 'sgp-bp1kabcdefgh12345678' | Format-List | Out-String -Width 300
        $group | Should -Match 'HealthCheck\s+: HealthCheckEnabled=True;HealthCheckType=TCP;HealthCheckConnectPort=0;HealthCheckConnectTimeout=5;HealthCheckInterval=10;HealthyThreshold=2;UnhealthyThreshold=3'
        ($listener + $group) | Should -Not -Match 'NlbTools\.Client\.Models'
    }

    It 'Export-Csv writes the documented text for CertificateIds, Tags and nested objects' {
        $csv = Join-Path $TestDrive 'listeners.csv'
        Get-NlbListener | Export-Csv -Path $csv
        (Get-Content $csv -Raw) | Should -Not -Match 'System\.Collections|NlbTools\.'
        $rows = Import-Csv $csv
        $https = $rows | Where-Object ListenerId -eq 'lsn-bp1bpn0kn908w4nbw0002@443'
        $https.CertificateIds | Should -BeExactly '12315790-cn-hangzhou,12315791-cn-hangzhou'
        $https.Tags | Should -BeExactly 'env=prod'
        $tcp = $rows | Where-Object ListenerId -eq 'lsn-bp1bpn0kn908w4nbw0001@1000'
        $tcp.Tags | Should -BeExactly 'env=prod;team=web'
        $tcp.ProxyProtocolV2Config | Should -BeExactly 'Ppv2VpcIdEnabled=True;Ppv2PrivateLinkEpIdEnabled=False;Ppv2PrivateLinkEpsIdEnabled=False'
        # '\', '=' and ';' inside a tag are escaped, so the text splits back unambiguously.
        ($rows | Where-Object ListenerId -eq 'lsn-bp1bpn0kn908w4nbw0003@8443').Tags | Should -BeExactly 'env=test;cost\;center=a\=b'
        # The hidden header aliases do not add columns.
        (Get-Content $csv -TotalCount 1) | Should -Not -Match '"Port"|"Status"|"Description"|"Protocol"'

        $groups = Join-Path $TestDrive 'groups.csv'
        Get-NlbServerGroup 'sgp-bp1kabcdefgh12345678' | Export-Csv -Path $groups
        $group = Import-Csv $groups
        $group.HealthCheck | Should -Match '^HealthCheckEnabled=True;HealthCheckType=TCP;'
        $group.RelatedLoadBalancerIds | Should -BeExactly 'lb-bp1o94dp5i6earr9g6d1l'
        $group.Tags | Should -BeExactly 'env=prod'
        (Get-NlbSecurityPolicy 'tls-bp1customtlspolicy0001' | ConvertTo-Csv | ConvertFrom-Csv).TlsVersions | Should -BeExactly 'TLSv1.2,TLSv1.3'
    }
}

Describe '16.6 pipeline input binds only what each cmdlet says it binds' {
    BeforeAll { Connect-RealLength }

    It 'Get-NlbRegion | Get-NlbListener lists each region''s listeners, never a region id as a listener id' {
        $listeners = @(Get-NlbRegion | Get-NlbListener -ErrorVariable err)
        $err | Should -BeNullOrEmpty
        $listeners.Count | Should -Be 7
        ($listeners | Where-Object RegionId -eq 'ap-southeast-1').ListenerId | Should -Be 'lsn-t4nbpn0kn908w4nbw0007@80'
        Get-Requests GetListenerAttribute | Where-Object { $_.Parameters.ListenerId -in 'cn-hangzhou', 'ap-southeast-1' } | Should -BeNullOrEmpty
    }

    It 'server groups and security policies piped to Get-NlbListener give their own listeners' {
        (Get-NlbServerGroup 'sgp-bp1kabcdefgh1234udp1' | Get-NlbListener -ErrorVariable err).ListenerId | Should -Be 'lsn-bp1bpn0kn908w4nbw0004@53'
        (Get-NlbSecurityPolicy -System | Get-NlbListener -ErrorVariable err2).ListenerId | Should -Be 'lsn-bp1bpn0kn908w4nbw0002@443'
        (Get-NlbSecurityPolicy | Get-NlbListener).ListenerId | Should -Be 'lsn-bp1bpn0kn908w4nbw0003@8443'
        @($err) + @($err2) | Should -BeNullOrEmpty
    }

    It 'TCP listeners piped to Get-NlbSecurityPolicy give nothing: they have no policy' {
        @(Get-NlbListener -ListenerProtocol TCP | Get-NlbSecurityPolicy -ErrorVariable err) | Should -BeNullOrEmpty
        $err | Should -BeNullOrEmpty
    }

    It 'TCPSSL listeners give their policy, looked up where it lives (system policies included), once each' {
        $policies = @(Get-NlbListener -ListenerProtocol TCPSSL | Get-NlbSecurityPolicy)
        $policies.SecurityPolicyId | Sort-Object | Should -Be (@('tls-bp1customtlspolicy0001', 'tls_cipher_policy_1_2') | Sort-Object)
        ($policies | Where-Object SecurityPolicyId -eq 'tls_cipher_policy_1_2').IsSystem | Should -BeTrue
    }

    It 'listeners piped to Get-NlbServerGroup give each group once' {
        (Get-NlbListener | Get-NlbServerGroup).ServerGroupId | Sort-Object | Should -Be @('sgp-bp1kabcdefgh12345678', 'sgp-bp1kabcdefgh1234ip01', 'sgp-bp1kabcdefgh1234udp1')
    }

    It 'an object that is not a listener, typed as -ListenerId, is an error naming the parameter' {
        Get-NlbListener -ListenerId (Get-NlbRegion | Select-Object -First 1) -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'NlbNotAnId,NlbTools.Commands.GetNlbListenerCommand'
        $err[0].Exception.Message | Should -Match '-ListenerId'
    }
}

Describe '16.7 explicit ids that are not there, and regions the service does not list' {
    BeforeAll { Connect-RealLength }

    It '<Command> is ObjectNotFound naming the region searched' -ForEach @(
        @{ Command = 'Get-NlbSecurityPolicy -SecurityPolicyId tls-typo'; Id = 'ResourceNotFound.securityPolicy,NlbTools.Commands.GetNlbSecurityPolicyCommand' }
        @{ Command = 'Get-NlbListener -LoadBalancerId lb-bp1o94dp5i6earr9g6zzz'; Id = 'ResourceNotFound.loadBalancer,NlbTools.Commands.GetNlbListenerCommand' }
        @{ Command = 'Get-NlbListener lsn-bp1bpn0kn908w4nbw0099@1000'; Id = 'ResourceNotFound.listener,NlbTools.Commands.GetNlbListenerCommand' }
        @{ Command = 'Get-NlbListener lsn-bp1bpn0kn908w4nbw0099@1000, lsn-bp1bpn0kn908w4nbw0001@1000'; Id = 'ResourceNotFound.listener,NlbTools.Commands.GetNlbListenerCommand' }
        @{ Command = 'Get-NlbServerGroup sgp-bp1kabcdefgh1234none'; Id = 'ResourceNotFound.serverGroup,NlbTools.Commands.GetNlbServerGroupCommand' }
    ) {
        $null = Invoke-Expression "$Command -ErrorVariable err -ErrorAction SilentlyContinue"
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be $Id
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        "$($err[0].ErrorDetails.Message) $($err[0].Exception.Message)" | Should -Match 'cn-hangzhou'
    }

    It 'finds the system policy by id, and a load balancer without listeners is no error' {
        $policy = Get-NlbSecurityPolicy -SecurityPolicyId tls_cipher_policy_1_2
        $policy.SecurityPolicyId | Should -Be 'tls_cipher_policy_1_2'
        $policy.IsSystem | Should -BeTrue
        Get-NlbListener -LoadBalancerId lb-bp1o94dp5i6earr9g6e2m -ErrorVariable err | Should -BeNullOrEmpty
        $err | Should -BeNullOrEmpty
    }

    It '-RegionId <Region> is an error that names it and <Closest>' -ForEach @(
        @{ Region = 'ap-southeast-l'; Closest = 'ap-southeast-1' }
        @{ Region = 'CN-HANGZHOU'; Closest = 'cn-hangzhou' }
    ) {
        Get-NlbListener -RegionId $Region -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'NlbRegionUnknown,NlbTools.Commands.GetNlbListenerCommand'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -Match ([regex]::Escape("'$Region'"))
        $err[0].Exception.Message | Should -Match ([regex]::Escape("did you mean '$Closest'"))
        Get-NlbServerGroup -RegionId $Region -ErrorVariable err2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err2[0].FullyQualifiedErrorId | Should -Be 'NlbRegionUnknown,NlbTools.Commands.GetNlbServerGroupCommand'
    }
}

Describe '16.8 Connect-Nlb checks once, right away, and says connected only when it is' {
    AfterEach { Disconnect-Nlb }

    It 'a good key is checked with one signed DescribeRegions call' {
        $before = (Get-Requests DescribeRegions).Count
        (Connect-Nlb -AccessKeyId $Key -AccessKeySecret $Secret -Endpoint $Emu.Endpoint -RegionId cn-hangzhou).IsConnected | Should -BeTrue
        $checks = @(Get-Requests DescribeRegions | Select-Object -Skip $before)
        $checks.Count | Should -Be 1
        $checks[0].AccessKeyId | Should -Be $Key
        $checks[0].HttpStatus | Should -Be 200
    }

    It 'a wrong secret fails at Connect with the service''s code, and leaves no context' {
        $wrong = ConvertTo-SecureString 'not-the-secret-at-all' -AsPlainText -Force
        { Connect-Nlb -AccessKeyId $Key -AccessKeySecret $wrong -Endpoint $Emu.Endpoint -RegionId cn-hangzhou } |
            Should -Throw -ErrorId 'SignatureDoesNotMatch,NlbTools.Commands.ConnectNlbCommand'
        try { Connect-Nlb -AccessKeyId $Key -AccessKeySecret $wrong -Endpoint $Emu.Endpoint -RegionId cn-hangzhou } catch { $e = $_ }
        $e.ErrorDetails.Message | Should -Match 'Connect-Nlb checked the credentials with DescribeRegions'
        $e.ErrorDetails.Message | Should -Not -Match 'not-the-secret-at-all'
        (Get-NlbContext -WarningAction SilentlyContinue).IsConnected | Should -BeFalse
    }

    It 'an unknown region fails at Connect naming the closest one' {
        { Connect-Nlb -AccessKeyId $Key -AccessKeySecret $Secret -Endpoint $Emu.Endpoint -RegionId ap-southeast-l } |
            Should -Throw -ErrorId 'NlbRegionUnknown,NlbTools.Commands.ConnectNlbCommand'
        try { Connect-Nlb -AccessKeyId $Key -AccessKeySecret $Secret -Endpoint $Emu.Endpoint -RegionId CN-HANGZHOU } catch { $e = $_ }
        $e.Exception.Message | Should -Match "did you mean 'cn-hangzhou'"
    }

    It '-Endpoint <Endpoint> fails at once with NlbInvalidEndpoint and sends nothing' -ForEach @(
        @{ Endpoint = 'nlb.cn-hangzhou.aliyuncs.com'; Says = 'has no scheme: write it as https://nlb.cn-hangzhou.aliyuncs.com' }
        @{ Endpoint = 'http://10.0.0.1'; Says = 'plain http.*only for loopback' }
    ) {
        { Connect-Nlb -AccessKeyId $Key -AccessKeySecret $Secret -Endpoint $Endpoint -RegionId cn-hangzhou } |
            Should -Throw -ErrorId 'NlbInvalidEndpoint,NlbTools.Commands.ConnectNlbCommand'
        try { Connect-Nlb -AccessKeyId $Key -AccessKeySecret $Secret -Endpoint $Endpoint -RegionId cn-hangzhou } catch { $e = $_ }
        $e.Exception.Message | Should -Match $Says
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        (Get-NlbContext -WarningAction SilentlyContinue).IsConnected | Should -BeFalse
    }
}

Describe '16.12 "no credentials" and "no region" are error records that -ErrorAction governs' {
    AfterEach { Restore-TestEnvironment }

    It 'no credentials: one NlbCredentialsNotFound record for three piped listeners, silenced by SilentlyContinue, nothing sent' {
        Use-CliConfig
        Set-TestVariable 'ALIBABA_CLOUD_CONFIG_FILE' (Join-Path $TestDrive 'no-such-config.json')
        Set-TestVariable 'ALIBABA_CLOUD_ECS_METADATA_DISABLED' 'true'
        Set-TestVariable 'ALIBABA_CLOUD_CREDENTIALS_URI' $null
        Set-TestVariable 'ALIBABA_CLOUD_ROLE_ARN' $null
        Disconnect-Nlb
        $before = @(Invoke-EmulatorControl -Emulator $Emu -Path requests).Count
        $out = 'lsn-bp1bpn0kn908w4nbw0001@1000', 'lsn-bp1bpn0kn908w4nbw0005@8080', 'lsn-bp1bpn0kn908w4nbw0006@0' |
            Set-NlbListenerAttribute -IdleTimeout 300 -RegionId cn-hangzhou -Endpoint $Emu.Endpoint -ErrorAction SilentlyContinue -ErrorVariable err
        $out | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'NlbCredentialsNotFound,NlbTools.Commands.SetNlbListenerAttributeCommand'
        $err[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        @(Invoke-EmulatorControl -Emulator $Emu -Path requests).Count | Should -Be $before
    }

    It 'no region: NlbRegionNotSet, terminating only with -ErrorAction Stop' {
        Use-CliConfig
        Set-TestVariable 'ALIBABA_CLOUD_CONFIG_FILE' (Join-Path $TestDrive 'no-such-config.json')
        Set-TestVariable 'ALIBABA_CLOUD_ACCESS_KEY_ID' $Key
        Set-TestVariable 'ALIBABA_CLOUD_ACCESS_KEY_SECRET' $SecretText
        Disconnect-Nlb
        Get-NlbListener -ListenerId 'lsn-bp1bpn0kn908w4nbw0001@1000' -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Be 'NlbRegionNotSet,NlbTools.Commands.GetNlbListenerCommand'
        { Get-NlbListener -ListenerId 'lsn-bp1bpn0kn908w4nbw0001@1000' -ErrorAction Stop } | Should -Throw -ErrorId 'NlbRegionNotSet,NlbTools.Commands.GetNlbListenerCommand'
    }
}

Describe '16.14 Wait-NlbJob names its time for what it is' {
    BeforeAll { Connect-RealLength }

    It 'Elapsed runs from submission to when the end was seen (ObservedAt); there is no Duration' {
        $job = Set-NlbListenerAttribute -ListenerId 'lsn-bp1bpn0kn908w4nbw0001@1000' -ListenerDescription "elapsed-$(Get-Random)"
        Start-Sleep -Milliseconds 2500 # waited on well after the job could have ended
        $done = $job | Wait-NlbJob
        $done.Status | Should -Be 'Succeeded'
        $done.PSObject.Properties.Name | Should -Not -Contain 'Duration'
        $done.Elapsed | Should -Be ($done.ObservedAt - $done.SubmittedAt)
        $done.Elapsed.TotalMilliseconds | Should -BeGreaterOrEqual 2500
    }
}

Describe '16.16 a hung endpoint says so, and Ctrl+C stops its retries' {
    BeforeAll { Connect-RealLength }
    AfterEach { Restore-TestEnvironment }

    It 'each attempt that gets no answer is a verbose line with the wait and the attempt; stopping ends the retries at once' {
        # A loopback port that accepts connections (the kernel's backlog) and never answers.
        $hung = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $hung.Start()
        $ps = [powershell]::Create()
        try {
            # The knob this test is about: how long one attempt waits (read when the client is created).
            Set-TestVariable 'NLBTOOLS_REQUEST_TIMEOUT_SEC' '0.5'
            $endpoint = "http://127.0.0.1:$($hung.LocalEndpoint.Port)"
            $null = $ps.AddScript("Import-Module '$env:NLBTOOLS_MODULE'; Get-NlbListener -ListenerId 'lsn-bp1bpn0kn908w4nbw0001@1000' -Endpoint '$endpoint' -Verbose")
            $run = $ps.BeginInvoke()
            $deadline = [datetime]::UtcNow.AddSeconds(30)
            while (@($ps.Streams.Verbose | Where-Object Message -match 'no answer within').Count -lt 2 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            $lines = @($ps.Streams.Verbose | ForEach-Object Message | Where-Object { $_ -match 'no answer within' })
            $lines.Count | Should -BeGreaterOrEqual 2
            $lines[0] | Should -Match 'no answer within 0\.5 s, retrying \(2 of \d+\) in [\d.]+ s\.$'
            $lines[1] | Should -Match 'retrying \(3 of \d+\)'
            ($ps.Streams.Verbose.Message -join "`n") | Should -Not -Match 'TaskCanceledException'
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 2
            $run.IsCompleted | Should -BeTrue
        }
        finally {
            $ps.Dispose()
            $hung.Stop()
        }
    }
}

Describe '16.13 and 15.9 completion' {
    BeforeAll { Connect-RealLength }
    AfterEach { Restore-TestEnvironment; Connect-RealLength }

    It '-ServerGroupId offers only groups in the listener''s VPC that fit its protocol' {
        $groups = @((Complete "Set-NlbListenerAttribute -ListenerId 'lsn-bp1bpn0kn908w4nbw0001@1000' -ServerGroupId sgp-").CompletionText)
        $groups | Should -Contain 'sgp-bp1kabcdefgh12345678'
        $groups | Should -Not -Contain 'sgp-bp1kabcdefgh1234oth1'   # another VPC: Mismatch.VpcId
        $groups | Should -Not -Contain 'sgp-bp1kabcdefgh1234udp1'   # UDP behind a TCP listener
        $groups | Should -Not -Contain 'sgp-t4nkabcdefgh12345678'   # another region
        @((Complete "Set-NlbListenerAttribute -ListenerId 'lsn-bp1bpn0kn908w4nbw0004@53' -ServerGroupId sgp-").CompletionText) |
            Should -Be @('sgp-bp1kabcdefgh1234udp1')
    }

    It '-SecurityPolicyId offers nothing for UDP and TCP listeners, and the policies for TCPSSL' {
        Complete "Set-NlbListenerAttribute -ListenerId 'lsn-bp1bpn0kn908w4nbw0004@53' -SecurityPolicyId tls" | Should -BeNullOrEmpty
        Complete "Set-NlbListenerAttribute -ListenerId 'lsn-bp1bpn0kn908w4nbw0001@1000' -SecurityPolicyId tls" | Should -BeNullOrEmpty
        $tls = @((Complete "Set-NlbListenerAttribute -ListenerId 'lsn-bp1bpn0kn908w4nbw0002@443' -SecurityPolicyId tls").CompletionText)
        $tls | Should -Contain 'tls_cipher_policy_1_2'
        $tls | Should -Contain 'tls-bp1customtlspolicy0001'
    }

    It '-Profile completes profile names, not file names' {
        Use-CliConfig
        @((Complete 'Connect-Nlb -Profile ').CompletionText) | Sort-Object | Should -Be @('noregion', 'prod')
        @((Complete 'Get-NlbListener -Profile pr').CompletionText) | Should -Be @('prod')
    }

    It 'quotes an id with pipe, ampersand and angle brackets so it stays one argument, and never offers one with a control character' {
        $offered = @(Complete 'Get-NlbListener -LoadBalancerId lb-bp1hostile')
        $offered.Count | Should -Be 1   # not the one with a newline in it
        $text = $offered[0].CompletionText
        $text | Should -Be "'lb-bp1hostile0id&|<>00001'"
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput("Get-NlbListener -LoadBalancerId $text", [ref] $tokens, [ref] $errors)
        $errors | Should -BeNullOrEmpty
        $command = $ast.EndBlock.Statements[0].PipelineElements[0]
        $command.CommandElements.Count | Should -Be 3
        $command.CommandElements[2].Value | Should -Be 'lb-bp1hostile0id&|<>00001'
    }

    It 'tooltips do not go stale after Set-NlbListenerAttribute' {
        $line = 'Get-NlbListener -ListenerId lsn-bp1bpn0kn908w4nbw0006'
        (Complete $line)[0].ToolTip | Should -Match 'port-range'
        $null = Set-NlbListenerAttribute -ListenerId 'lsn-bp1bpn0kn908w4nbw0006@0' -ListenerDescription 'port-range-renamed' -Wait
        (Complete $line)[0].ToolTip | Should -Match 'port-range-renamed'
    }
}

Describe '16.15 credential messages' {
    AfterEach { Restore-TestEnvironment }

    It 'the no-credentials message gives its advice once' {
        Use-CliConfig
        Set-TestVariable 'ALIBABA_CLOUD_CONFIG_FILE' (Join-Path $TestDrive 'no-such-config.json')
        Set-TestVariable 'ALIBABA_CLOUD_ECS_METADATA_DISABLED' 'true'
        Set-TestVariable 'ALIBABA_CLOUD_CREDENTIALS_URI' $null
        Set-TestVariable 'ALIBABA_CLOUD_ROLE_ARN' $null
        Disconnect-Nlb
        try { Get-NlbListener -RegionId cn-hangzhou -ErrorAction Stop } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -Be 'NlbCredentialsNotFound,NlbTools.Commands.GetNlbListenerCommand'
        $all = "$($e.Exception.Message)`n$($e.ErrorDetails.Message)`n$($e.ErrorDetails.RecommendedAction)"
        $shown = "$($e.ErrorDetails.Message)`n$($e.ErrorDetails.RecommendedAction)"
        ([regex]::Matches($shown, 'aliyun configure')).Count | Should -Be 1
        ([regex]::Matches($shown, 'Connect-Nlb -Profile')).Count | Should -Be 1
        ([regex]::Matches($shown, 'ALIBABA_CLOUD_ACCESS_KEY_SECRET;')).Count | Should -Be 1
        $all | Should -Match 'Sources tried, in order'
    }

    It '-Profile prdo lists the profiles that exist (names only) and suggests prod' {
        Use-CliConfig
        try { Connect-Nlb -Profile prdo -Endpoint $Emu.Endpoint } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -Be 'NlbCredentialsNotFound,NlbTools.Commands.ConnectNlbCommand'
        $e.ErrorDetails.Message | Should -Match "has no profile 'prdo' \(its profiles: prod, noregion\)"
        $e.ErrorDetails.Message | Should -Match "Did you mean 'prod'\?"
        $e.ErrorDetails.Message | Should -Not -Match ([regex]::Escape($SecretText))
        $e.ErrorDetails.Message | Should -Not -Match ([regex]::Escape($Key))
    }

    It 'an empty secret names the parameter in plain words: <Case>' -ForEach @(
        @{ Case = 'AccessKeySecret'; Says = '-AccessKeySecret is empty'; Connect = { Connect-Nlb -AccessKeyId $Key -AccessKeySecret ([securestring]::new()) -Endpoint $Emu.Endpoint } }
        @{ Case = 'Credential'; Says = '-Credential has an empty password'; Connect = { Connect-Nlb -Credential ([pscredential]::new($Key, [securestring]::new())) -Endpoint $Emu.Endpoint } }
    ) {
        try { & $Connect } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -Be 'NlbInvalidCredentials,NlbTools.Commands.ConnectNlbCommand'
        $e.Exception.Message | Should -Match ([regex]::Escape($Says))
        "$($e.Exception.Message) $($e.ErrorDetails.Message)" | Should -Not -Match "\(Parameter '"
    }
}

Describe '16.18 help' {
    It '<_> has an online link for Get-Help -Online' -ForEach @(
        'Connect-Nlb', 'Disconnect-Nlb', 'Get-NlbContext', 'Get-NlbListener', 'Set-NlbListenerAttribute', 'Wait-NlbJob',
        'Get-NlbServerGroup', 'Get-NlbSecurityPolicy', 'Get-NlbRegion', 'Start-NlbEmulator', 'Stop-NlbEmulator'
    ) {
        # Get-Help -Online opens the first related link that is a URL; here it is checked, not opened.
        $first = @((Get-Help $_ -Full).relatedLinks.navigationLink | Where-Object { $_.uri -match '^https://' })[0]
        $first.uri | Should -Be "https://github.com/nlbtools/NlbTools/blob/main/docs/en-US/$_.md"
        Test-Path (Join-Path $env:NLBTOOLS_ROOT "docs/en-US/$_.md") | Should -BeTrue
    }

    It 'Set-NlbListenerAttribute''s precheck example (example 2 when the issue was filed) names the error it shows' {
        $example = @((Get-Help Set-NlbListenerAttribute -Full).examples.example | Where-Object title -match 'Precheck')[0]
        $shown = [regex]::Match($example.code, 'q=([A-Za-z.]+)&').Groups[1].Value
        $shown | Should -Be 'IncorrectStatus.listener'
        ($example.remarks.Text -join ' ') | Should -Match ([regex]::Escape($shown))
        ($example.remarks.Text -join ' ') | Should -Not -Match 'Forbidden'
    }

    It 'Start-NlbEmulator example 3, run literally, prints the table it shows' {
        $code = (Get-Help Start-NlbEmulator -Full).examples.example[2].code -split "`r?`n"
        $commands = $code | Where-Object { $_ -like 'PS> *' } | ForEach-Object { $_.Substring(4) }
        $expected = $code | Where-Object { $_ -notlike 'PS> *' -and $_ -notlike 'VERBOSE:*' -and $_.Trim() } | ForEach-Object TrimEnd
        try {
            $output = Invoke-Expression ($commands -join "`n") 4>$null 2>&1 | Out-String -Width 120
        }
        finally { Stop-NlbEmulator -ErrorAction Ignore; Connect-RealLength }
        $printed = ($output -split "`r?`n") | Where-Object { $_.Trim() } | ForEach-Object TrimEnd
        $printed | Should -Be $expected
    }
}
