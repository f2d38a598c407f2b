@{
    RootModule             = 'NlbTools.dll'
    # build.ps1 writes the version from Directory.Build.props into the staged copy.
    ModuleVersion          = '0.0.0'
    GUID                   = '5b7f4f7e-2f0c-4a59-9a43-6c1d3f1e8b21'
    Author                 = 'NlbTools contributors'
    CompanyName            = 'NlbTools contributors'
    Copyright              = '(c) NlbTools contributors. MIT License.'
    Description            = 'Manage Alibaba Cloud Network Load Balancer (NLB) listeners: pipeline-friendly cmdlets, server-side -WhatIf (DryRun), job waiting, and a local NLB emulator for testing scripts without an account.'
    CompatiblePSEditions   = @('Desktop', 'Core')
    PowerShellVersion      = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('NlbTools.Format.ps1xml')
    CmdletsToExport        = @(
        'Connect-Nlb'
        'Disconnect-Nlb'
        'Get-NlbContext'
        'Get-NlbListener'
        'Set-NlbListenerAttribute'
        'Wait-NlbJob'
        'Get-NlbServerGroup'
        'Get-NlbSecurityPolicy'
        'Get-NlbRegion'
        'Start-NlbEmulator'
        'Stop-NlbEmulator'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('AlibabaCloud', 'Aliyun', 'NLB', 'LoadBalancer', 'Network', 'Cloud', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://github.com/nlbtools/NlbTools/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/nlbtools/NlbTools'
            ReleaseNotes = 'First release: Set-NlbListenerAttribute with server-side -WhatIf, Get-NlbListener, Wait-NlbJob, credentials chain, and the bundled NLB emulator.'
        }
    }
}
