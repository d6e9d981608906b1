# Streams (issue 11): -Verbose names the SCSI commands, -Debug shows their bytes and sense, -TracePath writes the CLI's
# JSON Lines trace, and progress is a parent activity per drive with child phases, a few dozen records per drive.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Manifest, $script:Dir = Initialize-MtkFlashTest
    New-VirtualOpticalDrive -Name st-a -Profile lg-bh16ns40 -Confirm:$false | Out-Null
    New-VirtualOpticalDrive -Name st-b -Profile lg-bh16ns40 -Confirm:$false | Out-Null
    $script:Image = (New-VirtualFirmwareImage -Profile lg-bh16ns40 -Revision 1.03 -DestinationPath (Join-Path $script:Dir 'lg-1.03.bin')).Path

    function New-BackupFolder { New-TestFolder $script:Dir }


    # The keys of a trace line, which the CLI's --trace writes through the same TraceWriter.
    $script:TraceKeys = @('drive', 'cdb', 'direction', 'length', 'status', 'sense', 'data', 'sha256', 'error')
    function Assert-TraceFile([string] $Path) {
        $lines = [IO.File]::ReadAllLines($Path) | Where-Object { $_.Trim() }
        $lines.Count | Should -BeGreaterThan 0
        $records = foreach ($line in $lines) { [MtkFlash.Core.Transports.TraceRecord]::FromJson($line) }
        # Every line is the serialized record, byte for byte (checked on a sample: first and last lines).
        foreach ($i in @(0..([Math]::Min(19, $lines.Count - 1))) + @($lines.Count - 1)) {
            [MtkFlash.Core.Serialization.Json]::Serialize($records[$i]) | Should -BeExactly $lines[$i]
            @(($lines[$i] | ConvertFrom-Json).PSObject.Properties.Name) | Should -Be $script:TraceKeys
        }
        $records
    }
}

AfterAll { Remove-MtkFlashTest }

Describe 'Verbose and debug streams' {
    It '-Verbose names each SCSI command with its length and outcome; without it nothing is said' {
        $verbose = Get-OpticalDrive -Path 'virtual:st-a' -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $verbose.Message | Should -Contain 'SCSI INQUIRY length 96 (in) -> GOOD'
        ($verbose.Message -match '^SCSI TEST UNIT READY length 0 -> CHECK CONDITION, NOT READY') | Should -Not -BeNullOrEmpty
        $quiet = Get-OpticalDrive -Path 'virtual:st-a' 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $quiet | Should -BeNullOrEmpty
    }

    It '-Debug shows the CDB bytes and the sense data' {
        # $DebugPreference rather than -Debug: a compiled cmdlet's -Debug asks before each line (Inquire), which a test cannot answer.
        $DebugPreference = 'Continue'
        $debug = Get-OpticalDrive -Path 'virtual:st-a' 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }
        $DebugPreference = 'SilentlyContinue'
        ($debug.Message -match '^CDB 12 00 00 00 60 00; status 00h') | Should -Not -BeNullOrEmpty
        ($debug.Message -match '^CDB 00 00 00 00 00 00; status 02h; sense 70 00 02 .*\(.*2/3A/') | Should -Not -BeNullOrEmpty
    }

    It '-Verbose on a backup names the read commands with mode, offset and length' {
        $verbose = Backup-DriveFirmware -Drive 'virtual:st-a' -Path (New-BackupFolder) -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -match '^SCSI READ BUFFER mode [0-9A-F]{2}h( buffer [0-9A-F]{2}h)? offset 0x[0-9A-F]{6} length \d+ \(in\) -> GOOD$') | Should -Not -BeNullOrEmpty
        ($verbose.Message -match '^Reading virtual:st-a .* twice') | Should -Not -BeNullOrEmpty
    }
}

Describe '-TracePath' {
    It 'writes the CLI trace format from <_>' -ForEach @('Get-OpticalDrive', 'Backup-DriveFirmware', 'Test-FirmwareImage', 'Write-DriveFirmware') {
        $trace = Join-Path $script:Dir "$_.jsonl"
        switch ($_) {
            'Get-OpticalDrive' { Get-OpticalDrive -Path 'virtual:st-a' -TracePath $trace | Out-Null }
            'Backup-DriveFirmware' { Backup-DriveFirmware -Drive 'virtual:st-a' -Path (New-BackupFolder) -TracePath $trace | Out-Null }
            'Test-FirmwareImage' { Test-FirmwareImage -Path $script:Image -Drive 'virtual:st-a' -TracePath $trace | Out-Null }
            'Write-DriveFirmware' { Write-DriveFirmware -Drive 'virtual:st-a' -Path $script:Image -WhatIf -TracePath $trace }
        }
        $records = Assert-TraceFile $trace
        $records[0].Drive | Should -Be 'virtual:st-a'
        $records[0].Cdb | Should -BeLike '12*'                 # INQUIRY first
        if ($_ -eq 'Write-DriveFirmware') { $records | Where-Object { [MtkFlash.Core.Scsi.Cdb]::IsStateChanging($_.CdbBytes()) } | Should -BeNullOrEmpty }
    }

    It 'fails clearly when the trace file cannot be created' {
        { Get-OpticalDrive -Path 'virtual:st-a' -TracePath (Join-Path $script:Dir 'no/such/folder/t.jsonl') } |
            Should -Throw -ErrorId 'TraceFileUnavailable,MtkFlash.PowerShell.GetOpticalDriveCommand'
    }
}

Describe 'Progress' {
    It 'gives each drive of a pipeline its own parent activity with a child, a few dozen records per drive' {
        $ps = Invoke-InRunspace $script:Manifest "Get-OpticalDrive -Path 'virtual:st-*' | Backup-DriveFirmware -Path '$(New-BackupFolder)'"
        @($ps.Streams.Error) | Should -BeNullOrEmpty
        $progress = @($ps.Streams.Progress)
        $parents = @($progress | Where-Object ParentActivityId -EQ -1 | Select-Object -ExpandProperty ActivityId -Unique)
        $parents.Count | Should -Be 2
        $children = @($progress | Where-Object ParentActivityId -NE -1)
        $children | ForEach-Object { $parents | Should -Contain $_.ParentActivityId }
        @($children | Select-Object -ExpandProperty ActivityId -Unique).Count | Should -Be 2
        $progress.Count / 2 | Should -BeLessOrEqual 40          # was 1,025 per drive
        $progress.Count / 2 | Should -BeGreaterOrEqual 4
        $parents | ForEach-Object { $id = $_; $progress | Where-Object { $_.ActivityId -eq $id -and $_.RecordType -eq 'Completed' } | Should -Not -BeNullOrEmpty }
    }

    It 'a write shows backup, send, wait and verify as children of one parent, with verbose steps, commands and a trace' {
        $trace = Join-Path $script:Dir 'write.jsonl'
        $ps = Invoke-InRunspace $script:Manifest "Write-DriveFirmware -Drive 'virtual:st-b' -Path '$script:Image' -BackupPath '$(New-BackupFolder)' -Force -Confirm:`$false -Verbose -Debug -TracePath '$trace'"
        @($ps.Streams.Error) | Should -BeNullOrEmpty
        $progress = @($ps.Streams.Progress)
        $parent = @($progress | Where-Object ParentActivityId -EQ -1 | Select-Object -ExpandProperty ActivityId -Unique)
        $parent.Count | Should -Be 1
        $children = $progress | Where-Object ParentActivityId -EQ $parent[0]
        $phases = @($children | Group-Object ActivityId | ForEach-Object { $_.Group[0].Activity })
        $phases.Count | Should -Be 4
        $phases[0] | Should -Match '^Backing up'
        $phases[1] | Should -Match '^Sending the firmware'
        $phases[2] | Should -Match 'programming its flash'
        $phases[3] | Should -Match '^Verifying'
        $progress.Count | Should -BeLessOrEqual 60               # a few dozen, though the backup alone reads 1,024 chunks

        $verbose = @($ps.Streams.Verbose.Message)
        ($verbose -match '^Sending 129 state-changing commands') | Should -Not -BeNullOrEmpty
        ($verbose -match '^SCSI WRITE BUFFER mode 01h offset 0x000000 length 0 -> GOOD$') | Should -Not -BeNullOrEmpty
        ($verbose -match '^SCSI WRITE BUFFER mode 06h offset 0x[0-9A-F]{6} length 16384 \(out\) -> GOOD$').Count | Should -Be 128
        $debug = @($ps.Streams.Debug.Message)
        ($debug -match '^CDB 3b 06 00 .* out data SHA-256 [0-9a-f]{64}; status 00h') | Should -Not -BeNullOrEmpty

        $records = Assert-TraceFile $trace
        @($records | Where-Object { $_.Cdb -like '3b06*' }).Count | Should -Be 128
        (Get-OpticalDrive -Path 'virtual:st-b').Revision | Should -Be '1.03'
    }
}
