# The laid-out module as PowerShell sees it: its manifest, and the help Get-Help shows for every exported cmdlet.
# Data-driven from the manifest's CmdletsToExport, so a new cmdlet is checked as soon as it is exported.
BeforeDiscovery {
    $manifest = Import-PowerShellDataFile -LiteralPath (Join-Path $env:MTKFLASH_MODULE_PATH 'MtkFlash.psd1')
    $cmdlets = @($manifest.CmdletsToExport | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    $env:MTKFLASH_HOME = Join-Path ([IO.Path]::GetTempPath()) ("mtkflash-pester-" + [guid]::NewGuid())
    $script:ManifestPath = Join-Path $env:MTKFLASH_MODULE_PATH 'MtkFlash.psd1'
    $script:Manifest = Import-PowerShellDataFile -LiteralPath $script:ManifestPath
    Import-Module $script:ManifestPath -Force
}

AfterAll {
    Remove-Module MtkFlash -ErrorAction SilentlyContinue
    Remove-Item -Recurse -Force $env:MTKFLASH_HOME -ErrorAction SilentlyContinue
}

Describe 'The module manifest' {
    It 'passes Test-ModuleManifest on the laid-out module' {
        $info = Test-ModuleManifest -Path $script:ManifestPath -ErrorAction Stop
        $info.Name | Should -Be 'MtkFlash'
        @($info.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($script:Manifest.CmdletsToExport | Sort-Object)
    }

    It 'declares what Windows PowerShell 5.1 needs and both editions' {
        $script:Manifest.PowerShellVersion | Should -Be '5.1'
        $script:Manifest.DotNetFrameworkVersion | Should -Be '4.7.2'
        $script:Manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
    }

    It 'exports explicitly: named cmdlets, no functions, aliases or variables, no wildcards' {
        $script:Manifest.CmdletsToExport | Should -Not -Contain '*'
        $script:Manifest.CmdletsToExport.Count | Should -BeGreaterThan 0
        , $script:Manifest.FunctionsToExport | Should -BeOfType [object[]]
        $script:Manifest.FunctionsToExport.Count | Should -Be 0
        $script:Manifest.AliasesToExport.Count | Should -Be 0
        $script:Manifest.VariablesToExport.Count | Should -Be 0
        @((Get-Module MtkFlash).ExportedCommands.Keys | Sort-Object) | Should -Be @($script:Manifest.CmdletsToExport | Sort-Object)
    }

    It 'has release notes and no placeholder addresses' {
        $script:Manifest.PrivateData.PSData.ReleaseNotes | Should -Match $script:Manifest.ModuleVersion
        foreach ($key in 'ProjectUri', 'LicenseUri', 'IconUri') {
            $uri = $script:Manifest.PrivateData.PSData[$key]
            if ($uri) { $uri | Should -Not -Match 'example\.|\.invalid|localhost' -Because "$key must be a real address or absent" }
        }
        if ($script:Manifest.HelpInfoURI) { $script:Manifest.HelpInfoURI | Should -Not -Match 'example\.|\.invalid|localhost' }
    }

    It 'ships no System.Management.Automation (PowerShellStandard.Library is compile-only)' {
        Get-ChildItem -LiteralPath $env:MTKFLASH_MODULE_PATH -Recurse -Filter 'System.Management.Automation*.dll' | Should -BeNullOrEmpty
        $script:Manifest.RequiredAssemblies | Should -BeNullOrEmpty
    }

    It 'ships no iSCSI target (MtkFlash.Iscsi belongs to the CLI)' {
        Get-ChildItem -LiteralPath $env:MTKFLASH_MODULE_PATH -Recurse -Filter '*Iscsi*' | Should -BeNullOrEmpty
        $core = [System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'MtkFlash.Core' }
        $core | Should -Not -BeNullOrEmpty
        @($core.GetTypes() | Where-Object FullName -cmatch 'Iscsi') | Should -BeNullOrEmpty
    }
}

Describe 'Help for <Name>' -ForEach $cmdlets {
    BeforeAll {
        $script:Help = Get-Help $Name -Full
        $script:Command = Get-Command $Name
        $script:Common = [System.Management.Automation.Cmdlet]::CommonParameters
    }

    It 'comes from the MAML file in the module''s en-US folder' {
        $file = Join-Path $env:MTKFLASH_MODULE_PATH 'en-US/MtkFlash.PowerShell.dll-Help.xml'
        Test-Path -LiteralPath $file | Should -BeTrue
        $script:Command.HelpFile | Should -BeLike '*MtkFlash.PowerShell.dll-Help.xml'
    }

    It 'has a synopsis (not the generated syntax) and a description' {
        $script:Help.Synopsis | Should -Not -BeNullOrEmpty
        $script:Help.Synopsis | Should -Not -Match ('^\s*' + [regex]::Escape($Name) + '\s')
        ($script:Help.description.Text -join "`n") | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter and no parameter that does not exist' {
        $expected = @($script:Command.Parameters.Keys | Where-Object { $_ -notin $script:Common })
        $documented = @($script:Help.parameters.parameter)
        foreach ($p in $expected) {
            $entry = $documented | Where-Object name -eq $p
            $entry | Should -Not -BeNullOrEmpty -Because "-$p must be documented"
            ($entry.description.Text -join '').Trim() | Should -Not -BeNullOrEmpty -Because "-$p needs a description"
        }
        foreach ($entry in $documented) { $entry.name | Should -BeIn $expected -Because "the help documents -$($entry.name)" }
    }

    It 'has at least three examples, each with code' {
        $examples = @((Get-Help $Name -Examples).examples.example)
        $examples.Count | Should -BeGreaterOrEqual 3
        foreach ($e in $examples) { $e.code.Trim() | Should -Not -BeNullOrEmpty }
    }

    It 'shows the examples and parameter descriptions in Get-Help -Full' {
        $text = Get-Help $Name -Full | Out-String -Width 200
        $first = @($script:Help.examples.example)[0]
        $text | Should -Match 'Example 1'
        $text | Should -Match ([regex]::Escape(($first.code -split "`n")[0].Trim()))
        $paramText = (@($script:Help.parameters.parameter)[0].description.Text -join ' ')
        $text | Should -Match ([regex]::Escape(($paramText -split '\s+')[0..2] -join ' '))
    }

    It 'is listed in about_MtkFlash' {
        Get-Help about_MtkFlash | Out-String | Should -Match ('\b' + [regex]::Escape($Name) + '\b')
    }
}

Describe 'about_MtkFlash' {
    It 'is found by Get-Help' {
        $about = Get-Help about_MtkFlash -ErrorAction Stop | Out-String
        $about | Should -Match 'TOPIC'
        $about | Should -Match 'SHORT DESCRIPTION'
        $about | Should -Match 'MTKFLASH_HOME'
    }

    It 'ships as about_MtkFlash.help.txt in the en-US folder' {
        Test-Path -LiteralPath (Join-Path $env:MTKFLASH_MODULE_PATH 'en-US/about_MtkFlash.help.txt') | Should -BeTrue
    }
}
