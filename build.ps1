#requires -Version 5.1
<#
.SYNOPSIS
    Builds the MtkFlash module and CLI, and optionally runs the tests.
.DESCRIPTION
    ./build.ps1            builds Release and lays the module out in ./out/MtkFlash (Import-Module ./out/MtkFlash)
    ./build.ps1 -Test      also runs the xunit suite and the Pester suite (bash .ci/install-powershell.sh installs Pester)
    ./build.ps1 -Clean     removes ./out and the bin/obj folders first
    ./build.ps1 -Task Package  also packs the mtkflash CLI as a .NET tool: ./out/MtkFlash.Cli.<version>.nupkg
                           (install it with: dotnet tool install --global --add-source ./out MtkFlash.Cli)
    Help: docs/en-US/*.md (PlatyPS markdown) is compiled into ./out/MtkFlash/en-US: MtkFlash.PowerShell.dll-Help.xml (MAML)
    and about_MtkFlash.help.txt. The project's own converter (tools/MtkFlash.HelpGen) replaces platyPS' New-ExternalHelp;
    -UsePlatyPS compiles the cmdlet pages with New-ExternalHelp instead when platyPS is installed.
#>
[CmdletBinding()]
param(
    [switch] $Clean,
    [switch] $Test,
    [switch] $UsePlatyPS,
    [ValidateSet('Debug', 'Release')] [string] $Configuration = 'Release',
    # Last, so the positional use of -Configuration stays as it was.
    [ValidateSet('Build', 'Package')] [string] $Task = 'Build'
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

if ($Task -eq 'Package') {
    # The CLI as a .NET tool (PackAsTool in src/MtkFlash.Cli): the version and metadata come from the project files.
    dotnet pack (Join-Path $PSScriptRoot 'src/MtkFlash.Cli/MtkFlash.Cli.csproj') -c $Configuration --no-build -o $out
    if ($LASTEXITCODE -ne 0) { throw "dotnet pack failed ($LASTEXITCODE)" }
    $package = Get-ChildItem -LiteralPath $out -Filter 'MtkFlash.Cli.*.nupkg' | Sort-Object LastWriteTime | Select-Object -Last 1
    Write-Host "Tool package ready: $($package.FullName) (dotnet tool install --global --add-source $out MtkFlash.Cli)"
}

if ($Test) {
    dotnet test MtkFlash.sln -c $Configuration
    if ($LASTEXITCODE -ne 0) { throw "dotnet test failed ($LASTEXITCODE)" }
    $env:MTKFLASH_MODULE_PATH = $moduleDir
    & (Join-Path $PSScriptRoot 'tests/pester/run.ps1')
    if ($LASTEXITCODE -ne 0) { throw "Pester suite failed ($LASTEXITCODE)" }
}
