using System;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;

namespace MtkFlash.Core.Operations
{
    /// <summary>
    /// The pre-flight checks of a write: every refusal (a <see cref="WriteRefusedException"/>) happens here, before the
    /// first state-changing command. Each check reads the drive or the image only.
    /// </summary>
    internal sealed class WritePreflight
    {
        readonly MtkFlashContext _context;

        public WritePreflight(MtkFlashContext context) { _context = context; }

        /// <summary>A backup folder the user named must exist (the automatic backup would fail later, after the drive was opened).</summary>
        public void CheckBackupFolder(WriteOptions options)
        {
            if (!options.SkipBackup && options.BackupDirectory != null && BackupOperation.CheckGivenFolder(options.BackupDirectory, FrontEndTerm.WriteBackupFolder) is OperationError missing)
                throw new WriteRefusedException(missing.ErrorId, missing.Message, missing.Category, missing.Remedy, missing.Target);
        }

        /// <summary>Refuses a drive whose platform says this process lacks the rights for firmware commands.</summary>
        public void CheckRawIoRights(string drivePath)
        {
            var missing = new DriveRegistry(_context).PlatformFor(drivePath)?.MissingRawIoRights();
            if (missing != null) throw new WriteRefusedException("InsufficientRights", missing, OperationErrorCategory.PermissionDenied);
        }

        /// <summary>Opens the drive exclusively: a second writer (another MtkFlash process or program) is refused.</summary>
        public IScsiTransport OpenExclusive(string drivePath)
        {
            try { return new DriveRegistry(_context).Open(drivePath, DriveAccess.Exclusive); }
            catch (DriveBusyException ex)
            {
                throw new WriteRefusedException("DriveInUse", ex.Message, OperationErrorCategory.ResourceBusy,
                    "Another MtkFlash process (or program) holds the drive. Wait for it to finish.");
            }
        }

        public OpticalDrive Identify(IScsiTransport transport, string drivePath)
        {
            try { return DriveIdentifier.Identify(transport, DeviceEntry.ForPath(drivePath), _context.Clock); }
            catch (DriveNotRespondingException ex)
            {
                throw new WriteRefusedException("DriveNotResponding", ex.Message + " " + WriteOperation.DeadDriveAdvice, OperationErrorCategory.ResourceUnavailable);
            }
        }

        public IFlashProtocol ProtocolFor(OpticalDrive drive, WriteOptions options, WriteResult result, IOperationHost host)
        {
            IFlashProtocol protocol;
            try { protocol = ProtocolRegistry.For(drive, options.AllowUnlistedModel); }
            catch (FlashRefusedException ex)
            {
                throw new WriteRefusedException(ex.ErrorId, ex.Message, ex.ErrorId == FlashRefusalIds.ModelNotListed ? OperationErrorCategory.InvalidOperation : OperationErrorCategory.NotImplemented,
                    ex.Remedy);
            }
            if (!drive.ListedModel)
            {
                result.AllowedUnlistedModel = true;
                host.WriteWarning(ProtocolRegistry.UnlistedFact(drive) + ". Going ahead because the unlisted-model override was given; the history records it.");
            }
            return protocol;
        }

        public void CheckState(OpticalDrive drive, WriteOptions options)
        {
            switch (drive.State)
            {
                case DriveState.MediumPresent:
                    throw new WriteRefusedException("DiscInTray", "There is a disc in " + drive.Path + ". Flashing needs an empty tray.",
                        OperationErrorCategory.ResourceBusy, "Eject the disc, close the empty tray and run the command again.");
                case DriveState.BootMode when !options.Recover:
                    throw new WriteRefusedException("DriveInBootMode", drive.Path + " is in boot mode (revision " + drive.Revision + "): its firmware is damaged or missing.",
                        OperationErrorCategory.InvalidOperation, Remedy.Of("Use ", FrontEndTerm.Recover, " with an image for this drive, or your backup of it."));
                case DriveState.NotResponding:
                    throw new WriteRefusedException("DriveNotResponding", drive.Path + " does not answer. " + WriteOperation.DeadDriveAdvice,
                        OperationErrorCategory.ResourceUnavailable);
                case DriveState.Busy:
                    throw new WriteRefusedException("DriveBusy", drive.Path + " is busy: " + drive.Note, OperationErrorCategory.ResourceBusy,
                        Remedy.Of("Wait until ", FrontEndTerm.ListDrives, " reports the drive ready, then run the write again. Never flash a drive that is still programming."));
            }
            if (options.Recover && drive.State != DriveState.BootMode)
                throw new WriteRefusedException("RecoverNeedsBootMode", "Recovery is for drives in boot mode; " + drive.Path + " runs firmware " + drive.Revision + ".",
                    OperationErrorCategory.InvalidArgument, Remedy.Of("Run the write without ", FrontEndTerm.Recover, "."));
        }

        public bool CheckCompatibility(ImageSource source, OpticalDrive drive, DriveHardware hardware, WriteOptions options, IOperationHost host)
        {
            if (source.Bundle != null && source.Bundle.Manifest.Drive.IsSameDrive(drive))
            {
                host.WriteVerbose("Restoring this drive's own backup (serial " + drive.SerialNumber + "): not a cross-flash.");
                return false;
            }
            if (source.Bundle != null)
                host.WriteWarning("The backup comes from another drive (" + source.Bundle.Manifest.Drive.Vendor + " " + source.Bundle.Manifest.Drive.Product +
                                  ", serial " + (source.Bundle.Manifest.Drive.SerialNumber ?? "unknown") + "); its bytes are sent as they are, that unit's " +
                                  "per-drive regions included. Prefer a vendor image or this drive's own backup.");
            if (source.IsOpaque)
                throw new WriteRefusedException("ImageInvalid", "'" + source.Path + "' is not a valid firmware image for " + drive.Path + ": " + source.OpaqueReason,
                    OperationErrorCategory.InvalidData, Remedies.CheckImage);
            var verdict = source.Compatibility(drive, hardware);
            switch (verdict.Verdict)
            {
                case CompatibilityVerdict.Fits: return false;
                case CompatibilityVerdict.CrossFlash:
                    if (!options.AllowCrossFlash)
                        throw new WriteRefusedException("CrossFlashNotAllowed", "The image is a cross-flash for " + drive.Path + ": " + string.Join("; ", verdict.Reasons),
                            OperationErrorCategory.InvalidOperation, Remedy.Of("If you really mean to cross-flash, add ", FrontEndTerm.AllowCrossFlash, ". ", FrontEndTerm.Force, " alone is not enough."));
                    host.WriteWarning("Cross-flashing " + drive.Path + ": " + string.Join("; ", verdict.Reasons));
                    return true;
                default:
                    throw new WriteRefusedException("ImageIncompatible", "The image does not fit " + drive.Path + " (" + drive.Vendor + " " + drive.Product + "): " + string.Join("; ", verdict.Reasons),
                        OperationErrorCategory.InvalidData, "Use an image made for this drive model.");
            }
        }

        /// <summary>The protocol's plan (read-only): it gets the image (or the backup's bytes) exactly as loaded.</summary>
        public FlashPlan Plan(IFlashProtocol protocol, ScsiDevice device, OpticalDrive drive, ImageSource source, WriteOptions options, bool crossFlash)
        {
            try { return protocol.Prepare(device, drive, source.Image, options.Recover, crossFlash && options.AllowCrossFlash); }
            catch (FlashRefusedException ex) { throw new WriteRefusedException(ex.ErrorId, ex.Message, remedy: ex.Remedy); }
        }
    }
}
