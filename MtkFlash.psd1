@{
    RootModule           = 'MtkFlash.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6d1f3f2e-8a4b-4c1e-9b7a-2f5d0c9e7a41'
    Author               = 'MtkFlash contributors'
    CompanyName          = 'MtkFlash'
    Copyright            = '(c) MtkFlash contributors'
    Description          = 'Inventory, back up, check and safely flash optical-drive firmware (MediaTek-based CD/DVD/BD writers), with a virtual drive for trying everything without hardware.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    CmdletsToExport      = @(
        'Get-OpticalDrive'
        'Backup-DriveFirmware'
        'Write-DriveFirmware'
        'Test-FirmwareImage'
        'Expand-FirmwareImage'
        'New-VirtualOpticalDrive'
        'Remove-VirtualOpticalDrive'
        'Get-VirtualOpticalDrive'
        'Get-VirtualOpticalDriveProfile'
        'Set-VirtualOpticalDriveFault'
        'New-VirtualFirmwareImage'
        'Get-DriveFirmwareHistory'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    FormatsToProcess     = @('MtkFlash.format.ps1xml')
    PrivateData          = @{
        PSData = @{
            Tags       = @('firmware', 'optical', 'MediaTek', 'flash', 'backup')
            LicenseUri = 'https://example.invalid/mtkflash/LICENSE'
            ProjectUri = 'https://example.invalid/mtkflash'
        }
    }
}
