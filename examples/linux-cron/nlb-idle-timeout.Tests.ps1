# Issue 15 item 14: the cron wrapper keeps its lock and log in directories only the job's user can write, and
# refuses (exit 3, a message on stderr that cron mails) to run with one that someone else could have prepared.
# The runbook is replaced by a fake `pwsh` on PATH that records its arguments: these tests are about the wrapper.
BeforeDiscovery { $script:skipCron = -not $IsLinux -or -not (Get-Command bash, flock, stat -CommandType Application -ErrorAction Ignore) }

BeforeAll {
    $script:wrapper = Join-Path $PSScriptRoot 'nlb-idle-timeout.sh'
    $script:fakeBin = Join-Path $TestDrive 'bin'
    $null = New-Item -ItemType Directory $fakeBin
    Set-Content (Join-Path $fakeBin 'pwsh') "#!/bin/sh`necho ""fake pwsh: `$*""`nexit `${FAKE_PWSH_EXIT:-0}`n"
    chmod 0755 (Join-Path $fakeBin 'pwsh')

    # Runs the wrapper (optionally under `flock LOCK`, which holds LOCK for the run) with a clean job environment.
    function Invoke-CronWrapper([hashtable] $Environment = @{}, [string] $HoldLock) {
        $start = [System.Diagnostics.ProcessStartInfo]::new('bash')
        if ($HoldLock) { $start.FileName = 'flock'; $start.ArgumentList.Add($HoldLock); $start.ArgumentList.Add('bash') }
        $start.ArgumentList.Add($wrapper)
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        foreach ($name in @($start.Environment.Keys)) { if ($name -like 'NLB_*' -or $name -in 'XDG_RUNTIME_DIR', 'LOG_DIR') { $null = $start.Environment.Remove($name) } }
        $start.Environment['PATH'] = "$fakeBin" + [IO.Path]::PathSeparator + $env:PATH
        $start.Environment['NLB_RUNBOOK'] = Join-Path $PSScriptRoot '../Update-ListenerIdleTimeout.ps1'
        foreach ($k in $Environment.Keys) { $start.Environment[$k] = $Environment[$k] }
        $p = [System.Diagnostics.Process]::Start($start)
        $stdout = $p.StandardOutput.ReadToEndAsync()
        $stderr = $p.StandardError.ReadToEndAsync()
        if (-not $p.WaitForExit(60000)) { $p.Kill($true); throw 'the wrapper did not finish within 60 s' }
        [pscustomobject]@{ ExitCode = $p.ExitCode; Stdout = $stdout.Result; Stderr = $stderr.Result }
    }

    function Get-Mode([string] $Path) { (stat -c %a -- $Path).Trim() }
    function Get-Log([string] $Dir) { Get-ChildItem $Dir -Filter 'idle-timeout-*.log' | Get-Content -Raw }
}

Describe 'examples/linux-cron/nlb-idle-timeout.sh' -Skip:$skipCron {
    BeforeEach {
        $script:root = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $script:jobHome = Join-Path $root 'home'
        $script:logs = Join-Path $root 'logs'
        $null = New-Item -ItemType Directory $jobHome, $logs
        chmod 0700 $jobHome $logs
    }

    It 'creates its lock directory 0700 under ~/.local/state and runs the runbook' {
        $r = Invoke-CronWrapper @{ HOME = $jobHome; LOG_DIR = $logs; NLB_REGION = 'cn-shanghai' }
        $r.ExitCode | Should -Be 0 -Because $r.Stderr
        $state = Join-Path $jobHome '.local/state/nlbtools'
        Get-Mode $state | Should -Be '700'
        Join-Path $state 'nlb-idle-timeout.lock' | Should -Exist
        Get-Log $logs | Should -Match 'fake pwsh: -NoProfile -NonInteractive -File \S+Update-ListenerIdleTimeout\.ps1 -RegionId cn-shanghai -IdleTimeout 300'
    }

    It 'uses $XDG_RUNTIME_DIR/nlbtools when the session has one' {
        $runtime = Join-Path $root 'run'
        $null = New-Item -ItemType Directory $runtime
        chmod 0700 $runtime
        $r = Invoke-CronWrapper @{ HOME = $jobHome; LOG_DIR = $logs; XDG_RUNTIME_DIR = $runtime }
        $r.ExitCode | Should -Be 0 -Because $r.Stderr
        Join-Path $runtime 'nlbtools/nlb-idle-timeout.lock' | Should -Exist
    }

    It 'refuses a lock directory with mode <Mode>: exit 3, a message naming it, and the runbook not run' -ForEach @(
        @{ Mode = '777' }, @{ Mode = '770' }, @{ Mode = '1777' }, @{ Mode = '702' }
    ) {
        $state = Join-Path $root 'state'
        $null = New-Item -ItemType Directory $state
        chmod $Mode $state
        $r = Invoke-CronWrapper @{ HOME = $jobHome; LOG_DIR = $logs; NLB_STATE_DIR = $state }
        $r.ExitCode | Should -Be 3
        $r.Stderr | Should -Match "the lock directory $([regex]::Escape($state)) is writable by group or others \(mode $Mode\); not running"
        Get-Log $logs | Should -BeNullOrEmpty
    }

    It 'refuses a lock directory that belongs to another user' {
        if ((id -u) -ne '0') { Set-ItResult -Skipped -Because 'giving a directory to another user needs root'; return }
        $state = Join-Path $root 'state'
        $null = New-Item -ItemType Directory $state
        chmod 0700 $state
        chown 65534 $state
        $r = Invoke-CronWrapper @{ HOME = $jobHome; LOG_DIR = $logs; NLB_STATE_DIR = $state }
        $r.ExitCode | Should -Be 3
        $r.Stderr | Should -Match 'the lock directory .* belongs to uid 65534, not to .*; not running'
    }

    It 'refuses a symlink as the lock directory' {
        $target = Join-Path $root 'elsewhere'
        $null = New-Item -ItemType Directory $target
        chmod 0700 $target
        $state = Join-Path $root 'state'
        ln -s $target $state
        $r = Invoke-CronWrapper @{ HOME = $jobHome; LOG_DIR = $logs; NLB_STATE_DIR = $state }
        $r.ExitCode | Should -Be 3
        $r.Stderr | Should -Match 'is not a directory \(or is a symlink\)'
    }

    It 'refuses a log directory writable by others, before writing to it' {
        chmod 0777 $logs
        $r = Invoke-CronWrapper @{ HOME = $jobHome; LOG_DIR = $logs }
        $r.ExitCode | Should -Be 3
        $r.Stderr | Should -Match "the log directory $([regex]::Escape($logs)) is writable by group or others"
        Get-ChildItem $logs | Should -BeNullOrEmpty
    }

    It 'skips with exit 0 and a log line while its own earlier run holds the lock' {
        $state = Join-Path $root 'state'
        $null = New-Item -ItemType Directory $state
        chmod 0700 $state
        $r = Invoke-CronWrapper @{ HOME = $jobHome; LOG_DIR = $logs; NLB_STATE_DIR = $state } -HoldLock (Join-Path $state 'nlb-idle-timeout.lock')
        $r.ExitCode | Should -Be 0
        Get-Log $logs | Should -Match 'previous run still in progress, skipping'
        Get-Log $logs | Should -Not -Match 'fake pwsh'
    }

    It 'is not stopped by a lock someone holds in /tmp (where the old lock lived)' {
        $r = Invoke-CronWrapper @{ HOME = $jobHome; LOG_DIR = $logs } -HoldLock (Join-Path ([IO.Path]::GetTempPath()) "nlb-idle-timeout.lock")
        $r.ExitCode | Should -Be 0 -Because $r.Stderr
        Get-Log $logs | Should -Match 'fake pwsh: '
    }

    It 'passes the runbook''s exit code on' {
        $r = Invoke-CronWrapper @{ HOME = $jobHome; LOG_DIR = $logs; FAKE_PWSH_EXIT = '1' }
        $r.ExitCode | Should -Be 1
        Get-Log $logs | Should -Match 'end, exit code 1'
    }
}
