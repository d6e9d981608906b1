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
        int _activity;

        public BackupOperation(MtkFlashContext context) { _context = context; }

        /// <summary>Test seam: creates the bundle's files (access denied, full disk). Null: the real file system.</summary>
        internal Func<string, Stream> CreateBackupFile { get; set; }

        public BackupResult Run(IOperationHost host, string drivePath, BackupOptions options)
        {
            var destination = options.Destination ?? _context.DefaultBackupDirectory;
            if (!host.ShouldProcess(drivePath, "Back up firmware to " + destination)) return null;
            int activity = ++_activity;
            try
            {
                if (options.Destination == null) Directory.CreateDirectory(destination);
                else if (!Directory.Exists(destination))
                {
                    host.WriteError(new OperationError("BackupFolderNotFound", OperationErrorCategory.ObjectNotFound,
                        "The backup folder '" + destination + "' does not exist.", destination, null, "Create the folder or give another -Path."));
                    return null;
                }
                using (var transport = new DriveRegistry(_context).Open(drivePath, DriveAccess.Exclusive))
                {
                    var entry = DeviceEntry.ForPath(drivePath);
                    var drive = DriveIdentifier.Identify(transport, entry, _context.Clock);
                    if (drive.State == DriveState.Busy)
                    {
                        host.WriteProgress(new OperationProgress(activity, "Backing up firmware of " + drivePath, "refused: the drive is busy", completed: true));
                        host.WriteError(new OperationError("DriveBusy", OperationErrorCategory.ResourceBusy, drivePath + " is busy: " + drive.Note, drivePath, null,
                            "Wait until Get-OpticalDrive (mtkflash list) reports the drive ready, then back it up."));
                        return null;
                    }
                    if (drive.State == DriveState.MediumPresent)
                        host.WriteVerbose(drive.Path + " has a disc in the tray; reading the firmware does not need an empty tray.");
                    var device = new ScsiDevice(transport, _context.Clock);
                    var result = new BackupEngine(_context.Clock) { CreateFile = CreateBackupFile }.Backup(device, drive, ProtocolRegistry.TryFor(drive, out _), destination, options.Format,
                        (done, total) => host.WriteProgress(new OperationProgress(activity, "Backing up firmware of " + drive.Path,
                            "read " + done + " of " + total + " bytes", total > 0 ? (int)(done * 100 / total) : -1)),
                        host.Cancellation);
                    host.WriteProgress(new OperationProgress(activity, "Backing up firmware of " + drive.Path, "done", 100, completed: true));
                    if (result.Completeness != BackupCompleteness.Full) host.WriteWarning(drive.Path + ": backup is " + Serialization.Json.EnumName(result.Completeness) + ". " + result.Reason);
                    host.WriteObject(result);
                    return result;
                }
            }
            catch (OperationCanceledException) { throw; }
            catch (Exception ex)
            {
                host.WriteProgress(new OperationProgress(activity, "Backing up firmware of " + drivePath, "failed", completed: true));
                host.WriteError(ToError(ex, drivePath));
                return null;
            }
        }

        internal static OperationError ToError(Exception ex, string drivePath)
        {
            switch (ex)
            {
                case BackupVerificationException v:
                    return new OperationError("BackupReadMismatch", OperationErrorCategory.InvalidResult, v.Message, drivePath, ex);
                case FirmwareReadIncompleteException gaps:
                    // A dump with unreadable spans (filled with 0xFF) is not a backup (mt1959-notes.md §3): nothing is kept.
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
