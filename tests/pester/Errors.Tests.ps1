# Errors and binding that make sense (issue 11): one ErrorId per condition in every cmdlet, prompts that work without a
# terminal and with Yes to All, -Drive binding, -Quiet, one backup-folder rule, and remedies in PowerShell's words.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Manifest, $script:Dir = Initialize-MtkFlashTest
    if (-not ('MtkFlashPester.ScriptedHost' -as [type])) { Add-Type -Path (Join-Path $PSScriptRoot 'ScriptedHost.cs') }

    New-VirtualOpticalDrive -Name err-lg -Profile lg-bh16ns40 -Confirm:$false | Out-Null
    New-VirtualOpticalDrive -Name err-lg2 -Profile lg-bh16ns40 -Confirm:$false | Out-Null
    New-VirtualOpticalDrive -Name err-tsst -Profile tsst-se506cb -Confirm:$false | Out-Null
    $script:Lg103 = (New-VirtualFirmwareImage -Profile lg-bh16ns40 -Revision 1.03 -DestinationPath (Join-Path $script:Dir 'lg-1.03.bin')).Path
    $script:Tsst = (New-VirtualFirmwareImage -Profile tsst-se506cb -Revision TS02 -DestinationPath (Join-Path $script:Dir 'tsst.bin')).Path

    function New-BackupFolder { New-TestFolder $script:Dir }

}

AfterAll { Remove-MtkFlashTest }

Describe 'One ErrorId per condition' {
    BeforeDiscovery {
        $script:Cmdlets = @(
            @{ Name = 'Get-OpticalDrive'; Class = 'GetOpticalDriveCommand'; Run = { [CmdletBinding()] param($d, $img) Get-OpticalDrive -Path $d } }
            @{ Name = 'Backup-DriveFirmware'; Class = 'BackupDriveFirmwareCommand'; Run = { [CmdletBinding()] param($d, $img) Backup-DriveFirmware -Drive $d } }
            @{ Name = 'Write-DriveFirmware'; Class = 'WriteDriveFirmwareCommand'; Run = { [CmdletBinding()] param($d, $img) Write-DriveFirmware -Drive $d -Path $img -Force -Confirm:$false } }
            @{ Name = 'Test-FirmwareImage'; Class = 'TestFirmwareImageCommand'; Run = { [CmdletBinding()] param($d, $img) Test-FirmwareImage -Path $img -Drive $d } }
        )
    }

    It '<Name> says DriveNotFound for a missing virtual drive and for a path that is not a drive' -ForEach $script:Cmdlets {
        foreach ($path in 'virtual:err-none', '/etc/hostname') {
            $err = $null
            $out = & $Run $path $script:Lg103 -ErrorAction SilentlyContinue -ErrorVariable err
            $out | Should -BeNullOrEmpty
            @($err).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be "DriveNotFound,MtkFlash.PowerShell.$Class"
            "$($err[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
            $err[0].TargetObject | Should -Be $path
        }
    }

    It 'says ImageNotFound with the image as TargetObject, once, before any drive is opened' {
        $missing = Join-Path $script:Dir 'no-such.bin'
        $trace = Join-Path $script:Dir 'missing-image.jsonl'
        { Get-OpticalDrive -Path 'virtual:err-lg*' | Write-DriveFirmware -Path $missing -Force -Confirm:$false -TracePath $trace } |
            Should -Throw -ErrorId 'ImageNotFound,MtkFlash.PowerShell.WriteDriveFirmwareCommand'
        try { Write-DriveFirmware -Drive 'virtual:err-lg' -LiteralPath $missing -Force -Confirm:$false } catch { $e = $_ }
        $e.TargetObject | Should -Be $missing
        "$($e.CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
        (Get-Content -LiteralPath $trace -ErrorAction SilentlyContinue) | Should -BeNullOrEmpty
        Get-DriveFirmwareHistory | Where-Object Image -EQ $missing | Should -BeNullOrEmpty

        Expand-FirmwareImage -LiteralPath $missing -DestinationPath (Join-Path $script:Dir 'x.bin') -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'ImageNotFound,MtkFlash.PowerShell.ExpandFirmwareImageCommand'
        $err[0].TargetObject | Should -Be $missing
    }

    It 'names PowerShell parameters and cmdlets in its advice, never CLI options' {
        Backup-DriveFirmware -Drive 'virtual:err-none' -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'Get-VirtualOpticalDrive'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'New-VirtualOpticalDrive'
        $err[0].ErrorDetails.RecommendedAction | Should -Not -Match 'mtkflash|--'
        $err[0].Exception.Message | Should -Not -Match 'mtkflash virtual'
    }
}

Describe 'Confirmation' {
    It 'without a terminal and without -Force gives ConfirmationRequired, names -Force -Confirm:$false and sends nothing' {
        foreach ($extra in '-Confirm:$false', '') {
            $ps = Invoke-InRunspace $script:Manifest "Write-DriveFirmware -Drive virtual:err-lg -Path '$script:Lg103' -SkipBackup $extra"
            $errors = @($ps.Streams.Error)
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -Be 'ConfirmationRequired,MtkFlash.PowerShell.WriteDriveFirmwareCommand'
            $errors[0].ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape('-Force -Confirm:$false'))
        }
        (Get-OpticalDrive -Path 'virtual:err-lg').Revision | Should -Be '1.02'
    }

    It 'honours Yes to All at the first prompt in every later prompt of the pipeline' {
        New-VirtualOpticalDrive -Name yta-a -Profile lg-bh16ns40 -Confirm:$false | Out-Null
        New-VirtualOpticalDrive -Name yta-b -Profile lg-bh16ns40 -Confirm:$false | Out-Null
        $host_ = [MtkFlashPester.ScriptedHost]::new([string[]] @('Yes to All', 'Yes to All'))
        $ps = Invoke-InRunspace $script:Manifest "Get-OpticalDrive -Path 'virtual:yta-*' | Write-DriveFirmware -Path '$script:Lg103' -SkipBackup" $host_
        @($ps.Streams.Error) | Should -BeNullOrEmpty
        # Confirm (ShouldProcess) once and the flash warning (ShouldContinue) once: the second drive asks nothing.
        $host_.Prompts.Count | Should -Be 2
        $host_.Prompts[1] | Should -Match 'Yes to All'
        (Get-OpticalDrive -Path 'virtual:yta-*').Revision | Should -Be @('1.03', '1.03')
    }
}

Describe 'Binding' {
    It 'Test-FirmwareImage -Drive takes strings, drive objects and objects with a Path or Drive property' {
        $cases = @(
            'virtual:err-lg'
            (Get-OpticalDrive -Path 'virtual:err-lg')
            [pscustomobject]@{ Path = 'virtual:err-lg' }
            [pscustomobject]@{ Drive = 'virtual:err-lg'; Path = $script:Lg103 }
        )
        foreach ($case in $cases) {
            $r = Test-FirmwareImage -Path $script:Lg103 -Drive $case -ErrorAction Stop
            $r.Drive | Should -Be 'virtual:err-lg'
            $r.Verdict | Should -Be 'Fits'
        }
        $r = [pscustomobject]@{ Path = 'virtual:err-lg' } | Test-FirmwareImage -Path $script:Lg103
        $r.Verdict | Should -Be 'Fits'
    }

    It 'Test-FirmwareImage -Quiet answers one Boolean per image: do all drives fit' {
        $both = Test-FirmwareImage -Path $script:Lg103 -Drive 'virtual:err-lg', 'virtual:err-lg2' -Quiet
        $both | Should -HaveCount 1
        $both | Should -BeExactly $true
        $mixed = Test-FirmwareImage -Path $script:Lg103 -Drive 'virtual:err-lg', 'virtual:err-tsst' -Quiet
        $mixed | Should -HaveCount 1
        $mixed | Should -BeExactly $false
        $piped = @(Get-OpticalDrive -Path 'virtual:err-lg*' | Test-FirmwareImage -Path $script:Lg103 -Quiet)
        $piped | Should -HaveCount 1
        $piped[0] | Should -BeExactly $true
        $two = @(Get-OpticalDrive -Path 'virtual:err-*' | Test-FirmwareImage -Path $script:Lg103, $script:Tsst -Quiet)
        $two | Should -Be @($false, $false)
        Test-FirmwareImage -Path $script:Lg103 -Drive 'virtual:err-none' -Quiet -ErrorAction SilentlyContinue | Should -BeExactly $false
    }

    It 'a piped backup result binds its Drive, not its bundle Path' {
        $dir = New-BackupFolder
        $backup = Backup-DriveFirmware -Drive 'virtual:err-lg' -Path $dir
        $backup | Write-DriveFirmware -Path $script:Tsst -Force -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ImageIncompatible,*'   # the image was checked against the drive
        $err[0].TargetObject | Should -Be 'virtual:err-lg'
    }

    It 'refuses a missing -BackupPath as Backup-DriveFirmware refuses a missing -Path, and creates nothing' {
        $missing = Join-Path $script:Dir 'no-such-folder'
        Write-DriveFirmware -Drive 'virtual:err-lg' -Path $script:Lg103 -BackupPath $missing -Force -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'BackupFolderNotFound,MtkFlash.PowerShell.WriteDriveFirmwareCommand'
        $err[0].TargetObject | Should -Be $missing
        $err[0].ErrorDetails.RecommendedAction | Should -Match '-BackupPath'
        Backup-DriveFirmware -Drive 'virtual:err-lg' -Path $missing -ErrorAction SilentlyContinue -ErrorVariable err2
        $err2[0].FullyQualifiedErrorId | Should -Be 'BackupFolderNotFound,MtkFlash.PowerShell.BackupDriveFirmwareCommand'
        $err2[0].ErrorDetails.RecommendedAction | Should -Match '-Path'
        Test-Path -LiteralPath $missing | Should -BeFalse
        (Get-OpticalDrive -Path 'virtual:err-lg').Revision | Should -Be '1.02'
    }
}
