# Connect-Nlb, Get-NlbContext, Disconnect-Nlb and what happens without credentials.
BeforeAll {
    Import-Module $env:NLBTOOLS_MODULE -Force
    # Get-NlbContext without a connection asks the default chain: keep its ECS source off the network.
    $script:SavedMetadataEndpoint = $env:NLBTOOLS_ECS_METADATA_ENDPOINT
    if (-not $env:NLBTOOLS_ECS_METADATA_ENDPOINT) { $env:NLBTOOLS_ECS_METADATA_ENDPOINT = 'http://127.0.0.1:9/' }
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emu = Start-TestEmulator
    $script:Secret = ConvertTo-SecureString $Emu.AccessKeySecret -AsPlainText -Force

    # A child pwsh with an empty home and no Alibaba Cloud variables: nothing for the default chain to find.
    function script:Invoke-Isolated([string] $Script) {
        $entry = [System.Reflection.Assembly]::GetEntryAssembly().Location
        $exe = [Environment]::ProcessPath  # .NET 6+; under Windows PowerShell 5.1 the host is powershell.exe
        if (-not $exe) { $exe = (Get-Process -Id $PID).Path }
        $prefix = @(if ($entry -and $entry.EndsWith('.dll')) { $entry })
        $homeDir = Join-Path $TestDrive ('home-' + [guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path $homeDir | Out-Null
        $saved = @{}
        $isolate = 'REGION', 'REGION_ID', 'HOME', 'USERPROFILE', 'NLBTOOLS_ECS_METADATA_ENDPOINT'
        foreach ($name in [Environment]::GetEnvironmentVariables().Keys | Where-Object { $_ -like 'ALIBABA*' -or $_ -like 'ALICLOUD*' -or $_ -in $isolate }) {
            $saved[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, $null)
        }
        try {
            $env:HOME = $homeDir; $env:USERPROFILE = $homeDir
            # Never let the default chain reach the real ECS metadata address from a test.
            $env:ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true'
            $env:NLBTOOLS_ECS_METADATA_ENDPOINT = 'http://127.0.0.1:9/'
            $full = "Import-Module '$env:NLBTOOLS_MODULE'; $Script"
            & $exe @prefix -NoProfile -NonInteractive -Command $full 2>&1 | ForEach-Object { "$_" }
        }
        finally {
            foreach ($name in 'HOME', 'USERPROFILE', 'ALIBABA_CLOUD_ECS_METADATA_DISABLED', 'NLBTOOLS_ECS_METADATA_ENDPOINT') { [Environment]::SetEnvironmentVariable($name, $null) }
            foreach ($pair in $saved.GetEnumerator()) { [Environment]::SetEnvironmentVariable($pair.Key, $pair.Value) }
        }
    }
}

AfterAll {
    $env:NLBTOOLS_ECS_METADATA_ENDPOINT = $SavedMetadataEndpoint
    Disconnect-Nlb
    if ($Emu) { $Emu | Stop-TestEmulator }
}

Describe 'Connect-Nlb and Get-NlbContext' {
    It 'connects with a key pair and shows the masked AccessKeyId, never the secret' {
        $ctx = Connect-Nlb -AccessKeyId $Emu.AccessKeyId -AccessKeySecret $Secret -Endpoint $Emu.Endpoint -RegionId cn-hangzhou
        $ctx | Should -BeOfType NlbTools.NlbContext
        $shown = Get-NlbContext
        $shown.RegionId | Should -Be 'cn-hangzhou'
        $shown.Endpoint | Should -Be ([uri]$Emu.Endpoint).AbsoluteUri
        $shown.CredentialSource | Should -Be 'explicit'
        $id = $Emu.AccessKeyId
        $shown.AccessKeyId | Should -Be ($id.Substring(0, 4) + '****' + $id.Substring($id.Length - 4))
        $shown.IsConnected | Should -BeTrue
        $text = ($shown | Format-List * | Out-String) + ($shown | ConvertTo-Json) + ($ctx | Format-List * | Out-String)
        $text | Should -Not -Match ([regex]::Escape($Emu.AccessKeySecret))
        $text | Should -Not -Match ([regex]::Escape($id))
    }

    It 'takes a PSCredential' {
        $cred = [pscredential]::new($Emu.AccessKeyId, $Secret)
        Connect-Nlb -Credential $cred -Endpoint $Emu.Endpoint -RegionId cn-shanghai | Out-Null
        (Get-NlbContext).RegionId | Should -Be 'cn-shanghai'
        (Get-NlbListener).RegionId | Sort-Object -Unique | Should -Be 'cn-shanghai'
    }

    It 'lets one call override the region, and the parameter wins over the context' {
        Connect-Nlb -AccessKeyId $Emu.AccessKeyId -AccessKeySecret $Secret -Endpoint $Emu.Endpoint -RegionId cn-hangzhou | Out-Null
        (Get-NlbListener -RegionId cn-shanghai).RegionId | Sort-Object -Unique | Should -Be 'cn-shanghai'
        (Get-NlbListener).RegionId | Sort-Object -Unique | Should -Be 'cn-hangzhou'
    }

    It 'Disconnect-Nlb clears the context' {
        Connect-Nlb -AccessKeyId $Emu.AccessKeyId -AccessKeySecret $Secret -Endpoint $Emu.Endpoint -RegionId cn-hangzhou | Out-Null
        Disconnect-Nlb
        (Get-NlbContext -WarningAction SilentlyContinue).IsConnected | Should -BeFalse
    }

    It 'a wrong secret is a service error at Connect-Nlb (its one check call), not a crash' {
        $wrong = ConvertTo-SecureString 'not-the-secret' -AsPlainText -Force
        try { Connect-Nlb -AccessKeyId $Emu.AccessKeyId -AccessKeySecret $wrong -Endpoint $Emu.Endpoint -RegionId cn-hangzhou; $err = $null } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'SignatureDoesNotMatch,*'
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
        (Get-NlbContext -WarningAction SilentlyContinue).IsConnected | Should -BeFalse
        Disconnect-Nlb
    }
}

Describe 'Missing credentials' {
    It 'is one NlbCredentialsNotFound error record that says how to connect; -ErrorAction Stop makes it terminating' {
        $lines = Invoke-Isolated @'
try { Get-NlbListener -RegionId cn-hangzhou -ErrorAction Stop; 'no error' }
catch { 'FQID=' + $_.FullyQualifiedErrorId; 'CATEGORY=' + $_.CategoryInfo.Category; 'MESSAGE=' + $_.Exception.Message }
# A batch gives one error, not one per piped listener, and sends nothing.
$out = 'lsn-bp1bpn0kn908w4nbw0001@1000', 'lsn-bp1bpn0kn908w4nbw0002@1000' | Set-NlbListenerAttribute -IdleTimeout 300 -RegionId cn-hangzhou -ErrorVariable setErrors 2>$null
'SETCOUNT=' + $setErrors.Count + ' OUT=' + @($out).Count
'SETFQID=' + $setErrors[0].FullyQualifiedErrorId
try { Connect-Nlb -RegionId cn-hangzhou -ErrorAction Stop; 'no error' } catch { 'CONNECTFQID=' + $_.FullyQualifiedErrorId }
'@
        $text = $lines -join "`n"
        $text | Should -Match 'FQID=NlbCredentialsNotFound,NlbTools.Commands.GetNlbListenerCommand'
        $text | Should -Match 'CATEGORY=AuthenticationError'
        $text | Should -Match 'Connect-Nlb'
        $text | Should -Match 'ALIBABA_CLOUD_ACCESS_KEY_ID'
        $text | Should -Match 'aliyun configure'
        $text | Should -Match 'SETCOUNT=1 OUT=0'
        $text | Should -Match 'SETFQID=NlbCredentialsNotFound,NlbTools.Commands.SetNlbListenerAttributeCommand'
        $text | Should -Match 'CONNECTFQID=NlbCredentialsNotFound,NlbTools.Commands.ConnectNlbCommand'
    }

    It 'is silenced by -ErrorAction SilentlyContinue (and still lands in -ErrorVariable)' {
        $lines = @(Invoke-Isolated @'
$out = Get-NlbListener -RegionId cn-hangzhou -ErrorAction SilentlyContinue -ErrorVariable e
$null = Connect-Nlb -RegionId cn-hangzhou -ErrorAction SilentlyContinue -ErrorVariable +e
'DONE OUT=' + @($out).Count + ' ERRORS=' + (($e | ForEach-Object FullyQualifiedErrorId) -join ';')
'@)
        $lines | Should -Be @('DONE OUT=0 ERRORS=NlbCredentialsNotFound,NlbTools.Commands.GetNlbListenerCommand;NlbCredentialsNotFound,NlbTools.Commands.ConnectNlbCommand')
    }
}

Describe 'Missing region' {
    It 'is one NlbRegionNotSet error record that says how to set one; -ErrorAction Stop makes it terminating' {
        $lines = Invoke-Isolated @'
$env:ALIBABA_CLOUD_ACCESS_KEY_ID = 'LTAI5tNoRegionKey00001'; $env:ALIBABA_CLOUD_ACCESS_KEY_SECRET = 'no-region-secret-value'
try { Get-NlbListener -ErrorAction Stop; 'no error' }
catch { 'FQID=' + $_.FullyQualifiedErrorId; 'CATEGORY=' + $_.CategoryInfo.Category; 'MESSAGE=' + $_.Exception.Message }
$out = 'lsn-bp1bpn0kn908w4nbw0001@1000', 'lsn-bp1bpn0kn908w4nbw0002@1000' | Set-NlbListenerAttribute -IdleTimeout 300 -ErrorVariable setErrors 2>$null
'SETCOUNT=' + $setErrors.Count + ' SETFQID=' + $setErrors[0].FullyQualifiedErrorId
'@
        $text = $lines -join "`n"
        $text | Should -Match 'FQID=NlbRegionNotSet,NlbTools.Commands.GetNlbListenerCommand'
        $text | Should -Match 'CATEGORY=InvalidArgument'
        $text | Should -Match 'ALIBABA_CLOUD_REGION_ID'
        $text | Should -Match 'SETCOUNT=1 SETFQID=NlbRegionNotSet,NlbTools.Commands.SetNlbListenerAttributeCommand'
    }

    It 'is silenced by -ErrorAction SilentlyContinue (and still lands in -ErrorVariable)' {
        $lines = @(Invoke-Isolated @'
$env:ALIBABA_CLOUD_ACCESS_KEY_ID = 'LTAI5tNoRegionKey00001'; $env:ALIBABA_CLOUD_ACCESS_KEY_SECRET = 'no-region-secret-value'
$out = Get-NlbListener -ErrorAction SilentlyContinue -ErrorVariable e
'DONE OUT=' + @($out).Count + ' ERRORS=' + (($e | ForEach-Object FullyQualifiedErrorId) -join ';')
'@)
        $lines | Should -Be @('DONE OUT=0 ERRORS=NlbRegionNotSet,NlbTools.Commands.GetNlbListenerCommand')
    }
}

Describe 'Credentials precedence' {
    It 'uses the environment, an aliyun CLI profile, and the session context in that order of precedence' {
        $config = @{
            current  = 'default'
            profiles = @(@{ name = 'emu'; mode = 'AK'; access_key_id = $Emu.AccessKeyId; access_key_secret = $Emu.AccessKeySecret; region_id = 'cn-shanghai' })
        } | ConvertTo-Json -Depth 5
        $lines = Invoke-Isolated @"
New-Item -ItemType Directory -Path (Join-Path `$env:HOME '.aliyun') | Out-Null
Set-Content -Path (Join-Path `$env:HOME '.aliyun/config.json') -Value '$config'
# -Profile for one call: the profile's key and region.
'PROFILE=' + (@(Get-NlbListener -Profile emu -Endpoint '$($Emu.Endpoint)').RegionId | Sort-Object -Unique)
`$env:ALIBABA_CLOUD_ACCESS_KEY_ID = '$($Emu.AccessKeyId)'
`$env:ALIBABA_CLOUD_ACCESS_KEY_SECRET = '$($Emu.AccessKeySecret)'
`$env:ALIBABA_CLOUD_REGION_ID = 'cn-hangzhou'
`$c = Get-NlbContext; 'SOURCE=' + `$c.CredentialSource; 'REGION=' + `$c.RegionId
'COUNT=' + @(Get-NlbListener -Endpoint '$($Emu.Endpoint)').Count
# The session context wins over the environment, and a parameter over both.
Connect-Nlb -Profile emu -Endpoint '$($Emu.Endpoint)' | Out-Null
'CONTEXT=' + (Get-NlbContext).RegionId
'PARAM=' + (@(Get-NlbListener -RegionId cn-hangzhou).RegionId | Sort-Object -Unique)
"@
        $text = $lines -join "`n"
        $text | Should -Match 'PROFILE=cn-shanghai'
        $text | Should -Match 'SOURCE=.*environment'
        $text | Should -Match 'REGION=cn-hangzhou'
        $text | Should -Match 'COUNT=[1-9]'
        $text | Should -Match 'CONTEXT=cn-shanghai'
        $text | Should -Match 'PARAM=cn-hangzhou'
    }
}
