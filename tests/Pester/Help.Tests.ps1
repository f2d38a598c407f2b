# Get-Help is how PowerShell users learn a module: every exported cmdlet must have real help in the staged module.
BeforeDiscovery {
    Import-Module $env:NLBTOOLS_MODULE -Force
    $common = [System.Management.Automation.Cmdlet]::CommonParameters
    $script:cmdlets = @(Get-Command -Module NlbTools -CommandType Cmdlet | Sort-Object Name | ForEach-Object {
            @{ Name = $_.Name; Parameters = @($_.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object) }
        })
}

BeforeAll {
    Import-Module $env:NLBTOOLS_MODULE -Force
}

Describe 'NlbTools exports cmdlets' {
    It 'exports every cmdlet of its manifest' {
        $expected = (Import-PowerShellDataFile $env:NLBTOOLS_MODULE).CmdletsToExport
        $expected.Count | Should -BeGreaterThan 0
        (Get-Command -Module NlbTools -CommandType Cmdlet).Name | Sort-Object | Should -Be ($expected | Sort-Object)
    }
}

Describe 'Get-Help <Name> -Full' -ForEach $cmdlets {
    BeforeAll {
        $script:help = Get-Help $Name -Full
    }

    It 'comes from the module''s MAML file' {
        # Without MAML, PowerShell makes up help whose synopsis is the syntax and which has no examples.
        $help.ModuleName | Should -Be 'NlbTools'
        $help.Synopsis | Should -Not -Match "^$([regex]::Escape($Name))\s"
    }

    It 'has a synopsis' {
        $help.Synopsis.Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has a description' {
        ($help.description.Text -join ' ').Trim().Length | Should -BeGreaterThan 40
    }

    It 'has at least two examples, each with code and an explanation' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example.code.Trim() | Should -Not -BeNullOrEmpty
            (@($example.introduction.Text) + @($example.remarks.Text) -join ' ').Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title.Trim('- ')) should say what it does"
        }
    }

    It 'describes every parameter, with its type' {
        $documented = @{}
        foreach ($p in @($help.parameters.parameter)) {
            if (($p.description.Text -join ' ').Trim() -and $p.type.name) { $documented[$p.name] = $true }
        }
        $undocumented = @($Parameters | Where-Object { -not $documented.ContainsKey($_) })
        $undocumented | Should -BeNullOrEmpty -Because "Get-Help $Name -Full should describe every parameter"
    }

    It 'documents its inputs and outputs' {
        @($help.inputTypes.inputType).Count | Should -BeGreaterThan 0
        @($help.returnValues.returnValue).Count | Should -BeGreaterThan 0
    }
}

Describe 'Get-Help about_NlbTools' {
    BeforeAll {
        $script:about = (Get-Help about_NlbTools | Out-String)
    }

    It 'is found for the imported module' {
        $about | Should -Match 'about_NlbTools'
        $about | Should -Match 'SHORT DESCRIPTION'
    }

    It 'covers <_>' -ForEach @(
        'CREDENTIALS AND THEIR PRECEDENCE', 'REGIONS AND ENDPOINTS', 'SERVER-SIDE PRECHECK', 'WAITING FOR JOBS',
        'CLIENTTOKEN IDEMPOTENCE', 'THE NLB EMULATOR', 'TESTING YOUR OWN SCRIPTS WITH PESTER') {
        $about | Should -Match ([regex]::Escape($_))
    }

    It 'contrasts -WhatIf with the aliyun CLI''s client-side --dryrun' {
        $about | Should -Match 'DryRun=true'
        $about | Should -Match '--dryrun'
    }
}

# Pwsh7Only: build tooling; tools/build/Docs.ps1 runs under pwsh in build.ps1 (tools/ci/Test-Desktop.ps1 lists the reason).
Describe 'The docs drift check' -Tag 'Pwsh7Only' {
    BeforeAll {
        . (Join-Path $env:NLBTOOLS_ROOT 'tools/build/Docs.ps1')
        $docsDir = Join-Path $env:NLBTOOLS_ROOT 'docs/en-US'
        $script:docs = @(Get-ChildItem $docsDir -Filter '*.md' | Where-Object Name -notlike 'about_*' | ForEach-Object { Read-NlbHelpMarkdown $_.FullName })
        $script:surface = Get-NlbModuleSurface $env:NLBTOOLS_MODULE
    }

    It 'finds the docs and the staged module in agreement' {
        Test-NlbDocsDrift $docs $surface | Should -BeNullOrEmpty
    }

    It 'reports a parameter without a doc, and a doc for a parameter that does not exist' {
        $doc = Read-NlbHelpMarkdown (Join-Path $env:NLBTOOLS_ROOT 'docs/en-US/Set-NlbListenerAttribute.md')
        $renamed = $doc.Parameters['IdleTimeout']
        $doc.Parameters.Remove('IdleTimeout')
        $doc.Parameters['IdleTimeoutSeconds'] = $renamed
        $others = @($docs | Where-Object Name -ne 'Set-NlbListenerAttribute')
        $problems = Test-NlbDocsDrift (@($others) + $doc) $surface
        $problems | Should -Contain 'Set-NlbListenerAttribute: parameter -IdleTimeout has no doc'
        $problems | Should -Contain 'Set-NlbListenerAttribute: the doc names parameter -IdleTimeoutSeconds, which the cmdlet does not have'
    }

    It 'reports an example that uses a parameter the cmdlet does not have' {
        $doc = Read-NlbHelpMarkdown (Join-Path $env:NLBTOOLS_ROOT 'docs/en-US/Wait-NlbJob.md')
        $doc.Examples[0].Code = "PS> Get-NlbListener | Set-NlbListenerAttribute -IdleTimeout 300 |`n        Wait-NlbJob -TimeoutSeconds 60`nJobId  Status"
        $others = @($docs | Where-Object Name -ne 'Wait-NlbJob')
        $problems = Test-NlbDocsDrift (@($others) + $doc) $surface
        $problems | Should -Contain "Wait-NlbJob '$($doc.Examples[0].Title)': Wait-NlbJob has no parameter -TimeoutSeconds"
    }

    It 'reports an exported cmdlet without a doc, and a doc for a cmdlet the module does not export' {
        $withoutWait = @($docs | Where-Object Name -ne 'Wait-NlbJob')
        $ghost = [pscustomobject]@{ Name = 'Remove-NlbListener'; Path = 'Remove-NlbListener.md'; Parameters = [ordered]@{}; Sections = [ordered]@{}; Syntax = @(); Examples = @(); Inputs = @(); Outputs = @() }
        $problems = Test-NlbDocsDrift (@($withoutWait) + $ghost) $surface
        $problems | Should -Contain 'Wait-NlbJob: exported but has no docs/en-US/Wait-NlbJob.md'
        $problems | Should -Contain 'Remove-NlbListener: documented in Remove-NlbListener.md, but the module does not export it'
    }
}

Describe 'Reading the docs with Markdig' {
    BeforeAll {
        . (Join-Path $env:NLBTOOLS_ROOT 'tools/build/Docs.ps1')
    }

    It 'keeps a heading-like line inside a code fence in its example, and reads lists, links and inline marks' {
        $path = Join-Path $TestDrive 'Get-Thing.md'
        Set-Content -LiteralPath $path -Value @(
            '---', 'online version: https://example.invalid/get-thing', 'schema: 2.0.0', '---', '', '# Get-Thing', '',
            '## SYNOPSIS', '', 'Gets **things** from `here`, see [the docs](https://example.invalid/docs).', '',
            '## EXAMPLES', '', '### Example 1', '', '```powershell', '## not a heading', 'Get-Thing', '```', '',
            '1. first item', '   continued', '2. second item', '', '### Example 2', '', '```powershell', 'Get-Thing -Name x', '```', '',
            '## RELATED LINKS', '', '[about_Things](about_Things.md)', '[Online](https://example.invalid/online)')
        $doc = Read-NlbHelpMarkdown $path

        $doc.FrontMatter['online version'] | Should -Be 'https://example.invalid/get-thing'
        $doc.Examples.Count | Should -Be 2
        $doc.Examples[0].Code | Should -Be "## not a heading`nGet-Thing"
        @($doc.Examples[0].Remarks.Text) | Should -Be @('1. first item continued', '2. second item')
        $synopsis = Get-NlbSectionBlocks $doc 'SYNOPSIS'
        $synopsis.Text | Should -Be 'Gets things from here, see the docs.'
        @((Get-NlbSectionBlocks $doc 'RELATED LINKS').Links.Url) | Should -Be @('about_Things.md', 'https://example.invalid/online')
    }
}
