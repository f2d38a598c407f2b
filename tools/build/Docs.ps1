# build.ps1 Docs: PlatyPS-schema markdown (docs/en-US) -> MAML + about_*.help.txt in the staged module,
# plus a drift check against the staged module's real cmdlets. platyPS is not on our package mirror,
# so the MAML writer is ours; the markdown is parsed by Markdig (inside the pwsh that runs the build),
# and the model reads the sections of schema 2.0.0 that New-MarkdownHelp writes.
#
# Maintainers: after changing a cmdlet's parameters, refresh the generated parts of the markdown
# (SYNTAX blocks and each parameter's yaml block; prose is kept) with
#   dotnet pwsh -c '. ./tools/build/Docs.ps1; Update-NlbHelpMarkdown'
# then write the descriptions the drift check asks for.

$script:DocsPlaceholder = '{{ Fill in'
$script:DocsYamlKeys = 'Type', 'Parameter Sets', 'Aliases', 'Required', 'Position', 'Default value', 'Accept pipeline input', 'Accept wildcard characters'
# The yaml fields that come from the code, so the drift check compares them (Default value is prose).
$script:DocsCheckedKeys = 'Type', 'Parameter Sets', 'Aliases', 'Required', 'Position', 'Accept pipeline input', 'Accept wildcard characters'

function Get-NlbDocsPaths {
    $root = if (Get-Variable -Name Root -Scope Script -ErrorAction Ignore) { $script:Root } else { (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path }
    [pscustomobject]@{
        Root      = $root
        DocsDir   = Join-Path $root 'docs/en-US'
        ModuleOut = Join-Path $root 'out/NlbTools'
    }
}

#region Markdown reading (Markdig, which ships inside PowerShell 7: the build's pwsh)

$script:NlbMarkdownPipeline = $null

# Parses markdown with Markdig (front matter as a block of its own, so its '---' is never a heading).
function Read-NlbMarkdownAst([string[]] $Lines) {
    if (-not $script:NlbMarkdownPipeline) {
        if (-not ('Markdig.Markdown' -as [type])) {
            $dll = Join-Path $PSHOME 'Markdig.Signed.dll'
            if (-not (Test-Path -LiteralPath $dll)) { throw "Markdig.Signed.dll was not found in $PSHOME; the docs build needs PowerShell 7 (dotnet pwsh)." }
            Add-Type -LiteralPath $dll
        }
        $script:NlbMarkdownPipeline = [Markdig.MarkdownExtensions]::UseYamlFrontMatter([Markdig.MarkdownPipelineBuilder]::new()).Build()
    }
    # The document, not its blocks: PowerShell would unroll a lone block that is itself a container (a list).
    return , [Markdig.Markdown]::Parse(($Lines -join "`n"), $script:NlbMarkdownPipeline)
}

# The top-level leaf blocks (headings, code fences, front matter) for which $Where { param($b) ... } is true.
function Find-NlbMarkdownBlock([string[]] $Lines, [scriptblock] $Where) {
    foreach ($b in (Read-NlbMarkdownAst $Lines)) { if ($b -is [Markdig.Syntax.LeafBlock] -and (& $Where $b)) { $b } }
}

# Splits lines into sections at the headings of one level (2: '## ', 3: '### '). Each section keeps its raw
# lines, so Update-NlbHelpMarkdown can write the prose back as it was; the first section is what precedes them.
function Split-NlbMarkdownSection([string[]] $Lines, [int] $Level) {
    $headings = @(Find-NlbMarkdownBlock $Lines { param($b) $b -is [Markdig.Syntax.HeadingBlock] -and $b.Level -eq $Level })
    $sections = [System.Collections.Generic.List[object]]::new()
    $start = 0; $title = $null
    foreach ($h in @($headings) + @($null)) {
        $end = if ($h) { $h.Line } else { $Lines.Count }
        $body = [System.Collections.Generic.List[string]]::new()
        if ($end -gt $start) { $body.AddRange([string[]]$Lines[$start..($end - 1)]) }
        $sections.Add([pscustomobject]@{ Title = $title; Lines = $body })
        if ($h) { $title = (ConvertTo-NlbPlainText $h.Inline).Trim(); $start = $h.Line + 1 }
    }
    return $sections
}

# Inlines -> plain text for MAML and about files: code and emphasis lose their marks, links keep their text.
function ConvertTo-NlbPlainText($Container) {
    $sb = [System.Text.StringBuilder]::new()
    foreach ($i in $Container) {
        if ($i -is [Markdig.Syntax.Inlines.LiteralInline]) { $null = $sb.Append($i.Content.ToString()) }
        elseif ($i -is [Markdig.Syntax.Inlines.CodeInline]) { $null = $sb.Append($i.Content) }
        elseif ($i -is [Markdig.Syntax.Inlines.LineBreakInline]) { $null = $sb.Append(' ') }
        elseif ($i -is [Markdig.Syntax.Inlines.AutolinkInline]) { $null = $sb.Append($i.Url) }
        elseif ($i -is [Markdig.Syntax.Inlines.HtmlEntityInline]) { $null = $sb.Append($i.Transcoded.ToString()) }
        elseif ($i -is [Markdig.Syntax.Inlines.HtmlInline]) { $null = $sb.Append($i.Tag) } # '<region>' in prose is text to us
        elseif ($i -is [Markdig.Syntax.Inlines.ContainerInline]) { $null = $sb.Append((ConvertTo-NlbPlainText $i)) }
    }
    return $sb.ToString()
}

# The [text](url) links of an inline container, in order.
function Get-NlbMarkdownLinks($Container) {
    foreach ($inline in $Container) {
        if ($inline -is [Markdig.Syntax.Inlines.LinkInline] -and -not $inline.IsImage) { [pscustomobject]@{ Text = ConvertTo-NlbPlainText $inline; Url = [string]$inline.Url } }
        elseif ($inline -is [Markdig.Syntax.Inlines.ContainerInline]) { Get-NlbMarkdownLinks $inline }
    }
}

# Markdown -> blocks: @{ Kind = 'Para'|'Code'; Text; Marker; Body; Links }. A list item is its own paragraph:
# Text starts with its marker ('- ' or '3. '), Body is the text after it.
function ConvertTo-NlbMarkdownBlock([string[]] $Lines) {
    $blocks = [System.Collections.Generic.List[object]]::new()
    $add = {
        param($block, [string] $marker)
        if ($block -is [Markdig.Syntax.ParagraphBlock] -or $block -is [Markdig.Syntax.HeadingBlock]) {
            $body = (ConvertTo-NlbPlainText $block.Inline).Trim()
            $text = if ($marker) { "$marker $body" } else { $body }
            $blocks.Add([pscustomobject]@{ Kind = 'Para'; Text = $text; Marker = $marker; Body = $body; Links = @(Get-NlbMarkdownLinks $block.Inline) })
        }
        elseif ($block -is [Markdig.Syntax.CodeBlock]) {
            $blocks.Add([pscustomobject]@{ Kind = 'Code'; Text = ($block.Lines.ToString() -replace '\r', ''); Marker = $null; Body = $null; Links = @() })
        }
        elseif ($block -is [Markdig.Syntax.ListBlock]) {
            foreach ($item in $block) {
                $itemMarker = if ($block.IsOrdered) { "$($item.Order)$($block.OrderedDelimiter)" } else { '-' }
                foreach ($child in $item) { & $add $child $itemMarker; $itemMarker = $null }
            }
        }
        elseif ($block -is [Markdig.Syntax.ContainerBlock]) { foreach ($child in $block) { & $add $child $null } }
    }
    foreach ($block in (Read-NlbMarkdownAst $Lines)) { if ($block -isnot [Markdig.Extensions.Yaml.YamlFrontMatterBlock]) { & $add $block $null } }
    return $blocks
}

function Get-NlbTrimmedLines([System.Collections.Generic.List[string]] $Lines) {
    $a = @($Lines)
    $start = 0; $end = $a.Count - 1
    while ($start -le $end -and $a[$start].Trim() -eq '') { $start++ }
    while ($end -ge $start -and $a[$end].Trim() -eq '') { $end-- }
    if ($start -gt $end) { return @() }
    return $a[$start..$end]
}

# "key: value" lines (the front matter, a parameter's yaml block): flat, as New-MarkdownHelp writes them.
function ConvertFrom-NlbYamlLines([string[]] $Lines) {
    $map = [ordered]@{}
    foreach ($l in $Lines) { if ($l -match '^([^:]+):\s*(.*)$') { $map[$Matches[1].Trim()] = $Matches[2].Trim() } }
    return $map
}

# Reads one cmdlet's markdown into a model that keeps every section's raw lines (so Update can write it back).
function Read-NlbHelpMarkdown([string] $Path) {
    $lines = (Get-Content -LiteralPath $Path -Raw) -split '\r?\n'
    $frontBlock = Find-NlbMarkdownBlock $lines { param($b) $b -is [Markdig.Extensions.Yaml.YamlFrontMatterBlock] } | Select-Object -First 1
    $front = if ($frontBlock) { ConvertFrom-NlbYamlLines ($frontBlock.Lines.ToString() -split '\n') } else { [ordered]@{} }
    $title = Find-NlbMarkdownBlock $lines { param($b) $b -is [Markdig.Syntax.HeadingBlock] -and $b.Level -eq 1 } | Select-Object -First 1
    if (-not $title) { throw "$Path has no '# <Cmdlet>' title." }
    $doc = [ordered]@{
        Path = $Path; FrontMatter = $front; Name = (ConvertTo-NlbPlainText $title.Inline).Trim()
        Sections = [ordered]@{}; Syntax = @(); Examples = @(); Parameters = [ordered]@{}; Inputs = @(); Outputs = @()
    }
    $body = @(if ($title.Line + 1 -lt $lines.Count) { $lines[($title.Line + 1)..($lines.Count - 1)] })
    foreach ($section in (Split-NlbMarkdownSection $body 2 | Select-Object -Skip 1)) {
        $doc.Sections[$section.Title] = $section.Lines
        $subs = Split-NlbMarkdownSection $section.Lines 3 | Select-Object -Skip 1
        switch ($section.Title) {
            'SYNTAX' {
                $doc.Syntax = @(foreach ($s in $subs) {
                    $setName = $s.Title -replace '\s*\(Default\)\s*$', ''
                    $codeBlock = ConvertTo-NlbMarkdownBlock $s.Lines | Where-Object Kind -eq 'Code' | Select-Object -First 1
                    [pscustomobject]@{ Name = $setName; IsDefault = $s.Title -match '\(Default\)\s*$'; Text = if ($codeBlock) { $codeBlock.Text.Trim() } else { '' } }
                })
            }
            'EXAMPLES' {
                $doc.Examples = @(foreach ($s in $subs) {
                    $blocks = @(ConvertTo-NlbMarkdownBlock $s.Lines)
                    $firstCode = [array]::FindIndex([object[]]$blocks, [Predicate[object]] { param($b) $b.Kind -eq 'Code' })
                    [pscustomobject]@{
                        Title   = $s.Title
                        Intro   = @(if ($firstCode -gt 0) { $blocks[0..($firstCode - 1)] })
                        Code    = if ($firstCode -ge 0) { $blocks[$firstCode].Text } else { '' }
                        Remarks = @(if ($firstCode -ge 0 -and $firstCode + 1 -lt $blocks.Count) { $blocks[($firstCode + 1)..($blocks.Count - 1)] })
                    }
                })
            }
            'PARAMETERS' {
                foreach ($s in $subs) {
                    if ($s.Title -eq 'CommonParameters') { continue }
                    $paramName = $s.Title.TrimStart('-')
                    # The yaml fence is the code's part (compared by the drift check); the lines around it are prose.
                    $fence = Find-NlbMarkdownBlock $s.Lines { param($b) $b -is [Markdig.Syntax.FencedCodeBlock] -and $b.Info -eq 'yaml' } | Select-Object -First 1
                    $yaml = if ($fence) { ConvertFrom-NlbYamlLines ($fence.Lines.ToString() -split '\n') } else { [ordered]@{} }
                    $prose = [System.Collections.Generic.List[string]]::new()
                    $fenceEnd = if ($fence) { $fence.Line + $fence.Lines.Count + 1 } else { -1 }
                    for ($n = 0; $n -lt $s.Lines.Count; $n++) { if (-not $fence -or $n -lt $fence.Line -or $n -gt $fenceEnd) { $prose.Add($s.Lines[$n]) } }
                    $doc.Parameters[$paramName] = [pscustomobject]@{ Name = $paramName; Yaml = $yaml; Prose = @(Get-NlbTrimmedLines $prose) }
                }
            }
            { $_ -in 'INPUTS', 'OUTPUTS' } {
                $items = foreach ($s in $subs) { [pscustomobject]@{ Type = $s.Title; Lines = @(Get-NlbTrimmedLines $s.Lines) } }
                if ($_ -eq 'INPUTS') { $doc.Inputs = @($items) } else { $doc.Outputs = @($items) }
            }
        }
    }
    return [pscustomobject]$doc
}

function Get-NlbSectionBlocks($Doc, [string] $Title) {
    if (-not $Doc.Sections.Contains($Title)) { return @() }
    return @(ConvertTo-NlbMarkdownBlock (Get-NlbTrimmedLines $Doc.Sections[$Title]))
}

#endregion

#region MAML writing

$script:MamlNs = @{
    maml = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
}

function Write-NlbMamlParas([System.Xml.XmlWriter] $W, $Blocks) {
    foreach ($b in $Blocks) {
        $W.WriteElementString('maml', 'para', $MamlNs.maml, $b.Text)
    }
}

function Write-NlbMamlDescription([System.Xml.XmlWriter] $W, [string] $Prefix, $Blocks) {
    $W.WriteStartElement($Prefix, 'description', $MamlNs.maml)
    Write-NlbMamlParas $W $Blocks
    $W.WriteEndElement()
}

# "True (SetA), False (SetB)" or "True": the value a per-set field has in one set.
function Get-NlbPerSetValue([string] $Field, [string] $SetName) {
    if ($Field -notmatch '\(') { return $Field.Trim() }
    foreach ($m in [regex]::Matches($Field, '([^,(]+?)\s*\(([^)]*)\)')) {
        $sets = $m.Groups[2].Value -split ',' | ForEach-Object Trim
        if ($SetName -in $sets) { return $m.Groups[1].Value.Trim() }
    }
    return ($Field -split '\(')[0].Trim()
}

function Test-NlbParameterInSet($Parameter, [string] $SetName) {
    $sets = [string]$Parameter.Yaml['Parameter Sets']
    if ($sets -eq '(All)' -or $sets -eq '') { return $true }
    return $SetName -in ($sets -split ',' | ForEach-Object Trim)
}

function Write-NlbMamlParameter([System.Xml.XmlWriter] $W, $Parameter, [string] $SetName) {
    $y = $Parameter.Yaml
    $type = [string]$y['Type']
    $required = if ($SetName) { Get-NlbPerSetValue ([string]$y['Required']) $SetName } else { ([string]$y['Required'] -split '\(')[0].Trim() }
    $position = if ($SetName) { Get-NlbPerSetValue ([string]$y['Position']) $SetName } else { ([string]$y['Position'] -split '\(')[0].Trim() }
    $aliases = if ($y['Aliases'] -and $y['Aliases'] -ne 'None') { $y['Aliases'] } else { 'none' }
    $W.WriteStartElement('command', 'parameter', $MamlNs.command)
    $W.WriteAttributeString('required', $required.ToLowerInvariant())
    $W.WriteAttributeString('variableLength', 'true')
    $W.WriteAttributeString('globbing', ([string]$y['Accept wildcard characters']).ToLowerInvariant())
    $W.WriteAttributeString('pipelineInput', [string]$y['Accept pipeline input'])
    $W.WriteAttributeString('position', $position.ToLowerInvariant())
    $W.WriteAttributeString('aliases', $aliases)
    $W.WriteElementString('maml', 'name', $MamlNs.maml, $Parameter.Name)
    Write-NlbMamlDescription $W 'maml' (ConvertTo-NlbMarkdownBlock $Parameter.Prose)
    if ($type -ne 'SwitchParameter') {
        $W.WriteStartElement('command', 'parameterValue', $MamlNs.command)
        $W.WriteAttributeString('required', 'true'); $W.WriteAttributeString('variableLength', 'false')
        $W.WriteString($type)
        $W.WriteEndElement()
    }
    $W.WriteStartElement('dev', 'type', $MamlNs.dev)
    $W.WriteElementString('maml', 'name', $MamlNs.maml, $type)
    $W.WriteElementString('maml', 'uri', $MamlNs.maml, '')
    $W.WriteEndElement()
    $W.WriteElementString('dev', 'defaultValue', $MamlNs.dev, [string]$y['Default value'])
    $W.WriteEndElement()
}

function Write-NlbMamlTypes([System.Xml.XmlWriter] $W, [string] $Outer, [string] $Inner, $Items) {
    $W.WriteStartElement('command', $Outer, $MamlNs.command)
    foreach ($item in $Items) {
        $W.WriteStartElement('command', $Inner, $MamlNs.command)
        $W.WriteStartElement('dev', 'type', $MamlNs.dev)
        $W.WriteElementString('maml', 'name', $MamlNs.maml, $item.Type)
        $W.WriteEndElement()
        Write-NlbMamlDescription $W 'maml' (ConvertTo-NlbMarkdownBlock $item.Lines)
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
}

function Write-NlbMamlCommand([System.Xml.XmlWriter] $W, $Doc) {
    $verb, $noun = $Doc.Name -split '-', 2
    $W.WriteStartElement('command', 'command', $MamlNs.command)
    foreach ($p in 'maml', 'command', 'dev') { $W.WriteAttributeString('xmlns', $p, $null, $MamlNs[$p]) }

    $W.WriteStartElement('command', 'details', $MamlNs.command)
    $W.WriteElementString('command', 'name', $MamlNs.command, $Doc.Name)
    $W.WriteElementString('command', 'verb', $MamlNs.command, $verb)
    $W.WriteElementString('command', 'noun', $MamlNs.command, $noun)
    Write-NlbMamlDescription $W 'maml' (Get-NlbSectionBlocks $Doc 'SYNOPSIS')
    $W.WriteEndElement()

    Write-NlbMamlDescription $W 'maml' (Get-NlbSectionBlocks $Doc 'DESCRIPTION')

    # Like platyPS: each syntax item lists the parameters whose "Parameter Sets" include that set.
    $W.WriteStartElement('command', 'syntax', $MamlNs.command)
    foreach ($set in $Doc.Syntax) {
        $W.WriteStartElement('command', 'syntaxItem', $MamlNs.command)
        $W.WriteElementString('maml', 'name', $MamlNs.maml, $Doc.Name)
        # In the order of the set's syntax line (the cmdlet's own order), then any the line does not name.
        $order = @([regex]::Matches($set.Text, '(?<=[\s\[])-(\w+)') | ForEach-Object { $_.Groups[1].Value })
        $inSet = @($Doc.Parameters.Values | Where-Object { Test-NlbParameterInSet $_ $set.Name } |
            Sort-Object { $i = [array]::IndexOf($order, $_.Name); if ($i -lt 0) { [int]::MaxValue } else { $i } })
        foreach ($p in $inSet) { Write-NlbMamlParameter $W $p $set.Name }
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'parameters', $MamlNs.command)
    foreach ($p in $Doc.Parameters.Values) { Write-NlbMamlParameter $W $p $null }
    $W.WriteEndElement()

    Write-NlbMamlTypes $W 'inputTypes' 'inputType' $Doc.Inputs
    Write-NlbMamlTypes $W 'returnValues' 'returnValue' $Doc.Outputs

    $notes = @(Get-NlbSectionBlocks $Doc 'NOTES')
    if ($notes.Count -gt 0) {
        $W.WriteStartElement('maml', 'alertSet', $MamlNs.maml)
        $W.WriteStartElement('maml', 'alert', $MamlNs.maml)
        Write-NlbMamlParas $W $notes
        $W.WriteEndElement(); $W.WriteEndElement()
    }

    $W.WriteStartElement('command', 'examples', $MamlNs.command)
    foreach ($ex in $Doc.Examples) {
        $W.WriteStartElement('command', 'example', $MamlNs.command)
        $W.WriteElementString('maml', 'title', $MamlNs.maml, "-------------------------- $($ex.Title) --------------------------")
        $W.WriteStartElement('maml', 'introduction', $MamlNs.maml)
        Write-NlbMamlParas $W $ex.Intro
        $W.WriteEndElement()
        $W.WriteElementString('dev', 'code', $MamlNs.dev, $ex.Code)
        $W.WriteStartElement('dev', 'remarks', $MamlNs.dev)
        Write-NlbMamlParas $W $ex.Remarks
        $W.WriteEndElement()
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'relatedLinks', $MamlNs.command)
    foreach ($b in (Get-NlbSectionBlocks $Doc 'RELATED LINKS')) {
        foreach ($link in $b.Links) {
            $W.WriteStartElement('maml', 'navigationLink', $MamlNs.maml)
            $W.WriteElementString('maml', 'linkText', $MamlNs.maml, $link.Text)
            $uri = if ($link.Url -match '^https?://') { $link.Url } else { '' }
            $W.WriteElementString('maml', 'uri', $MamlNs.maml, $uri)
            $W.WriteEndElement()
        }
    }
    $W.WriteEndElement()

    $W.WriteEndElement()
}

function ConvertTo-NlbMaml([object[]] $Docs, [string] $OutputPath) {
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $w = [System.Xml.XmlWriter]::Create($OutputPath, $settings)
    try {
        $w.WriteStartDocument()
        $w.WriteStartElement('helpItems', 'http://msh')
        $w.WriteAttributeString('schema', 'maml')
        foreach ($doc in $Docs) { Write-NlbMamlCommand $w $doc }
        $w.WriteEndElement()
        $w.WriteEndDocument()
    } finally { $w.Dispose() }
}

#endregion

#region about_ topics

function Format-NlbWrappedText([string] $Text, [int] $Indent, [int] $Width = 80) {
    $pad = ' ' * $Indent
    $lines = [System.Collections.Generic.List[string]]::new()
    $line = ''
    foreach ($word in ($Text -split '\s+' | Where-Object { $_ })) {
        if ($line -and ($pad.Length + $line.Length + 1 + $word.Length) -gt $Width) { $lines.Add($pad + $line); $line = $word }
        elseif ($line) { $line += " $word" }
        else { $line = $word }
    }
    if ($line) { $lines.Add($pad + $line) }
    return $lines
}

# about_*.md (platyPS about schema: '# about_X', '## SHORT DESCRIPTION', '## LONG DESCRIPTION', '### ...')
# -> the plain-text layout Get-Help shows: headings at column 0, text indented 4, code indented 8.
function ConvertTo-NlbAboutText([string] $Path) {
    $lines = (Get-Content -LiteralPath $Path -Raw) -split '\r?\n'
    $out = [System.Collections.Generic.List[string]]::new()
    $emit = {
        param([int] $From, [int] $To)
        if ($To -lt $From) { return }
        foreach ($b in (ConvertTo-NlbMarkdownBlock $lines[$From..$To])) {
            if ($b.Kind -eq 'Code') { foreach ($c in ($b.Text -split "`n")) { $out.Add(('        ' + $c).TrimEnd()) } }
            elseif ($b.Marker) {
                $hang = 5 + $b.Marker.Length
                $wrapped = @(Format-NlbWrappedText $b.Body $hang)
                $wrapped[0] = '    ' + $b.Marker + ' ' + $wrapped[0].Substring($hang)
                $out.AddRange([string[]]$wrapped)
            }
            else { $out.AddRange([string[]]@(Format-NlbWrappedText $b.Text 4)) }
            $out.Add('')
        }
    }
    $next = 0
    foreach ($h in (Find-NlbMarkdownBlock $lines { param($b) $b -is [Markdig.Syntax.HeadingBlock] -and $b.Level -le 3 })) {
        & $emit $next ($h.Line - 1)
        $title = (ConvertTo-NlbPlainText $h.Inline).Trim()
        if ($h.Level -eq 1) { $out.Add('TOPIC'); $out.Add("    $title"); $out.Add('') }
        elseif ($h.Level -eq 2) { $out.Add($title.ToUpperInvariant()); $out.Add('') }
        else { $out.Add("  $title"); $out.Add('') }
        $next = $h.Line + 1
    }
    & $emit $next ($lines.Count - 1)
    return ($out -join [Environment]::NewLine).TrimEnd() + [Environment]::NewLine
}

#endregion

#region The module's real surface (read in a child pwsh, so this process never loads the staged dll)

function Get-NlbDocsPwsh {
    if (Get-Command Get-PwshCommand -ErrorAction Ignore) { return @(Get-PwshCommand) }
    $entry = [System.Reflection.Assembly]::GetEntryAssembly().Location
    if ($entry -and $entry.EndsWith('.dll')) { return @([Environment]::ProcessPath, $entry) }
    return @([Environment]::ProcessPath)
}

$script:NlbSurfaceScript = @'
param($ManifestPath)
$ErrorActionPreference = 'Stop'
$module = Import-Module $ManifestPath -PassThru
$common = [System.Management.Automation.Cmdlet]::CommonParameters
function Get-FriendlyTypeName([type] $t) {
    if ($t.IsArray) { return (Get-FriendlyTypeName $t.GetElementType()) + '[]' }
    $inner = [Nullable]::GetUnderlyingType($t)
    if ($inner) { return Get-FriendlyTypeName $inner }
    if ($t.IsGenericType) { return ($t.Name -replace '`\d+$', '') + '[' + (($t.GetGenericArguments() | ForEach-Object { Get-FriendlyTypeName $_ }) -join ', ') + ']' }
    return $t.Name
}
# "True (SetA), False (SetB)" when a value differs between sets, else the single value.
function Join-PerSet($pairs) {
    $groups = @($pairs | Group-Object Value)
    if ($groups.Count -le 1) { return [string]$groups[0].Name }
    return ($groups | ForEach-Object { "$($_.Name) ($(($_.Group | ForEach-Object SetName | Sort-Object) -join ', '))" }) -join ', '
}
$commands = foreach ($c in ($module.ExportedCommands.Values | Where-Object CommandType -ne 'Alias' | Sort-Object Name)) {
    $allSets = @($c.ParameterSets | ForEach-Object Name)
    $parameters = foreach ($p in ($c.Parameters.Values | Where-Object { $_.Name -notin $common } | Sort-Object Name)) {
        $entries = foreach ($set in $c.ParameterSets) {
            $sp = $set.Parameters | Where-Object Name -eq $p.Name
            if ($sp) { [pscustomobject]@{ SetName = $set.Name; P = $sp } }
        }
        $inSets = @($entries | ForEach-Object SetName)
        $byValue = @($entries | Where-Object { $_.P.ValueFromPipeline }).Count -gt 0
        $byName = @($entries | Where-Object { $_.P.ValueFromPipelineByPropertyName }).Count -gt 0
        $pipeline = if ($byName -and $byValue) { 'True (ByPropertyName, ByValue)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
        [ordered]@{
            Name = $p.Name
            'Type' = Get-FriendlyTypeName $p.ParameterType
            'Parameter Sets' = if ($inSets.Count -eq $allSets.Count) { '(All)' } else { ($inSets | Sort-Object) -join ', ' }
            'Aliases' = if ($p.Aliases.Count) { ($p.Aliases | Sort-Object) -join ', ' } else { 'None' }
            'Required' = Join-PerSet ($entries | ForEach-Object { [pscustomobject]@{ SetName = $_.SetName; Value = [string]$_.P.IsMandatory } })
            'Position' = Join-PerSet ($entries | ForEach-Object { [pscustomobject]@{ SetName = $_.SetName; Value = if ($_.P.Position -lt 0) { 'Named' } else { [string]$_.P.Position } } })
            'Accept pipeline input' = $pipeline
            'Accept wildcard characters' = [string][bool]($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
            PipelineByValue = $byValue
            TypeFullName = $p.ParameterType.FullName
        }
    }
    [ordered]@{
        Name = $c.Name
        Syntax = @($c.ParameterSets | ForEach-Object { [ordered]@{ Name = $_.Name; IsDefault = $_.IsDefault; Text = "$($c.Name) $_".Trim() } })
        Parameters = @($parameters)
        OutputTypes = @($c.OutputType | ForEach-Object { if ($_.Type) { $_.Type.FullName } else { $_.Name } } | Select-Object -Unique)
    }
}
ConvertTo-Json -InputObject @($commands) -Depth 6 -Compress
'@

function Get-NlbModuleSurface([string] $ManifestPath) {
    $script = Join-Path ([System.IO.Path]::GetTempPath()) "nlbtools-surface-$PID.ps1"
    Set-Content -LiteralPath $script -Value $NlbSurfaceScript
    try {
        $pwsh = @(Get-NlbDocsPwsh)
        $json = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $script -ManifestPath $ManifestPath
        if ($LASTEXITCODE -ne 0) { throw "Reading the commands of $ManifestPath failed (exit code $LASTEXITCODE)." }
    } finally { Remove-Item -LiteralPath $script -ErrorAction Ignore }
    return @(($json -join "`n") | ConvertFrom-Json)
}

#endregion

#region Drift check

# Every way the docs and the module disagree, as readable strings (empty = in sync).
function Test-NlbDocsDrift([object[]] $Docs, [object[]] $Surface) {
    $problems = [System.Collections.Generic.List[string]]::new()
    $docsByName = @{}; foreach ($d in $Docs) { $docsByName[$d.Name] = $d }
    $realByName = @{}; foreach ($c in $Surface) { $realByName[$c.Name] = $c }
    foreach ($c in $Surface) {
        if (-not $docsByName.ContainsKey($c.Name)) { $problems.Add("$($c.Name): exported but has no docs/en-US/$($c.Name).md"); continue }
        $doc = $docsByName[$c.Name]
        $realSets = @($c.Syntax | ForEach-Object { "$($_.Name)$(if ($_.IsDefault -and @($c.Syntax).Count -gt 1) { ' (Default)' })" })
        $docSets = @($doc.Syntax | ForEach-Object { "$($_.Name)$(if ($_.IsDefault) { ' (Default)' })" })
        if (($realSets -join '|') -ne ($docSets -join '|')) { $problems.Add("$($c.Name): SYNTAX sets are '$($docSets -join ', ')', the cmdlet has '$($realSets -join ', ')'") }
        else {
            foreach ($s in $c.Syntax) {
                $docSyntax = ($doc.Syntax | Where-Object Name -eq $s.Name).Text -replace '\s+', ' '
                if ($docSyntax -ne ($s.Text -replace '\s+', ' ')) { $problems.Add("$($c.Name): SYNTAX of set '$($s.Name)' is '$docSyntax', the cmdlet's is '$($s.Text)'") }
            }
        }
        foreach ($p in $c.Parameters) {
            if (-not $doc.Parameters.Contains($p.Name)) { $problems.Add("$($c.Name): parameter -$($p.Name) has no doc"); continue }
            $dp = $doc.Parameters[$p.Name]
            $prose = ($dp.Prose -join ' ').Trim()
            if (-not $prose -or $prose.Contains($DocsPlaceholder)) { $problems.Add("$($c.Name): parameter -$($p.Name) has no description") }
            foreach ($key in $DocsCheckedKeys) {
                if ([string]$dp.Yaml[$key] -ne [string]$p.$key) { $problems.Add("$($c.Name): -$($p.Name) '$key' is '$($dp.Yaml[$key])' in the doc, '$($p.$key)' in the cmdlet") }
            }
            if (-not $dp.Yaml['Default value']) { $problems.Add("$($c.Name): -$($p.Name) has no 'Default value'") }
        }
        foreach ($name in $doc.Parameters.Keys) {
            if (-not ($c.Parameters | Where-Object Name -eq $name)) { $problems.Add("$($c.Name): the doc names parameter -$name, which the cmdlet does not have") }
        }
        foreach ($section in 'SYNOPSIS', 'DESCRIPTION') {
            $text = (Get-NlbSectionBlocks $doc $section | ForEach-Object Text) -join ' '
            if (-not $text.Trim() -or $text.Contains($DocsPlaceholder)) { $problems.Add("$($c.Name): $section is empty") }
        }
        if (@($doc.Examples | Where-Object { $_.Code.Trim() }).Count -lt 2) { $problems.Add("$($c.Name): fewer than 2 examples") }
        if (@($doc.Outputs).Count -eq 0 -or @($doc.Inputs).Count -eq 0) { $problems.Add("$($c.Name): INPUTS or OUTPUTS is empty") }
    }
    foreach ($d in $Docs) {
        if (-not $realByName.ContainsKey($d.Name)) { $problems.Add("$($d.Name): documented in $(Split-Path $d.Path -Leaf), but the module does not export it") }
        foreach ($ex in $d.Examples) { foreach ($p in (Test-NlbExampleCode $ex.Code $realByName)) { $problems.Add("$($d.Name) '$($ex.Title)': $p") } }
    }
    return $problems
}

# The script part of an example: without 'PS>' prompts it is all code; with them, the prompt lines and the
# indented lines that continue them (the rest is output).
function Get-NlbExampleScript([string] $Code) {
    $lines = $Code -split "`n"
    if (-not ($lines | Where-Object { $_ -match '^PS[^>]*>' })) { return $Code }
    $script = [System.Collections.Generic.List[string]]::new()
    $inCode = $false
    foreach ($line in $lines) {
        if ($line -match '^PS[^>]*>\s?(.*)$') { $script.Add($Matches[1]); $inCode = $true }
        elseif ($inCode -and $line -match '^\s+\S') { $script.Add($line) }
        else { $inCode = $false }
    }
    return ($script -join "`n")
}

# An example that calls an NlbTools cmdlet with a parameter it does not have is drift too.
function Test-NlbExampleCode([string] $Code, [hashtable] $RealByName) {
    $tokens = $null; $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput((Get-NlbExampleScript $Code), [ref] $tokens, [ref] $errors)
    $common = @([System.Management.Automation.Cmdlet]::CommonParameters) + @([System.Management.Automation.Cmdlet]::OptionalCommonParameters)
    $calls = $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)
    foreach ($call in $calls) {
        $name = $call.GetCommandName()
        if (-not $name -or -not $RealByName.ContainsKey($name)) { continue }
        $known = @($common)
        foreach ($p in $RealByName[$name].Parameters) {
            $known += $p.Name
            if ($p.Aliases -ne 'None') { $known += @($p.Aliases -split ',\s*') }
        }
        foreach ($element in $call.CommandElements) {
            if ($element -is [System.Management.Automation.Language.CommandParameterAst] -and $element.ParameterName -notin $known) {
                "$name has no parameter -$($element.ParameterName)"
            }
        }
    }
}

#endregion

#region Update (the platyPS Update-MarkdownHelp equivalent): regenerate what the code owns, keep the prose

function Get-NlbMarkdownSection([System.Collections.Generic.List[string]] $Out, $Doc, [string] $Title, [string[]] $Default) {
    $Out.Add("## $Title"); $Out.Add('')
    $lines = @(if ($Doc -and $Doc.Sections.Contains($Title)) { Get-NlbTrimmedLines $Doc.Sections[$Title] })
    if ($lines.Count -eq 0) { $lines = @($Default) }
    foreach ($l in $lines) { $Out.Add($l) }
    $Out.Add('')
}

function ConvertTo-NlbHelpMarkdown($Command, $Doc) {
    $ph = $DocsPlaceholder
    $out = [System.Collections.Generic.List[string]]::new()
    $out.AddRange([string[]]@('---', 'external help file: NlbTools.dll-Help.xml', 'Module Name: NlbTools'))
    $online = if ($Doc -and $Doc.FrontMatter.Contains('online version')) { $Doc.FrontMatter['online version'] } else { '' }
    $out.AddRange([string[]]@("online version: $online".TrimEnd(), 'schema: 2.0.0', '---', '', "# $($Command.Name)", ''))
    Get-NlbMarkdownSection $out $Doc 'SYNOPSIS' @("$ph the synopsis }}")
    $out.Add('## SYNTAX'); $out.Add('')
    $multi = @($Command.Syntax).Count -gt 1
    foreach ($s in $Command.Syntax) {
        $out.Add("### $($s.Name)$(if ($s.IsDefault -and $multi) { ' (Default)' })")
        $out.AddRange([string[]]@('```', $s.Text, '```', ''))
    }
    Get-NlbMarkdownSection $out $Doc 'DESCRIPTION' @("$ph the description }}")
    Get-NlbMarkdownSection $out $Doc 'EXAMPLES' @('### Example 1', '```powershell', "$ph an example }}", '```', '')
    $out.Add('## PARAMETERS'); $out.Add('')
    foreach ($p in $Command.Parameters) {
        $old = if ($Doc -and $Doc.Parameters.Contains($p.Name)) { $Doc.Parameters[$p.Name] } else { $null }
        $out.Add("### -$($p.Name)")
        $prose = @(if ($old -and @($old.Prose).Count) { $old.Prose } else { "$ph the description of -$($p.Name) }}" })
        $out.AddRange([string[]]$prose); $out.Add('')
        $out.Add('```yaml')
        foreach ($key in $DocsYamlKeys) {
            $value = if ($key -eq 'Default value') { if ($old -and $old.Yaml[$key]) { $old.Yaml[$key] } elseif ($p.Type -eq 'SwitchParameter') { 'False' } else { 'None' } } else { $p.$key }
            $out.Add("${key}: $value")
            if ($key -eq 'Aliases') { $out.Add('') }
        }
        $out.AddRange([string[]]@('```', ''))
    }
    $out.AddRange([string[]]@('### CommonParameters', 'This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, -InformationVariable, -OutVariable, -OutBuffer, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction, and -WarningVariable. For more information, see [about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).', ''))
    $inputs = @($Command.Parameters | Where-Object PipelineByValue | ForEach-Object { $_.TypeFullName -replace '\[\]$', '' } | Select-Object -Unique)
    if (-not $inputs) { $inputs = @('None') }
    Get-NlbMarkdownSection $out $Doc 'INPUTS' @($inputs | ForEach-Object { "### $_"; "$ph what this input is }}"; '' })
    $outputs = @($Command.OutputTypes); if (-not $outputs) { $outputs = @('None') }
    Get-NlbMarkdownSection $out $Doc 'OUTPUTS' @($outputs | ForEach-Object { "### $_"; "$ph what this output is }}"; '' })
    Get-NlbMarkdownSection $out $Doc 'NOTES' @()
    Get-NlbMarkdownSection $out $Doc 'RELATED LINKS' @('[about_NlbTools](about_NlbTools.md)')
    return (($out -join "`n").TrimEnd() + "`n")
}

<#
.SYNOPSIS
    Creates or refreshes docs/en-US/<Cmdlet>.md from the staged module: SYNTAX blocks and parameter yaml
    come from the code; synopsis, description, examples, parameter prose, inputs, outputs and notes are kept.
#>
function Update-NlbHelpMarkdown {
    param([string] $ManifestPath = (Join-Path (Get-NlbDocsPaths).ModuleOut 'NlbTools.psd1'), [string] $DocsDir = (Get-NlbDocsPaths).DocsDir)
    $surface = Get-NlbModuleSurface $ManifestPath
    $null = New-Item -ItemType Directory -Force -Path $DocsDir
    foreach ($c in $surface) {
        $path = Join-Path $DocsDir "$($c.Name).md"
        $doc = if (Test-Path $path) { Read-NlbHelpMarkdown $path } else { $null }
        $text = ConvertTo-NlbHelpMarkdown $c $doc
        [System.IO.File]::WriteAllText($path, $text, [System.Text.UTF8Encoding]::new($false))
        Write-Host "$(if ($doc) { 'Updated' } else { 'Created' }) $path"
    }
}

#endregion

<#
.SYNOPSIS
    build.ps1 Docs (also run by Build): writes en-US/NlbTools.dll-Help.xml and en-US/about_*.help.txt into the staged
    module and fails when the docs and the module's cmdlets or parameters disagree.
#>
function Invoke-Docs {
    $paths = Get-NlbDocsPaths
    $manifest = Join-Path $paths.ModuleOut 'NlbTools.psd1'
    if (-not (Test-Path $manifest)) { Invoke-Build; return }   # Build calls back into Invoke-Docs.
    $culture = Join-Path $paths.ModuleOut 'en-US'
    $null = New-Item -ItemType Directory -Force -Path $culture
    $cmdletDocs = @(Get-ChildItem $paths.DocsDir -Filter '*.md' -ErrorAction Ignore | Where-Object Name -notlike 'about_*' | Sort-Object Name | ForEach-Object { Read-NlbHelpMarkdown $_.FullName })
    ConvertTo-NlbMaml $cmdletDocs (Join-Path $culture 'NlbTools.dll-Help.xml')
    foreach ($about in (Get-ChildItem $paths.DocsDir -Filter 'about_*.md' -ErrorAction Ignore)) {
        $text = ConvertTo-NlbAboutText $about.FullName
        [System.IO.File]::WriteAllText((Join-Path $culture "$($about.BaseName).help.txt"), $text, [System.Text.UTF8Encoding]::new($false))
    }
    Write-Host "Help: $($cmdletDocs.Count) cmdlet docs -> en-US/NlbTools.dll-Help.xml" -ForegroundColor Cyan

    $surface = Get-NlbModuleSurface $manifest
    $problems = @(Test-NlbDocsDrift $cmdletDocs $surface)
    $realByName = @{}; foreach ($c in $surface) { $realByName[$c.Name] = $c }
    foreach ($about in (Get-ChildItem $paths.DocsDir -Filter 'about_*.md' -ErrorAction Ignore)) {
        $blocks = ConvertTo-NlbMarkdownBlock ((Get-Content -LiteralPath $about.FullName -Raw) -split '\r?\n')
        foreach ($code in ($blocks | Where-Object Kind -eq 'Code')) {
            foreach ($p in (Test-NlbExampleCode $code.Text $realByName)) { $problems += "$($about.BaseName): $p" }
        }
    }
    if ($problems.Count -eq 0) { Write-Host 'Help: docs match the module.' -ForegroundColor Green; return }
    Write-Host "Help docs and module disagree ($($problems.Count)):" -ForegroundColor Red
    foreach ($p in $problems) { Write-Host "  $p" -ForegroundColor Red }
    Write-Host "Fix: build, then run  dotnet pwsh -c '. ./tools/build/Docs.ps1; Update-NlbHelpMarkdown'  and write the missing prose in docs/en-US." -ForegroundColor Red
    throw "The help docs drifted from the cmdlets ($($problems.Count) problem(s), listed above)."
}
