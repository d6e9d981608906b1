# Tab completion through TabExpansion2, the way the console's Tab key asks for it.
BeforeAll {
    $env:MTKFLASH_HOME = Join-Path ([IO.Path]::GetTempPath()) ("mtkflash-pester-" + [guid]::NewGuid())
    Import-Module (Join-Path $env:MTKFLASH_MODULE_PATH 'MtkFlash.psd1') -Force
    New-VirtualOpticalDrive -Name cmp-lg -Profile lg-bh16ns40 -Confirm:$false | Out-Null
    New-VirtualOpticalDrive -Name cmp-tsst -Profile tsst-se506cb -Confirm:$false | Out-Null
    New-VirtualOpticalDrive -Name other -Profile btc-drw1008 -Confirm:$false | Out-Null

    function Complete([string] $line) {
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches)
    }
}

AfterAll {
    Remove-Module MtkFlash -ErrorAction SilentlyContinue
    Remove-Item -Recurse -Force $env:MTKFLASH_HOME -ErrorAction SilentlyContinue
}

Describe 'Argument completers' {
    It 'completes every profile after New-VirtualOpticalDrive -Profile' {
        $all = Complete 'New-VirtualOpticalDrive -Name x -Profile '
        @($all.CompletionText) | Should -Be @([MtkFlash.Core.Virtual.VirtualProfiles]::All.Name)
        $all[0].ToolTip | Should -Match 'HL-DT-ST'
    }

    It 'completes a profile prefix, case-insensitively, and keeps the quote typed' {
        @((Complete 'New-VirtualOpticalDrive x -Profile TSST-').CompletionText) | Should -Be @('tsst-se506cb', 'tsst-ts-h353c')
        @((Complete "New-VirtualOpticalDrive x -Profile 'btc").CompletionText) | Should -Be @("'btc-drw1008'")
    }

    It 'completes virtual drive names after Remove-VirtualOpticalDrive -Name' {
        @((Complete 'Remove-VirtualOpticalDrive -Name cmp').CompletionText) | Should -Be @('cmp-lg', 'cmp-tsst')
        @((Complete 'Remove-VirtualOpticalDrive virtual:o').CompletionText) | Should -Be @('virtual:other')
    }

    It 'offers a drive created a moment ago (nothing cached)' {
        New-VirtualOpticalDrive -Name cmp-new -Profile spc-generic -Confirm:$false | Out-Null
        @((Complete 'Remove-VirtualOpticalDrive -Name cmp-n').CompletionText) | Should -Be @('cmp-new')
        Remove-VirtualOpticalDrive -Name cmp-new -Confirm:$false
        Complete 'Remove-VirtualOpticalDrive -Name cmp-n' | Should -BeNullOrEmpty
    }

    It 'completes drive paths on <Line>' -ForEach @(
        @{ Line = 'Get-OpticalDrive -Path virtual:cmp' }
        @{ Line = 'Get-OpticalDrive virtual:cmp' }
        @{ Line = 'Backup-DriveFirmware -Drive virtual:cmp' }
        @{ Line = 'Write-DriveFirmware -Path x.bin -Drive virtual:cmp' }
        @{ Line = 'Test-FirmwareImage -Path x.bin -Drive virtual:cmp' }
    ) {
        $found = Complete $Line
        @($found.CompletionText) | Should -Be @('virtual:cmp-lg', 'virtual:cmp-tsst')
        $found[0].ToolTip | Should -Match 'BH16NS40'
    }

    It 'completes a virtual drive path from its bare name' {
        @((Complete 'Backup-DriveFirmware -Drive oth').CompletionText) | Should -Contain 'virtual:other'
    }

    It 'lists this machine''s drive nodes next to the virtual drives' {
        $all = @((Complete 'Get-OpticalDrive -Path ').CompletionText)
        $all | Should -Contain 'virtual:cmp-lg'
        # The OS drives (none on a machine without a SCSI stack) are in the same list as the virtual ones.
        $os = @(Get-OpticalDrive | Where-Object { -not $_.IsVirtual } | ForEach-Object Path)
        foreach ($p in $os) { $all | Should -Contain $p }
    }
}
