using System.Management.Automation;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Operations;

namespace MtkFlash.PowerShell
{
    /// <summary>
    /// Write-DriveFirmware: flashes an image or restores a backup bundle. ConfirmImpact High (prompts by default);
    /// -WhatIf prints the plan and sends nothing that changes the drive; -Force -Confirm:$false for unattended runs.
    /// </summary>
    [Cmdlet(VerbsCommunications.Write, "DriveFirmware", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(DriveFirmwareWrite))]
    public sealed class WriteDriveFirmwareCommand : MtkFlashDriveCmdlet
    {
        const string PathSet = "Path";
        const string LiteralPathSet = "LiteralPath";

        /// <summary>Drives: objects from Get-OpticalDrive, paths, or objects with a Drive or Path property (Drive wins: a piped backup binds its drive).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [Alias("InputObject")]
        [ArgumentCompleter(typeof(DrivePathCompleter))]
        [ValidateNotNull]
        public object[] Drive { get; set; }

        /// <summary>The image or backup bundle; wildcards must resolve to exactly one item.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>The image or backup bundle, taken literally.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath")]
        [ValidateNotNullOrEmpty]
        public string LiteralPath { get; set; }

        /// <summary>Allow an image of the same hardware made for another vendor or model. -Force does not imply it.</summary>
        [Parameter] public SwitchParameter AllowCrossFlash { get; set; }

        /// <summary>Allow a drive of a known chipset whose model the cited flasher does not list. -Force does not imply it; it is recorded in the history.</summary>
        [Parameter] public SwitchParameter AllowUnlistedModel { get; set; }

        /// <summary>Skip the automatic backup taken before the write.</summary>
        [Parameter] public SwitchParameter SkipBackup { get; set; }

        /// <summary>An existing folder for the automatic backup (default: MTKFLASH_HOME/backups). A missing folder is refused, as by Backup-DriveFirmware -Path.</summary>
        [Parameter] [ValidateNotNullOrEmpty] public string BackupPath { get; set; }

        /// <summary>Flash a drive in boot mode through its boot loader.</summary>
        [Parameter] public SwitchParameter Recover { get; set; }

        /// <summary>Skip the extra confirmation prompt (use with -Confirm:$false for unattended runs). Never skips a safety check.</summary>
        [Parameter] public SwitchParameter Force { get; set; }

        WriteOperation _operation;
        string _image;

        protected override void BeginProcessing()
        {
            _operation = new WriteOperation(CreateContext());
            if (ParameterSetName == LiteralPathSet) _image = SessionState.Path.GetUnresolvedProviderPathFromPSPath(LiteralPath);
            else
            {
                System.Collections.ObjectModel.Collection<string> resolved;
                try { resolved = SessionState.Path.GetResolvedProviderPathFromPSPath(Path, out _); }
                catch (ItemNotFoundException) { resolved = new System.Collections.ObjectModel.Collection<string>(); }
                if (resolved.Count > 1)
                    ThrowTerminatingError(new ErrorRecord(new PSArgumentException("-Path must name exactly one image or backup; '" + Path + "' matches " + resolved.Count + "."),
                        "ImagePathAmbiguous", ErrorCategory.InvalidArgument, Path));
                _image = resolved.Count == 1 ? resolved[0] : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            }
            // A missing image stops the whole pipeline once, before any drive is opened (and before anything is recorded).
            if (OperationErrors.CheckImageExists(_image) is OperationError missing)
                ThrowTerminatingError(CmdletHost.ToErrorRecord(missing));
        }

        protected override void ProcessRecord()
        {
            var host = CreateHost(Force);
            foreach (var d in Drive)
            {
                if (host.Stopping) return;   // stopped: no further drive is started
                var path = DriveArgument.ToPath(d);
                if (string.IsNullOrEmpty(path)) { host.WriteError(DriveArgument.Invalid(d)); continue; }
                var result = _operation.Run(host, path, new WriteOptions
                {
                    ImagePath = _image,
                    AllowCrossFlash = AllowCrossFlash,
                    AllowUnlistedModel = AllowUnlistedModel,
                    SkipBackup = SkipBackup,
                    BackupDirectory = BackupPath == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(BackupPath),
                    BackupFormat = BackupFormat.Folder,
                    Recover = Recover,
                    Force = Force,
                });
                if (host.Stopping)
                {
                    // The pipeline was stopped while the flash ran: the flash was finished first (issue 9 §5). The result can
                    // no longer be emitted; say it on the console, and it is in the history file in any case.
                    if (result.Outcome != WriteOutcome.Stopped && result.Outcome != WriteOutcome.Refused)
                        host.TellAfterStop("Write-DriveFirmware was stopped, but the flash of " + result.Drive + " had begun and was finished first: " +
                                           result + " (recorded in the MtkFlash history).");
                    return;
                }
                // Planned (-WhatIf) writes emit nothing, as PowerShell convention wants; refusals/failures are already ErrorRecords.
                if (result.Outcome == WriteOutcome.Succeeded || result.Outcome == WriteOutcome.Failed) host.WriteObject(result);
                if (result.Outcome == WriteOutcome.Stopped) return;
            }
        }
    }
}
