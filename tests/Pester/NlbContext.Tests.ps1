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
        $exe = [Environment]::ProcessPath
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
    It 'is a terminating error that says how to connect, even with -ErrorAction SilentlyContinue' {
        $lines = Invoke-Isolated @'
try { Get-NlbListener -RegionId cn-hangzhou -ErrorAction Stop; 'no error' }
catch { 'FQID=' + $_.FullyQualifiedErrorId; 'MESSAGE=' + $_.Exception.Message }
try { 'lsn-a@1', 'lsn-b@2' | Set-NlbListenerAttribute -IdleTimeout 300 -RegionId cn-hangzhou -ErrorAction SilentlyContinue; 'no error' }
catch { 'SETFQID=' + $_.FullyQualifiedErrorId }
'@
        $text = $lines -join "`n"
        $text | Should -Match 'FQID=NlbCredentialsNotFound,NlbTools.Commands.GetNlbListenerCommand'
        $text | Should -Match 'Connect-Nlb'
        $text | Should -Match 'ALIBABA_CLOUD_ACCESS_KEY_ID'
        $text | Should -Match 'aliyun configure'
        # A batch does not silently do nothing.
        $text | Should -Match 'SETFQID=NlbCredentialsNotFound,NlbTools.Commands.SetNlbListenerAttributeCommand'
    }

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
