# Credentials the way Alibaba Cloud users have them (issue 5): every source, end to end. A cmdlet call goes
# through the provider and the emulator's loopback STS or ECS metadata service, and ends in a signed NLB request
# that the emulator accepts (its request log shows the temporary AccessKeyId and HTTP 200).
BeforeAll {
    Import-Module $env:NLBTOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emu = Start-TestEmulator -ExtraArgs '--ecs-role', 'nlb-runbook-role'
    $script:RoleArn = 'acs:ram::1234567890123456:role/nlb-operator'
    # Demo state's STS key (DemoState.cs): lets an External command answer StsToken credentials the emulator knows.
    $script:DemoSts = @{ Id = 'STS.NlbEmulatorDemo'; Secret = 'NlbEmulatorStsSecret00000000000'; Token = 'NlbEmulatorDemoSecurityToken' }
    # A loopback port nobody listens on: the ECS source must never reach the real 100.100.100.200.
    $script:NoMetadata = 'http://127.0.0.1:9/'

    $script:Touched = @('HOME', 'USERPROFILE', 'NLBTOOLS_STS_ENDPOINT', 'NLBTOOLS_ECS_METADATA_ENDPOINT') +
        @([Environment]::GetEnvironmentVariables().Keys | Where-Object { $_ -like 'ALIBABA*' -or $_ -like 'ALICLOUD*' -or $_ -in 'REGION', 'REGION_ID' })
    $script:Saved = @{}
    foreach ($name in $Touched) { $Saved[$name] = [Environment]::GetEnvironmentVariable($name) }

    # A fresh home and no Alibaba Cloud variables; STS at the emulator; nothing cached by the module.
    function script:Reset-CredentialEnvironment([hashtable] $Variables = @{}) {
        foreach ($name in [Environment]::GetEnvironmentVariables().Keys) {
            if ($name -like 'ALIBABA*' -or $name -like 'ALICLOUD*' -or $name -in 'REGION', 'REGION_ID') { [Environment]::SetEnvironmentVariable($name, $null) }
        }
        $script:TestHome = Join-Path $TestDrive ('home-' + [guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory -Path $TestHome
        $env:HOME = $TestHome; $env:USERPROFILE = $TestHome
        $env:NLBTOOLS_STS_ENDPOINT = $Emu.Endpoint
        $env:NLBTOOLS_ECS_METADATA_ENDPOINT = $NoMetadata
        foreach ($pair in $Variables.GetEnumerator()) { [Environment]::SetEnvironmentVariable($pair.Key, $pair.Value) }
        Disconnect-Nlb
    }

    function script:Write-HomeFile([string] $RelativePath, [string] $Content) {
        $path = Join-Path $TestHome $RelativePath
        $null = New-Item -ItemType Directory -Force -Path (Split-Path $path)
        Set-Content -Path $path -Value $Content -NoNewline
        $path
    }

    function script:Write-CliConfig([string] $Current, [object[]] $Profiles) {
        Write-HomeFile '.aliyun/config.json' (@{ current = $Current; profiles = $Profiles } | ConvertTo-Json -Depth 5)
    }

    function script:Get-LastRequest([string] $Action) {
        # Invoke-RestMethod hands a JSON array over as one object: enumerate it, then take the newest entry.
        @(Invoke-RestMethod "$($Emu.Endpoint)/_emulator/requests?action=$Action" | ForEach-Object { $_ })[-1]
    }

    # The cmdlet call every test ends with; returns the emulator's log entry for it.
    function script:Invoke-ListenerCall {
        $listeners = @(Get-NlbListener -RegionId cn-hangzhou -ErrorAction Stop)
        $listeners.Count | Should -BeGreaterThan 0
        $request = Get-LastRequest 'ListListeners'
        $request.HttpStatus | Should -Be 200
        $request.SignatureVersion | Should -Be 'V3'
        $request
    }

    function script:Assert-TemporaryKeyAccepted {
        $request = Invoke-ListenerCall
        $request.AccessKeyId | Should -BeLike 'STS.*'
        $request.AccessKeyId | Should -Not -Be $DemoSts.Id  # issued by the emulator's STS or metadata service just now
        $request
    }

    function script:Connect-Default { Connect-Nlb -Endpoint $Emu.Endpoint -RegionId cn-hangzhou -ErrorAction Stop }

    $script:AkProfile = @{ name = 'base'; mode = 'AK'; access_key_id = $Emu.AccessKeyId; access_key_secret = $Emu.AccessKeySecret; region_id = 'cn-shanghai' }
}

AfterAll {
    Disconnect-Nlb
    foreach ($name in $Touched) { [Environment]::SetEnvironmentVariable($name, $Saved[$name]) }
    if ($Emu) { $Emu | Stop-TestEmulator }
}

Describe 'Each credentials source, end to end through the emulator' {
    BeforeEach { Reset-CredentialEnvironment }

    It 'aliyun CLI profile, mode RamRoleArn: AssumeRole (V2-signed with the profile keys), then the NLB call' {
        Write-CliConfig 'base' @($AkProfile, @{ name = 'ops'; mode = 'RamRoleArn'; access_key_id = $Emu.AccessKeyId; access_key_secret = $Emu.AccessKeySecret
            ram_role_arn = $RoleArn; ram_session_name = 'pester'; expired_seconds = 1800; region_id = 'cn-hangzhou' })
        $ctx = Connect-Nlb -Profile ops -Endpoint $Emu.Endpoint -ErrorAction Stop
        $ctx.CredentialSource | Should -Be 'cli-profile:ops (RamRoleArn)'
        $ctx.RegionId | Should -Be 'cn-hangzhou'
        $ctx.AccessKeyId | Should -BeLike 'STS.****'
        # Temporary credentials: Get-NlbContext says when they expire (the emulator issued them for 1800 s).
        $ctx.Expiration | Should -BeOfType [DateTimeOffset]
        ($ctx.Expiration - [DateTimeOffset]::UtcNow).TotalSeconds | Should -BeGreaterThan 1700
        ($ctx.Expiration - [DateTimeOffset]::UtcNow).TotalSeconds | Should -BeLessOrEqual 1800
        (Get-NlbContext | Out-String) | Should -Match 'Expiration\s+:'
        Assert-TemporaryKeyAccepted | Out-Null
        $sts = Get-LastRequest 'AssumeRole'
        $sts.AccessKeyId | Should -Be $Emu.AccessKeyId
        $sts.SignatureVersion | Should -Be 'V2'
        $sts.Parameters.RoleSessionName | Should -Be 'pester'
        $sts.Parameters.DurationSeconds | Should -Be '1800'
    }

    It 'aliyun CLI profile, mode ChainableRamRoleArn: the second AssumeRole is signed with the first one''s keys' {
        Write-CliConfig 'chained' @($AkProfile,
            @{ name = 'first'; mode = 'RamRoleArn'; access_key_id = $Emu.AccessKeyId; access_key_secret = $Emu.AccessKeySecret; ram_role_arn = $RoleArn; ram_session_name = 'first' },
            @{ name = 'chained'; mode = 'ChainableRamRoleArn'; source_profile = 'first'; ram_role_arn = 'acs:ram::1234567890123456:role/second'; ram_session_name = 'second' })
        (Connect-Default).CredentialSource | Should -Be 'cli-profile:chained (ChainableRamRoleArn)'
        Assert-TemporaryKeyAccepted | Out-Null
        (Get-LastRequest 'AssumeRole').AccessKeyId | Should -BeLike 'STS.*'
    }

    It 'ini file, type ram_role_arn, named with Connect-Nlb -Profile' {
        Write-HomeFile '.alibabacloud/credentials' @"
[runbook]
type = ram_role_arn
access_key_id = $($Emu.AccessKeyId)
access_key_secret = $($Emu.AccessKeySecret)
role_arn = $RoleArn
role_session_name = ini-session
"@ | Out-Null
        (Connect-Nlb -Profile runbook -Endpoint $Emu.Endpoint -RegionId cn-hangzhou -ErrorAction Stop).CredentialSource | Should -Be 'ini-profile:runbook (ram_role_arn)'
        Assert-TemporaryKeyAccepted | Out-Null
    }

    It 'a read-only key''s ram_role_arn profile gets a read-only STS key: reads work, Set-NlbListenerAttribute is Forbidden.NoPermission' {
        # Issue 15 item 11: AssumeRole keeps the caller's DeniedActions (the demo state's read-only key denies writes).
        Write-HomeFile '.alibabacloud/credentials' @"
[readonly-role]
type = ram_role_arn
access_key_id = LTAI5tNlbEmulatorReadOnly
access_key_secret = NlbEmulatorReadOnlySecret000000
role_arn = $RoleArn
role_session_name = read-only-session
"@ | Out-Null
        (Connect-Nlb -Profile readonly-role -Endpoint $Emu.Endpoint -RegionId cn-hangzhou -ErrorAction Stop).CredentialSource | Should -Be 'ini-profile:readonly-role (ram_role_arn)'
        $read = Assert-TemporaryKeyAccepted
        (Get-LastRequest 'AssumeRole').AccessKeyId | Should -Be 'LTAI5tNlbEmulatorReadOnly'
        $before = (Invoke-EmulatorControl -Emulator $Emu -Path state).Listeners | Where-Object ListenerId -EQ 'lsn-hzweb01@80'
        { Set-NlbListenerAttribute -ListenerId 'lsn-hzweb01@80' -ListenerDescription 'escalated' -ErrorAction Stop } |
            Should -Throw -ErrorId 'Forbidden.NoPermission,NlbTools.Commands.SetNlbListenerAttributeCommand'
        $update = Get-LastRequest 'UpdateListenerAttribute'
        $update.AccessKeyId | Should -Be $read.AccessKeyId
        $update.Code | Should -Be 'Forbidden.NoPermission'
        ((Invoke-EmulatorControl -Emulator $Emu -Path state).Listeners | Where-Object ListenerId -EQ 'lsn-hzweb01@80').ListenerDescription | Should -Be $before.ListenerDescription
    }

    It 'OIDC (RRSA) from ALIBABA_CLOUD_ROLE_ARN, _OIDC_PROVIDER_ARN and _OIDC_TOKEN_FILE: unsigned AssumeRoleWithOIDC' {
        $token = Write-HomeFile 'rrsa/token' 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJydW5ib29rIn0.c2lnbmF0dXJl'
        $env:ALIBABA_CLOUD_ROLE_ARN = $RoleArn
        $env:ALIBABA_CLOUD_OIDC_PROVIDER_ARN = 'acs:ram::1234567890123456:oidc-provider/ack-rrsa'
        $env:ALIBABA_CLOUD_OIDC_TOKEN_FILE = $token
        (Connect-Default).CredentialSource | Should -Be "oidc:$RoleArn"
        Assert-TemporaryKeyAccepted | Out-Null
        $sts = Get-LastRequest 'AssumeRoleWithOIDC'
        $sts.HttpStatus | Should -Be 200
        $sts.Parameters.PSObject.Properties.Name | Should -Not -Contain 'OIDCToken'
        $sts.ParametersOmitted | Should -BeTrue   # unsigned: the log keeps none of its parameter values
    }

    It 'ECS RAM role: IMDSv2 token, role discovery and credentials from the metadata paths' {
        $env:NLBTOOLS_ECS_METADATA_ENDPOINT = $Emu.Endpoint
        $env:ALIBABA_CLOUD_IMDSV1_DISABLED = 'true'
        $ctx = Connect-Default
        $ctx.CredentialSource | Should -Be 'ecs-ram-role:nlb-runbook-role'
        Assert-TemporaryKeyAccepted | Out-Null
    }

    It 'aliyun CLI profile, mode EcsRamRole with a named role' {
        $env:NLBTOOLS_ECS_METADATA_ENDPOINT = $Emu.Endpoint
        Write-CliConfig 'ecs' @(@{ name = 'ecs'; mode = 'EcsRamRole'; ram_role_name = 'nlb-runbook-role' })
        (Connect-Default).CredentialSource | Should -Be 'cli-profile:ecs (EcsRamRole)'
        Assert-TemporaryKeyAccepted | Out-Null
    }

    It 'credentials URI from ALIBABA_CLOUD_CREDENTIALS_URI' {
        $env:ALIBABA_CLOUD_CREDENTIALS_URI = "$($Emu.Endpoint)/latest/meta-data/ram/security-credentials/nlb-runbook-role"
        (Connect-Default).CredentialSource | Should -Be "credentials-uri:$($Emu.Endpoint)/latest/meta-data/ram/security-credentials/nlb-runbook-role"
        Assert-TemporaryKeyAccepted | Out-Null
    }

    It 'aliyun CLI profile, mode External: the process_command prints the credentials' -Skip:$IsWindows {
        $json = @{ mode = 'StsToken'; access_key_id = $DemoSts.Id; access_key_secret = $DemoSts.Secret; sts_token = $DemoSts.Token } | ConvertTo-Json -Compress
        $script = Write-HomeFile 'bin/aliyun-credential-helper' "#!/bin/sh`necho '$json'`n"
        chmod +x $script
        Write-CliConfig 'ext' @(@{ name = 'ext'; mode = 'External'; process_command = "$script --for nlb" })
        (Connect-Default).CredentialSource | Should -Be 'cli-profile:ext (External)'
        (Invoke-ListenerCall).AccessKeyId | Should -Be $DemoSts.Id
    }

    It 'the environment variables, with an STS token' {
        $env:ALIBABA_CLOUD_ACCESS_KEY_ID = $DemoSts.Id
        $env:ALIBABA_CLOUD_ACCESS_KEY_SECRET = $DemoSts.Secret
        $env:ALIBABA_CLOUD_SECURITY_TOKEN = $DemoSts.Token
        $ctx = Connect-Default
        $ctx.CredentialSource | Should -Be 'environment'
        $ctx.Expiration | Should -BeNullOrEmpty  # no expiry is known for keys from the environment
        (Invoke-ListenerCall).AccessKeyId | Should -Be $DemoSts.Id
    }
}

Describe 'The default chain' {
    BeforeEach { Reset-CredentialEnvironment }

    It 'takes the environment before the CLI profile, the CLI profile before the ini file, and the ini file before the ECS role' {
        $env:NLBTOOLS_ECS_METADATA_ENDPOINT = $Emu.Endpoint
        Write-CliConfig 'base' @($AkProfile)
        Write-HomeFile '.alibabacloud/credentials' "[default]`ntype = access_key`naccess_key_id = $($DemoSts.Id)`naccess_key_secret = unused`n" | Out-Null
        $env:ALIBABA_CLOUD_ACCESS_KEY_ID = $Emu.AccessKeyId
        $env:ALIBABA_CLOUD_ACCESS_KEY_SECRET = $Emu.AccessKeySecret

        $order = foreach ($step in 'environment', 'cli', 'ini', 'ecs') {
            Disconnect-Nlb
            (Get-NlbContext).CredentialSource
            switch ($step) {
                'environment' { Remove-Item env:ALIBABA_CLOUD_ACCESS_KEY_ID, env:ALIBABA_CLOUD_ACCESS_KEY_SECRET }
                'cli' { Remove-Item (Join-Path $TestHome '.aliyun/config.json') }
                'ini' { Remove-Item (Join-Path $TestHome '.alibabacloud/credentials') }
            }
        }
        $order | Should -Be @('environment', 'cli-profile:base (AK)', 'ini-profile:default (access_key)', 'ecs-ram-role:nlb-runbook-role')
    }

    It 'when no source works, says which sources it tried and why, with no secret' {
        $env:ALIBABA_CLOUD_ACCESS_KEY_SECRET = 'S3cr3t-never-shown'
        $env:ALIBABA_CLOUD_CREDENTIALS_URI = "http://127.0.0.1:9/creds?token=T0ken-never-shown"
        { Connect-Default } | Should -Throw -ErrorId 'NlbCredentialsNotFound,NlbTools.Commands.ConnectNlbCommand'
        try { Connect-Default } catch { $message = $_.Exception.Message + "`n" + $_.ErrorDetails.Message }
        $message | Should -Match 'No Alibaba Cloud credentials found\. Sources tried, in order:'
        $message | Should -Match '1\. environment: ALIBABA_CLOUD_ACCESS_KEY_ID is not set'
        $message | Should -Match '2\. oidc: skipped'
        $message | Should -Match ([regex]::Escape("3. cli-profile: $(Join-Path $TestHome '.aliyun/config.json') does not exist."))
        $message | Should -Match '4\. ini-profile: .* does not exist'
        $message | Should -Match '5\. ecs-ram-role: the metadata service at http://127\.0\.0\.1:9 could not be reached'
        $message | Should -Match '6\. credentials-uri: http://127\.0\.0\.1:9/creds could not be reached'
        $message | Should -Not -Match 'never-shown'
    }
}
