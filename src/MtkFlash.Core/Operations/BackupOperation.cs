using System;
using System.Collections.Generic;
using System.IO;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;

namespace MtkFlash.Core.Operations
{
    public sealed class BackupOptions
    {
        /// <summary>Folder that receives the bundles; null = the default folder under MTKFLASH_HOME.</summary>
        public string Destination { get; set; }
        public BackupFormat Format { get; set; } = BackupFormat.Folder;
    }

    /// <summary>
    /// Backup-DriveFirmware / `mtkflash backup`: one verified bundle per drive. A failing drive is a non-terminating
    /// error and the next drive is still backed up. Sends read commands only.
    /// </summary>
    public sealed class BackupOperation
    {
        readonly MtkFlashContext _context;

        public BackupOperation(MtkFlashContext context) { _context = context; }

        /// <summary>Test seam: creates the bundle's files (access denied, full disk). Null: the real file system.</summary>
        internal Func<string, Stream> CreateBackupFile { get; set; }

        public BackupResult Run(IOperationHost host, string drivePath, BackupOptions options)
        {
            var destination = options.Destination ?? _context.DefaultBackupDirectory;
            var progress = new DriveProgress(host, "Backing up " + drivePath, 1);
            try
            {
                if (!host.ShouldProcess(drivePath, "Back up firmware to " + destination)) return null;
                if (options.Destination == null) Directory.CreateDirectory(destination);
                else if (CheckGivenFolder(destination, FrontEndTerm.BackupFolder) is OperationError missing)
                {
                    host.WriteError(missing);
                    return null;
                }
                using (var transport = new DriveRegistry(_context).Open(drivePath, DriveAccess.Exclusive))
                {
                    var entry = DeviceEntry.ForPath(drivePath);
                    var drive = DriveIdentifier.Identify(transport, entry, _context.Clock);
                    if (drive.State == DriveState.Busy)
                    {
                        host.WriteError(new OperationError("DriveBusy", OperationErrorCategory.ResourceBusy, drivePath + " is busy: " + drive.Note, drivePath, null,
                            Remedy.Of("Wait until ", FrontEndTerm.ListDrives, " reports the drive ready, then back it up.")));
                        return null;
                    }
                    if (drive.State == DriveState.MediumPresent)
                        host.WriteVerbose(drive.Path + " has a disc in the tray; reading the firmware does not need an empty tray.");
                    var device = new ScsiDevice(transport, _context.Clock);
                    host.WriteVerbose("Reading " + drive.Path + " (" + drive.Vendor + " " + drive.Product + " " + drive.Revision + ") twice and comparing, into " + destination + ".");
                    progress.Enter("reading the drive's firmware and regions", 0);
                    var result = new BackupEngine(_context.Clock) { CreateFile = CreateBackupFile }.Backup(device, drive, ProtocolRegistry.TryFor(drive, out _), destination, options.Format,
                        (done, total) => progress.Report(1, "Reading the firmware of " + drive.Path + " (twice, to compare)",
                            "read " + done + " of " + total + " bytes", total > 0 ? (int)(done * 100 / total) : -1),
                        host.Cancellation);
                    progress.CompletePhase(1, "Reading the firmware of " + drive.Path + " (twice, to compare)", "done");
                    progress.Complete("done");
                    host.WriteVerbose("Wrote " + result.Path + ": " + Serialization.Json.EnumName(result.Completeness) + ", " + result.Size + " bytes.");
                    if (result.Completeness != BackupCompleteness.Full) host.WriteWarning(drive.Path + ": backup is " + Serialization.Json.EnumName(result.Completeness) + ". " + result.Reason);
                    host.WriteObject(result);
                    return result;
                }
            }
            catch (OperationCanceledException) { throw; }
            catch (Exception ex)
            {
                progress.Complete("failed");
                host.WriteError(ToError(ex, drivePath));
                return null;
            }
        }

        /// <summary>
        /// The one rule for a backup folder the user names (Backup-DriveFirmware -Path, Write-DriveFirmware -BackupPath and
        /// their CLI options): it must exist, so a typo never scatters backups into a new folder; only the default folder
        /// under MTKFLASH_HOME is created. Returns the BackupFolderNotFound error, or null when the folder exists.
        /// </summary>
        public static OperationError CheckGivenFolder(string folder, FrontEndTerm parameter) =>
            Directory.Exists(folder) ? null : new OperationError("BackupFolderNotFound", OperationErrorCategory.ObjectNotFound,
                "The backup folder '" + folder + "' does not exist; nothing was read from the drive.", folder, null, Remedies.MissingFolder(parameter));

        internal static OperationError ToError(Exception ex, string drivePath)
        {
            switch (ex)
            {
                case BackupVerificationException v:
                    return new OperationError("BackupReadMismatch", OperationErrorCategory.InvalidResult, v.Message, drivePath, ex);
                case FirmwareReadIncompleteException gaps:
                    // A dump with unreadable spans (filled with 0xFF) is not a backup (docs/reference/mt1959-notes.md §3): nothing is kept.
                    return new OperationError("BackupReadIncomplete", OperationErrorCategory.ReadError, gaps.Message + " Nothing was kept.", drivePath, ex);
                case UnauthorizedAccessException u:
                    return new OperationError("BackupAccessDenied", OperationErrorCategory.PermissionDenied,
                        "Cannot write the backup: " + u.Message, drivePath, ex, "Choose a folder you can write to.");
                case BackupExistsException exists:
                    return new OperationError("BackupExists", OperationErrorCategory.ResourceExists, exists.Message, drivePath, ex);
                case DirectoryNotFoundException d:
                    return new OperationError("BackupFolderNotFound", OperationErrorCategory.ObjectNotFound, d.Message, drivePath, ex);
                case IOException io when !(ex is FileNotFoundException):
                    return new OperationError("BackupWriteFailed", OperationErrorCategory.WriteError,
                        "Cannot write the backup (nothing was kept): " + io.Message, drivePath, ex, "Free disk space or choose another folder.");
                default:
                    return OperationErrors.FromException(ex, drivePath, "Backup of " + drivePath + " failed");
            }
        }
    }
}
