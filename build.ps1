#requires -Version 5.1
<#
.SYNOPSIS
    Builds the MtkFlash module and CLI, and optionally runs the tests.
.DESCRIPTION
    ./build.ps1            builds Release and lays the module out in ./out/MtkFlash (Import-Module ./out/MtkFlash)
    ./build.ps1 -Test      also runs the xunit suite and, when Pester 5 is installed, the Pester suite
    ./build.ps1 -Clean     removes ./out and the bin/obj folders first
    Help: when platyPS is installed, docs/en-US/*.md is compiled to MAML into ./out/MtkFlash/en-US.
#>
[CmdletBinding()]
param(
    [switch] $Clean,
    [switch] $Test,
    [ValidateSet('Debug', 'Release')] [string] $Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
Set-Location -LiteralPath $PSScriptRoot
$out = Join-Path $PSScriptRoot 'out'
$moduleDir = Join-Path $out 'MtkFlash'

if ($Clean) {
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $out
    Get-ChildItem -Path src, tests -Include bin, obj -Recurse -Directory | Remove-Item -Recurse -Force
}

dotnet build MtkFlash.sln -c $Configuration
if ($LASTEXITCODE -ne 0) { throw "dotnet build failed ($LASTEXITCODE)" }

# Lay out the module: manifest, binary module, core, format file. PowerShellStandard.Library is compile-only (never shipped).
New-Item -ItemType Directory -Force -Path $moduleDir | Out-Null
$bin = Join-Path $PSScriptRoot "src/MtkFlash.PowerShell/bin/$Configuration/netstandard2.0"
Copy-Item -Force -Path (Join-Path $bin 'MtkFlash.PowerShell.dll'), (Join-Path $bin 'MtkFlash.Core.dll') -Destination $moduleDir
Copy-Item -Force -Path (Join-Path $PSScriptRoot 'MtkFlash.psd1') -Destination $moduleDir
Copy-Item -Force -Path (Join-Path $PSScriptRoot 'src/MtkFlash.PowerShell/MtkFlash.format.ps1xml') -Destination $moduleDir

if (Get-Module -ListAvailable -Name platyPS) {
    Import-Module platyPS
    New-ExternalHelp -Path (Join-Path $PSScriptRoot 'docs/en-US') -OutputPath (Join-Path $moduleDir 'en-US') -Force | Out-Null
} else {
    Write-Warning 'platyPS is not installed: skipping MAML help (Install-Module platyPS to build it).'
}
Write-Host "Module ready: Import-Module $moduleDir"

if ($Test) {
    dotnet test MtkFlash.sln -c $Configuration
    if ($LASTEXITCODE -ne 0) { throw "dotnet test failed ($LASTEXITCODE)" }
    if (Get-Module -ListAvailable -Name Pester | Where-Object Version -ge '5.0.0') {
        $env:MTKFLASH_MODULE_PATH = $moduleDir
        & (Join-Path $PSScriptRoot 'tests/pester/run.ps1')
    } else {
        Write-Warning 'Pester 5 is not installed: skipping the Pester suite.'
    }
}
