@{
    RootModule             = 'MtkFlash.PowerShell.dll'
    ModuleVersion          = '0.1.0'
    GUID                   = '6d1f3f2e-8a4b-4c1e-9b7a-2f5d0c9e7a41'
    Author                 = 'MtkFlash contributors'
    CompanyName            = 'MtkFlash'
    Copyright              = '(c) MtkFlash contributors'
    Description            = 'Inventory, back up, check and safely flash optical-drive firmware (MediaTek-based CD/DVD/BD writers), with a virtual drive for trying everything without hardware.'
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Desktop', 'Core')
    # Windows PowerShell 5.1 loads the netstandard2.0 assemblies only on .NET Framework 4.7.2 or later.
    DotNetFrameworkVersion = '4.7.2'
    CmdletsToExport        = @(
        'Get-OpticalDrive'
        'Backup-DriveFirmware'
        'Write-DriveFirmware'
        'Test-FirmwareImage'
        'Expand-FirmwareImage'
        'New-VirtualOpticalDrive'
        'Remove-VirtualOpticalDrive'
    )
    FunctionsToExport      = @()
    AliasesToExport        = @()
    VariablesToExport      = @()
    FormatsToProcess       = @('MtkFlash.format.ps1xml')
    # The help (en-US/MtkFlash.PowerShell.dll-Help.xml, about_MtkFlash.help.txt) ships inside the module. HelpInfoURI,
    # ProjectUri and LicenseUri are left out until the project publishes updatable help and a home page at a real address.
    PrivateData            = @{
        PSData = @{
            Tags         = @('firmware', 'optical', 'MediaTek', 'flash', 'backup', 'Linux', 'Windows', 'PSEdition_Desktop', 'PSEdition_Core')
            ReleaseNotes = @'
0.1.0
- Get-OpticalDrive, Backup-DriveFirmware, Test-FirmwareImage, Expand-FirmwareImage and Write-DriveFirmware over one
  safety-first core: verified backup before every write, drive-unique regions kept, cross-flash only with
  -AllowCrossFlash, classic LiteOn 8051 and unknown drives refused.
- New-/Remove-VirtualOpticalDrive: emulated drives (virtual:NAME) for trying everything without hardware.
- Help in Get-Help (about_MtkFlash and every cmdlet, with examples); tab completion of drives, virtual drive names and
  profiles.
'@
        }
    }
}
