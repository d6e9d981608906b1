#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pipeline forms of Test-FirmwareImage and Expand-FirmwareImage (issue 6). Run with Pester 5 after a build:
#   $env:MTKFLASH_MODULE_PATH = '<build output folder holding MtkFlash.psd1>'; Invoke-Pester tests/pester

BeforeAll {
    if (-not $env:MTKFLASH_MODULE_PATH) { throw 'Set MTKFLASH_MODULE_PATH to the build output folder that holds MtkFlash.psd1.' }
    Import-Module (Join-Path $env:MTKFLASH_MODULE_PATH 'MtkFlash.psd1') -Force

    $script:Dir = Join-Path ([System.IO.Path]::GetTempPath()) ('mtkflash-pester-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:Dir | Out-Null

    # A 128 KiB LiteOn 8051 image after docs/reference/drive-protocols.md §3.3: banks start with 0x02, INQUIRY template at 0x4100
    # (lead-in 05 80 00 32 5B 00 00 00), word-swapped ATA IDENTIFY copy at 0x8000.
    function New-LiteOnImage {
        param([string] $Revision = 'US0N')
        $d = New-Object byte[] 0x20000
        for ($i = 0; $i -lt $d.Length; $i++) { $d[$i] = ($i * 7 + 3) % 251 }
        $d[0] = 0x02; $d[0x10000] = 0x02
        [byte[]] (0x05, 0x80, 0x00, 0x32, 0x5B, 0, 0, 0) | ForEach-Object -Begin { $k = 0 } -Process { $d[0x4100 + $k] = $_; $k++ }
        $text = 'LITE-ON '.PadRight(8) + 'DVDRW SOHW-812S'.PadRight(16) + $Revision.PadRight(4) + '2004/06/15'.PadRight(16)
        [System.Text.Encoding]::ASCII.GetBytes($text).CopyTo($d, 0x4108)
        $ata = [System.Text.Encoding]::ASCII.GetBytes($Revision.PadRight(8) + 'LITE-ON'.PadRight(8) + 'DVDRW SOHW-812S'.PadRight(16))
        for ($i = 0; $i -lt $ata.Length; $i += 2) { $d[0x8000 + $i] = $ata[$i + 1]; $d[0x8001 + $i] = $ata[$i] }
        , $d
    }

    # An XFlash flasher EXE (docs/xflash-flashers.md): MZ stub, a version string ending in two NULs, the descriptor table
    # with all four BIN_STARTn/BIN_SIZEn/NEW_FWn entries whatever HOW_MANY_BIN says, each image at the table's end + BIN_START.
    function New-XFlashExe {
        param([byte[]] $Image, [string] $Revision = 'US0N', [byte[]] $Second, [string] $SecondRevision = 'US0Q')
        $images = @(, $Image)
        $revisions = @($Revision)
        if ($Second) { $images += , $Second; $revisions += $SecondRevision }
        $starts = @(); $at = 0
        foreach ($img in $images) { $starts += $at; $at += $img.Length + 256 }
        $table = "HOW_MANY_BIN=$($images.Count)`0`0`0`0"
        for ($i = 0; $i -lt 4; $i++) { $table += "BIN_START$($i + 1)=" + ([long]$(if ($i -lt $images.Count) { $starts[$i] } else { 0 })).ToString('D10') + "`0" }
        for ($i = 0; $i -lt 4; $i++) { $table += "BIN_SIZE$($i + 1)=" + ([long]$(if ($i -lt $images.Count) { $images[$i].Length } else { 0 })).ToString('D10') + "`0" }
        for ($i = 0; $i -lt 4; $i++) { $table += "NEW_FW$($i + 1)=" + $(if ($i -lt $images.Count) { $revisions[$i] } else { '' }).PadRight(7, [char]0) + "`0" }
        $head = [System.Text.Encoding]::ASCII.GetBytes("MZ`0`0LiteOn XFlash Ver 1.02.03`0`0" + $table)
        $exe = New-Object byte[] ($head.Length + $at + 64)
        $head.CopyTo($exe, 0)
        for ($i = 0; $i -lt $images.Count; $i++) { $images[$i].CopyTo($exe, $head.Length + $starts[$i]) }
        , $exe
    }

    function New-Drive([string] $Vendor, [string] $Product, [string] $Revision, [string] $Path) {
        [MtkFlash.Core.Drives.OpticalDrive] @{ Path = $Path; Vendor = $Vendor; Product = $Product; Revision = $Revision; Family = 'LiteOn8051' }
    }

    $script:Us0n = Join-Path $script:Dir 'US0N.bin'
    $script:Us0q = Join-Path $script:Dir 'US0Q.bin'
    $script:Odd = Join-Path $script:Dir 'odd[1].bin'
    $script:Empty = Join-Path $script:Dir 'empty.bin'
    [System.IO.File]::WriteAllBytes($script:Us0n, (New-LiteOnImage -Revision 'US0N'))
    [System.IO.File]::WriteAllBytes($script:Us0q, (New-LiteOnImage -Revision 'US0Q'))
    [System.IO.File]::WriteAllBytes($script:Odd, (New-LiteOnImage -Revision 'US0N'))
    [System.IO.File]::WriteAllBytes($script:Empty, [byte[]] @())
}

AfterAll {
    if ($script:Dir -and (Test-Path -LiteralPath $script:Dir)) { Remove-Item -LiteralPath $script:Dir -Recurse -Force }
}

Describe 'Test-FirmwareImage' {
    It 'reports one valid LiteOn image by -Path' {
        $r = Test-FirmwareImage -Path $script:Us0n
        $r | Should -HaveCount 1
        $r | Should -BeOfType ([MtkFlash.PowerShell.FirmwareImageInfo])
        $r.IsValid | Should -BeTrue
        $r.Family | Should -Be 'LiteOn8051'
        $r.Revision | Should -Be 'US0N'
        $r.Sha256 | Should -Be ((Get-FileHash -LiteralPath $script:Us0n -Algorithm SHA256).Hash.ToLowerInvariant())
    }

    It 'expands wildcards in -Path' {
        $r = Test-FirmwareImage -Path (Join-Path $script:Dir 'US0*.bin')
        $r | Should -HaveCount 2
        ($r | ForEach-Object { Split-Path -Leaf $_.Path }) | Should -Be @('US0N.bin', 'US0Q.bin')
    }

    It 'takes files from Get-ChildItem through the pipeline (FullName/PSPath)' {
        $r = Get-ChildItem -LiteralPath $script:Dir -Filter 'US0*.bin' | Test-FirmwareImage
        $r | Should -HaveCount 2
        $r.IsValid | Should -Not -Contain $false
    }

    It 'uses -LiteralPath for names with wildcard characters' {
        $r = Test-FirmwareImage -LiteralPath $script:Odd
        $r.IsValid | Should -BeTrue
        $r.Path | Should -Be $script:Odd
    }

    It 'checks an image against a piped drive' {
        $r = New-Drive 'LITE-ON' 'DVDRW SOHW-812S' 'US0J' 'virtual:a' | Test-FirmwareImage -Path $script:Us0n
        $r.Verdict | Should -Be 'Fits'
        $r.Newer | Should -Be 'Newer'
        $r.Drive | Should -Be 'virtual:a'
    }

    It 'emits one report per piped drive and calls the Sony U drive a cross-flash' {
        $drives = @(
            New-Drive 'LITE-ON' 'DVDRW SOHW-812S' 'US0J' 'virtual:a'
            New-Drive 'SONY' 'DVD RW DW-U18A' 'UYS1' 'virtual:b'
        )
        $r = $drives | Test-FirmwareImage -Path $script:Us0n
        $r | Should -HaveCount 2
        $r[1].Verdict | Should -Be 'CrossFlash'
    }

    It 'answers only $true or $false with -Quiet' {
        Test-FirmwareImage -Path $script:Us0n -Quiet | Should -BeExactly $true
        Test-FirmwareImage -Path $script:Empty -Quiet | Should -BeExactly $false
        $drive = New-Drive 'LITE-ON' 'DVDRW SOHW-832S' 'VS0B' 'virtual:v'
        $drive | Test-FirmwareImage -Path $script:Us0n -Quiet | Should -BeExactly $false
    }

    It 'gives a report, not an error, for an empty file and a folder' {
        $r = Test-FirmwareImage -LiteralPath $script:Empty -ErrorAction Stop
        $r.IsValid | Should -BeFalse
        $r.Problems | Should -Contain 'Empty'
        (Test-FirmwareImage -LiteralPath $script:Dir).Problems | Should -Contain 'IsDirectory'
    }

    It 'writes an error when a wildcard matches nothing' {
        $pattern = Join-Path $script:Dir 'nothing*.bin'
        Test-FirmwareImage -Path $pattern -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -Be 'PathNotFound,MtkFlash.PowerShell.TestFirmwareImageCommand'
        "$($err[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be $pattern
    }

    It 'finds plex[1].bin through -LiteralPath and reports it not found through -Path' {
        $plex = Join-Path $script:Dir 'plex[1].bin'
        [System.IO.File]::WriteAllBytes($plex, (New-LiteOnImage -Revision 'US0N'))
        $r = Test-FirmwareImage -LiteralPath $plex -ErrorAction Stop
        $r.Path | Should -Be $plex
        $r.IsValid | Should -BeTrue

        Test-FirmwareImage -Path $plex -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
        $err[0].TargetObject | Should -Be $plex
    }

    It 'still reports a plain missing file (no wildcard) as a report with the NotFound problem' {
        $r = Test-FirmwareImage -Path (Join-Path $script:Dir 'missing.bin') -ErrorAction Stop
        $r.IsValid | Should -BeFalse
        $r.Problems | Should -Contain 'NotFound'
        $r.Format | Should -Be 'NotFound'
    }
}

Describe 'Expand-FirmwareImage' {
    BeforeAll {
        $script:Exe = Join-Path $script:Dir 'flash.exe'
        [System.IO.File]::WriteAllBytes($script:Exe, (New-XFlashExe -Image (New-LiteOnImage) -Revision 'US0N'))
    }

    It 'writes nothing with -WhatIf' {
        $out = Join-Path $script:Dir 'whatif.bin'
        Expand-FirmwareImage -Path $script:Exe -DestinationPath $out -WhatIf
        Test-Path -LiteralPath $out | Should -BeFalse
    }

    It 'extracts the embedded image and reports it' {
        $out = Join-Path $script:Dir 'extracted.bin'
        $r = Expand-FirmwareImage -Path $script:Exe -DestinationPath $out
        $r.IsValid | Should -BeTrue
        (Get-FileHash -LiteralPath $out -Algorithm SHA256).Hash.ToLowerInvariant() | Should -Be $r.Sha256
        Test-FirmwareImage -LiteralPath $script:Exe | Select-Object -ExpandProperty Format | Should -Be 'XFlashExe'
    }

    It 'never overwrites an existing file' {
        $out = Join-Path $script:Dir 'keep.bin'
        [System.IO.File]::WriteAllBytes($out, [byte[]] (1, 2, 3))
        Expand-FirmwareImage -Path $script:Exe -DestinationPath $out -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -Not -BeNullOrEmpty
        [System.IO.File]::ReadAllBytes($out).Length | Should -Be 3
    }

    It 'writes one file per embedded image, named after its revision' {
        $two = Join-Path $script:Dir 'two.exe'
        [System.IO.File]::WriteAllBytes($two, (New-XFlashExe -Image (New-LiteOnImage -Revision 'US0N') -Second (New-LiteOnImage -Revision 'US0Q')))
        $r = Expand-FirmwareImage -LiteralPath $two -DestinationPath (Join-Path $script:Dir 'fw.bin')
        $r | Should -HaveCount 2
        ($r | ForEach-Object { [System.IO.Path]::GetFileName($_.Path) }) | Should -Be @('fw-US0N.bin', 'fw-US0Q.bin')
        ($r | ForEach-Object { $_.Revision }) | Should -Be @('US0N', 'US0Q')
        $report = Test-FirmwareImage -LiteralPath $two
        $report.EmbeddedImages | Should -Be @('US0N method 0', 'US0Q method 0')
        $report.GetReport().Details.Embedded | ForEach-Object { $_.Method } | Should -Be @(0, 0)
    }

    It 'binds piped files to -LiteralPath' {
        $out = Join-Path $script:Dir 'piped.bin'
        $r = Get-Item -LiteralPath $script:Exe | Expand-FirmwareImage -DestinationPath $out
        $r | Should -HaveCount 1
        Test-Path -LiteralPath $out | Should -BeTrue
    }
}
