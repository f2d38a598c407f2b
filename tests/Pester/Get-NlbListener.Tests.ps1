# Get-NlbListener against the staged module and the emulator's built-in demo state.
BeforeAll {
    Import-Module $env:NLBTOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emu = Start-TestEmulator
    $secret = ConvertTo-SecureString $Emu.AccessKeySecret -AsPlainText -Force
    Connect-Nlb -AccessKeyId $Emu.AccessKeyId -AccessKeySecret $secret -Endpoint $Emu.Endpoint -RegionId cn-hangzhou | Out-Null
    function script:Get-Requests([string] $Action) { @(Invoke-EmulatorControl -Emulator $Emu -Path requests | Where-Object Action -eq $Action) }
    $script:Fqid = 'NlbTools.Commands.GetNlbListenerCommand'
}

AfterAll {
    Disconnect-Nlb
    if ($Emu) { $Emu | Stop-TestEmulator }
}

Describe 'Get-NlbListener' {
    Context 'listing' {
        It 'lists the listeners of the context region, each carrying its RegionId' {
            $all = @(Get-NlbListener)
            $expected = @((Invoke-EmulatorControl -Emulator $Emu -Path state).Listeners | Where-Object RegionId -eq 'cn-hangzhou')
            $all.Count | Should -Be $expected.Count
            $all | ForEach-Object { $_ | Should -BeOfType NlbTools.NlbListener }
            $all.RegionId | Sort-Object -Unique | Should -Be 'cn-hangzhou'
        }

        It 'takes -RegionId for one call' {
            $sh = @(Get-NlbListener -Region cn-shanghai)
            $sh.Count | Should -BeGreaterThan 0
            $sh.RegionId | Sort-Object -Unique | Should -Be 'cn-shanghai'
            (Get-Requests ListListeners | Select-Object -Last 1).Parameters.RegionId | Should -Be 'cn-shanghai'
        }

        It 'filters by protocol, load balancer and tag on the server' {
            (Get-NlbListener -ListenerProtocol UDP).ListenerProtocol | Sort-Object -Unique | Should -Be 'UDP'
            (Get-NlbListener -LoadBalancerId nlb-hzedge01).LoadBalancerId | Sort-Object -Unique | Should -Be 'nlb-hzedge01'
            $tagged = @(Get-NlbListener -Tag @{ env = 'test' })
            $tagged.ListenerId | Sort-Object | Should -Be @('lsn-hzweb01@8080', 'lsn-hzweb01@8443')
            $last = Get-Requests ListListeners | Select-Object -Last 1
            $last.Parameters.'Tag.1.Key' | Should -Be 'env'
        }

        It 'writes each page as it arrives, so Select-Object -First 3 stops the fetching' {
            $before = (Get-Requests ListListeners).Count
            @(Get-NlbListener -PageSize 2).Count | Should -BeGreaterThan 6
            $pagesForAll = (Get-Requests ListListeners).Count - $before
            $pagesForAll | Should -BeGreaterThan 3

            $before = (Get-Requests ListListeners).Count
            $first = @(Get-NlbListener -PageSize 2 | Select-Object -First 3)
            $first.Count | Should -Be 3
            ((Get-Requests ListListeners).Count - $before) | Should -Be 2
        }
    }

    Context 'by id' {
        It 'reads a single id with GetListenerAttribute' {
            $lists = (Get-Requests ListListeners).Count
            $one = Get-NlbListener 'lsn-hzweb01@443'
            $one.ListenerId | Should -Be 'lsn-hzweb01@443'
            $one.ListenerProtocol | Should -Be 'TCPSSL'
            $one.CertificateIds | Should -Be @('12315790-cn-hangzhou')
            $one.RegionId | Should -Be 'cn-hangzhou'
            (Get-Requests GetListenerAttribute | Select-Object -Last 1).Parameters.ListenerId | Should -Be 'lsn-hzweb01@443'
            (Get-Requests ListListeners).Count | Should -Be $lists
        }

        It 'takes ids from the pipeline, by value and by property name' {
            ('lsn-hzweb01@80', 'lsn-hzweb01@53' | Get-NlbListener).ListenerId | Should -Be @('lsn-hzweb01@80', 'lsn-hzweb01@53')
            ([pscustomobject]@{ ListenerId = 'lsn-hzweb01@80' } | Get-NlbListener).ListenerId | Should -Be 'lsn-hzweb01@80'
        }

        It 'reads several ids with one ListListeners request' {
            $lists = (Get-Requests ListListeners).Count
            (Get-NlbListener -ListenerId 'lsn-hzweb01@80', 'lsn-hzedge01@22').ListenerId | Sort-Object | Should -Be @('lsn-hzedge01@22', 'lsn-hzweb01@80')
            (Get-Requests ListListeners).Count | Should -Be ($lists + 1)
        }

        It 'an unknown id is a non-terminating ObjectNotFound error' {
            $out = @('lsn-nope@1', 'lsn-hzweb01@80' | Get-NlbListener -ErrorVariable err -ErrorAction SilentlyContinue)
            $out.ListenerId | Should -Be 'lsn-hzweb01@80'
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be "ResourceNotFound.listener,$Fqid"
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err[0].TargetObject | Should -Be 'lsn-nope@1'
        }

        It 'an unknown id among several is reported too' {
            $out = @(Get-NlbListener -ListenerId 'lsn-nope@2', 'lsn-hzweb01@80' -ErrorVariable err -ErrorAction SilentlyContinue)
            $out.ListenerId | Should -Be 'lsn-hzweb01@80'
            $err[0].FullyQualifiedErrorId | Should -Be "ResourceNotFound.listener,$Fqid"
            $err[0].TargetObject | Should -Be 'lsn-nope@2'
        }
    }

    Context 'output' {
        It 'has a table view' {
            $text = Get-NlbListener 'lsn-hzedge01@0' | Format-Table | Out-String -Width 200
            $text | Should -Match 'ListenerId'
            $text | Should -Match '10000-10100'
        }

        It 'writes one verbose line per request' {
            $verbose = Get-NlbListener 'lsn-hzweb01@80' -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            @($verbose).Count | Should -Be 1
            $verbose[0].Message | Should -Match 'GetListenerAttribute'
            $verbose[0].Message | Should -Not -Match ([regex]::Escape($Emu.AccessKeySecret))
        }
    }
}
