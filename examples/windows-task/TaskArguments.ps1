<#
.SYNOPSIS
    Builds the scheduled task's argument line: "-File <wrapper> -RegionId <value> ..." with every value quoted
    so that it reaches the wrapper unchanged.

.DESCRIPTION
    Task Scheduler hands the line to pwsh.exe / powershell.exe, which split it into arguments by the Windows
    command-line rules (those of CommandLineToArgvW and the C runtime): a value with a space must be in double
    quotes, a double quote inside is written \", and backslashes are doubled only where they precede a quote.
    -File passes the pieces to the script as literal strings, so $(...) or ; in a value is never run, and each
    value goes as -Name:value, so one that starts with '-' is not taken for a parameter name.
    Dot-source this file; Register-IdleTimeoutTask.ps1 does.
#>

# One argument, quoted for the Windows command-line rules when it needs it.
function ConvertTo-TaskArgument {
    [OutputType([string])]
    param([Parameter(Mandatory)] [AllowEmptyString()] [string] $Value)
    if ($Value -match '[\x00-\x1f\x7f]') {
        throw [System.ArgumentException]::new("A task argument cannot hold a control character (such as a newline): '$($Value -replace '[\x00-\x1f\x7f]', '?')'.")
    }
    if ($Value.Length -gt 0 -and $Value -notmatch '[\s"]') { return $Value }
    $quoted = [System.Text.StringBuilder]::new('"')
    $backslashes = 0
    foreach ($c in $Value.ToCharArray()) {
        if ($c -eq '\') { $backslashes++; continue }
        # Backslashes before a quote are doubled, and the quote escaped; elsewhere they are literal.
        if ($c -eq '"') { $null = $quoted.Append('\', 2 * $backslashes + 1).Append('"') }
        else { $null = $quoted.Append('\', $backslashes).Append($c) }
        $backslashes = 0
    }
    # Trailing backslashes precede the closing quote: doubled.
    $null = $quoted.Append('\', 2 * $backslashes).Append('"')
    $quoted.ToString()
}

# The whole argument line of the task's action.
function New-IdleTimeoutTaskArgument {
    [OutputType([string])]
    param(
        [Parameter(Mandatory)] [string] $Wrapper,
        [Parameter(Mandatory)] [string] $RegionId,
        [int] $IdleTimeout = 300,
        [string] $Profile
    )
    # -Name:value, one argument each: a value that starts with '-' is then a value, never a parameter name.
    $parts = @('-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', (ConvertTo-TaskArgument $Wrapper),
        (ConvertTo-TaskArgument "-RegionId:$RegionId"), "-IdleTimeout:$IdleTimeout")
    if ($Profile) { $parts += ConvertTo-TaskArgument "-Profile:$Profile" }
    $parts -join ' '
}
