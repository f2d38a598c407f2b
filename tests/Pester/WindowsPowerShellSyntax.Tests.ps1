# Windows PowerShell 5.1 must be able to read every script it may run: the module's shipped files, the examples, the
# Pester suite it runs in CI, and the CI script that starts that suite. PowerShell 7 parses 7-only syntax without
# complaint, so the checker looks for it in the syntax tree; under 5.1 the same syntax is a parse error, also a finding.
BeforeDiscovery {
    $script:samples = @(
        @{ Construct = 'ternary operator ? :'; Script = '$limit = $fast ? 64 : 8' }
        @{ Construct = 'null-coalescing operator ??'; Script = '$region = $env:ALIBABA_CLOUD_REGION_ID ?? ''cn-hangzhou''' }
        @{ Construct = 'null-coalescing assignment ??='; Script = '$region ??= ''cn-hangzhou''' }
        @{ Construct = 'null-conditional member ?.'; Script = '${listener}?.ListenerId' }
        @{ Construct = 'null-conditional member ?.'; Script = '${listener}?.ToString()' }
        @{ Construct = 'null-conditional index ?[]'; Script = '${listeners}?[0]' }
        @{ Construct = 'pipeline chain && / ||'; Script = 'Connect-Nlb && Get-NlbListener' }
        @{ Construct = 'pipeline chain && / ||'; Script = 'Get-NlbListener || Write-Warning ''none''' }
        @{ Construct = 'ForEach-Object -Parallel'; Script = '$ids | ForEach-Object -Parallel { Get-NlbListener -ListenerId $_ } -ThrottleLimit 4' }
        @{ Construct = 'ForEach-Object -Parallel'; Script = '$ids | % -Par { $_ }' }
        @{ Construct = 'clean block'; Script = 'function Invoke-Runbook { process { $_ } clean { Disconnect-Nlb } }' }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'WindowsPowerShellSyntax.psm1') -Force
    $script:onDesktop = $PSVersionTable.PSEdition -eq 'Desktop'
}

Describe 'Find-Pwsh7OnlySyntax finds each PowerShell 7-only construct' {
    It 'flags <Construct> in: <Script>' -ForEach $samples {
        # 5.1's parser has no node for these (it reports a parse error instead, or sees a command named clean).
        if ($onDesktop) { Set-ItResult -Skipped -Because 'the PowerShell 7 parser is what builds these nodes; 5.1 checks the real files below'; return }
        $findings = @(Find-Pwsh7OnlySyntax -Text $Script)
        $findings.Construct | Should -Contain $Construct
        $findings[0].Line | Should -Be 1
    }

    It 'flags nothing in a script that 5.1 runs: if/else, -or, $x.Member, $x[0], -PipelineVariable, a ? in a string' {
        $script = @'
$limit = if ($fast) { 64 } else { 8 }
$ok = $a -or $b
$id = $listener.ListenerId; $first = $listeners[0]
1..3 | ForEach-Object -PipelineVariable n { $n } | Out-Null
"Is it done? Yes: ${done}"
$items | Where-Object { $_.Port -gt 0 } | ForEach-Object { $_ }
'@
        Find-Pwsh7OnlySyntax -Text $script | Should -BeNullOrEmpty
    }

    It 'reports a parse error as a finding' {
        $findings = @(Find-Pwsh7OnlySyntax -Text 'function Broken { $x = (1 + }')
        $findings.Construct | Should -Match '^parse error: '
    }

    It 'flags non-ASCII text in a file without a BOM, with its line, and not once the file has a BOM' {
        $text = "# runbook`n# Fault soak: 25 % faults`nWrite-Output 'listener lsn-hzw$([char]0xE9)b01@80'`n"
        $noBom = Join-Path $TestDrive 'no-bom.ps1'
        $withBom = Join-Path $TestDrive 'with-bom.ps1'
        $ascii = Join-Path $TestDrive 'ascii.ps1'
        [System.IO.File]::WriteAllText($noBom, $text, [System.Text.UTF8Encoding]::new($false))
        [System.IO.File]::WriteAllText($withBom, $text, [System.Text.UTF8Encoding]::new($true))
        [System.IO.File]::WriteAllText($ascii, "Write-Output 'plain'`n", [System.Text.UTF8Encoding]::new($false))

        $findings = @(Find-Pwsh7OnlySyntax -Path $noBom)
        $findings.Count | Should -Be 1
        $findings[0].Construct | Should -Be 'non-ASCII text in a file without a UTF-8 BOM'
        $findings[0].Line | Should -Be 3
        Find-Pwsh7OnlySyntax -Path $withBom | Should -BeNullOrEmpty
        Find-Pwsh7OnlySyntax -Path $ascii | Should -BeNullOrEmpty
    }

    It 'reads files from the pipeline (Get-ChildItem output) and names each file in its findings' {
        $a = Join-Path $TestDrive 'a.ps1'; $b = Join-Path $TestDrive 'b.psm1'
        Set-Content -Path $a -Value 'Get-NlbListener && Write-Host done'
        Set-Content -Path $b -Value 'function F { $args[0] }'
        if ($onDesktop) { Set-Content -Path $a -Value 'Get-NlbListener | ForEach-Object -Parallel { $_ }' }
        $findings = @(Get-ChildItem $a, $b | Find-Pwsh7OnlySyntax)
        $findings.Count | Should -Be 1
        $findings[0].Path | Should -Be (Get-Item $a).FullName
    }
}

Describe 'Scripts that Windows PowerShell 5.1 runs use no PowerShell 7-only syntax' {
    BeforeAll {
        $root = $env:NLBTOOLS_ROOT
        $staged = Split-Path $env:NLBTOOLS_MODULE -Parent
        $extensions = '*.ps1', '*.psm1', '*.psd1'
        $script:files = @(
            Get-ChildItem $staged -Recurse -File -Include $extensions              # what the module ships (manifest today)
            Get-ChildItem (Join-Path $root 'examples') -Recurse -File -Include $extensions
            # the 5.1 CI job runs these, less the files tools/ci/Test-Desktop.ps1 leaves out on 5.1 (PowerShell 7-only tests)
            $leftOut = [regex]::Matches((Get-Content (Join-Path $root 'tools/ci/Test-Desktop.ps1') -Raw), "Test = 'tests/Pester/([^']+)'") | ForEach-Object { $_.Groups[1].Value }
            Get-ChildItem (Join-Path $root 'tests/Pester/*') -File -Include $extensions | Where-Object Name -notin $leftOut
            Get-ChildItem (Join-Path $root 'tools/ci/*') -File -Include $extensions     # and starts them with these
        )
    }

    It 'finds the shipped manifest, the example runbooks, the Pester suite and the 5.1 CI script' {
        $names = $files | ForEach-Object Name
        $names | Should -Contain 'NlbTools.psd1'
        $names | Should -Contain 'Update-ListenerIdleTimeout.ps1'
        $names | Should -Contain 'Invoke-IdleTimeoutRunbook.ps1'
        $names | Should -Contain 'TestHelpers.psm1'
        $names | Should -Contain 'Test-Desktop.ps1'
    }

    It 'has no finding in any of them' {
        $findings = @($files | Find-Pwsh7OnlySyntax)
        $report = ($findings | ForEach-Object { "$($_.Path):$($_.Line): $($_.Construct) $($_.Text)" }) -join "`n"
        $report | Should -BeNullOrEmpty
    }
}
