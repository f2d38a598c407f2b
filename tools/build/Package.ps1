# build.ps1 Package: out/NlbTools -> out/packages/NlbTools.<version>.nupkg, the way PSResourceGet itself does it:
# a throw-away local repository, Publish-PSResource into it, unregister. tests/Pester/Package.Tests.ps1 uses
# New-NlbModulePackage too, so the test installs exactly what this task produces.

<#
.SYNOPSIS
    Publishes a staged module folder into a temporary local PSResourceGet repository and returns the .nupkg.
#>
function New-NlbModulePackage {
    param(
        [Parameter(Mandatory)] [string] $ModulePath,
        [Parameter(Mandatory)] [string] $OutputPath
    )
    $manifest = Join-Path $ModulePath 'NlbTools.psd1'
    $null = Test-ModuleManifest -Path $manifest -ErrorAction Stop
    $null = New-Item -ItemType Directory -Force -Path $OutputPath
    $version = (Import-PowerShellDataFile $manifest).ModuleVersion
    $nupkg = Join-Path $OutputPath "NlbTools.$version.nupkg"
    if (Test-Path $nupkg) { Remove-Item $nupkg }

    # A unique name, so parallel builds never share (or unregister) each other's repository.
    $repository = "NlbToolsBuild-$PID-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    Register-PSResourceRepository -Name $repository -Uri ([System.IO.Path]::GetFullPath($OutputPath)) -Trusted
    try {
        Publish-PSResource -Path $ModulePath -Repository $repository -ErrorAction Stop
    } finally {
        Unregister-PSResourceRepository -Name $repository -ErrorAction Ignore
    }
    if (-not (Test-Path $nupkg)) { throw "Publish-PSResource did not produce $nupkg." }
    return Get-Item $nupkg
}

function Invoke-Package {
    Invoke-Build
    $package = New-NlbModulePackage -ModulePath $ModuleOut -OutputPath (Join-Path $Out 'packages')
    Write-Host "Package: $($package.FullName) ($([math]::Round($package.Length / 1MB, 1)) MB)" -ForegroundColor Green
}
