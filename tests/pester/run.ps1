#requires -Version 5.1
<#
.SYNOPSIS
    Runs the Pester suite against the module laid out by build.ps1 (./out/MtkFlash).
.DESCRIPTION
    Builds the module first unless MTKFLASH_MODULE_PATH names a laid-out module folder. Needs Pester 5 (.ci/install-powershell.sh
    installs 5.7.1); without it the run fails. Exits with the number of failed tests (0 = all passed) and prints a last line
    "pester: N passed, M failed".
#>
[CmdletBinding()]
param(
    # Pester output: Detailed lists every test, Normal only failures and the summary.
    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')] [string] $Verbosity = 'Detailed'
)
$ErrorActionPreference = 'Stop'
$root = Resolve-Path (Join-Path $PSScriptRoot '../..')
if (-not $env:MTKFLASH_MODULE_PATH) {
    & (Join-Path $root 'build.ps1')
    $env:MTKFLASH_MODULE_PATH = Join-Path $root 'out/MtkFlash'
}
$pester = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version -ge [version] '5.0.0' } | Sort-Object Version -Descending | Select-Object -First 1
if (-not $pester) {
    Write-Error 'Pester 5 is not installed: run bash .ci/install-powershell.sh (Pester 5.7.1 from NuGet).' -ErrorAction Continue
    exit 1
}
Import-Module $pester.Path
$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.PassThru = $true
$config.Output.Verbosity = $Verbosity
$result = Invoke-Pester -Configuration $config
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
if ($result.PassedCount -eq 0) { $failed = [Math]::Max($failed, 1) }   # a run that ran nothing is not a pass
Write-Host ("pester: {0} passed, {1} failed" -f $result.PassedCount, $failed)
exit $failed
