# Secrets (issue 8 §3): every cmdlet, with -Verbose and -Debug, succeeding and failing (client checks, service
# errors, a wrong secret, a wrong STS token, transient faults with retries), with a recognizable AccessKeySecret
# and SecurityToken. Every stream, $Error, a Start-Transcript transcript, the emulator's request and job logs and
# every exception's ToString() are scanned: the secret, the token and any signature never appear, and the
# AccessKeyId appears only masked.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:NLBTOOLS_MODULE -Force

    $script:KeyId = 'STS.LTAI5tLeakCanaryKeyId9Z'
    $script:Secret = 'SecretLeakCanary-7f3a9c2e-NLBTOOLS'
    $script:Token = 'TokenLeakCanary-c0ffee42-NLBTOOLS'
    $script:MaskedKeyId = $KeyId.Substring(0, 4) + '****' + $KeyId.Substring($KeyId.Length - 4)
    $state = @{
        AccessKeys    = @(@{ AccessKeyId = $KeyId; AccessKeySecret = $Secret; SecurityToken = $Token })
        Regions       = @(@{ RegionId = 'cn-hangzhou'; LocalName = 'China (Hangzhou)' })
        LoadBalancers = @(@{ LoadBalancerId = 'nlb-sec01'; RegionId = 'cn-hangzhou'; VpcId = 'vpc-sec' })
        ServerGroups  = @(@{ ServerGroupId = 'sgp-sec01'; RegionId = 'cn-hangzhou'; VpcId = 'vpc-sec'; Protocol = 'TCP' })
        Listeners     = @(@{ ListenerId = 'lsn-sec01@80'; LoadBalancerId = 'nlb-sec01'; RegionId = 'cn-hangzhou'; ListenerProtocol = 'TCP'; ListenerPort = 80; ServerGroupId = 'sgp-sec01' })
    }
    $statePath = Join-Path $TestDrive 'secrets-state.json'
    $state | ConvertTo-Json -Depth 6 | Set-Content $statePath
    $script:emu = Start-TestEmulator -StatePath $statePath -JobDurationMs 100
    $ep = $emu.Endpoint
    $script:DemoSecrets = @('NlbEmulatorDemoSecret0000000000', 'NlbEmulatorStsSecret00000000000', 'NlbEmulatorDemoSecurityToken')

    # Collects everything a user could see: every stream (*>&1) and terminating errors.
    $script:records = [System.Collections.Generic.List[object]]::new()
    function Run([scriptblock] $Command) {
        try { foreach ($r in (& $Command *>&1)) { $script:records.Add($r) } }
        catch { $script:records.Add($_) }
    }
    $sec = ConvertTo-SecureString $Secret -AsPlainText -Force
    $tok = ConvertTo-SecureString $Token -AsPlainText -Force
    # -Debug also turns warnings and errors into Inquire prompts, which a non-interactive host cannot answer:
    # the explicit actions keep them flowing into the streams.
    $common = @{ Verbose = $true; Debug = $true; WarningAction = 'Continue'; ErrorAction = 'Continue' }

    $Error.Clear()
    $script:transcript = Join-Path $TestDrive 'transcript.txt'
    $null = Start-Transcript -Path $transcript -Force
    try {
        Run { Connect-Nlb -AccessKeyId $KeyId -AccessKeySecret $sec -SecurityToken $tok -RegionId cn-hangzhou -Endpoint $ep @common }
        Run { Get-NlbContext @common | Format-List * | Out-String }
        Run { Get-NlbRegion @common }
        Run { Get-NlbListener @common }
        Run { Get-NlbListener -ListenerId 'lsn-nope@1' @common }
        Run { Get-NlbServerGroup @common }
        Run { Get-NlbSecurityPolicy @common }
        Run { Set-NlbListenerAttribute -ListenerId 'lsn-sec01@80' -ListenerDescription 'secret-test' -Wait @common }
        Run { Set-NlbListenerAttribute -ListenerId 'lsn-sec01@80' -IdleTimeout 100 -WhatIf @common }
        Run { Set-NlbListenerAttribute -ListenerId 'lsn-sec01@80' -IdleTimeout 5 @common }
        Run { Set-NlbListenerAttribute -ListenerId 'lsn-sec01@80' -ServerGroupId 'sgp-nope' @common }
        Run { Set-NlbListenerAttribute -ListenerId 'lsn-sec01@80' -IdleTimeout 300 @common | Wait-NlbJob @common }
        Run { Wait-NlbJob -JobId 'job-nope' -TimeoutSec 2 @common }
        # Transient faults: retries are logged (verbose) and then succeed.
        $null = Invoke-EmulatorControl -Emulator $emu -Path faults -Body @{ Rate = 0.5; Codes = @('SystemBusy', 'Throttling.User', 'ServiceUnavailable'); Seed = 3; RetryAfterMs = 50 }
        Run { Get-NlbListener @common; Get-NlbServerGroup @common; Get-NlbRegion @common }
        $null = Invoke-EmulatorControl -Emulator $emu -Path faults -Body @{ Rate = 0; Codes = @() }
        # A wrong secret (SignatureDoesNotMatch) and a wrong STS token, through -Credential too.
        $wrong = ConvertTo-SecureString ($Secret + 'x') -AsPlainText -Force
        Run { Connect-Nlb -AccessKeyId $KeyId -AccessKeySecret $wrong -SecurityToken $tok -RegionId cn-hangzhou -Endpoint $ep @common }
        Run { Get-NlbListener @common }
        Run { Set-NlbListenerAttribute -ListenerId 'lsn-sec01@80' -IdleTimeout 120 @common }
        $credential = [pscredential]::new($KeyId, $sec)
        $wrongToken = ConvertTo-SecureString ($Token + 'x') -AsPlainText -Force
        Run { Connect-Nlb -Credential $credential -SecurityToken $wrongToken -RegionId cn-hangzhou -Endpoint $ep @common }
        Run { Get-NlbListener @common }
        Run { Disconnect-Nlb @common }
        Run { Get-NlbContext @common | Format-List * | Out-String }
        # The bundled emulator cmdlets, with the emulator's own demo key.
        Run { Start-NlbEmulator -Connect -JobDurationMs 50 @common | Format-List * | Out-String }
        Run { Get-NlbListener -ListenerId 'lsn-hzweb01@80' @common | Set-NlbListenerAttribute -IdleTimeout 60 -Wait @common }
        Run { Stop-NlbEmulator @common }
        Run { Disconnect-Nlb @common }
    }
    finally {
        $null = Stop-Transcript
    }

    # Everything as text: each record fully formatted, and for errors every exception in the chain.
    function Expand($Record) {
        $text = [System.Text.StringBuilder]::new()
        $null = $text.AppendLine(($Record | Format-List * -Force | Out-String -Width 4096))
        $null = $text.AppendLine("$Record")
        if ($Record -is [System.Management.Automation.ErrorRecord]) {
            $null = $text.AppendLine("$($Record.ErrorDetails) $($Record.ErrorDetails.RecommendedAction) $($Record.TargetObject)")
            $null = $text.AppendLine(($Record.CategoryInfo | Out-String))
            for ($e = $Record.Exception; $e; $e = $e.InnerException) { $null = $text.AppendLine($e.ToString()) }
        }
        $text.ToString()
    }
    $script:streamText = ($records | ForEach-Object { Expand $_ }) -join "`n"
    $script:errorText = ($Error | ForEach-Object { Expand $_ }) -join "`n"
    $script:transcriptText = Get-Content $transcript -Raw
    $script:emulatorText = (Invoke-WebRequest -Uri "$ep/_emulator/requests").Content + (Invoke-WebRequest -Uri "$ep/_emulator/jobs").Content + (Invoke-WebRequest -Uri "$ep/_emulator/state").Content
    $script:sinks = @{ Streams = $streamText; Error = $errorText; Transcript = $transcriptText; EmulatorLogs = $emulatorText }
    $script:errorCount = @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count
}

AfterAll {
    try { Stop-NlbEmulator -ErrorAction Ignore } catch { }
    if ($script:emu) { $script:emu | Stop-TestEmulator }
}

Describe 'No secret, token or signature in anything a user or a log can see' {
    It 'exercised successes, failures, verbose, debug and retries' {
        $errorCount | Should -BeGreaterOrEqual 6
        $streamText | Should -Match 'SignatureDoesNotMatch'
        $streamText | Should -Match 'InvalidSecurityToken|SecurityToken'
        $streamText | Should -Match 'retrying in'
        $streamText | Should -Match 'IdleTimeoutOutOfRange|out of range'
        $streamText | Should -Match 'secret-test'
        $emulatorText | Should -Match 'UpdateListenerAttribute'
        Write-Host "    scanned $($records.Count) records, $($Error.Count) `$Error entries, $($transcriptText.Length) transcript chars, $($emulatorText.Length) emulator log chars; leaks found: see the tests below"
    }

    It '<_> never shows the secret, the token or the demo secrets' -ForEach 'Streams', 'Error', 'Transcript', 'EmulatorLogs' {
        $text = $sinks[$_]
        $text | Should -Not -BeNullOrEmpty
        $text.Contains($Secret) | Should -BeFalse -Because "the AccessKeySecret leaked into $_"
        $text.Contains($Token) | Should -BeFalse -Because "the SecurityToken leaked into $_"
        foreach ($demo in $DemoSecrets) { $text.Contains($demo) | Should -BeFalse -Because "an emulator demo secret leaked into $_" }
    }

    It '<_> never shows a signature' -ForEach 'Streams', 'Error', 'Transcript', 'EmulatorLogs' {
        $text = $sinks[$_]
        # ACS3-HMAC-SHA256 signatures are 64 hex digits; nothing else we print is.
        $text | Should -Not -Match '(?i)(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])'
        $text | Should -Not -Match '(?i)Signature=[0-9a-z+/=]{16,}'
        $text | Should -Not -Match '(?i)x-acs-content-sha256'
    }

    It '<_> shows the AccessKeyId only masked' -ForEach 'Streams', 'Error', 'Transcript' {
        $text = $sinks[$_]
        $text.Contains($KeyId) | Should -BeFalse -Because "the full AccessKeyId appeared in $_"
    }

    It 'shows the masked AccessKeyId where a key is named' {
        $streamText.Contains($MaskedKeyId) | Should -BeTrue
    }
}
