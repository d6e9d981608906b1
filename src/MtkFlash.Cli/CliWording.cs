using MtkFlash.Core.Operations;

namespace MtkFlash.Cli
{
    /// <summary>How the CLI names the parameters and commands the core's remedies refer to.</summary>
    public static class CliWording
    {
        public static string Name(FrontEndTerm term)
        {
            switch (term)
            {
                case FrontEndTerm.AllowCrossFlash: return "--allow-crossflash";
                case FrontEndTerm.AllowUnlistedModel: return "--allow-unlisted-model";
                case FrontEndTerm.RemoveVirtualDrive: return "'mtkflash virtual remove'";
                case FrontEndTerm.ForceRemove: return "--force";
                case FrontEndTerm.SkipBackup: return "--no-backup";
                case FrontEndTerm.Recover: return "--recover";
                case FrontEndTerm.Force: return "--yes";
                case FrontEndTerm.Overwrite: return "--force";
                case FrontEndTerm.Unattended: return "--yes";
                case FrontEndTerm.DryRun: return "--dry-run";
                case FrontEndTerm.BackupFolder: return "--out";
                case FrontEndTerm.WriteBackupFolder: return "--backup-dir";
                case FrontEndTerm.ListDrives: return "'mtkflash list'";
                case FrontEndTerm.TestImage: return "'mtkflash test'";
                case FrontEndTerm.WriteFirmware: return "'mtkflash write'";
                case FrontEndTerm.NewVirtualDrive: return "'mtkflash virtual new'";
                case FrontEndTerm.ListVirtualDrives: return "'mtkflash virtual list'";
                case FrontEndTerm.ListProfiles: return "'mtkflash virtual profiles'";
                default: return term.ToString();
            }
        }

        public static string Render(Remedy remedy) => remedy?.Render(Name);
    }
}
