using MtkFlash.Core.Operations;

namespace MtkFlash.PowerShell
{
    /// <summary>How the module names the parameters and cmdlets the core's remedies refer to.</summary>
    internal static class PowerShellWording
    {
        public static string Name(FrontEndTerm term)
        {
            switch (term)
            {
                case FrontEndTerm.AllowCrossFlash: return "-AllowCrossFlash";
                case FrontEndTerm.AllowUnlistedModel: return "-AllowUnlistedModel";
                case FrontEndTerm.RemoveVirtualDrive: return "Remove-VirtualOpticalDrive";
                case FrontEndTerm.ForceRemove: return "the CLI's --force (mtkflash virtual remove NAME --force)";
                case FrontEndTerm.SkipBackup: return "-SkipBackup";
                case FrontEndTerm.Recover: return "-Recover";
                case FrontEndTerm.Force: return "-Force";
                case FrontEndTerm.Overwrite: return "-Force";
                case FrontEndTerm.Unattended: return "-Force -Confirm:$false";
                case FrontEndTerm.DryRun: return "-WhatIf";
                case FrontEndTerm.BackupFolder: return "-Path";
                case FrontEndTerm.WriteBackupFolder: return "-BackupPath";
                case FrontEndTerm.ListDrives: return "Get-OpticalDrive";
                case FrontEndTerm.TestImage: return "Test-FirmwareImage";
                case FrontEndTerm.WriteFirmware: return "Write-DriveFirmware";
                case FrontEndTerm.NewVirtualDrive: return "New-VirtualOpticalDrive";
                case FrontEndTerm.ListVirtualDrives: return "Get-VirtualOpticalDrive";
                case FrontEndTerm.ListProfiles: return "Get-VirtualOpticalDriveProfile";
                default: return term.ToString();
            }
        }

        public static string Render(Remedy remedy) => remedy?.Render(Name);
    }
}
