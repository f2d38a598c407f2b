# The package users install: build the .nupkg the way `build.ps1 Package` does, install it with Install-PSResource
# into a throw-away home, and use it from a fresh pwsh that has never seen the staged module.
BeforeAll {
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) "nlbtools-package-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $script:feed = Join-Path $work 'feed'
    $script:version = (Import-PowerShellDataFile $env:NLBTOOLS_MODULE).ModuleVersion

    # Runs a script in a new pwsh whose home (and so its PSResourceGet repository store and CurrentUser module
    # path) is a temp folder: installing there never touches the real user's modules or repositories.
    function Invoke-FreshPwsh([string] $Script, [hashtable] $Arguments) {
        $fakeHome = Join-Path $work 'home'
        # .NET reports ~/.config as "" when it does not exist, and NuGet then writes NuGet/ into the working folder.
        $null = New-Item -ItemType Directory -Force -Path $fakeHome, (Join-Path $fakeHome '.config'), (Join-Path $fakeHome '.local/share')
        $scriptPath = Join-Path $work "script-$([guid]::NewGuid().ToString('N').Substring(0, 8)).ps1"
        Set-Content -LiteralPath $scriptPath -Value $Script
        $entry = [System.Reflection.Assembly]::GetEntryAssembly().Location
        $start = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
        if ($entry -and $entry.EndsWith('.dll')) { $start.ArgumentList.Add($entry) }
        foreach ($a in '-NoProfile', '-NonInteractive', '-File', $scriptPath) { $start.ArgumentList.Add($a) }
        foreach ($k in $Arguments.Keys) { $start.ArgumentList.Add("-$k"); $start.ArgumentList.Add([string]$Arguments[$k]) }
        foreach ($k in 'HOME', 'USERPROFILE') { $start.Environment[$k] = $fakeHome }
        $start.Environment['NO_COLOR'] = '1'
        # No XDG_* either: PowerShell would read its module path from XDG_DATA_HOME, PSResourceGet installs under HOME.
        foreach ($k in 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'PSModulePath', 'NLBTOOLS_MODULE', 'ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_REGION_ID') { $null = $start.Environment.Remove($k) }
        $start.WorkingDirectory = $fakeHome
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $process = [System.Diagnostics.Process]::Start($start)
        $stderr = $process.StandardError.ReadToEndAsync()
        $stdout = $process.StandardOutput.ReadToEnd()
        $process.WaitForExit()
        [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout; Errors = $stderr.Result; Home = $fakeHome }
    }

    # Pack with the Package task's own function, in a child with the throw-away home too: its temporary
    # repository registration never touches the real user's PSResourceGet store.
    $packed = Invoke-FreshPwsh -Arguments @{ PackageScript = (Join-Path $env:NLBTOOLS_ROOT 'tools/build/Package.ps1'); ModulePath = (Split-Path $env:NLBTOOLS_MODULE); Feed = $feed } -Script @'
param($PackageScript, $ModulePath, $Feed)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
. $PackageScript
(New-NlbModulePackage -ModulePath $ModulePath -OutputPath $Feed).FullName
'@
    if ($packed.ExitCode -ne 0) { throw "Packing failed: $($packed.Errors)" }
    $script:package = Get-Item (($packed.Output -split "`n" | Where-Object { $_.Trim() } | Select-Object -Last 1).Trim())
}

AfterAll {
    if ($work -and (Test-Path $work)) { Remove-Item $work -Recurse -Force -ErrorAction Ignore }
}

Describe 'The NlbTools package' {
    It 'is a .nupkg named after the module version' {
        $package.Name | Should -Be "NlbTools.$version.nupkg"
    }

    It 'carries the gallery metadata in its nuspec' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($package.FullName)
        try {
            $entry = $zip.Entries | Where-Object FullName -eq 'NlbTools.nuspec'
            $reader = [System.IO.StreamReader]::new($entry.Open())
            [xml] $nuspec = $reader.ReadToEnd()
            $reader.Dispose()
            $files = @($zip.Entries.FullName)
        } finally { $zip.Dispose() }
        $metadata = $nuspec.package.metadata
        $metadata.id | Should -Be 'NlbTools'
        $metadata.version | Should -Be $version
        $metadata.tags | Should -Match 'PSEdition_Desktop'
        $metadata.tags | Should -Match 'PSEdition_Core'
        $metadata.projectUrl | Should -Not -BeNullOrEmpty
        $metadata.releaseNotes | Should -Not -BeNullOrEmpty
        $files | Should -Contain 'en-US/NlbTools.dll-Help.xml'
        $files | Should -Contain 'en-US/about_NlbTools.help.txt'
        $files | Should -Contain 'emulator/NlbTools.Emulator.dll'
        $files | Should -Contain 'LICENSE'
    }

    It 'passes Test-ModuleManifest, with Desktop and Core, PowerShell 5.1, tags, license, project and release notes' {
        $manifest = Test-ModuleManifest -Path $env:NLBTOOLS_MODULE
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifest.PowerShellVersion | Should -Be ([version]'5.1')
        $manifest.Tags | Should -Contain 'NLB'
        $manifest.LicenseUri | Should -Not -BeNullOrEmpty
        $manifest.ProjectUri | Should -Not -BeNullOrEmpty
        $manifest.ReleaseNotes | Should -Not -BeNullOrEmpty
        Test-Path (Join-Path $env:NLBTOOLS_ROOT 'LICENSE') | Should -BeTrue
        Get-Content (Join-Path $env:NLBTOOLS_ROOT 'LICENSE') -TotalCount 1 | Should -Be 'MIT License'
    }

    It 'installs with Install-PSResource and lists listeners from the emulator in a fresh pwsh' {
        $result = Invoke-FreshPwsh -Arguments @{ Feed = $feed } -Script @'
param($Feed)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Register-PSResourceRepository -Name LocalFeed -Uri $Feed -Trusted
Install-PSResource -Name NlbTools -Repository LocalFeed -Scope CurrentUser -Quiet
Import-Module NlbTools
$module = Get-Module NlbTools
$emulator = Start-NlbEmulator -JobDurationMs 100 -Connect
try {
    $region = (Get-NlbContext).RegionId
    $listeners = @(Get-NlbListener)
    $expected = @((Invoke-RestMethod "$($emulator.Endpoint)/_emulator/state").Listeners | Where-Object RegionId -eq $region)
    $help = Get-Help Set-NlbListenerAttribute
    [pscustomobject]@{
        ModuleBase = $module.ModuleBase
        Version = "$($module.Version)"
        Listed = @($listeners.ListenerId | Sort-Object)
        Expected = @($expected.ListenerId | Sort-Object)
        FirstType = $listeners[0].GetType().FullName
        Synopsis = $help.Synopsis
    } | ConvertTo-Json -Compress
} finally {
    Stop-NlbEmulator
}
'@
        $result.ExitCode | Should -Be 0 -Because $result.Errors
        $answer = ($result.Output -split "`n" | Where-Object { $_.StartsWith('{') } | Select-Object -Last 1) | ConvertFrom-Json
        # The installed copy under the throw-away home was loaded, not the staged one.
        $answer.ModuleBase | Should -BeLike "$($result.Home)*"
        $answer.Version | Should -Be $version
        $answer.Listed.Count | Should -BeGreaterThan 0
        $answer.Listed | Should -Be $answer.Expected
        $answer.FirstType | Should -Be 'NlbTools.NlbListener'
        $answer.Synopsis | Should -Match 'UpdateListenerAttribute'
    }
}
