# Issue 15 item 14: the scheduled task's argument line carries -RegionId and -Profile intact, whatever they hold.
# The round trip is real: the line goes, as one string, to a child pwsh (.NET splits ProcessStartInfo.Arguments by
# the Windows command-line rules on every OS, as pwsh.exe does on Windows), whose -File binds the pieces to a
# script's parameters, and that script reports what it received.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TaskArguments.ps1')
    $script:pwsh = @([Environment]::ProcessPath)
    $entry = [Reflection.Assembly]::GetEntryAssembly().Location
    if ($entry -and $entry.EndsWith('.dll')) { $script:pwsh += $entry }

    # A stand-in for Invoke-IdleTimeoutRunbook.ps1 with the same parameters, in a folder whose name has spaces.
    $script:echo = Join-Path $TestDrive 'Task Scripts (x86)/Echo Runbook.ps1'
    $null = New-Item -ItemType Directory (Split-Path $echo)
    Set-Content $echo @'
param([string] $Profile, [Parameter(Mandatory)] [string] $RegionId, [int] $IdleTimeout = 300)
[pscustomobject]@{ Profile = $Profile; RegionId = $RegionId; IdleTimeout = $IdleTimeout } | ConvertTo-Json -Compress
'@

    # Starts pwsh with the task's argument line exactly as Task Scheduler passes it (one string).
    function Invoke-TaskLine([string] $Arguments) {
        $prefix = @($pwsh | Select-Object -Skip 1 | ForEach-Object { ConvertTo-TaskArgument $_ })
        $start = [System.Diagnostics.ProcessStartInfo]::new($pwsh[0], (@($prefix) + $Arguments) -join ' ')
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        $p = [System.Diagnostics.Process]::Start($start)
        $stdout = $p.StandardOutput.ReadToEndAsync()
        $stderr = $p.StandardError.ReadToEndAsync()
        if (-not $p.WaitForExit(60000)) { $p.Kill($true); throw 'pwsh did not finish within 60 s' }
        if ($p.ExitCode -ne 0) { throw "pwsh exited $($p.ExitCode): $($stderr.Result)" }
        ($stdout.Result.Trim() -split "`n")[-1] | ConvertFrom-Json
    }
}

Describe 'examples/windows-task: the task command line' {
    # Each case starts a pwsh, so each packs several traps: spaces, quotes, backslashes before a quote and at the
    # end, a leading '-', PowerShell and cmd syntax that must stay text.
    It 'round-trips RegionId <RegionId> and Profile <Profile>' -ForEach @(
        @{ RegionId = 'cn-hangzhou'; Profile = 'prod' }
        @{ RegionId = 'cn hangzhou'; Profile = 'say "hi" twice' }
        @{ RegionId = 'back\"slash\'; Profile = '\\server\share\"x\\" C:\Profiles\with space\' }
        @{ RegionId = '-Profile'; Profile = "o'brien & sons; `$(Remove-Item C:\) %USERPROFILE% ``n ^& """"" }
    ) {
        $line = New-IdleTimeoutTaskArgument -Wrapper $echo -RegionId $RegionId -IdleTimeout 120 -Profile $Profile
        $got = Invoke-TaskLine $line
        $got.RegionId | Should -BeExactly $RegionId
        $got.Profile | Should -BeExactly $Profile
        $got.IdleTimeout | Should -Be 120
    }

    It 'leaves -Profile out when none is given' {
        $line = New-IdleTimeoutTaskArgument -Wrapper $echo -RegionId 'cn-hangzhou'
        $line | Should -Not -Match '-Profile'
        (Invoke-TaskLine $line).Profile | Should -BeExactly ''
    }

    It 'is needed: the line the sample used to build loses such values' {
        $RegionId = 'cn-hangzhou'; $Profile = 'prod ops'
        $old = "-NoProfile -NonInteractive -File `"$echo`" -RegionId $RegionId -IdleTimeout 120 -Profile $Profile"
        { Invoke-TaskLine $old } | Should -Throw '*ops*'
    }

    It 'refuses a value with a control character, naming the rule' {
        { ConvertTo-TaskArgument "prod`r`n-Evil" } | Should -Throw '*cannot hold a control character*'
        { New-IdleTimeoutTaskArgument -Wrapper $echo -RegionId "cn`nhangzhou" } | Should -Throw '*control character*'
    }

    It 'is what Register-IdleTimeoutTask.ps1 uses (read with the PowerShell parser)' {
        $tokens = $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $PSScriptRoot 'Register-IdleTimeoutTask.ps1'), [ref] $tokens, [ref] $errors)
        $errors | Should -BeNullOrEmpty
        $assignment = $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.AssignmentStatementAst] -and $n.Left.Extent.Text -eq '$arguments' }, $true)
        @($assignment).Count | Should -Be 1
        $command = $assignment[0].Right.PipelineElements[0]
        $command.GetCommandName() | Should -Be 'New-IdleTimeoutTaskArgument'
        $bound = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($command, $false)
        $bound.BoundParameters.Keys | Should -Contain 'RegionId'
        $bound.BoundParameters.Keys | Should -Contain 'Profile'
        # No value is pasted into a string by hand any more.
        $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.ExpandableStringExpressionAst] -and $n.Value -match 'RegionId|Profile' }, $true) | Should -BeNullOrEmpty
    }
}
