#requires -Version 5.1
# Runs the Pester suite against the module laid out by build.ps1 (./out/MtkFlash), with a private MTKFLASH_HOME.
$ErrorActionPreference = 'Stop'
$root = Resolve-Path (Join-Path $PSScriptRoot '../..')
if (-not $env:MTKFLASH_MODULE_PATH) {
    & (Join-Path $root 'build.ps1')
    $env:MTKFLASH_MODULE_PATH = Join-Path $root 'out/MtkFlash'
}
if (-not (Get-Module -ListAvailable -Name Pester | Where-Object Version -ge '5.0.0')) {
    Write-Host 'skip: Pester 5 is not installed (Install-Module Pester -MinimumVersion 5.0).'
    return
}
Import-Module Pester -MinimumVersion 5.0
$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.Exit = $true
$config.Output.Verbosity = 'Detailed'
Invoke-Pester -Configuration $config
