using System;
using System.Management.Automation;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Operations;

namespace MtkFlash.PowerShell
{
    /// <summary>Backup-DriveFirmware: verified backup bundles, one per drive; `Get-OpticalDrive | Backup-DriveFirmware -Path \\server\backups`.</summary>
    [Cmdlet(VerbsData.Backup, "DriveFirmware", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(BackupResult))]
    public sealed class BackupDriveFirmwareCommand : MtkFlashCmdlet
    {
        /// <summary>Drives: OpticalDrive objects from Get-OpticalDrive, paths, or objects with a Path property.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [Alias("InputObject")]
        [ArgumentCompleter(typeof(DrivePathCompleter))]
        [ValidateNotNull]
        public object[] Drive { get; set; }

        /// <summary>Folder that receives the bundles (default: MTKFLASH_HOME/backups).</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>Write each backup as one .zip file instead of a folder.</summary>
        [Parameter]
        public SwitchParameter AsZip { get; set; }

        BackupOperation _operation;

        protected override void BeginProcessing() => _operation = new BackupOperation(CreateContext());

        protected override void ProcessRecord()
        {
            var destination = Path == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            var options = new BackupOptions { Destination = destination, Format = AsZip ? BackupFormat.Zip : BackupFormat.Folder };
            var host = CreateHost();
            foreach (var d in Drive)
            {
                var path = DriveArgument.ToPath(d);
                if (string.IsNullOrEmpty(path))
                {
                    host.WriteError(new OperationError("DriveArgumentInvalid", OperationErrorCategory.InvalidArgument, "'" + d + "' is not a drive.", d));
                    continue;
                }
                try { _operation.Run(host, path, options); }
                catch (OperationCanceledException) { return; }
            }
        }
    }
}
