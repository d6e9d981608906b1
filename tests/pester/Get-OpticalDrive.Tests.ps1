BeforeAll {
    $env:MTKFLASH_HOME = Join-Path ([IO.Path]::GetTempPath()) ("mtkflash-pester-" + [guid]::NewGuid())
    Import-Module (Join-Path $env:MTKFLASH_MODULE_PATH 'MtkFlash.psd1') -Force
}

AfterAll {
    Remove-Module MtkFlash -ErrorAction SilentlyContinue
    Remove-Item -Recurse -Force $env:MTKFLASH_HOME -ErrorAction SilentlyContinue
}

Describe 'Get-OpticalDrive' {
    It 'exports the command with an OutputType' {
        $cmd = Get-Command Get-OpticalDrive
        $cmd.OutputType.Type.FullName | Should -Contain 'MtkFlash.PowerShell.OpticalDriveInfo'
    }

    It 'returns nothing (not an error) when no virtual drive exists and the path filter matches nothing' {
        { Get-OpticalDrive -Path 'virtual:none-*' -ErrorAction Stop } | Should -Not -Throw
        @(Get-OpticalDrive -Path 'virtual:none-*').Count | Should -Be 0
    }

    It 'lists a virtual drive with its family and state' {
        New-VirtualOpticalDrive -Name pester1 -Profile lg-bh16ns40 -Confirm:$false | Out-Null
        $d = Get-OpticalDrive -Path 'virtual:pester*'
        $d.Path | Should -Be 'virtual:pester1'
        $d.IsVirtual | Should -BeTrue
        "$($d.Family)" | Should -Be 'Mt1959'
        "$($d.State)" | Should -Be 'NoMedium'
    }

    It 'reports a missing literal path as a non-terminating error with a stable ErrorId' {
        Get-OpticalDrive -Path '/dev/does-not-exist-0' -ErrorAction SilentlyContinue -ErrorVariable err | Out-Null
        $err[0].FullyQualifiedErrorId | Should -Be 'DriveNotFound,MtkFlash.PowerShell.GetOpticalDriveCommand'
    }

    It 'uses the default table view' {
        $view = Get-OpticalDrive -Path 'virtual:pester1' | Format-Table | Out-String
        $view | Should -Match 'Path\s+Vendor\s+Product\s+Revision\s+Family\s+State'
    }
}
