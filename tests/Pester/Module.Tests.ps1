BeforeAll {
    $script:ManifestPath = $env:NLBTOOLS_MODULE
    Import-Module $ManifestPath -Force
}

Describe 'NlbTools module' {
    It 'passes Test-ModuleManifest' {
        $m = Test-ModuleManifest -Path $ManifestPath
        $m.Name | Should -Be 'NlbTools'
        $m.CompatiblePSEditions | Should -Contain 'Desktop'
        $m.CompatiblePSEditions | Should -Contain 'Core'
    }

    It 'stamps the version from Directory.Build.props' {
        [xml] $props = Get-Content (Join-Path $env:NLBTOOLS_ROOT 'Directory.Build.props') -Raw
        $version = ($props.Project.PropertyGroup | Where-Object { $_['Version'] } | Select-Object -First 1).Version
        (Import-PowerShellDataFile $ManifestPath).ModuleVersion | Should -Be $version
    }
}
