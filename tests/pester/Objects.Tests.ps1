# Objects fit for CSV audits and remoting (issue 11): what crosses Start-Job, Export-Csv and ConvertTo-Json.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Manifest, $script:Dir = Initialize-MtkFlashTest

    New-VirtualOpticalDrive -Name obj-lg -Profile lg-bh16ns40 -Confirm:$false | Out-Null
    New-VirtualOpticalDrive -Name obj-tsst -Profile tsst-se506cb -Confirm:$false | Out-Null
    $script:Newer = (New-VirtualFirmwareImage -Profile lg-bh16ns40 -Revision 1.03 -DestinationPath (Join-Path $script:Dir 'lg-1.03.bin')).Path

    # Runs a script block in a background job (a separate process: every object comes back deserialized).
    function Invoke-InJob([scriptblock] $Script, [object[]] $Arguments) {
        $job = Start-Job -ScriptBlock $Script -ArgumentList (@($script:Manifest, $env:MTKFLASH_HOME) + $Arguments)
        try { $job | Wait-Job -Timeout 120 | Receive-Job -ErrorAction Stop } finally { $job | Remove-Job -Force }
    }
}

AfterAll { Remove-MtkFlashTest }

Describe 'Objects after Start-Job' {
    BeforeAll {
        $script:Remote = @(Invoke-InJob {
                param($manifest, $mtkHome, $image)
                $env:MTKFLASH_HOME = $mtkHome
                Import-Module $manifest
                Get-OpticalDrive -Path 'virtual:obj-lg' | Test-FirmwareImage -Path $image
            } @($script:Newer))
    }

    It 'keeps the Test-FirmwareImage verdict, the comparison and the reasons as text' {
        $script:Remote.Count | Should -Be 1
        $r = $script:Remote[0]
        $r.pstypenames[0] | Should -Be 'Deserialized.MtkFlash.PowerShell.FirmwareImageInfo'
        $r.Verdict | Should -BeExactly 'Fits'
        $r.Newer | Should -BeExactly 'Newer'
        $r.Drive | Should -Be 'virtual:obj-lg'
        $r.DriveRevision | Should -Be '1.02'
        @($r.Reasons).Count | Should -BeGreaterThan 0
        @($r.Reasons) -join ' ' | Should -Match 'newer than the drive'
        $r.Family | Should -BeExactly 'Mt1959'
        $r.Passed | Should -BeTrue
        "$($r.Verdict)" | Should -Not -Match 'MtkFlash\.Core'
    }

    It 'shows deserialized objects with the module table view' {
        $text = $script:Remote | Format-Table | Out-String -Width 200
        $text | Should -Match 'Name\s+IsValid\s+Format\s+Family\s+Revision\s+Problems\s+Drive\s+Fit'
        $text | Should -Match 'virtual:obj-lg'
        $text | Should -Match 'Fits \(Newer\)'
    }

    It 'brings drives back whole, and Test-FirmwareImage takes them as described without opening anything here' {
        $drives = @(Invoke-InJob {
                param($manifest, $mtkHome)
                $env:MTKFLASH_HOME = $mtkHome
                Import-Module $manifest
                Get-OpticalDrive -Path 'virtual:obj-*'
            })
        $drives.Count | Should -Be 2
        $drives[0].pstypenames[0] | Should -Be 'Deserialized.MtkFlash.PowerShell.OpticalDriveInfo'
        ($drives | Format-Table | Out-String -Width 200) | Should -Match 'Path\s+Vendor\s+Product\s+Revision\s+Family\s+State'
        $lg = $drives | Where-Object Family -EQ 'Mt1959'
        $lg.State | Should -BeExactly 'NoMedium'
        $lg.ComputerName | Should -Be ([Environment]::MachineName)

        # The fleet pattern: drives collected elsewhere, images tested here. The drives need not exist on this machine.
        $elsewhere = Join-Path ([IO.Path]::GetTempPath()) ("mtkflash-pester-empty-" + [guid]::NewGuid())
        $saved = $env:MTKFLASH_HOME
        try {
            $env:MTKFLASH_HOME = $elsewhere
            $reports = @($drives | Test-FirmwareImage -Path $script:Newer -ErrorAction Stop)
        } finally { $env:MTKFLASH_HOME = $saved }
        $reports.Count | Should -Be 2
        ($reports | Where-Object Drive -EQ 'virtual:obj-lg').Verdict | Should -Be 'Fits'
        ($reports | Where-Object Drive -EQ 'virtual:obj-tsst').Verdict | Should -Be 'Incompatible'
        Test-Path -LiteralPath $elsewhere | Should -BeFalse
    }
}

Describe 'Objects in Export-Csv and ConvertTo-Json' {
    It 'exports drives without type names or byte arrays, with enums as names' {
        $csv = Join-Path $script:Dir 'drives.csv'
        Get-OpticalDrive -Path 'virtual:obj-*' | Export-Csv -LiteralPath $csv -NoTypeInformation
        $text = Get-Content -LiteralPath $csv -Raw
        $text | Should -Not -Match 'System\.'
        $text | Should -Not -Match 'MtkFlash\.'
        $text | Should -Not -Match 'RawInquiry|RawConfiguration'
        $rows = Import-Csv -LiteralPath $csv
        $rows.Count | Should -Be 2
        ($rows | Where-Object Path -EQ 'virtual:obj-lg').Family | Should -BeExactly 'Mt1959'
        ($rows | Where-Object Path -EQ 'virtual:obj-tsst').State | Should -BeExactly 'NoMedium'
        $rows[0].ComputerName | Should -Be ([Environment]::MachineName)

        # An imported row is a drive too: Test-FirmwareImage reads its identity.
        ($rows | Where-Object Path -EQ 'virtual:obj-lg' | Test-FirmwareImage -Path $script:Newer).Verdict | Should -Be 'Fits'
    }

    It 'writes JSON with enum names and no bytes, and keeps the raw responses behind methods' {
        $d = Get-OpticalDrive -Path 'virtual:obj-lg'
        $json = $d | ConvertTo-Json
        $json | Should -Match '"Family":\s*"Mt1959"'
        $json | Should -Match '"State":\s*"NoMedium"'
        $json | Should -Not -Match 'RawInquiry'
        ($json -split "`n").Count | Should -BeLessThan 40
        $inquiry = $d.GetRawInquiry()
        , $inquiry | Should -BeOfType ([byte[]])
        $inquiry.Length | Should -BeGreaterOrEqual 36
        [Text.Encoding]::ASCII.GetString($inquiry, 8, 8).Trim() | Should -Be 'HL-DT-ST'
        $d.GetRawConfiguration().Length | Should -BeGreaterThan 8
    }

    It 'flattens reports and backups for audits: reasons and parts as text, verdicts as names' {
        $report = Get-OpticalDrive -Path 'virtual:obj-lg' | Test-FirmwareImage -Path $script:Newer
        $row = $report | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
        $row.Verdict | Should -BeExactly 'Fits'
        $row.Newer | Should -BeExactly 'Newer'
        $row.Reasons | Should -Match 'Same family, vendor and product'
        ($report | ConvertTo-Csv -NoTypeInformation) -join "`n" | Should -Not -Match 'System\.|MtkFlash\.'
        ($report | ConvertTo-Json) | Should -Match '"Verdict":\s*"Fits"'

        $backupDir = New-TestFolder $script:Dir
        $backup = Backup-DriveFirmware -Drive 'virtual:obj-lg' -Path $backupDir
        $text = ($backup | ConvertTo-Csv -NoTypeInformation) -join "`n"
        $text | Should -Not -Match 'System\.|MtkFlash\.'
        $row = $text | ConvertFrom-Csv
        $row.Completeness | Should -BeExactly 'Full'
        $row.Parts | Should -Match 'firmware\.bin'
        $row.PartSha256 | Should -Match $backup.Sha256
        ($backup | ConvertTo-Json) | Should -Match '"Completeness":\s*"Full"'
    }
}
