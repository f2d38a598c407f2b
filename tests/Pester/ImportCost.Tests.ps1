# Issue 7 item 4: importing the module does nothing expensive. The checks run in a fresh pwsh, because the Pester
# process has long since loaded the module (and its client) by the time this file runs.
BeforeAll {
    $script:pwsh = @([Environment]::ProcessPath)
    $entry = [Reflection.Assembly]::GetEntryAssembly().Location
    if ($entry -and $entry.EndsWith('.dll')) { $script:pwsh += $entry }

    # Runs $Script in a fresh pwsh with the staged module path as $args[0]; returns its last output line as an object.
    function Invoke-FreshPwsh([string] $Script) {
        $file = Join-Path ([IO.Path]::GetTempPath()) "nlbtools-import-$([guid]::NewGuid().ToString('N')).ps1"
        Set-Content -Path $file -Value $Script
        try {
            $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $file $env:NLBTOOLS_MODULE 2>&1
            if ($LASTEXITCODE -ne 0) { throw "child pwsh failed: $($output -join "`n")" }
            return ($output | Select-Object -Last 1) | ConvertFrom-Json
        }
        finally { Remove-Item $file -ErrorAction Ignore }
    }
}

Describe 'Import-Module NlbTools' {
    # Every request (API, STS, metadata) goes through NlbTools.Client's transport, so a module that imports without
    # loading NlbTools.Client has created no client, read no credentials and sent nothing over the network.
    It 'loads only NlbTools.dll: the client and its dependencies wait until a command needs them' {
        $r = Invoke-FreshPwsh @'
$moduleDir = Split-Path $args[0] -Parent
$before = [AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { $_.GetName().Name }
Import-Module $args[0]
$added = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -notin $before }
$fromModule = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { -not $_.IsDynamic -and $_.Location -and $_.Location.StartsWith($moduleDir) }
$afterImport = @($fromModule | ForEach-Object { $_.GetName().Name })
# A command that needs the client: its listener-independent rules (ListenerRules) refuse -Cps -1 before any
# credentials, region or request, so nothing is looked up or sent; only the loading matters.
$null = Set-NlbListenerAttribute -ListenerId 'lsn-bp1bpn0kn908w4nbw0001@1000' -Cps -1 -ErrorAction SilentlyContinue
$afterCommand = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'NlbTools.Client' } | ForEach-Object { $_.GetName().Name })
[pscustomobject]@{ Added = @($added | ForEach-Object { $_.GetName().Name }); FromModule = $afterImport; ClientAfterCommand = $afterCommand } | ConvertTo-Json -Compress
'@
        $r.FromModule | Should -Be @('NlbTools')
        $r.Added | Should -Not -Contain 'NlbTools.Client'
        # The lazy load really happens on first use (so the check above is not vacuous).
        $r.ClientAfterCommand | Should -Be @('NlbTools.Client')
    }
}
