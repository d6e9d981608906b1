#requires -Version 7.3
<#
.SYNOPSIS
    The fleet end-to-end controller: runs the five fleet patterns of docs/fleet.md over real PowerShell remoting (SSH)
    against the hosts tests/e2e/fleet/run.sh started, and asserts what arrives. Prints 'N passed, M failed'.
.DESCRIPTION
    Started by run.sh, which owns the sshd processes and their clean-up. This script owns the fleet's contents: it makes
    the virtual drives of every host (in each host's MTKFLASH_HOME, with the mtkflash CLI) and the image share first,
    then talks to the hosts only through Invoke-Command -HostName … -KeyFilePath …. Local file reads are used only to
    check, from outside, what remoting claims (a drive's flash bytes, a host's history file).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Work,
    [Parameter(Mandatory)] [int] $Port,
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [string] $Cli,
    # Comma-separated: the hosts' addresses and, in the same order, their host names.
    [Parameter(Mandatory)] [string] $Address,
    [Parameter(Mandatory)] [string] $HostName
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module (Join-Path $Module 'MtkFlash.psd1')   # the controller tests deserialized drives locally (pattern 2)
$clock = [Diagnostics.Stopwatch]::StartNew()

# ---- assertions ---------------------------------------------------------------------------------------------------
$script:passed = 0
$script:failed = 0
function Assert-Fleet([string] $Name, [bool] $Condition, [string] $Detail = '') {
    if ($Condition) { $script:passed++; Write-Host "PASS $Name" }
    else { $script:failed++; Write-Host "FAIL $Name$(if ($Detail) { ": $Detail" })" }
}
function Invoke-Step([string] $Name, [scriptblock] $Body) {
    Write-Host "== $Name ($([int]$clock.Elapsed.TotalSeconds) s)"
    try { & $Body }
    catch {
        $script:failed++
        Write-Host "FAIL $Name threw: $($_.Exception.Message) [$($_.FullyQualifiedErrorId)]"
        Write-Host ($_.ScriptStackTrace -split "`n" | Select-Object -First 3 | Out-String)
    }
}
function Format-List2($items) { ($items | Sort-Object) -join ', ' }

# ---- the fleet: hosts, drives, images -----------------------------------------------------------------------------
$addresses = $Address -split ','
$names = $HostName -split ','
if ($addresses.Count -lt 4 -or $addresses.Count -ne $names.Count) { throw "need 4 hosts with names, got '$Address' / '$HostName'" }
$hosts = for ($i = 0; $i -lt $addresses.Count; $i++) {
    $n = ($addresses[$i] -split '\.')[-1]
    [pscustomobject]@{ Computer = $addresses[$i]; Name = $names[$i]; Home = Join-Path $Work "host$n/home" }
}
$canary, $h3, $h4, $h5 = $hosts
# Every host has several drives of different families. Update = a newer image that fits is on the share.
$fleet = @(
    [pscustomobject]@{ Host = $canary; Name = 'bd1';  Profile = 'lg-bh16ns40';     Update = '1.03' }
    [pscustomobject]@{ Host = $canary; Name = 'bd2';  Profile = 'tsst-se506cb';    Update = 'TS02' }
    [pscustomobject]@{ Host = $canary; Name = 'dvd1'; Profile = 'plextor-px716a' }                       # no image
    [pscustomobject]@{ Host = $h3;     Name = 'bd1';  Profile = 'lg-bh16ns40';     Update = '1.03' }
    [pscustomobject]@{ Host = $h3;     Name = 'dvd1'; Profile = 'btc-drw1008' }                          # image is the same revision
    [pscustomobject]@{ Host = $h3;     Name = 'ltn1'; Profile = 'liteon-sohw812s'; Update = 'US0P'; Refused = 'ProtocolNotPublic' }
    [pscustomobject]@{ Host = $h4;     Name = 'bd1';  Profile = 'tsst-se506cb';    Update = 'TS02'; Disc = $true; Refused = 'DiscInTray' }
    [pscustomobject]@{ Host = $h4;     Name = 'bd2';  Profile = 'asus-bw16d1ht' }                        # image is older (3.00 < 3.02)
    [pscustomobject]@{ Host = $h4;     Name = 'dvd1'; Profile = 'spc-generic' }                          # no MediaTek family: nothing fits
    [pscustomobject]@{ Host = $h5;     Name = 'bd1';  Profile = 'lg-bh16ns40';     Update = '1.03' }
    [pscustomobject]@{ Host = $h5;     Name = 'dvd1'; Profile = 'btc-drw1008';     Hang = $true }        # every command times out
    [pscustomobject]@{ Host = $h5;     Name = 'dvd2'; Profile = 'tsst-ts-h353c' }                        # no image
)
foreach ($d in $fleet) { $d | Add-Member Path "virtual:$($d.Name)"; $d | Add-Member Key "$($d.Host.Computer)|virtual:$($d.Name)" }
$images = @(
    @{ Profile = 'lg-bh16ns40';     Revision = '1.03'; File = 'BH16NS40-1.03.bin' }
    @{ Profile = 'tsst-se506cb';    Revision = 'TS02'; File = 'SE-506CB-TS02.bin' }
    @{ Profile = 'btc-drw1008';     Revision = 'B230'; File = 'DRW1008-B230.bin' }
    @{ Profile = 'asus-bw16d1ht';   Revision = '3.00'; File = 'BW-16D1HT-3.00.bin' }
    @{ Profile = 'liteon-sohw812s'; Revision = 'US0P'; File = 'SOHW-812S-US0P.bin' }
)
$share = Join-Path $Work 'share'           # every host sees it at the same path, like \\server\share
$fw = Join-Path $share 'fw'
$backups = Join-Path $share 'backups'

$controllerHome = $env:MTKFLASH_HOME
function Invoke-Cli([string] $HomeDir, [string[]] $Arguments) {
    $env:MTKFLASH_HOME = $HomeDir
    try { $out = & dotnet $Cli @Arguments 2>&1 }
    finally { $env:MTKFLASH_HOME = $controllerHome }
    if ($LASTEXITCODE -ne 0) { throw "mtkflash $($Arguments -join ' ') failed ($LASTEXITCODE): $out" }
}
function Get-FlashHash($drive) { (Get-FileHash -LiteralPath (Join-Path $drive.Host.Home "virtual/$($drive.Name)/flash.bin")).Hash }
function Get-HistoryLines($h) {
    $file = Join-Path $h.Home 'history.jsonl'
    if (Test-Path $file) { @(Get-Content -LiteralPath $file | Where-Object { $_ } | ForEach-Object { $_ | ConvertFrom-Json }) } else { @() }
}

Invoke-Step 'set-up: virtual drives on every host, images on the share' {
    New-Item -ItemType Directory -Force -Path $fw, $backups | Out-Null
    foreach ($d in $fleet) {
        Invoke-Cli $d.Host.Home @('virtual', 'new', $d.Name, '--profile', $d.Profile)
        if ($d.Disc) { Invoke-Cli $d.Host.Home @('virtual', 'fault', $d.Name, '--disc', 'in') }
        if ($d.Hang) { Invoke-Cli $d.Host.Home @('virtual', 'fault', $d.Name, '--hang-after', '0') }
    }
    foreach ($i in $images) { Invoke-Cli $Work @('virtual', 'image', '--profile', $i.Profile, '--revision', $i.Revision, '--out', (Join-Path $fw $i.File)) }
    Assert-Fleet 'set-up: 12 drives on 4 hosts, 5 images' (($fleet.Count -eq 12) -and (Get-ChildItem $fw -Filter *.bin).Count -eq 5)
}
$flashBefore = @{}
foreach ($d in $fleet) { $flashBefore[$d.Key] = Get-FlashHash $d }

# ---- remoting -----------------------------------------------------------------------------------------------------
$remote = @{
    Port        = $Port
    UserName    = [Environment]::UserName
    KeyFilePath = Join-Path $Work 'client'
    Options     = @{ UserKnownHostsFile = (Join-Path $Work 'known_hosts'); StrictHostKeyChecking = 'yes' }
}
$all = $hosts.Computer
function Get-Origin($record) { if ($record.OriginInfo) { $record.OriginInfo.PSComputerName } else { $record.PSComputerName } }
function Get-ErrorId($record) { ($record.FullyQualifiedErrorId -split ',')[0] }

# ---- 1. audit -----------------------------------------------------------------------------------------------------
$audit = @()
$perHost = @{}
Invoke-Step '1. audit: Invoke-Command { Get-OpticalDrive } | Export-Csv' {
    $csv = Join-Path $Work 'audit.csv'
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $script:audit = @(Invoke-Command -HostName $all @remote { Get-OpticalDrive } | ForEach-Object {
        $perHost[$_.PSComputerName] = $sw.Elapsed.TotalSeconds   # arrival of the host's last drive
        $_
    })
    $script:auditSeconds = $sw.Elapsed.TotalSeconds
    $audit | Export-Csv -LiteralPath $csv -NoTypeInformation
    $rows = @(Import-Csv -LiteralPath $csv)
    $text = Get-Content -Raw -LiteralPath $csv

    $expected = $fleet.Key
    $got = $rows | ForEach-Object { "$($_.PSComputerName)|$($_.Path)" }
    Assert-Fleet 'audit: one CSV row per drive of the fleet, with PSComputerName' ((Format-List2 $got) -eq (Format-List2 $expected)) "expected $($expected.Count) rows, got: $(Format-List2 $got)"
    $columns = $rows[0].PSObject.Properties.Name
    $missing = 'PSComputerName', 'Path', 'Vendor', 'Product', 'Revision', 'Family', 'State', 'CanFlash' | Where-Object { $_ -notin $columns }
    Assert-Fleet 'audit: identity, family, state, canFlash and revision columns' (-not $missing) "missing: $missing"
    $typeNames = [regex]::Matches($text, '(System|MtkFlash|Deserialized)\.[A-Za-z.]+(\[\])?') | ForEach-Object Value | Select-Object -Unique
    Assert-Fleet 'audit: no type names or byte arrays in the CSV' (-not $typeNames -and $text -notmatch '#TYPE') "found: $typeNames"
    $profiles = & dotnet $Cli virtual profiles --json | ConvertFrom-Json
    $wrong = foreach ($d in $fleet) {
        $row = $rows | Where-Object { $_.PSComputerName -eq $d.Host.Computer -and $_.Path -eq $d.Path }
        $p = $profiles | Where-Object name -eq $d.Profile
        $state = if ($d.Hang) { 'NotResponding' } elseif ($d.Disc) { 'MediumPresent' } else { 'NoMedium' }
        # A hung drive answers nothing, so only its state is known.
        $ok = $row -and $row.State -eq $state -and ($d.Hang -or ($row.Revision -eq $p.revision -and $row.Family -eq ($p.family -replace '-', '')))
        if (-not $ok) { "$($d.Key): $($row.Revision)/$($row.Family)/$($row.State), expected $($p.revision)/$($p.family)/$state" }
    }
    Assert-Fleet 'audit: each row has the drive''s revision, family (by name) and state' (-not $wrong) ($wrong -join '; ')
    $ltn = $rows | Where-Object { $_.PSComputerName -eq $h3.Computer -and $_.Path -eq 'virtual:ltn1' }
    Assert-Fleet 'audit: the classic LiteOn reads CanFlash False' ($ltn.CanFlash -eq 'False') "CanFlash '$($ltn.CanFlash)'"
    # The hung drive answers nothing: its 10 s INQUIRY timeout is the whole cost, and the other hosts do not wait for it.
    $slow = $perHost[$h5.Computer]
    $others = ($hosts | Where-Object Computer -ne $h5.Computer | ForEach-Object { $perHost[$_.Computer] } | Measure-Object -Maximum).Maximum
    Assert-Fleet 'audit: the host with the hung drive does not hold up the others' ($others -lt $slow - 5) ("others done at {0:N1} s, hung host at {1:N1} s" -f $others, $slow)
    Assert-Fleet 'audit: the hung drive costs one timeout, not more (host done < 40 s)' ($slow -lt 40) ("{0:N1} s" -f $slow)
    Write-Host ("   audit wall time {0:N1} s; per host: {1}" -f $auditSeconds, (($perHost.GetEnumerator() | Sort-Object Name | ForEach-Object { '{0} {1:N1} s' -f $_.Name, $_.Value }) -join ', '))
}

# ---- 2. find updates ----------------------------------------------------------------------------------------------
$fwGlob = Join-Path $fw '*.bin'
$expectedUpdates = @($fleet | Where-Object Update | ForEach-Object Key)
function Select-Update { process { if ($_.Verdict -eq 'Fits' -and $_.Newer -eq 'Newer') { $_ } } }
Invoke-Step '2. find updates: Invoke-Command { Get-OpticalDrive | Test-FirmwareImage -Path $share\fw\*.bin }' {
    $reports = @(Invoke-Command -HostName $all @remote { Get-OpticalDrive | Test-FirmwareImage -Path $using:fwGlob })
    $updates = @($reports | Select-Update)
    $got = $updates | ForEach-Object { "$($_.PSComputerName)|$($_.Drive)" }
    Assert-Fleet 'updates (remote): exactly the drives with a newer image that fits' ((Format-List2 $got) -eq (Format-List2 $expectedUpdates)) "expected $(Format-List2 $expectedUpdates); got $(Format-List2 $got)"
    $wrongRevision = foreach ($u in $updates) {
        $d = $fleet | Where-Object Key -eq "$($u.PSComputerName)|$($u.Drive)"
        if ($d -and $u.Revision -ne $d.Update) { "$($d.Key) offered $($u.Revision), expected $($d.Update)" }
    }
    Assert-Fleet 'updates (remote): each offers the image of the expected revision' (-not $wrongRevision) ($wrongRevision -join '; ')
    $flat = $reports | Where-Object { "$($_.Verdict)$($_.Newer)" -match '\.|^$' }
    Assert-Fleet 'updates (remote): every report carries Drive, Verdict and Newer as plain names' ($reports.Count -gt 0 -and -not $flat -and -not ($reports | Where-Object { -not $_.Drive })) "$(@($flat).Count) of $($reports.Count) reports without a plain Verdict/Newer"

    # The same decision on the controller, from the deserialized drives the audit collected: nothing is asked of the
    # hosts. The controller has a virtual:bd1 of its own (another model): a cmdlet that looked the path up locally
    # instead of using the drive object would test the wrong drive.
    Invoke-Cli $controllerHome @('virtual', 'new', 'bd1', '--profile', 'plextor-px716a')
    $local = @(foreach ($drive in $audit) {
        Test-FirmwareImage -Path $fwGlob -Drive $drive -ErrorAction SilentlyContinue | Select-Update |
            ForEach-Object { "$($drive.PSComputerName)|$($_.Drive)" }
    })
    Assert-Fleet 'updates (local, from the audit''s deserialized drives): the same drives' ((Format-List2 $local) -eq (Format-List2 $expectedUpdates)) "got $(Format-List2 $local)"
}

# ---- 3. back up everything ----------------------------------------------------------------------------------------
Invoke-Step '3. back up: Invoke-Command { Get-OpticalDrive | Where-Object CanBackup | Backup-DriveFirmware -Path $share\backups }' {
    $results = @(Invoke-Command -HostName $all @remote { Get-OpticalDrive | Where-Object CanBackup | Backup-DriveFirmware -Path $using:backups } -ErrorAction SilentlyContinue -ErrorVariable backupErrors)
    $canBackup = $audit | Where-Object { $_.CanBackup -eq $true } | ForEach-Object { "$($_.PSComputerName)|$($_.Path)" }
    $got = $results | ForEach-Object { "$($_.PSComputerName)|$($_.Drive)" }
    Assert-Fleet 'backup: one bundle per drive that can be backed up, and no errors' ((Format-List2 $got) -eq (Format-List2 $canBackup) -and -not $backupErrors) "expected $(Format-List2 $canBackup); got $(Format-List2 $got); errors: $($backupErrors -join '; ')"
    $wrongHost = foreach ($r in $results) {
        $manifestFile = Join-Path $r.Path 'manifest.json'
        $m = if (Test-Path -LiteralPath $manifestFile) { Get-Content -Raw -LiteralPath $manifestFile | ConvertFrom-Json }
        $expected = ($hosts | Where-Object Computer -eq $r.PSComputerName).Name
        if (-not $m -or $m.computerName -ne $expected) { "$($r.PSComputerName)|$($r.Drive): manifest says '$($m.computerName)', expected '$expected'" }
    }
    Assert-Fleet 'backup: each bundle''s manifest names the host it came from' ($results.Count -gt 0 -and -not $wrongHost) ($wrongHost -join '; ')
    Assert-Fleet 'backup: every bundle landed on the share' ($results.Count -gt 0 -and -not ($results | Where-Object { -not (Test-Path -LiteralPath $_.Path) -or -not $_.Path.StartsWith($backups) }))
    $flashChanged = $fleet | Where-Object { (Get-FlashHash $_) -ne $flashBefore[$_.Key] } | ForEach-Object Key
    Assert-Fleet 'backup: no drive''s flash changed' (-not $flashChanged) ($flashChanged -join ', ')
}

# ---- 4. staged rollout --------------------------------------------------------------------------------------------
# What every host runs: flash each drive MtkFlash can flash that has a newer fitting image; stop this host at its first
# failure. Unattended: -Force -Confirm:$false.
$rollout = {
    param([string] $Images)
    $ErrorActionPreference = 'Stop'
    Get-OpticalDrive | Where-Object CanFlash | Test-FirmwareImage -Path $Images |
        Where-Object { $_.Verdict -eq 'Fits' -and $_.Newer -eq 'Newer' } |
        ForEach-Object { Write-DriveFirmware -Drive $_.Drive -Path $_.Path -Force -Confirm:$false }
}
function Invoke-Rollout([string[]] $Fleet, [int] $WaveSize = 2) {
    # docs/fleet.md pattern 4: the canary alone, then the rest in waves of $WaveSize hosts run through sessions with
    # -ThrottleLimit (Invoke-Command -HostName has none). A failure stops the rollout before the next wave: the hosts of
    # the wave finish their writes, no host is started after it.
    $canary, $rest = $Fleet
    $rest = @($rest)
    $results = @(Invoke-Command -HostName $canary @remote $rollout -ArgumentList $fwGlob -ErrorAction SilentlyContinue -ErrorVariable failed)
    $waves = @(, @($canary))
    for ($i = 0; $i -lt $rest.Count -and -not $failed; $i += $WaveSize) {
        $waves += , @($rest[$i..($i + $WaveSize - 1)])
        $wave = New-PSSession -HostName $rest[$i..($i + $WaveSize - 1)] @remote
        $results += @(Invoke-Command -Session $wave -ThrottleLimit $WaveSize $rollout -ArgumentList $fwGlob -ErrorAction SilentlyContinue -ErrorVariable failed)
        $wave | Remove-PSSession
    }
    [pscustomobject]@{ Results = $results; Errors = @($failed); Waves = $waves; StoppedAfter = $(if ($failed) { $waves[-1] }) }
}
function Get-WriteIntervals([object[]] $Hosts, [datetime] $Since) {
    # Read from outside, from each host's history.jsonl; lines that share an attemptId are one attempt (the last wins).
    foreach ($h in $Hosts) {
        $attempts = [ordered]@{}
        $n = 0
        foreach ($e in Get-HistoryLines $h) {
            $key = if ($e.attemptId) { $e.attemptId } else { 'line' + (++$n) }
            $attempts[$key] = if ($attempts.Contains($key)) { $merged = $attempts[$key]; foreach ($p in $e.PSObject.Properties) { $merged | Add-Member -Force $p.Name $p.Value }; $merged } else { $e }
        }
        foreach ($e in $attempts.Values) {
            $start = ([datetimeoffset]$e.startedUtc).UtcDateTime
            if ($start -lt $Since) { continue }
            [pscustomobject]@{ Host = $h.Computer; Drive = $e.drive; Outcome = $e.outcome; Start = $start; End = $start.AddSeconds([double]$e.duration) }
        }
    }
}
function Get-MaxConcurrentHosts($intervals) {
    $max = 0
    foreach ($i in $intervals) {
        $n = @($intervals | Where-Object { $_.Start -le $i.Start -and $_.End -gt $i.Start } | Select-Object -ExpandProperty Host -Unique).Count
        if ($n -gt $max) { $max = $n }
    }
    $max
}
# Drives MtkFlash flashes once nothing is in the way (the LiteOn never: its protocol is not public).
$flashable = @($fleet | Where-Object { $_.Update -and $_.Refused -ne 'ProtocolNotPublic' })

Invoke-Step '4a. -WhatIf across the fleet: every plan, nothing sent' {
    $before = Get-Date
    $out = @(Invoke-Command -HostName $all @remote {
            param([string] $Images)
            Get-OpticalDrive | Test-FirmwareImage -Path $Images | Where-Object { $_.Verdict -eq 'Fits' -and $_.Newer -eq 'Newer' } |
                ForEach-Object { Write-DriveFirmware -Drive $_.Drive -Path $_.Path -WhatIf -Verbose 4>&1 }
        } -ArgumentList $fwGlob -ErrorAction SilentlyContinue -ErrorVariable whatIfErrors)
    # Verbose records cross remoting as their text (a deserialized VerboseRecord has no Message property).
    $plans = $out | Where-Object { "$_" -match '^Write firmware to (\S+)' } | ForEach-Object { "$($_.PSComputerName)|$(("$_" -split ' ')[3])" }
    $expectedPlans = $flashable | Where-Object { -not $_.Refused } | ForEach-Object Key
    Assert-Fleet 'whatif: a plan for every drive MtkFlash would flash now' ((Format-List2 $plans) -eq (Format-List2 $expectedPlans)) "expected $(Format-List2 $expectedPlans); got $(Format-List2 $plans)"
    $refusals = $whatIfErrors | ForEach-Object { "$(Get-Origin $_)|$($_.TargetObject)|$(Get-ErrorId $_)" }
    $expectedRefusals = $fleet | Where-Object Refused | ForEach-Object { "$($_.Key)|$($_.Refused)" }
    Assert-Fleet 'whatif: the LiteOn and the disc-in-tray drive are refused with their ErrorIds' ((Format-List2 $refusals) -eq (Format-List2 $expectedRefusals)) "expected $(Format-List2 $expectedRefusals); got $(Format-List2 $refusals)"
    $remoteRecords = @($whatIfErrors | Where-Object { $_ -is [System.Management.Automation.Runspaces.RemotingErrorRecord] -and $_.OriginInfo.PSComputerName })
    Assert-Fleet 'whatif: the refusals arrive as remote ErrorRecords with their origin' ($whatIfErrors.Count -gt 0 -and $remoteRecords.Count -eq $whatIfErrors.Count) "$($remoteRecords.Count) of $($whatIfErrors.Count)"
    $changed = $fleet | Where-Object { (Get-FlashHash $_) -ne $flashBefore[$_.Key] } | ForEach-Object Key
    $written = Get-WriteIntervals $hosts $before.ToUniversalTime().AddSeconds(-1) | Where-Object Outcome -notin 'refused'
    $autoBackups = $hosts | Where-Object { Test-Path (Join-Path $_.Home 'backups') }
    Assert-Fleet 'whatif: nothing was sent (flash unchanged, no write recorded, no automatic backup)' (-not $changed -and -not $written -and -not $autoBackups) "changed: $changed; history: $($written.Drive); backups on: $($autoBackups.Computer)"
}

Invoke-Step '4b. no prompt hangs a remote session: a write without -Force -Confirm:$false ends with an error' {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $image = Join-Path $fw 'BH16NS40-1.03.bin'
    $null = Invoke-Command -HostName $h5.Computer @remote { Write-DriveFirmware -Drive virtual:bd1 -Path $using:image } -ErrorAction SilentlyContinue -ErrorVariable promptErrors
    $bd1 = $fleet | Where-Object Key -eq "$($h5.Computer)|virtual:bd1"
    Write-Host ("   the remote write ended with: {0}" -f (($promptErrors | ForEach-Object { "$(Get-ErrorId $_): $($_.Exception.Message)" }) -join ' | '))
    Assert-Fleet 'no-prompt: the write ends with an error within 60 s and sends nothing' ($promptErrors.Count -gt 0 -and $sw.Elapsed.TotalSeconds -lt 60 -and (Get-FlashHash $bd1) -eq $flashBefore[$bd1.Key]) ("{0:N1} s; errors: {1}" -f $sw.Elapsed.TotalSeconds, (($promptErrors | ForEach-Object { Get-ErrorId $_ }) -join ', '))
}

$rolloutStart = (Get-Date).ToUniversalTime()
Invoke-Step '4c. rollout: canary first, then the rest in waves under -ThrottleLimit 2; stop at the first failure' {
    $r = Invoke-Rollout -Fleet $canary.Computer, $h3.Computer, $h4.Computer, $h5.Computer
    $succeeded = $r.Results | Where-Object { $_.Outcome -eq 'Succeeded' -and $_.Verified } | ForEach-Object { "$($_.PSComputerName)|$($_.Drive)" }
    $expected = $flashable | Where-Object { $_.Host -in $canary, $h3 } | ForEach-Object Key
    Assert-Fleet 'rollout: the canary and the first wave''s flashable drives are written and verified' ((Format-List2 $succeeded) -eq (Format-List2 $expected)) "expected $(Format-List2 $expected); got $(Format-List2 $succeeded)"
    $stop = $r.Errors | ForEach-Object { "$(Get-Origin $_)|$($_.TargetObject)|$(Get-ErrorId $_)" }
    Assert-Fleet 'rollout: stopped at the first failure, the disc in the tray on the second wave''s host (a remote ErrorRecord)' (($stop -join ',') -eq "$($h4.Computer)|virtual:bd1|DiscInTray" -and ($r.StoppedAfter -join ',') -eq "$($h3.Computer),$($h4.Computer)") "errors: $stop; stopped after: $($r.StoppedAfter)"
    $untouched = $fleet | Where-Object Host -eq $h5 | Where-Object { (Get-FlashHash $_) -ne $flashBefore[$_.Key] }
    $h5Writes = Get-WriteIntervals @($h5) $rolloutStart
    Assert-Fleet 'rollout: the host after the failure was not started (flash unchanged, no write recorded)' (-not $untouched -and -not $h5Writes) "changed: $($untouched.Key); history: $($h5Writes.Drive)"
    $intervals = @(Get-WriteIntervals $hosts $rolloutStart)
    $canaryEnd = ($intervals | Where-Object Host -eq $canary.Computer | Measure-Object End -Maximum).Maximum
    $restStart = ($intervals | Where-Object Host -ne $canary.Computer | Measure-Object Start -Minimum).Minimum
    Assert-Fleet 'rollout: the canary finished before any other host began' ($canaryEnd -and $restStart -and $canaryEnd -le $restStart) "canary done $canaryEnd, rest began $restStart"
    $max = Get-MaxConcurrentHosts $intervals
    Assert-Fleet 'rollout: at most 2 hosts wrote at once' ($max -le 2 -and $max -ge 1) "max $max"
}

Invoke-Step '4d. resume after the fix (disc taken out): the same rollout finishes the fleet' {
    Invoke-Cli $h4.Home @('virtual', 'fault', 'bd1', '--disc', 'out')   # someone empties the tray at that host
    $resume = (Get-Date).ToUniversalTime()
    $r = Invoke-Rollout -Fleet $canary.Computer, $h3.Computer, $h4.Computer, $h5.Computer
    $succeeded = $r.Results | Where-Object { $_.Outcome -eq 'Succeeded' -and $_.Verified } | ForEach-Object { "$($_.PSComputerName)|$($_.Drive)" }
    $expected = $flashable | Where-Object { $_.Host -in $h4, $h5 } | ForEach-Object Key
    Assert-Fleet 'resume: only the drives still due are written; no errors' ((Format-List2 $succeeded) -eq (Format-List2 $expected) -and -not $r.Errors) "expected $(Format-List2 $expected); got $(Format-List2 $succeeded); errors: $($r.Errors -join '; ')"
    $max = Get-MaxConcurrentHosts @(Get-WriteIntervals $hosts $resume)
    Assert-Fleet 'resume: at most 2 hosts wrote at once' ($max -le 2) "max $max"

    $final = @(Invoke-Command -HostName $all @remote { Get-OpticalDrive })
    $wrong = foreach ($d in $fleet | Where-Object { -not $_.Hang }) {
        $row = $final | Where-Object { $_.PSComputerName -eq $d.Host.Computer -and $_.Path -eq $d.Path }
        $flashed = $d -in $flashable
        $changed = (Get-FlashHash $d) -ne $flashBefore[$d.Key]
        if ($flashed -and $row.Revision -ne $d.Update) { "$($d.Key) runs $($row.Revision), expected $($d.Update)" }
        elseif (-not $flashed -and $changed) { "$($d.Key) was written" }
    }
    Assert-Fleet 'resume: every flashable drive runs its new firmware; no other drive was written' (-not $wrong) ($wrong -join '; ')
}

# ---- 5. collect history -------------------------------------------------------------------------------------------
Invoke-Step '5. history: Invoke-Command { Get-DriveFirmwareHistory -Since … } merged into one audit trail' {
    $since = $rolloutStart.AddSeconds(-1)
    $history = @(Invoke-Command -HostName $all @remote { Get-DriveFirmwareHistory -Since $using:since } | Sort-Object StartedUtc)
    $onDisk = @(Get-WriteIntervals $hosts $since)
    $got = $history | ForEach-Object { "$($_.PSComputerName)|$($_.Drive)|$($_.Outcome)" }
    $want = $onDisk | ForEach-Object { "$($_.Host)|$($_.Drive)|$($_.Outcome)" }
    Assert-Fleet 'history: every host''s entries since the rollout, each with PSComputerName' ($history.Count -gt 0 -and (Format-List2 $got) -eq (Format-List2 $want)) "expected $(Format-List2 $want); got $(Format-List2 $got)"
    $succeeded = $history | Where-Object Outcome -eq 'Succeeded' | ForEach-Object { "$($_.PSComputerName)|$($_.Drive)" }
    Assert-Fleet 'history: the merged trail holds one successful write per flashed drive' ((Format-List2 $succeeded) -eq (Format-List2 $flashable.Key)) "got $(Format-List2 $succeeded)"
    $firstWrites = ($history | Where-Object Outcome -eq 'Succeeded' | Select-Object -First 2).PSComputerName | Select-Object -Unique
    Assert-Fleet 'history: merged in time order, the canary''s writes come first' (($firstWrites -join ',') -eq $canary.Computer) "first: $firstWrites"
    $typeNames = $history | ForEach-Object { $_.PSObject.Properties } | Where-Object { "$($_.Value)" -match '^(System|MtkFlash|Deserialized)\.' } | ForEach-Object Name | Select-Object -Unique
    Assert-Fleet 'history: entries are flat (no property reads as a type name)' (-not $typeNames) "properties: $typeNames"
    $refused = $history | Where-Object { $_.Outcome -eq 'Refused' -and $_.ErrorId -eq 'DiscInTray' } | ForEach-Object PSComputerName
    Assert-Fleet 'history: the refusal that stopped the rollout is in the trail' ($refused -contains $h4.Computer) "refusals from: $refused"
}

# ---- the documented patterns are the tested ones ------------------------------------------------------------------
Invoke-Step 'docs: the rollout in docs/fleet.md and about_MtkFlash is the script block tested here' {
    $repo = Resolve-Path (Join-Path $PSScriptRoot '../../..')
    $tested = ($rollout.ToString() -replace '\s+', ' ').Trim()
    foreach ($doc in 'docs/fleet.md', 'docs/en-US/about_MtkFlash.md') {
        $m = [regex]::Match((Get-Content -Raw -LiteralPath (Join-Path $repo $doc)), '(?s)\$rollout = \{(.*?)\n\}')
        $documented = ($m.Groups[1].Value -replace '\s+', ' ').Trim()
        Assert-Fleet "docs: $doc shows the tested rollout" ($m.Success -and $documented -eq $tested) "documented: $documented"
    }
}

# ---- figures: per-host wall time and the size of one drive on the wire --------------------------------------------
Invoke-Step 'figures' {
    # Per host, one at a time, on a controller that is already warm: cold = a new session (ssh, remote pwsh start, module
    # import) and one inventory; warm = the same inventory again on the open session (median of 5). Size: one drive as
    # remoting serializes it (CLIXML, depth 1) and as a CSV row, measured on the host.
    $cold = @(); $warm = @(); $cpu = @(); $sshMB = @(); $m = $null
    $me = Get-Process -Id $PID
    foreach ($h in $canary, $h3, $h4) {
        $me.Refresh(); $cpu0 = $me.TotalProcessorTime
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $session = New-PSSession -HostName $h.Computer @remote
        try {
            $m = Invoke-Command -Session $session {
                $inventory = Measure-Command { $drives = @(Get-OpticalDrive) }
                [pscustomobject]@{
                    InventorySeconds = $inventory.TotalSeconds
                    Drives           = $drives.Count
                    ClixmlBytes      = @($drives | ForEach-Object { [Text.Encoding]::UTF8.GetByteCount([System.Management.Automation.PSSerializer]::Serialize($_)) })
                    CsvBytes         = @($drives | ConvertTo-Csv -NoTypeInformation | Select-Object -Skip 1 | ForEach-Object { [Text.Encoding]::UTF8.GetByteCount($_) + 1 })
                    RemotePwshMB     = (Get-Process -Id $PID).WorkingSet64 / 1MB
                }
            }
            $cold += $sw.Elapsed.TotalSeconds
            $me.Refresh(); $cpu += ($me.TotalProcessorTime - $cpu0).TotalSeconds
            $sshMB += @(Get-Process -Name ssh -ErrorAction SilentlyContinue | Where-Object { $_.Parent.Id -eq $PID } | ForEach-Object { $_.WorkingSet64 / 1MB })
            foreach ($n in 1..5) {
                $sw.Restart()
                $null = Invoke-Command -Session $session { Get-OpticalDrive }
                $warm += $sw.Elapsed.TotalSeconds
            }
        }
        finally { $session | Remove-PSSession }
    }
    $median = { param($v) $sorted = @($v | Sort-Object); $sorted[[int][Math]::Floor(($sorted.Count - 1) / 2)] }
    $bytes = $m.ClixmlBytes | Measure-Object -Average -Maximum
    $csv = $m.CsvBytes | Measure-Object -Average
    Write-Host ("FIGURE per-host wall time, one host at a time, new session (ssh + remote pwsh + module import + inventory of {0} drives): {1} s (median {2:N1} s)" -f $m.Drives, (($cold | ForEach-Object { '{0:N1}' -f $_ }) -join ', '), (& $median $cold))
    Write-Host ("FIGURE controller CPU per new session (the controller's pwsh, not counting its ssh client): median {0:N2} s" -f (& $median $cpu))
    Write-Host ("FIGURE memory per open session: the controller's ssh client {0:N1} MB, the host's pwsh {1:N0} MB" -f (& $median $sshMB), $m.RemotePwshMB)
    Write-Host ("FIGURE per-host wall time on an open session (inventory and round trip, median of {0}): {1:N2} s" -f $warm.Count, (& $median $warm))
    Write-Host ("FIGURE per-host wall time in the 4-host audit fan-out (last drive received; includes the controller's first connection): {0}" -f (($perHost.GetEnumerator() | Sort-Object Name | ForEach-Object { '{0} {1:N1} s' -f $_.Name, $_.Value }) -join ', '))
    Write-Host ("FIGURE one drive serialized for remoting (CLIXML): {0:N0} bytes on average, {1:N0} at most; as a CSV row {2:N0} bytes" -f $bytes.Average, $bytes.Maximum, $csv.Average)
    if ($env:MTKFLASH_BENCH_OUT) {
        # For the benchmark harness (bench/run.sh, figure 6; docs/performance.md): the same figures as JSON.
        New-Item -ItemType Directory -Force -Path $env:MTKFLASH_BENCH_OUT | Out-Null
        [ordered]@{
            date                      = [DateTime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ssZ')
            hosts                     = $cold.Count
            drivesPerHost             = $m.Drives
            perHostNewSessionSeconds  = & $median $cold
            perHostNewSessionRuns     = $cold
            perHostOpenSessionSeconds = & $median $warm
            controllerCpuPerSessionSeconds = & $median $cpu
            remoteInventorySeconds    = $m.InventorySeconds
            driveClixmlBytesAverage   = $bytes.Average
            driveClixmlBytesMax       = $bytes.Maximum
            driveCsvBytesAverage      = $csv.Average
            sshClientMB               = & $median $sshMB
            remotePwshMB              = $m.RemotePwshMB
            fanOutSeconds             = $auditSeconds
            fanOutHosts               = $hosts.Count
            controllerCores           = [Environment]::ProcessorCount
        } | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $env:MTKFLASH_BENCH_OUT 'fleet.json') -Encoding utf8
        Write-Host "   figures written to $(Join-Path $env:MTKFLASH_BENCH_OUT 'fleet.json')"
    }
    Assert-Fleet 'figures: measured on 3 hosts with 3 drives each' ($cold.Count -eq 3 -and $m.Drives -eq 3 -and $bytes.Average -gt 0)
}

Write-Host ("controller: {0} hosts, {1} drives, {2:N0} s" -f $hosts.Count, $fleet.Count, $clock.Elapsed.TotalSeconds)
Write-Host "$passed passed, $failed failed"
exit ([int]($failed -gt 0))
