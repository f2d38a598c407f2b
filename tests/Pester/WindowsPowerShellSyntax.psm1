# Finds what Windows PowerShell 5.1 cannot run in a script that parses under PowerShell 7: syntax added in 7.x, and
# non-ASCII text in a file without a BOM (5.1 reads such a file in the ANSI code page, so the text changes).
Set-StrictMode -Version 3.0

function New-Finding([string] $Path, [System.Management.Automation.Language.IScriptExtent] $Extent, [string] $Construct) {
    [pscustomobject]@{ Path = $Path; Line = $Extent.StartLineNumber; Construct = $Construct; Text = $Extent.Text }
}

function Test-ForEachParallel([System.Management.Automation.Language.Ast] $Ast) {
    if ($Ast -isnot [System.Management.Automation.Language.CommandAst]) { return $false }
    if ($Ast.GetCommandName() -notin 'ForEach-Object', 'foreach', '%') { return $false }
    # -Pa is the shortest unambiguous prefix of -Parallel (-P could also be -PipelineVariable).
    foreach ($element in $Ast.CommandElements) {
        if ($element -is [System.Management.Automation.Language.CommandParameterAst] -and
            $element.ParameterName.Length -ge 2 -and 'parallel'.StartsWith($element.ParameterName, [StringComparison]::OrdinalIgnoreCase)) { return $true }
    }
    return $false
}

<#
.SYNOPSIS
    Lists PowerShell 7-only constructs in a script (file or text): one object per finding (Path, Line, Construct, Text).
#>
function Find-Pwsh7OnlySyntax {
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Path', ValueFromPipelineByPropertyName)] [Alias('FullName')] [string] $Path,
        [Parameter(Mandatory, ParameterSetName = 'Text')] [string] $Text
    )
    process {
        $tokens = $null; $errors = $null
        if ($PSCmdlet.ParameterSetName -eq 'Path') {
            $name = $Path
            $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref] $tokens, [ref] $errors)
            $bytes = [System.IO.File]::ReadAllBytes($Path)
            $hasBom = $bytes.Length -ge 3 -and $bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF
            if (-not $hasBom) {
                # ISO-8859-1 maps each byte to one char, so a match's index is its byte offset.
                $raw = [System.Text.Encoding]::GetEncoding(28591).GetString($bytes)
                $match = [regex]::Match($raw, '[^\x00-\x7F]')
                if ($match.Success) {
                    $line = 1 + [regex]::Matches($raw.Substring(0, $match.Index), "`n").Count
                    [pscustomobject]@{ Path = $name; Line = $line; Construct = 'non-ASCII text in a file without a UTF-8 BOM'; Text = '' }
                }
            }
        }
        else {
            $name = '<text>'
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($Text, [ref] $tokens, [ref] $errors)
        }
        foreach ($e in $errors) { New-Finding $name $e.Extent "parse error: $($e.Message)" }

        # One walk over the tree; type names rather than type literals, since 5.1 has no TernaryExpressionAst or PipelineChainAst.
        foreach ($node in $ast.FindAll({ $true }, $true)) {
            $construct = switch ($node.GetType().Name) {
                'TernaryExpressionAst' { 'ternary operator ? :' }
                'PipelineChainAst' { 'pipeline chain && / ||' }
                'BinaryExpressionAst' { if ("$($node.Operator)" -eq 'QuestionQuestion') { 'null-coalescing operator ??' } }
                'AssignmentStatementAst' { if ("$($node.Operator)" -eq 'QuestionQuestionEquals') { 'null-coalescing assignment ??=' } }
                { $_ -in 'MemberExpressionAst', 'InvokeMemberExpressionAst' } { if ($node.PSObject.Properties['NullConditional'] -and $node.NullConditional) { 'null-conditional member ?.' } }
                'IndexExpressionAst' { if ($node.PSObject.Properties['NullConditional'] -and $node.NullConditional) { 'null-conditional index ?[]' } }
                'CommandAst' { if (Test-ForEachParallel $node) { 'ForEach-Object -Parallel' } }
                'NamedBlockAst' { if ("$($node.BlockKind)" -eq 'Clean') { 'clean block' } }
            }
            if ($construct) { New-Finding $name $node.Extent $construct }
        }
    }
}

Export-ModuleMember -Function Find-Pwsh7OnlySyntax
