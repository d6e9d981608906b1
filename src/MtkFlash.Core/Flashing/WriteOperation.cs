using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;

namespace MtkFlash.Core.Flashing
{
    public sealed class WriteOptions
    {
        /// <summary>Firmware image file or MtkFlash backup bundle (folder or .zip).</summary>
        public string ImagePath { get; set; }
        public bool AllowCrossFlash { get; set; }
        /// <summary>
        /// Flash a drive of a known chipset whose model the cited flasher does not list (issue 9 §2). Lifts only the list check;
        /// -Force does not imply it, and using it is recorded in the history.
        /// </summary>
        public bool AllowUnlistedModel { get; set; }
        public bool SkipBackup { get; set; }
        public string BackupDirectory { get; set; }
        public BackupFormat BackupFormat { get; set; } = BackupFormat.Folder;
        /// <summary>The drive is in boot mode: flash through the boot loader, matching by family and boot ID.</summary>
        public bool Recover { get; set; }
        /// <summary>Skip the extra ShouldContinue prompt (-Force); never skips a safety check.</summary>
        public bool Force { get; set; }
    }

    /// <summary>
    /// Write-DriveFirmware / `mtkflash write`. Order: analyse the source; lock the drive; identify it; pick its protocol;
    /// check compatibility, tray, rights; plan (read-only); ShouldProcess/ShouldContinue; back up; send; wait; verify;
    /// record. Every refusal happens before the first state-changing command. Once that command is sent, Ctrl+C is
    /// deferred: the operation finishes, waits for the drive and reports how it went.
    /// </summary>
    public sealed class WriteOperation
    {
        readonly MtkFlashContext _context;
        const int BackupPhase = 1, SendPhase = 2, WaitPhase = 3, VerifyPhase = 4;

        public WriteOperation(MtkFlashContext context) { _context = context; }

        /// <summary>How often progress is reported while the drive is silent inside one command.</summary>
        internal TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

        public WriteResult Run(IOperationHost host, string drivePath, WriteOptions options)
        {
            var clock = _context.Clock;
            var started = clock.Elapsed;
            var result = new WriteResult { Drive = drivePath, Image = options.ImagePath, StartedUtc = clock.UtcNow, Recover = options.Recover };
            var progress = new DriveProgress(host, "Writing firmware to " + drivePath, 4);
            bool sentStateChanging = false;
            try
            {
                var source = ImageSource.Load(options.ImagePath);
                result.ImageSha256 = source.Sha256;
                result.IsRestore = source.Bundle != null;
                result.ExpectedRevision = source.Revision;

                if (!options.SkipBackup && options.BackupDirectory != null && BackupOperation.CheckGivenFolder(options.BackupDirectory, FrontEndTerm.WriteBackupFolder) is OperationError missing)
                    throw new WriteRefusedException(missing.ErrorId, missing.Message, missing.Category, missing.Remedy, missing.Target);

                // Checked before the drive is even opened, so a user without the right sends nothing at all.
                if (drivePath.StartsWith("/dev/", StringComparison.Ordinal) && !RawIoRights.HasRawIo())
                    throw new WriteRefusedException("InsufficientRights", RawIoRights.Message, OperationErrorCategory.PermissionDenied);

                IScsiTransport transport;
                try { transport = new DriveRegistry(_context).Open(drivePath, DriveAccess.Exclusive); }
                catch (DriveBusyException ex)
                {
                    throw new WriteRefusedException("DriveInUse", ex.Message, OperationErrorCategory.ResourceBusy,
                        "Another MtkFlash process (or program) holds the drive. Wait for it to finish.");
                }
                using (transport)
                {
                    OpticalDrive drive;
                    try { drive = DriveIdentifier.Identify(transport, DeviceEntry.ForPath(drivePath), clock); }
                    catch (DriveNotRespondingException ex)
                    {
                        throw new WriteRefusedException("DriveNotResponding", ex.Message + " " + DeadDriveAdvice, OperationErrorCategory.ResourceUnavailable);
                    }
                    result.Vendor = drive.Vendor; result.Product = drive.Product; result.SerialNumber = drive.SerialNumber;
                    result.Family = drive.Family; result.PreviousRevision = drive.Revision;

                    var protocol = ProtocolFor(drive, options, result, host);
                    CheckState(drive, options);
                    var device = new ScsiDevice(transport, clock);
                    result.CrossFlash = CheckCompatibility(source, drive, DriveHardwareReader.Read(device, drive, options.Recover), options, host);
                    if (options.Recover && protocol is Mt1959Protocol mt1959)
                        mt1959.RecoveryChip = UnitBackups.Mt1959Chip(options.BackupDirectory ?? _context.DefaultBackupDirectory, drive);

                    // The protocol gets the image (or the backup's bytes) exactly as loaded: it sends what its cited flasher sends.
                    FlashPlan plan;
                    try { plan = protocol.Prepare(device, drive, source.Image, options.Recover, result.CrossFlash && options.AllowCrossFlash); }
                    catch (FlashRefusedException ex) { throw new WriteRefusedException(ex.ErrorId, ex.Message, remedy: ex.Remedy); }
                    result.PlannedCommands = plan.Steps.Count;
                    result.PlanNotes.AddRange(plan.Notes);

                    var backupDir = options.BackupDirectory ?? _context.DefaultBackupDirectory;
                    var description = Describe(drive, source, plan, options, backupDir);
                    foreach (var line in description) host.WriteVerbose(line);
                    if (!host.ShouldProcess(drivePath, string.Join(Environment.NewLine, description)))
                    {
                        result.Outcome = WriteOutcome.Planned;
                        result.Message = "Dry run: nothing was sent to the drive.";
                        return Finish(result, started, record: false);
                    }
                    if (!options.Force && !host.ShouldContinue(
                            "Flash " + drive.Vendor + " " + drive.Product + " (" + drivePath + ") from " + drive.Revision + " to " + (source.Revision ?? "?") +
                            "? Do not power off or unplug the drive until MtkFlash reports the result.", "Write drive firmware"))
                        throw new WriteRefusedException("NotConfirmed", "The write was not confirmed; nothing was sent to the drive.", OperationErrorCategory.OperationStopped);

                    host.Cancellation.ThrowIfCancellationRequested();
                    if (!options.SkipBackup)
                    {
                        try
                        {
                            System.IO.Directory.CreateDirectory(backupDir);
                            progress.Enter("backing up the drive before the write", 0);
                            host.WriteVerbose("Backing up " + drivePath + " to " + backupDir + " before the write.");
                            var backup = new BackupEngine(clock).Backup(device, drive, protocol, backupDir, options.BackupFormat,
                                (done, total) => progress.Report(BackupPhase, "Backing up " + drivePath + " before the write",
                                    "read " + done + " of " + total + " bytes", total > 0 ? (int)(done * 100 / total) : -1), host.Cancellation);
                            result.BackupPath = backup.Path;
                            progress.CompletePhase(BackupPhase, "Backing up " + drivePath + " before the write", "done");
                            host.WriteVerbose("Backup written: " + backup.Path + " (" + Serialization.Json.EnumName(backup.Completeness) + ").");
                            if (backup.Completeness != BackupCompleteness.Full) host.WriteWarning("The automatic backup is " + Serialization.Json.EnumName(backup.Completeness) + ": " + backup.Reason);
                        }
                        catch (OperationCanceledException) { throw; }
                        catch (Exception ex) when (options.Recover && !(ex is System.IO.IOException) && !(ex is UnauthorizedAccessException))
                        {
                            // A drive in boot mode has no working firmware to save; its boot loader may not even answer reads.
                            // Refusing here would leave it dead, so the recovery goes on without a backup (files problems still stop it).
                            host.WriteWarning("No backup could be read from the drive in boot mode (" + ex.Message + "); recovering without one.");
                        }
                        catch (Exception ex)
                        {
                            var err = BackupOperation.ToError(ex, drivePath);
                            throw new WriteRefusedException("BackupFailed", "The automatic backup failed, so the write was not started: " + err.Message,
                                err.Category, Remedy.Of("Fix the backup problem, or add ", FrontEndTerm.SkipBackup, " if you already hold a backup of this drive."));
                        }
                    }

                    // Last safe point: after this, stopping could leave the drive without firmware.
                    host.Cancellation.ThrowIfCancellationRequested();
                    sentStateChanging = true;
                    host.WriteVerbose("Sending " + plan.Steps.Count + " state-changing commands to " + drivePath + ".");
                    progress.Enter("sending the firmware - do not power off", 25);
                    SendPlan(host, device, plan, progress, result, drivePath);
                    host.WriteVerbose("All commands sent; waiting for " + drivePath + " to program its flash and come back.");
                    progress.Enter("the drive is programming its flash - do not power off", 75);
                    WaitForDrive(host, device, plan.Protocol.Timing, progress, drivePath, clock);
                    host.WriteVerbose("Verifying " + drivePath + ": revision, then read-back where the family allows it.");
                    progress.Enter("verifying", 95);
                    progress.Report(VerifyPhase, "Verifying " + drivePath, "reading the revision and the flash back");
                    try { Verify(device, transport, drivePath, protocol, plan, source, result, clock); }
                    finally { progress.CompletePhase(VerifyPhase, "Verifying " + drivePath, "done"); }
                    return Finish(result, started, record: true, progress);
                }
            }
            catch (WriteRefusedException ex)
            {
                result.Outcome = WriteOutcome.Refused;
                result.ErrorId = ex.ErrorId;
                result.Message = ex.Message;
                host.WriteError(new OperationError(ex.ErrorId, ex.Category, ex.Message, ex.Target ?? drivePath, ex, ex.Remedy));
                return Finish(result, started, record: true, progress);
            }
            catch (OperationCanceledException ex) when (!sentStateChanging)
            {
                result.Outcome = WriteOutcome.Stopped;
                result.ErrorId = "OperationStopped";
                result.Message = "Stopped before anything was sent to the drive.";
                host.WriteError(new OperationError("OperationStopped", OperationErrorCategory.OperationStopped, result.Message, drivePath, ex));
                return Finish(result, started, record: true, progress);
            }
            catch (Exception ex)
            {
                var error = ex is FlashVerificationException
                    ? new OperationError("VerifyFailed", OperationErrorCategory.InvalidResult, ex.Message, drivePath, ex)
                    : OperationErrors.FromException(ex, drivePath, sentStateChanging ? "Flash of " + drivePath + " failed" : "Write to " + drivePath + " refused");
                result.Outcome = sentStateChanging ? WriteOutcome.Failed : WriteOutcome.Refused;
                result.ErrorId = sentStateChanging && !(ex is FlashVerificationException) ? "FlashFailed" : error.ErrorId;
                result.Message = error.Message + (sentStateChanging ? " The drive may now be in boot mode." : string.Empty);
                var remedy = sentStateChanging
                    ? Remedy.Of("Run ", FrontEndTerm.ListDrives, "; if the drive is in boot mode, flash it with ", FrontEndTerm.Recover, " and the same image" +
                                (result.BackupPath != null ? " or your backup " + result.BackupPath : string.Empty) + ".")
                    : error.Remedy;
                host.WriteError(new OperationError(result.ErrorId, error.Category, result.Message, drivePath, ex, remedy));
                return Finish(result, started, record: true, progress);
            }
        }

        WriteResult Finish(WriteResult result, TimeSpan started, bool record, DriveProgress progress = null)
        {
            result.Duration = _context.Clock.Elapsed - started;
            if (record)
            {
                try { HistoryLog.Append(_context.HistoryFile, result); }
                catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
                {
                    result.Message = (result.Message == null ? string.Empty : result.Message + " ") + "(The history file could not be written: " + ex.Message + ")";
                }
            }
            progress?.Complete(Serialization.Json.EnumName(result.Outcome));
            return result;
        }

        static IFlashProtocol ProtocolFor(OpticalDrive drive, WriteOptions options, WriteResult result, IOperationHost host)
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

        static void CheckState(OpticalDrive drive, WriteOptions options)
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
                    throw new WriteRefusedException("DriveNotResponding", drive.Path + " does not answer. " + DeadDriveAdvice,
                        OperationErrorCategory.ResourceUnavailable);
            }
            if (options.Recover && drive.State != DriveState.BootMode)
                throw new WriteRefusedException("RecoverNeedsBootMode", "Recovery is for drives in boot mode; " + drive.Path + " runs firmware " + drive.Revision + ".",
                    OperationErrorCategory.InvalidArgument, Remedy.Of("Run the write without ", FrontEndTerm.Recover, "."));
        }

        /// <summary>Legacy advice for drives that no longer answer at all (drive-protocols.md §3.2).</summary>
        public const string DeadDriveAdvice =
            "A drive that no longer answers over ATAPI/SCSI cannot be recovered by MtkFlash: that needs the vendor's hardware-level " +
            "(port-level) recovery, whose protocol is not public. MtkFlash never sends guessed commands to a drive.";

        bool CheckCompatibility(ImageSource source, OpticalDrive drive, DriveHardware hardware, WriteOptions options, IOperationHost host)
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

        static List<string> Describe(OpticalDrive drive, ImageSource source, FlashPlan plan, WriteOptions options, string backupDir)
        {
            var lines = new List<string>
            {
                "Write firmware to " + drive.Path + " (" + drive.Vendor + " " + drive.Product + ")",
                "  image:    " + source.Path + " (" + source.Image.Length + " bytes, SHA-256 " + source.Sha256 + ")",
                "  revision: " + drive.Revision + " -> " + (source.Revision ?? "unknown"),
                "  protocol: " + Serialization.Json.EnumName(plan.Protocol.Family) + " (" + plan.Protocol.Source + ")",
                "  commands: " + plan.Steps.Count + " state-changing (" + plan.Steps.Count(s => s.Kind == FlashStepKind.Data) + " data chunks), then wait up to " +
                    (plan.Protocol.Timing.QuietAfterCommit + plan.Protocol.Timing.PollTimeout).TotalSeconds + " s for the drive",
                "  backup:   " + (options.SkipBackup ? "skipped on request" : backupDir),
            };
            foreach (var n in plan.Notes) lines.Add("  note:     " + n);
            return lines;
        }

        void SendPlan(IOperationHost host, ScsiDevice device, FlashPlan plan, DriveProgress progress, WriteResult result, string drivePath)
        {
            long total = plan.Steps.Sum(s => (long)Math.Max(s.ImageLength, 0));
            long sent = 0;
            var clock = _context.Clock;
            var begin = clock.Elapsed;
            var expected = plan.Protocol.Timing.ExpectedDuration;
            bool warnedStop = false;
            for (int i = 0; i < plan.Steps.Count; i++)
            {
                var step = plan.Steps[i];
                if (i == 0) host.Cancellation.ThrowIfCancellationRequested();
                else if (host.Cancellation.IsCancellationRequested && !warnedStop)
                {
                    warnedStop = true;
                    host.WriteWarning("Stop requested, but the flash has begun: MtkFlash finishes it, because stopping now could leave the drive without firmware.");
                }
                var elapsed = clock.Elapsed - begin;
                progress.Report(SendPhase, "Sending the firmware to " + drivePath + " - do not power off",
                    step.Description + " (" + (int)elapsed.TotalSeconds + " s of about " + (int)expected.TotalSeconds + " s)",
                    total > 0 ? (int)(sent * 100 / total) : (i * 100 / plan.Steps.Count), expected > elapsed ? expected - elapsed : (TimeSpan?)null);
                if (plan.Protocol.Timing.TestUnitReadyBeforeEachStep) device.TestUnitReady();   // result ignored, as the source does
                ExecuteWithHeartbeat(device, step.Request, progress, drivePath, begin, expected, total > 0 ? (int)(sent * 100 / total) : -1);
                result.CommandsSent++;
                sent += Math.Max(step.ImageLength, 0);
            }
            progress.CompletePhase(SendPhase, "Sending the firmware to " + drivePath + " - do not power off", "all " + plan.Steps.Count + " commands sent");
        }

        /// <summary>
        /// Sends one command and, while the drive is silent inside it (an MT1939 block stalls ~10 s per MiB), reports elapsed
        /// and expected time every second. The command runs on a worker thread; every host call stays on this (pipeline) thread.
        /// </summary>
        void ExecuteWithHeartbeat(ScsiDevice device, ScsiRequest request, DriveProgress progress, string drivePath, TimeSpan begin, TimeSpan expected, int percent)
        {
            var task = System.Threading.Tasks.Task.Run(() => device.Execute(request));
            // Not task.Wait(timeout): it throws AggregateException for a failed command; GetResult below rethrows the original.
            while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(HeartbeatInterval))
            {
                var elapsed = _context.Clock.Elapsed - begin;
                progress.Report(SendPhase, "Sending the firmware to " + drivePath + " - do not power off",
                    "writing flash, do not power off: " + (int)elapsed.TotalSeconds + " s of about " + (int)expected.TotalSeconds + " s", percent,
                    expected > elapsed ? expected - elapsed : (TimeSpan?)null);
            }
            task.GetAwaiter().GetResult();   // rethrows the command's own exception
        }

        /// <summary>
        /// Waits for the drive: first the family's quiet period (no commands at all), then TEST UNIT READY polls that start
        /// fast and back off to the family's interval. "No disc" counts as ready. Progress at least every second.
        /// </summary>
        static void WaitForDrive(IOperationHost host, ScsiDevice device, ProtocolTiming timing, DriveProgress progress, string drivePath, IClock clock)
        {
            var begin = clock.Elapsed;
            string activityName = "Drive " + drivePath + " is programming its flash - do not power off";
            var quietEnd = begin + timing.QuietAfterCommit;
            while (clock.Elapsed < quietEnd)
            {
                var left = quietEnd - clock.Elapsed;
                progress.Report(WaitPhase, activityName, "waiting " + (int)(clock.Elapsed - begin).TotalSeconds + " s of about " + (int)timing.QuietAfterCommit.TotalSeconds + " s", -1, left);
                clock.Sleep(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
            }
            var deadline = clock.Elapsed + timing.PollTimeout;
            var delay = TimeSpan.FromMilliseconds(250);
            int ready = 0;
            string last = "no answer yet";
            while (true)
            {
                try
                {
                    var r = device.TestUnitReady(TimeSpan.FromSeconds(10));
                    bool isReady = r.IsGood || (r.Sense != null && r.Sense.Key == SenseTexts.NotReady && r.Sense.Asc == 0x3A);
                    last = r.IsGood ? "ready" : r.Sense != null ? r.Sense.Describe() : ScsiStatus.Describe(r.Status);
                    ready = isReady ? ready + 1 : 0;
                    if (ready >= timing.ConsecutiveReady) break;
                }
                catch (DriveCommunicationException ex)
                {
                    // Rebooting drives may drop off the bus for a moment: keep polling until the deadline.
                    ready = 0;
                    last = ex.Message;
                }
                if (clock.Elapsed >= deadline)
                    throw new DriveNotRespondingException(drivePath, drivePath + " did not come back within " + (int)(timing.QuietAfterCommit + timing.PollTimeout).TotalSeconds +
                        " s after the flash (last answer: " + last + ").");
                progress.Report(WaitPhase, activityName, "waiting for the drive to come back: " + last + " (" + (int)(clock.Elapsed - begin).TotalSeconds + " s)");
                clock.Sleep(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, timing.PollInterval.Ticks));
            }
            progress.CompletePhase(WaitPhase, activityName, "the drive is back");
        }

        static void Verify(ScsiDevice device, IScsiTransport transport, string drivePath, IFlashProtocol protocol, FlashPlan plan, ImageSource source, WriteResult result, IClock clock)
        {
            var after = DriveIdentifier.Identify(transport, DeviceEntry.ForPath(drivePath), clock);
            result.NewRevision = after.Revision;
            if (after.State == DriveState.BootMode)
                throw new FlashVerificationException("After the flash, " + drivePath + " is in boot mode (revision " + after.Revision + "): the drive rejected or did not finish the image.");
            if (source.Revision != null && !string.Equals(after.Revision, source.Revision, StringComparison.Ordinal))
                throw new FlashVerificationException("After the flash, " + drivePath + " reports revision " + after.Revision + ", not the image's " + source.Revision + ": the drive did not take the new firmware.");
            // Verified means the drive now reports the image's revision; an image that names none (SPC microcode) cannot be
            // verified that way, and the result says so instead of claiming it.
            result.Verified = source.Revision != null;
            var readBack = protocol.ReadFirmware(device, after, null);
            if (readBack != null)
            {
                var skip = protocol.ProtectedRegions.Concat(protocol.DriveSpecificRegions).ToList();
                int mismatch = FirstDifference(plan.ImageToSend, readBack, skip);
                result.ReadBackVerified = mismatch < 0;
                if (mismatch >= 0)
                    throw new FlashVerificationException("The flash read back from " + drivePath + " differs from the image at offset 0x" + mismatch.ToString("X6") + ".");
            }
            result.Outcome = WriteOutcome.Succeeded;
            result.Message = !result.Verified
                ? "Flashed; the drive is back, but the image names no revision to verify against" + (result.ReadBackVerified == true ? " (read-back matched)." : " and this family has no read-back.")
                : "Flashed and verified" + (result.ReadBackVerified == true ? " (revision and read-back)." : " (revision; this family has no read-back).");
        }

        /// <summary>First differing offset outside the skipped regions, or −1.</summary>
        internal static int FirstDifference(byte[] expected, byte[] actual, IReadOnlyList<FlashRegion> skip)
        {
            if (actual.Length < expected.Length) return actual.Length;
            for (int i = 0; i < expected.Length; i++)
            {
                if (expected[i] == actual[i]) continue;
                bool skipped = false;
                foreach (var r in skip) if (i >= r.Start && i < r.End) { skipped = true; break; }
                if (!skipped) return i;
            }
            return -1;
        }
    }

    /// <summary>The drive did not end up with the firmware that was sent.</summary>
    public sealed class FlashVerificationException : Exception
    {
        public FlashVerificationException(string message) : base(message) { }
    }
}
