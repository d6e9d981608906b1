# Backup-DriveFirmware against virtual drives (issue 3). Runs under tests/pester/run.ps1 with the module from build.ps1.
BeforeAll {
    $env:MTKFLASH_HOME = Join-Path ([IO.Path]::GetTempPath()) ("mtkflash-pester-" + [guid]::NewGuid())
    Import-Module (Join-Path $env:MTKFLASH_MODULE_PATH 'MtkFlash.psd1') -Force

    # Virtual drives through the cmdlet when the module has it, else through the store API of MtkFlash.Core.
    function New-TestDrive([string] $Name, [string] $DriveProfile) {
        if (Get-Command New-VirtualOpticalDrive -ErrorAction SilentlyContinue) {
            New-VirtualOpticalDrive -Name $Name -Profile $DriveProfile -Confirm:$false | Out-Null
        } else {
            [MtkFlash.Core.Virtual.VirtualDriveStore]::new($env:MTKFLASH_HOME).Create($Name, $DriveProfile, $null, $false) | Out-Null
        }
        "virtual:$Name"
    }

    function Set-PowerLoss([string] $Name, [int] $After) {
        $store = [MtkFlash.Core.Virtual.VirtualDriveStore]::new($env:MTKFLASH_HOME)
        $store.SetFaults($Name, [Action[MtkFlash.Core.Virtual.VirtualDriveFaults]] { param($f) $f.PowerLossAfter = $After }) | Out-Null
    }

    function New-BackupFolder {
        New-Item -ItemType Directory -Path (Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))) | Select-Object -ExpandProperty FullName
    }

    $script:lg = New-TestDrive 'pb-lg' 'lg-bh16ns40'
    $script:btc = New-TestDrive 'pb-btc' 'btc-drw1008'
}

AfterAll {
    Remove-Module MtkFlash -ErrorAction SilentlyContinue
    Remove-Item -Recurse -Force $env:MTKFLASH_HOME -ErrorAction SilentlyContinue
}

Describe 'Backup-DriveFirmware' {
    It 'exports the command with its OutputType and ShouldProcess' {
        $cmd = Get-Command Backup-DriveFirmware
        $cmd.OutputType.Type.FullName | Should -Contain 'MtkFlash.PowerShell.DriveFirmwareBackup'
        $cmd.Parameters.Keys | Should -Contain 'WhatIf'
        $cmd.Parameters['Drive'].Aliases | Should -Contain 'InputObject'
    }

    It 'backs up every drive of the pipeline, one verified bundle each' {
        $dir = New-BackupFolder
        $results = @(Get-OpticalDrive -Path 'virtual:pb-*' | Backup-DriveFirmware -Path $dir)
        $results.Count | Should -Be 2
        ($results.Drive | Sort-Object) | Should -Be @($script:btc, $script:lg)
        @(Get-ChildItem -LiteralPath $dir -Force).Count | Should -Be 2

        $full = $results | Where-Object Drive -eq $script:lg
        "$($full.Completeness)" | Should -Be 'Full'
        (Split-Path -Parent $full.Path) | Should -Be $dir
        (Get-FileHash -Algorithm SHA256 -LiteralPath (Join-Path $full.Path 'firmware.bin')).Hash | Should -Be $full.Sha256
        $full.Parts | Should -Contain 'firmware.bin'
        $full.Parts | Should -Not -Contain 'manifest.json'
        $full.PartSha256[$full.Parts.IndexOf('firmware.bin')] | Should -Be $full.Sha256

        $identity = $results | Where-Object Drive -eq $script:btc
        "$($identity.Completeness)" | Should -Be 'IdentityOnly'
        $identity.Reason | Should -Match 'BTC'
        Test-Path -LiteralPath (Join-Path $identity.Path 'firmware.bin') | Should -BeFalse
    }

    It 'warns when a backup is not full' {
        $dir = New-BackupFolder
        Backup-DriveFirmware -Drive $script:btc -Path $dir -WarningVariable warn -WarningAction SilentlyContinue | Out-Null
        $warn[0] | Should -Match 'identityOnly'
    }

    It 'takes drive paths as strings and writes zip bundles with -AsZip' {
        $dir = New-BackupFolder
        $r = $script:lg | Backup-DriveFirmware -Path $dir -AsZip
        $r.Path | Should -BeLike '*.zip'
        Test-Path -LiteralPath $r.Path -PathType Leaf | Should -BeTrue
        $report = Test-FirmwareImage -LiteralPath $r.Path
        "$($report.Format)" | Should -Be 'BackupBundle'
        $report.IsValid | Should -BeTrue
        $report.Sha256 | Should -Be $r.Sha256
    }

    It '-WhatIf reads and writes nothing' {
        $dir = New-BackupFolder
        $out = Get-OpticalDrive -Path 'virtual:pb-*' | Backup-DriveFirmware -Path $dir -WhatIf
        $out | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath $dir -Force).Count | Should -Be 0
    }

    It 'reports a missing folder as BackupFolderNotFound (non-terminating)' {
        $missing = Join-Path $TestDrive 'does-not-exist'
        $out = Backup-DriveFirmware -Drive $script:lg -Path $missing -ErrorAction SilentlyContinue -ErrorVariable err
        $out | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Match '^BackupFolderNotFound,'
        "$($err[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
        Test-Path -LiteralPath $missing | Should -BeFalse
    }

    It 'keeps going after a drive that loses power, and keeps nothing of it' {
        $dead = New-TestDrive 'pb-dead' 'tsst-se506cb'
        Set-PowerLoss 'pb-dead' 30
        $dir = New-BackupFolder
        $results = @($dead, $script:lg | Backup-DriveFirmware -Path $dir -ErrorAction SilentlyContinue -ErrorVariable err)
        $results.Count | Should -Be 1
        $results[0].Drive | Should -Be $script:lg
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Match '^DriveNotResponding,'
        "$($err[0].CategoryInfo.Category)" | Should -Be 'ResourceUnavailable'
        $err[0].TargetObject | Should -Be $dead
        @(Get-ChildItem -LiteralPath $dir -Force).Count | Should -Be 1
    }

    It 'reports a path that is not a drive as DriveNotFound, not DriveNotResponding' {
        $dir = New-BackupFolder
        Backup-DriveFirmware -Drive 'virtual:pb-none', '/etc/hostname' -Path $dir -ErrorAction SilentlyContinue -ErrorVariable err | Out-Null
        $err.Count | Should -Be 2
        $err | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be 'DriveNotFound,MtkFlash.PowerShell.BackupDriveFirmwareCommand' }
        "$($err[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'New-VirtualOpticalDrive'
        $err[0].ErrorDetails.RecommendedAction | Should -Not -Match 'mtkflash'
        @(Get-ChildItem -LiteralPath $dir -Force).Count | Should -Be 0
    }
}
