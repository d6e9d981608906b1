# What admins expect besides the four verbs (issue 11): history as objects, the virtual-drive store, synthetic images and
# fault injection from PowerShell, -PassThru on sinks.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $null, $script:Dir = Initialize-MtkFlashTest
    function New-BackupFolder { New-TestFolder $script:Dir }
}

AfterAll { Remove-MtkFlashTest }

Describe 'New-VirtualFirmwareImage' {
    It 'writes a valid synthetic image and reports it' {
        $path = Join-Path $script:Dir 'tsst-ts02.bin'
        $r = New-VirtualFirmwareImage -Profile tsst-se506cb -Revision TS02 -DestinationPath $path
        $r | Should -BeOfType ([MtkFlash.PowerShell.FirmwareImageInfo])
        $r.IsValid | Should -BeTrue
        $r.Family | Should -BeExactly 'Tsst'
        $r.Revision | Should -Be 'TS02'
        (Get-FileHash -LiteralPath $path -Algorithm SHA256).Hash.ToLowerInvariant() | Should -Be $r.Sha256
    }

    It 'writes nothing with -WhatIf, never replaces a file without -Force, and names bad profiles' {
        $path = Join-Path $script:Dir 'whatif.bin'
        New-VirtualFirmwareImage -Profile lg-bh16ns40 -DestinationPath $path -WhatIf
        Test-Path -LiteralPath $path | Should -BeFalse

        $keep = Join-Path $script:Dir 'keep.bin'
        [IO.File]::WriteAllBytes($keep, [byte[]] (1, 2, 3))
        New-VirtualFirmwareImage -Profile lg-bh16ns40 -DestinationPath $keep -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'DestinationExists,MtkFlash.PowerShell.NewVirtualFirmwareImageCommand'
        $err[0].ErrorDetails.RecommendedAction | Should -Match '-Force'
        (Get-Item -LiteralPath $keep).Length | Should -Be 3
        (New-VirtualFirmwareImage -Profile lg-bh16ns40 -DestinationPath $keep -Force).Revision | Should -Be '1.02'

        New-VirtualFirmwareImage -Profile no-such -DestinationPath (Join-Path $script:Dir 'x.bin') -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'UnknownProfile,MtkFlash.PowerShell.NewVirtualFirmwareImageCommand'
    }
}

Describe 'Get-VirtualOpticalDrive and Get-VirtualOpticalDriveProfile' {
    BeforeAll {
        New-VirtualOpticalDrive -Name adm-a -Profile lg-bh16ns40 -Confirm:$false | Out-Null
        New-VirtualOpticalDrive -Name adm-b -Profile btc-drw1008 -WithDisc -Confirm:$false | Out-Null
    }

    It 'lists the store with wildcards and says DriveNotFound for a missing name' {
        $all = @(Get-VirtualOpticalDrive -Name 'adm-*')
        $all.Path | Should -Be @('virtual:adm-a', 'virtual:adm-b')
        $all[0] | Should -BeOfType ([MtkFlash.PowerShell.VirtualOpticalDriveInfo])
        $all[1].Tray | Should -BeExactly 'Disc'
        $all[0].Faults | Should -Be 'none'
        (Get-VirtualOpticalDrive 'virtual:adm-a').Profile | Should -Be 'lg-bh16ns40'
        (Get-OpticalDrive -Path 'virtual:adm-a' | Get-VirtualOpticalDrive).Name | Should -Be 'adm-a'
        Get-VirtualOpticalDrive -Name 'adm-none' -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'DriveNotFound,MtkFlash.PowerShell.GetVirtualOpticalDriveCommand'
        ($all | Format-Table | Out-String) | Should -Match 'Path\s+Profile\s+Revision\s+State\s+Tray\s+Faults'
    }

    It 'lists the profiles the emulator imitates' {
        $all = @(Get-VirtualOpticalDriveProfile)
        $all.Count | Should -BeGreaterOrEqual 6
        $all.Name | Should -Contain 'lg-bh16ns40'
        $lite = Get-VirtualOpticalDriveProfile -Name 'liteon-*'
        $lite.CanFlash | Should -BeFalse
        $lite.Family | Should -BeExactly 'LiteOn8051'
        (Get-VirtualOpticalDriveProfile -Name lg-bh16ns40).FlashSize | Should -Be 0x200000
        Get-VirtualOpticalDriveProfile -Name nope -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'UnknownProfile,MtkFlash.PowerShell.GetVirtualOpticalDriveProfileCommand'
        # Profiles feed New-VirtualFirmwareImage by property name.
        (Get-VirtualOpticalDrive -Name adm-a | New-VirtualFirmwareImage -DestinationPath (Join-Path $script:Dir 'from-pipe.bin')).Product | Should -Be 'BD-RE BH16NS40'
    }
}

Describe 'Set-VirtualOpticalDriveFault' {
    BeforeEach {
        $name = 'f' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        New-VirtualOpticalDrive -Name $name -Profile tsst-se506cb -Confirm:$false | Out-Null
    }

    It 'puts a disc in the tray and takes it out' {
        $d = Set-VirtualOpticalDriveFault -Name $name -Tray Disc -PassThru
        $d.Tray | Should -BeExactly 'Disc'
        (Get-OpticalDrive -Path "virtual:$name").State | Should -BeExactly 'MediumPresent'
        Set-VirtualOpticalDriveFault -Name "virtual:$name" -Tray Empty
        (Get-OpticalDrive -Path "virtual:$name").State | Should -BeExactly 'NoMedium'
    }

    It 'injects a power loss that a backup meets, and -Clear removes faults' {
        $d = Get-OpticalDrive -Path "virtual:$name" | Set-VirtualOpticalDriveFault -PowerLossAfter 30 -PassThru
        $d.PowerLossAfter | Should -Be 30
        $d.Faults | Should -Match 'power loss after 30'
        Backup-DriveFirmware -Drive "virtual:$name" -Path (New-BackupFolder) -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DriveNotResponding,*'
        (Set-VirtualOpticalDriveFault -Name $name -Transient 'busy:2', 'not-ready' -PassThru).Transients | Should -Be @('busy:2', 'not-ready:1')
        (Set-VirtualOpticalDriveFault -Name $name -Clear -PassThru).Faults | Should -Be 'none'
        Backup-DriveFirmware -Drive "virtual:$name" -Path (New-BackupFolder) | Should -Not -BeNullOrEmpty
    }

    It 'refuses unknown faults and missing drives, and changes nothing with -WhatIf' {
        Set-VirtualOpticalDriveFault -Name $name -Transient sneeze -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidFault,MtkFlash.PowerShell.SetVirtualOpticalDriveFaultCommand'
        Set-VirtualOpticalDriveFault -Name 'nope' -HangAfter 1 -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'DriveNotFound,MtkFlash.PowerShell.SetVirtualOpticalDriveFaultCommand'
        Set-VirtualOpticalDriveFault -Name $name -HangAfter 0 -WhatIf
        (Get-VirtualOpticalDrive -Name $name).Faults | Should -Be 'none'
        Set-VirtualOpticalDriveFault -Name $name -Tray Disc | Should -BeNullOrEmpty   # a sink: nothing without -PassThru
    }

    It 'Remove-VirtualOpticalDrive -PassThru writes the removed drive' {
        $removed = Remove-VirtualOpticalDrive -Name $name -Confirm:$false -PassThru
        $removed | Should -BeOfType ([MtkFlash.PowerShell.VirtualOpticalDriveInfo])
        $removed.Path | Should -Be "virtual:$name"
        Get-VirtualOpticalDrive -Name $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Get-DriveFirmwareHistory' {
    BeforeAll {
        New-VirtualOpticalDrive -Name hist-tsst -Profile tsst-se506cb -Confirm:$false | Out-Null
        New-VirtualOpticalDrive -Name hist-lite -Profile liteon-sohw812s -Confirm:$false | Out-Null
        $image = (New-VirtualFirmwareImage -Profile tsst-se506cb -Revision TS02 -DestinationPath (Join-Path $script:Dir 'hist-ts02.bin')).Path
        $lite = (New-VirtualFirmwareImage -Profile liteon-sohw812s -Revision US0P -DestinationPath (Join-Path $script:Dir 'hist-us0p.bin')).Path
        $script:Before = Get-Date
        Write-DriveFirmware -Drive 'virtual:hist-tsst' -Path $image -SkipBackup -Force -Confirm:$false | Out-Null
        Write-DriveFirmware -Drive 'virtual:hist-lite' -Path $lite -Force -Confirm:$false -ErrorAction SilentlyContinue
    }

    It 'returns every attempt as an object with host, drive, revisions and outcome' {
        $all = @(Get-DriveFirmwareHistory)
        $all.Count | Should -Be 2
        $all[0] | Should -BeOfType ([MtkFlash.PowerShell.DriveFirmwareHistoryEntry])
        $all.Outcome | Should -Be @('Succeeded', 'Refused')
        $all[0].Drive | Should -Be 'virtual:hist-tsst'
        $all[0].PreviousRevision | Should -Be 'TS01'
        $all[0].NewRevision | Should -Be 'TS02'
        $all[1].ErrorId | Should -Be 'ProtocolNotPublic'
        $all.ComputerName | Should -Be @([Environment]::MachineName, [Environment]::MachineName)
        $all[0].StartedUtc | Should -BeGreaterOrEqual $script:Before.ToUniversalTime().AddSeconds(-1)
        ($all | Format-Table | Out-String -Width 200) | Should -Match 'StartedUtc\s+ComputerName\s+Drive\s+From\s+To\s+Outcome'
        ($all | ConvertTo-Csv -NoTypeInformation) -join "`n" | Should -Not -Match 'System\.|MtkFlash\.'
    }

    It 'filters by drive (wildcards, piped drives) and by time' {
        (Get-DriveFirmwareHistory -Drive 'virtual:hist-t*').Drive | Should -Be 'virtual:hist-tsst'
        (Get-OpticalDrive -Path 'virtual:hist-lite' | Get-DriveFirmwareHistory).Outcome | Should -Be 'Refused'
        Get-DriveFirmwareHistory -Since (Get-Date).AddMinutes(5) | Should -BeNullOrEmpty
        Get-DriveFirmwareHistory -Until $script:Before.AddMinutes(-5) | Should -BeNullOrEmpty
        @(Get-DriveFirmwareHistory -Since $script:Before.AddMinutes(-5) -Until (Get-Date).AddMinutes(5)).Count | Should -Be 2
        Get-DriveFirmwareHistory -Since (Get-Date) -Until (Get-Date).AddDays(-1) -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidTimeRange,MtkFlash.PowerShell.GetDriveFirmwareHistoryCommand'
    }
}
