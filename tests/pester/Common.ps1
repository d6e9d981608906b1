# Set-up shared by the Pester files (dot-source it in BeforeAll): a private MTKFLASH_HOME, the built module, a scratch folder.

# Points MTKFLASH_HOME at a new temporary folder, imports the module from MTKFLASH_MODULE_PATH and creates a scratch
# folder; returns the manifest path and the scratch folder.
function Initialize-MtkFlashTest {
    $env:MTKFLASH_HOME = Join-Path ([IO.Path]::GetTempPath()) ("mtkflash-pester-" + [guid]::NewGuid())
    $manifest = Join-Path $env:MTKFLASH_MODULE_PATH 'MtkFlash.psd1'
    Import-Module $manifest -Force -Global
    $dir = Join-Path $env:MTKFLASH_HOME 'files'
    New-Item -ItemType Directory -Path $dir | Out-Null
    $manifest, $dir
}

# A new empty folder under the scratch folder (a backup destination).
function New-TestFolder([string] $Parent) {
    New-Item -ItemType Directory -Path (Join-Path $Parent ([guid]::NewGuid().ToString('N'))) | Select-Object -ExpandProperty FullName
}

function Remove-MtkFlashTest {
    Remove-Module MtkFlash -ErrorAction SilentlyContinue
    Remove-Item -Recurse -Force $env:MTKFLASH_HOME -ErrorAction SilentlyContinue
}

# Runs a script in a fresh runspace of this process (with the module imported and, optionally, a scripted host) and
# returns the PowerShell object, whose Streams hold every error, verbose, debug and progress record.
function Invoke-InRunspace([string] $Manifest, [string] $Script, $Host_ = $null) {
    $iss = [initialsessionstate]::CreateDefault2()
    $rs = if ($Host_) { [runspacefactory]::CreateRunspace($Host_, $iss) } else { [runspacefactory]::CreateRunspace($iss) }
    $rs.Open()
    try {
        $ps = [powershell]::Create()
        $ps.Runspace = $rs
        $null = $ps.AddScript("Import-Module '$Manifest'`n" + $Script).Invoke()
        $ps
    } finally { $rs.Dispose() }
}
