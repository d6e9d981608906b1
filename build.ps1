#requires -Version 5.1
<#
.SYNOPSIS
    Builds the MtkFlash module and CLI, and optionally runs the tests.
.DESCRIPTION
    ./build.ps1            builds Release and lays the module out in ./out/MtkFlash (Import-Module ./out/MtkFlash)
    ./build.ps1 -Test      also runs the xunit suite and the Pester suite (bash .ci/install-powershell.sh installs Pester)
    ./build.ps1 -Clean     removes ./out and the bin/obj folders first
    Help: docs/en-US/*.md (PlatyPS markdown) is compiled into ./out/MtkFlash/en-US: MtkFlash.PowerShell.dll-Help.xml (MAML)
    and about_MtkFlash.help.txt. The project's own converter (tools/MtkFlash.HelpGen) replaces platyPS' New-ExternalHelp;
    -UsePlatyPS compiles the cmdlet pages with New-ExternalHelp instead when platyPS is installed.
#>
[CmdletBinding()]
param(
    [switch] $Clean,
    [switch] $Test,
    [switch] $UsePlatyPS,
    [ValidateSet('Debug', 'Release')] [string] $Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
Set-Location -LiteralPath $PSScriptRoot
$out = Join-Path $PSScriptRoot 'out'
$moduleDir = Join-Path $out 'MtkFlash'

if ($Clean) {
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $out
    Get-ChildItem -Path src, tests, tools -Include bin, obj -Recurse -Directory | Remove-Item -Recurse -Force
}

dotnet build MtkFlash.sln -c $Configuration
if ($LASTEXITCODE -ne 0) { throw "dotnet build failed ($LASTEXITCODE)" }

# Lay out the module: manifest, binary module, core, format file. PowerShellStandard.Library is compile-only (never shipped).
New-Item -ItemType Directory -Force -Path $moduleDir | Out-Null
$bin = Join-Path $PSScriptRoot "src/MtkFlash.PowerShell/bin/$Configuration/netstandard2.0"
Copy-Item -Force -Path (Join-Path $bin 'MtkFlash.PowerShell.dll'), (Join-Path $bin 'MtkFlash.Core.dll') -Destination $moduleDir
Copy-Item -Force -Path (Join-Path $PSScriptRoot 'MtkFlash.psd1') -Destination $moduleDir
Copy-Item -Force -Path (Join-Path $PSScriptRoot 'src/MtkFlash.PowerShell/MtkFlash.format.ps1xml') -Destination $moduleDir

# Help: MAML for the cmdlets and the about_ topics, from docs/en-US.
$helpDir = Join-Path $moduleDir 'en-US'
dotnet run --project (Join-Path $PSScriptRoot 'tools/MtkFlash.HelpGen') -c $Configuration --no-build -- (Join-Path $PSScriptRoot 'docs/en-US') $helpDir | Out-Null
if ($LASTEXITCODE -ne 0) { throw "help generation failed ($LASTEXITCODE)" }
if ($UsePlatyPS) {
    if (-not (Get-Module -ListAvailable -Name platyPS)) { throw '-UsePlatyPS: platyPS is not installed.' }
    Import-Module platyPS
    $pages = Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot 'docs/en-US') -Filter '*.md' | Where-Object Name -notlike 'about_*'
    New-ExternalHelp -Path $pages.FullName -OutputPath $helpDir -Force | Out-Null
}
Write-Host "Module ready: Import-Module $moduleDir"

if ($Test) {
    dotnet test MtkFlash.sln -c $Configuration
    if ($LASTEXITCODE -ne 0) { throw "dotnet test failed ($LASTEXITCODE)" }
    $env:MTKFLASH_MODULE_PATH = $moduleDir
    & (Join-Path $PSScriptRoot 'tests/pester/run.ps1')
    if ($LASTEXITCODE -ne 0) { throw "Pester suite failed ($LASTEXITCODE)" }
}
