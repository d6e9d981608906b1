BeforeAll {
    $env:MTKFLASH_HOME = Join-Path ([IO.Path]::GetTempPath()) ("mtkflash-pester-" + [guid]::NewGuid())
    Import-Module (Join-Path $env:MTKFLASH_MODULE_PATH 'MtkFlash.psd1') -Force
    $cli = Join-Path $env:MTKFLASH_MODULE_PATH '../../src/MtkFlash.Cli/bin/Release/net10.0/mtkflash.dll'
    function New-Image([string] $Profile, [string] $Revision) {
        $path = Join-Path $env:MTKFLASH_HOME "$Profile-$Revision.bin"
        & dotnet $cli virtual image --profile $Profile --revision $Revision --out $path | Out-Null
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
        $result.Outcome | Should -Be 'Succeeded'
        $result.NewRevision | Should -Be '1.03'
        $result.Verified | Should -BeTrue
        Test-Path $result.BackupPath | Should -BeTrue
    }

    It 'refuses a cross-flash with -Force alone (ErrorId CrossFlashNotAllowed)' {
        $asus = New-Image asus-bw16d1ht 3.10
        $drive | Write-DriveFirmware -Path $asus -Force -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CrossFlashNotAllowed*'
        (Get-OpticalDrive "virtual:$name").Revision | Should -Be '1.02'
    }

    It 'binds drives from the pipeline by value and from objects with a Path property' {
        [pscustomobject]@{ Path = "virtual:$name" } | Write-DriveFirmware -Path $image -Force -Confirm:$false | Select-Object -ExpandProperty Outcome | Should -Be 'Succeeded'
    }

    It 'refuses a classic LiteOn drive before sending anything (ErrorId ProtocolNotPublic)' {
        $lite = New-VirtualOpticalDrive -Name "l$name" -Profile liteon-sohw812s -Confirm:$false
        $img = New-Image liteon-sohw812s US0P
        $lite | Write-DriveFirmware -Path $img -Force -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ProtocolNotPublic*'
        $err[0].CategoryInfo.Category | Should -Be 'NotImplemented'
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
        while (-not ($ps.Streams.Progress | Where-Object { $_.Activity -like 'Writing firmware*' }) -and [DateTime]::UtcNow -lt $deadline -and -not $async.IsCompleted) {
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
