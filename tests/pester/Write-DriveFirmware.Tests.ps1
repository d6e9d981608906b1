BeforeAll {
    $env:MTKFLASH_HOME = Join-Path ([IO.Path]::GetTempPath()) ("mtkflash-pester-" + [guid]::NewGuid())
    Import-Module (Join-Path $env:MTKFLASH_MODULE_PATH 'MtkFlash.psd1') -Force
    # Synthetic images from the module itself (no CLI): one file per profile and revision.
    function New-Image([string] $DriveProfile, [string] $Revision) {
        $path = Join-Path $env:MTKFLASH_HOME "$DriveProfile-$Revision.bin"
        if (-not (Test-Path -LiteralPath $path)) { New-VirtualFirmwareImage -Profile $DriveProfile -Revision $Revision -DestinationPath $path | Out-Null }
        $path
    }
}

AfterAll {
    Remove-Module MtkFlash -ErrorAction SilentlyContinue
    Remove-Item -Recurse -Force $env:MTKFLASH_HOME -ErrorAction SilentlyContinue
}

Describe 'Write-DriveFirmware' {
    BeforeEach {
        $name = 'w' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        $drive = New-VirtualOpticalDrive -Name $name -Profile lg-bh16ns40 -Confirm:$false
        $image = New-Image lg-bh16ns40 1.03
    }

    It '-WhatIf changes nothing and takes no backup' {
        $drive | Write-DriveFirmware -Path $image -WhatIf
        (Get-OpticalDrive "virtual:$name").Revision | Should -Be '1.02'
        Test-Path (Join-Path $env:MTKFLASH_HOME 'backups') | Should -BeFalse
    }

    It 'flashes unattended with -Force -Confirm:$false and emits a verified result' {
        $result = $drive | Write-DriveFirmware -Path $image -Force -Confirm:$false
        $result | Should -BeOfType ([MtkFlash.PowerShell.DriveFirmwareWrite])
        $result.Outcome | Should -BeExactly 'Succeeded'
        $result.NewRevision | Should -Be '1.03'
        $result.Verified | Should -BeTrue
        $result.ComputerName | Should -Be ([Environment]::MachineName)
        Test-Path $result.BackupPath | Should -BeTrue
    }

    It 'refuses a cross-flash with -Force alone (ErrorId CrossFlashNotAllowed) and names the PowerShell parameter' {
        $asus = New-Image asus-bw16d1ht 3.10
        $drive | Write-DriveFirmware -Path $asus -Force -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CrossFlashNotAllowed*'
        $err[0].ErrorDetails.RecommendedAction | Should -Match '-AllowCrossFlash'
        $err[0].ErrorDetails.RecommendedAction | Should -Not -Match '--allow-crossflash'
        (Get-OpticalDrive "virtual:$name").Revision | Should -Be '1.02'
    }

    It 'binds drives from the pipeline by value and from objects with a Path property' {
        [pscustomobject]@{ Path = "virtual:$name" } | Write-DriveFirmware -Path $image -Force -Confirm:$false -SkipBackup | Select-Object -ExpandProperty Outcome | Should -Be 'Succeeded'
    }

    It 'refuses a classic LiteOn drive before sending anything (ErrorId ProtocolNotPublic)' {
        $lite = New-VirtualOpticalDrive -Name "l$name" -Profile liteon-sohw812s -Confirm:$false
        $img = New-Image liteon-sohw812s US0P
        $lite | Write-DriveFirmware -Path $img -Force -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ProtocolNotPublic*'
        $err[0].CategoryInfo.Category | Should -Be 'NotImplemented'
    }

    It 'refuses a drive that only advertises Microcode Upgrade, and Test-FirmwareImage agrees (issue 9)' {
        $spc = New-VirtualOpticalDrive -Name "s$name" -Profile spc-generic -Confirm:$false
        $found = Get-OpticalDrive "virtual:s$name"
        $found.Family | Should -Be 'Spc'
        $found.CanFlash | Should -BeFalse
        foreach ($img in @((New-Image spc-generic 1.01), $image)) {
            Test-FirmwareImage -Path $img -Drive $found -Quiet | Should -BeFalse
            $spc | Write-DriveFirmware -Path $img -Force -AllowCrossFlash -SkipBackup -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
            $err.Count | Should -Be 1
            (Get-OpticalDrive "virtual:s$name").Revision | Should -Be '1.00'
        }
    }

    It 'refuses an unlisted model with -Force alone and records -AllowUnlistedModel in the history (issue 9)' {
        $unlisted = New-VirtualOpticalDrive -Name "u$name" -Profile lg-wh16ns60 -Confirm:$false
        $img = New-Image lg-wh16ns60 1.03
        $unlisted | Write-DriveFirmware -Path $img -Force -SkipBackup -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ModelNotListed*'
        (Get-OpticalDrive "virtual:u$name").Revision | Should -Be '1.02'
        $result = $unlisted | Write-DriveFirmware -Path $img -AllowUnlistedModel -Force -SkipBackup -Confirm:$false
        $result.Outcome | Should -Be 'Succeeded'
        $result.AllowedUnlistedModel | Should -BeTrue
        $last = Get-Content (Join-Path $env:MTKFLASH_HOME 'history.jsonl') | Select-Object -Last 1 | ConvertFrom-Json
        $last.allowedUnlistedModel | Should -BeTrue
    }

    It 'a stopped runspace does not abandon the flash: it finishes, the drive has the new firmware, the history has the outcome' {
        # Issue 9 §5: Ctrl+C or $ps.Stop() once the first state-changing command is sent must not leave the drive in the
        # middle of its flash. The stop takes effect when the flash has finished.
        $module = Join-Path $env:MTKFLASH_MODULE_PATH 'MtkFlash.psd1'
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$module'; Write-DriveFirmware -Drive 'virtual:$name' -Path '$image' -SkipBackup -Force -Confirm:`$false")
        $async = $ps.BeginInvoke()
        # Stop as soon as the sending has begun (the MT1959 sends 129 commands, then the drive programs for ~6 s).
        $deadline = [DateTime]::UtcNow.AddSeconds(120)
        while (-not ($ps.Streams.Progress | Where-Object { $_.Activity -like 'Sending the firmware*' }) -and [DateTime]::UtcNow -lt $deadline -and -not $async.IsCompleted) {
            Start-Sleep -Milliseconds 10
        }
        $async.IsCompleted | Should -BeFalse -Because 'the stop must land while the flash is running'
        $stopAt = [DateTime]::UtcNow
        $ps.Stop()   # returns once the pipeline has stopped, i.e. after the flash
        $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        ([DateTime]::UtcNow - $stopAt).TotalSeconds | Should -BeGreaterThan 1 -Because 'Stop() waited for the drive to finish programming'
        $ps.Dispose()

        (Get-OpticalDrive "virtual:$name").Revision | Should -Be '1.03'
        $lines = Get-Content (Join-Path $env:MTKFLASH_HOME 'history.jsonl') | ForEach-Object { $_ | ConvertFrom-Json } |
            Where-Object { $_.drive -eq "virtual:$name" }
        ($lines | Where-Object { $_.record -eq 'attempt' }).Count | Should -Be 1
        $outcome = $lines | Where-Object { $_.outcome }
        $outcome.outcome | Should -Be 'succeeded'
        $outcome.newRevision | Should -Be '1.03'
        $outcome.attemptId | Should -Be ($lines | Where-Object { $_.record -eq 'attempt' }).attemptId
    }
}
