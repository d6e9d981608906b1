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
    /// check compatibility, tray, rights; plan (read-only); ShouldProcess/ShouldContinue; back up; record the attempt
    /// (write-ahead history line); send; wait; identify again and verify; record the outcome. Every refusal happens
    /// before the first state-changing command. From that command on (the point of no return) nothing stops the
    /// operation before the drive has been waited for and the outcome recorded: Ctrl+C and a stopped pipeline are
    /// deferred, a host call that throws is absorbed, each state-changing command is sent exactly once, and the first
    /// one that does not end with GOOD ends the sequence (issue 9 §1, §5).
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
            // Progress goes through a host that cannot abort the operation: past the point of no return nothing may stop it.
            var progress = new DriveProgress(new NoAbortHost(host), "Writing firmware to " + drivePath, 4);
            var run = new RunState();
            try
            {
                return Checked(host, drivePath, options, result, progress, run);
            }
            catch (WriteRefusedException ex) when (!run.PointOfNoReturn)
            {
                result.Outcome = WriteOutcome.Refused;
                result.ErrorId = ex.ErrorId;
                result.Message = ex.Message;
                host.WriteError(new OperationError(ex.ErrorId, ex.Category, ex.Message, ex.Target ?? drivePath, ex, ex.Remedy));
                return result;
            }
            catch (OperationCanceledException ex) when (!run.PointOfNoReturn)
            {
                result.Outcome = WriteOutcome.Stopped;
                result.ErrorId = "OperationStopped";
                result.Message = "Stopped before anything was sent to the drive.";
                host.WriteError(new OperationError("OperationStopped", OperationErrorCategory.OperationStopped, result.Message, drivePath, ex));
                return result;
            }
            catch (Exception ex) when (!run.PointOfNoReturn)
            {
                var error = OperationErrors.FromException(ex, drivePath, "Write to " + drivePath + " refused");
                result.Outcome = WriteOutcome.Refused;
                result.ErrorId = error.ErrorId;
                result.Message = error.Message;
                host.WriteError(error);
                return result;
            }
            finally
            {
                // The outcome line, whatever happened, even when a host call threw on the way out (a stopped pipeline).
                result.Duration = clock.Elapsed - started;
                if (result.Outcome != WriteOutcome.Planned) RecordOutcome(result);
                try { progress.Complete(Serialization.Json.EnumName(result.Outcome)); } catch (Exception) { /* progress is never worth an exception */ }
            }
        }

        sealed class RunState
        {
            public bool PointOfNoReturn;
        }

        WriteResult Checked(IOperationHost host, string drivePath, WriteOptions options, WriteResult result, DriveProgress progress, RunState run)
        {
            var clock = _context.Clock;
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

                // A busy drive (programming its flash) is refused before anything else: its identity may not even be known.
                if (drive.State == DriveState.Busy) CheckState(drive, options);
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
                description.Insert(1, "  node:     " + transport.Path + " (opened exclusively; every command of the write goes through it)");
                foreach (var line in description) host.WriteVerbose(line);
                if (!host.ShouldProcess(drivePath, string.Join(Environment.NewLine, description)))
                {
                    result.Outcome = WriteOutcome.Planned;
                    result.Message = "Dry run: nothing was sent to the drive.";
                    return result;
                }
                if (!options.Force && !host.ShouldContinue(
                        "Flash " + drive.Vendor + " " + drive.Product + " (" + drivePath + ") from " + drive.Revision + " to " + (source.Revision ?? "?") +
                        "? Do not power off or unplug the drive until MtkFlash reports the result.", "Write drive firmware"))
                    throw new WriteRefusedException("NotConfirmed", "The write was not confirmed; nothing was sent to the drive.", OperationErrorCategory.OperationStopped);

                host.Cancellation.ThrowIfCancellationRequested();
                if (!options.SkipBackup) result.BackupPath = BackUp(host, device, drive, protocol, options, backupDir, progress, drivePath);

                // Last safe point: after this, stopping could leave the drive without firmware.
                host.Cancellation.ThrowIfCancellationRequested();
                result.AttemptId = Guid.NewGuid().ToString("N");
                try { HistoryLog.AppendAttempt(_context.HistoryFile, result); }
                catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
                {
                    result.AttemptId = null;
                    throw new WriteRefusedException("HistoryNotWritable", "The write was not started because its attempt could not be recorded in " +
                        _context.HistoryFile + " first: " + ex.Message, OperationErrorCategory.WriteError,
                        "Make the MtkFlash home folder writable (or point MTKFLASH_HOME at a writable folder) and run the write again.");
                }
                run.PointOfNoReturn = true;
                // Until the flash says otherwise, the outcome is a failure: nothing may record "succeeded" by default.
                result.Outcome = WriteOutcome.Failed;
                result.ErrorId = "FlashFailed";
                var guarded = new NoAbortHost(host);
                try { Flash(guarded, transport, device, drivePath, protocol, plan, source, result, progress); }
                catch (Exception ex)
                {
                    // Flash() handles every drive failure itself; this is a bug, reported without hiding that the flash began.
                    result.Outcome = WriteOutcome.Failed;
                    result.ErrorId = "FlashFailed";
                    result.Message = "The flash of " + drivePath + " began (" + result.CommandsSent + " of " + plan.Steps.Count +
                                     " commands sent) and then failed unexpectedly: " + ex.Message;
                    guarded.WriteError(new OperationError("FlashFailed", OperationErrorCategory.NotSpecified, result.Message, drivePath, ex,
                        Remedy.Of("Check the drive with ", FrontEndTerm.ListDrives, " before doing anything else.")));
                }
                return result;
            }
        }

        string BackUp(IOperationHost host, ScsiDevice device, OpticalDrive drive, IFlashProtocol protocol, WriteOptions options, string backupDir, DriveProgress progress, string drivePath)
        {
            var clock = _context.Clock;
            try
            {
                System.IO.Directory.CreateDirectory(backupDir);
                progress.Enter("backing up the drive before the write", 0);
                host.WriteVerbose("Backing up " + drivePath + " to " + backupDir + " before the write.");
                var backup = new BackupEngine(clock).Backup(device, drive, protocol, backupDir, options.BackupFormat,
                    (done, total) => progress.Report(BackupPhase, "Backing up " + drivePath + " before the write",
                        "read " + done + " of " + total + " bytes", total > 0 ? (int)(done * 100 / total) : -1), host.Cancellation);
                progress.CompletePhase(BackupPhase, "Backing up " + drivePath + " before the write", "done");
                host.WriteVerbose("Backup written: " + backup.Path + " (" + Serialization.Json.EnumName(backup.Completeness) + ").");
                if (backup.Completeness != BackupCompleteness.Full) host.WriteWarning("The automatic backup is " + Serialization.Json.EnumName(backup.Completeness) + ": " + backup.Reason);
                return backup.Path;
            }
            catch (OperationCanceledException) { throw; }
            catch (Exception ex) when (options.Recover && !(ex is System.IO.IOException) && !(ex is UnauthorizedAccessException))
            {
                // A drive in boot mode has no working firmware to save; its boot loader may not even answer reads.
                // Refusing here would leave it dead, so the recovery goes on without a backup (files problems still stop it).
                host.WriteWarning("No backup could be read from the drive in boot mode (" + ex.Message + "); recovering without one.");
                return null;
            }
            catch (Exception ex)
            {
                var err = BackupOperation.ToError(ex, drivePath);
                throw new WriteRefusedException("BackupFailed", "The automatic backup failed, so the write was not started: " + err.Message,
                    err.Category, Remedy.Of("Fix the backup problem, or add ", FrontEndTerm.SkipBackup, " if you already hold a backup of this drive."));
            }
        }

        /// <summary>
        /// After the point of no return: sends the plan, waits for the drive, identifies it again and fills in the outcome.
        /// Never throws; every host call goes through <see cref="NoAbortHost"/>.
        /// </summary>
        void Flash(IOperationHost host, IScsiTransport transport, ScsiDevice device, string drivePath, IFlashProtocol protocol, FlashPlan plan,
            ImageSource source, WriteResult result, DriveProgress progress)
        {
            var clock = _context.Clock;
            StepFailure failure;
            host.WriteVerbose("Sending " + plan.Steps.Count + " state-changing commands to " + drivePath + ".");
            progress.Enter("sending the firmware - do not power off", 25);
            try { failure = SendPlan(host, device, plan, progress, result, drivePath); }
            catch (Exception ex) { failure = new StepFailure(result.CommandsSent, plan.Steps.Count, null, ex); }

            // A commit may be under way unless the drive answered the failed command (SPC: a command that ends in CHECK
            // CONDITION or BUSY was not performed): then "no disc" must not pass for the end of programming.
            bool commitPending = failure == null || !failure.Answered;
            WaitReport wait;
            host.WriteVerbose("Waiting for " + drivePath + " to program its flash and come back.");
            progress.Enter("the drive is programming its flash - do not power off", 75);
            try { wait = WaitForDrive(host, device, protocol.Timing, progress, drivePath, clock, commitPending); }
            catch (Exception ex) { wait = WaitReport.Unanswered(ex.Message); }

            if (failure == null && wait.Ready)
            {
                host.WriteVerbose("Verifying " + drivePath + ": revision, then read-back where the family allows it.");
                progress.Enter("verifying", 95);
                progress.Report(VerifyPhase, "Verifying " + drivePath, "reading the revision and the flash back");
                try
                {
                    Verify(device, transport, drivePath, protocol, plan, source, result, clock);
                    progress.CompletePhase(VerifyPhase, "Verifying " + drivePath, "done");
                    return;
                }
                catch (Exception ex)
                {
                    progress.CompletePhase(VerifyPhase, "Verifying " + drivePath, "failed");
                    ReportAfterVerify(host, transport, drivePath, source, result, ex);
                    return;
                }
            }

            OpticalDrive after = null;
            string identifyError = null;
            if (!wait.StillBusy)
            {
                try { after = DriveIdentifier.Identify(transport, DeviceEntry.ForPath(drivePath), clock); }
                catch (Exception ex) { identifyError = ex.Message; }
            }
            if (after != null) result.NewRevision = after.Revision;
            var state = DescribeState(after, identifyError, wait, result);
            result.DriveStateAfter = state;
            result.Outcome = WriteOutcome.Failed;

            if (failure == null)
            {
                // Every command was accepted, but the drive did not come back within the documented wait.
                result.ErrorId = wait.StillBusy ? "DriveStillProgramming" : "DriveNotResponding";
                result.Message = "All " + plan.Steps.Count + " commands of the flash were accepted, but after waiting " + (int)wait.Waited.TotalSeconds +
                                 " s (last answer: " + wait.LastAnswer + ") the drive is " + state + ".";
                host.WriteError(new OperationError(result.ErrorId, wait.StillBusy ? OperationErrorCategory.ResourceBusy : OperationErrorCategory.ResourceUnavailable,
                    result.Message, drivePath, null, Advice(after, wait, result, partlyProgrammed: true)));
                return;
            }

            result.FailedStep = failure.Index + 1;
            result.FailedCommand = failure.Step?.Description;
            result.DriveAnswer = failure.Answer;
            bool partly = failure.Step != null && plan.Steps.Take(failure.Index).Any(s => s.ExpectedStall > TimeSpan.Zero);
            result.ErrorId = failure.Answered ? "FlashInterrupted" : "FlashFailed";
            result.Message = "The flash of " + drivePath + " stopped at command #" + (failure.Index + 1) + " of " + failure.Total +
                             (failure.Step != null ? " (" + failure.Step.Description + ")" : string.Empty) + ": " +
                             (failure.Answered ? "the drive answered " + failure.Answer + "." : failure.Answer) +
                             " No further state-changing command was sent. After waiting " + (int)wait.Waited.TotalSeconds + " s, the drive is " + state + ".";
            var category = failure.Answered ? OperationErrorCategory.DeviceError : OperationErrors.FromException(failure.Exception, drivePath).Category;
            host.WriteError(new OperationError(result.ErrorId, category, result.Message, drivePath, failure.Exception, Advice(after, wait, result, partly)));
        }

        /// <summary>The first state-changing command that did not end with GOOD.</summary>
        sealed class StepFailure
        {
            public StepFailure(int index, int total, FlashStep step, Exception exception)
            {
                Index = index; Total = total; Step = step; Exception = exception;
                var command = exception as ScsiCommandException;
                Answered = command != null;
                Answer = command != null
                    ? ScsiStatus.Describe(command.Status) + (command.Sense != null ? ", sense " + command.Sense.Describe() : string.Empty)
                    : exception.Message;
            }

            public int Index { get; }
            public int Total { get; }
            public FlashStep Step { get; }
            public Exception Exception { get; }
            /// <summary>The drive answered with a status (it did not perform the command); false: no answer (timeout, lost).</summary>
            public bool Answered { get; }
            public string Answer { get; }
        }

        void RecordOutcome(WriteResult result)
        {
            try { HistoryLog.Append(_context.HistoryFile, result); }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                result.Message = (result.Message == null ? string.Empty : result.Message + " ") + "(The history file could not be written: " + ex.Message + ")";
            }
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
                case DriveState.Busy:
                    throw new WriteRefusedException("DriveBusy", drive.Path + " is busy: " + drive.Note, OperationErrorCategory.ResourceBusy,
                        Remedy.Of("Wait until ", FrontEndTerm.ListDrives, " reports the drive ready, then run the write again. Never flash a drive that is still programming."));
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

        /// <summary>
        /// Sends each step exactly once, in order. Returns null when every step ended with GOOD, else the first that did not:
        /// no further state-changing command is sent after it (redumper stops at any non-zero status; freemkv: "abort on any
        /// nonzero status, no retry").
        /// </summary>
        StepFailure SendPlan(IOperationHost host, ScsiDevice device, FlashPlan plan, DriveProgress progress, WriteResult result, string drivePath)
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
                if (host.Cancellation.IsCancellationRequested && !warnedStop)
                {
                    warnedStop = true;
                    host.WriteWarning("Stop requested, but the flash has begun: MtkFlash finishes it, because stopping now could leave the drive without firmware.");
                }
                var elapsed = clock.Elapsed - begin;
                progress.Report(SendPhase, "Sending the firmware to " + drivePath + " - do not power off",
                    step.Description + " (" + (int)elapsed.TotalSeconds + " s of about " + (int)expected.TotalSeconds + " s)",
                    total > 0 ? (int)(sent * 100 / total) : (i * 100 / plan.Steps.Count), expected > elapsed ? expected - elapsed : (TimeSpan?)null);
                if (plan.Protocol.Timing.TestUnitReadyBeforeEachStep)
                {
                    // Result ignored, as the source does; a lost drive shows on the step itself.
                    try { device.TestUnitReady(); } catch (DriveCommunicationException) { }
                }
                try
                {
                    ExecuteWithHeartbeat(device, step, progress, drivePath, begin, expected, total > 0 ? (int)(sent * 100 / total) : -1);
                }
                catch (Exception ex)
                {
                    result.CommandsSent++;   // it went on the wire (or at least to the transport) once
                    return new StepFailure(i, plan.Steps.Count, step, ex);
                }
                result.CommandsSent++;
                sent += Math.Max(step.ImageLength, 0);
            }
            progress.CompletePhase(SendPhase, "Sending the firmware to " + drivePath + " - do not power off", "all " + plan.Steps.Count + " commands sent");
            return null;
        }

        /// <summary>
        /// Sends one command (exactly once: <see cref="ScsiDevice.Execute"/> never retries a state-changing command) and,
        /// while the drive is silent inside it (an MT1939 block stalls ~10 s per MiB), reports elapsed and expected time every
        /// second. A step the plan expects to stall, and the commit, run on a worker thread while every host call stays on
        /// this (pipeline) thread; the other steps take milliseconds and run here, without a thread hop per chunk (issue 15:
        /// with 16 drives flashed at once, a pool thread per chunk and command made the host the bottleneck).
        /// Waiting for the worker is not a delay: it ends when the command does, so it does not go through the clock.
        /// </summary>
        void ExecuteWithHeartbeat(ScsiDevice device, FlashStep step, DriveProgress progress, string drivePath, TimeSpan begin, TimeSpan expected, int percent)
        {
            var request = step.Request;
            if (step.ExpectedStall == TimeSpan.Zero && step.Kind != FlashStepKind.Commit) { device.ExecuteOnce(request); return; }
            var task = System.Threading.Tasks.Task.Run(() => device.ExecuteOnce(request));
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

        /// <summary>What the wait after a flash (or after a failed step) found.</summary>
        sealed class WaitReport
        {
            /// <summary>The drive answered as ready (GOOD, or "no disc" once programming is known to be over).</summary>
            public bool Ready;
            /// <summary>At the end of the wait the drive still said it was busy (NOT READY 04/xx or BUSY).</summary>
            public bool StillBusy;
            public string LastAnswer = "no answer yet";
            public TimeSpan Waited;

            public static WaitReport Unanswered(string why) => new WaitReport { LastAnswer = why };
        }

        /// <summary>
        /// Interval between the TEST UNIT READY polls of the wait after a flash, and the longest single sleep of the whole
        /// wait (issue 15: no sleep longer than one polling interval, so the write notices a drive that is back within 100 ms
        /// instead of up to a second later). Public tools poll TEST UNIT READY every 100 ms (speed47/qpxtool wait_unit_ready)
        /// to every second (libscg wait_unit_ready, which btcflash uses; redumper's old MT1959 loop); the interval is the
        /// host's pacing, not part of any family's protocol. What stays each cited flasher's: the only command sent (TEST UNIT
        /// READY), the quiet period (BTC: btcflash sleeps 50 s without a command, and so does MtkFlash: a fixed wait is
        /// all its one source documents), the limit, and the count of ready answers in a row (MT1959: twice). Two answers
        /// 100 ms apart instead of 1 s apart lose no safety: the verification that follows identifies the drive again and
        /// reads its flash back, and a drive that went busy again is reported as still programming, never as failed.
        /// </summary>
        internal static readonly TimeSpan WaitPollInterval = TimeSpan.FromMilliseconds(100);

        /// <summary>
        /// Waits for the drive as the family's source does: first its quiet period (BTC: 50 s, no command at all), then TEST
        /// UNIT READY polls every <see cref="WaitPollInterval"/> (or the family's interval if shorter), up to its limit (MT1959: 45 s, freemkv).
        /// GOOD counts as ready. NOT READY 04/xx and BUSY are a drive that is still working, never ready. "No disc" (2/3A)
        /// counts as ready only when no commit can be pending, or once the drive has shown that programming ended (the
        /// unit attention of its restart) or was under way (04/xx), or when the whole wait has passed; until then an
        /// answer from a drive that has not yet started programming must not pass for the end of it. A boot loader that
        /// does not know TEST UNIT READY (5/20/00) answers, so it counts as ready too. Progress at least every second;
        /// every wait goes through the injectable clock.
        /// </summary>
        static WaitReport WaitForDrive(IOperationHost host, ScsiDevice device, ProtocolTiming timing, DriveProgress progress, string drivePath, IClock clock, bool commitPending)
        {
            var report = new WaitReport();
            var begin = clock.Elapsed;
            var pollInterval = timing.PollInterval < WaitPollInterval ? timing.PollInterval : WaitPollInterval;
            string activityName = "Drive " + drivePath + " is programming its flash - do not power off";
            if (commitPending)
            {
                var quietEnd = begin + timing.QuietAfterCommit;
                while (clock.Elapsed < quietEnd)
                {
                    var left = quietEnd - clock.Elapsed;
                    progress.Report(WaitPhase, activityName, "waiting " + (int)(clock.Elapsed - begin).TotalSeconds + " s of about " + (int)timing.QuietAfterCommit.TotalSeconds + " s", -1, left);
                    clock.Sleep(left < pollInterval ? left : pollInterval);
                }
            }
            var deadline = clock.Elapsed + timing.PollTimeout;
            int ready = 0;
            bool sawEnd = !commitPending;
            while (true)
            {
                bool pastDeadline = clock.Elapsed >= deadline;
                try
                {
                    var r = device.TestUnitReady(TimeSpan.FromSeconds(10));
                    report.LastAnswer = r.IsGood ? "ready" : r.Sense != null ? r.Sense.Describe() : ScsiStatus.Describe(r.Status);
                    report.StillBusy = ScsiDevice.IsBusyAnswer(r);
                    bool isReady;
                    if (r.IsGood) isReady = true;
                    else if (report.StillBusy) { sawEnd = true; isReady = false; }                       // programming: the end is still to come
                    else if (r.Sense != null && r.Sense.Key == SenseTexts.UnitAttention) { sawEnd = true; isReady = false; }   // restarted: ask again
                    else if (r.Sense != null && r.Sense.Key == SenseTexts.NotReady && r.Sense.Asc == 0x3A) isReady = sawEnd || pastDeadline;
                    else isReady = r.Sense != null && r.Sense.Key == SenseTexts.IllegalRequest;
                    ready = isReady ? ready + 1 : 0;
                    if (ready >= timing.ConsecutiveReady || (isReady && pastDeadline)) { report.Ready = true; break; }
                }
                catch (DriveCommunicationException ex)
                {
                    // Rebooting drives may drop off the bus for a moment: keep polling until the deadline.
                    ready = 0;
                    report.StillBusy = false;
                    report.LastAnswer = ex.Message;
                }
                if (pastDeadline) break;
                progress.Report(WaitPhase, activityName, "waiting for the drive to come back: " + report.LastAnswer + " (" +
                    (int)(clock.Elapsed - begin).TotalSeconds + " s)");
                clock.Sleep(pollInterval);
            }
            report.Waited = clock.Elapsed - begin;
            progress.CompletePhase(WaitPhase, activityName, report.Ready ? "the drive is back" : "stopped waiting: " + report.LastAnswer);
            return report;
        }

        /// <summary>The drive's state after a flash that did not end well, in words for the report.</summary>
        static string DescribeState(OpticalDrive after, string identifyError, WaitReport wait, WriteResult result)
        {
            if (wait.StillBusy) return "still busy (" + wait.LastAnswer + "): it may still be programming its flash";
            if (after == null) return "not responding (" + (identifyError ?? wait.LastAnswer) + ")";
            switch (after.State)
            {
                case DriveState.BootMode: return "in boot mode (revision " + after.Revision + "): its firmware is damaged or missing";
                case DriveState.Busy: return "busy (" + after.Note + "): it may still be programming its flash";
                case DriveState.NotResponding: return "not responding (" + after.Note + ")";
            }
            if (result.ExpectedRevision != null && after.Revision == result.ExpectedRevision && after.Revision != result.PreviousRevision)
                return "running the new firmware " + after.Revision;
            if (after.Revision == result.PreviousRevision) return "running firmware " + after.Revision + ", the firmware it had before the write";
            return "running firmware " + after.Revision;
        }

        /// <summary>What to do next, from the drive's state now (never a second flash while it may be programming).</summary>
        Remedy Advice(OpticalDrive after, WaitReport wait, WriteResult result, bool partlyProgrammed)
        {
            string backup = result.BackupPath != null ? " (or your backup " + result.BackupPath + ")" : string.Empty;
            if (wait.StillBusy || after?.State == DriveState.Busy)
                return Remedy.Of("Do not power off the drive and do not flash it again while it reports busy. Run ", FrontEndTerm.ListDrives, " in a few minutes; " +
                       "when it reports the drive ready, check its revision, and only then decide whether to write again.");
            if (after == null || after.State == DriveState.NotResponding)
                return Remedy.Of("Leave the drive powered for a few minutes, then run ", FrontEndTerm.ListDrives, ". If it comes back in boot mode, run ",
                       FrontEndTerm.WriteFirmware, " with ", FrontEndTerm.Recover, " and the same image" + backup + ". If it never answers again: " + DeadDriveAdvice);
            if (after.State == DriveState.BootMode)
                return Remedy.Of("Run ", FrontEndTerm.WriteFirmware, " with ", FrontEndTerm.Recover, " and the same image" + backup + ".");
            if (result.ExpectedRevision != null && after.Revision == result.ExpectedRevision && after.Revision != result.PreviousRevision)
                return Remedy.Of("The drive runs the image's firmware although the sequence did not end normally: check it with ", FrontEndTerm.ListDrives, ".");
            if (partlyProgrammed)
                return "Part of the flash may already hold the new image (this family programs its flash while the data arrives): do not power off or " +
                       "restart the drive, and run the same write again now. Find out why the drive answered as it did (another program using it, a USB " +
                       "bridge or cable resetting it).";
            return "The drive did not program the image (this family programs its flash only when the last command of the sequence is performed, and it was not) and keeps firmware " + after.Revision +
                   ". Find out why it answered as it did (another program using the drive, a USB bridge or cable resetting it), then run the same write again.";
        }

        /// <summary>The flash was sent and the drive came back, but verification failed: report with the drive's state.</summary>
        void ReportAfterVerify(IOperationHost host, IScsiTransport transport, string drivePath, ImageSource source, WriteResult result, Exception ex)
        {
            result.Outcome = WriteOutcome.Failed;
            if (ex is DriveStillBusyException busy)
            {
                // It answered the polls as ready, then said busy again when identified: still at work, never "failed".
                result.ErrorId = "DriveStillProgramming";
                result.DriveStateAfter = "busy (" + busy.Message + ")";
                result.Message = "The flash of " + drivePath + " was sent and accepted, but the drive is still busy: " + busy.Message;
                host.WriteError(new OperationError(result.ErrorId, OperationErrorCategory.ResourceBusy, result.Message, drivePath, ex,
                    Advice(null, new WaitReport { StillBusy = true }, result, partlyProgrammed: false)));
                return;
            }
            if (ex is FlashVerificationException)
            {
                result.ErrorId = "VerifyFailed";
                result.Message = ex.Message;
                bool boot = ex.Message.Contains("boot mode");
                result.DriveStateAfter = boot ? "in boot mode" : "running firmware " + result.NewRevision;
                host.WriteError(new OperationError("VerifyFailed", OperationErrorCategory.InvalidResult, ex.Message, drivePath, ex,
                    boot ? Remedy.Of("Run ", FrontEndTerm.WriteFirmware, " with ", FrontEndTerm.Recover, " and the same image" + (result.BackupPath != null ? " (or your backup " + result.BackupPath + ")" : string.Empty) + ".")
                         : Remedy.Of("The drive answers and runs firmware " + result.NewRevision + "; check the image with ", FrontEndTerm.TestImage, " before writing again.")));
                return;
            }
            var error = OperationErrors.FromException(ex, drivePath, "The flash of " + drivePath + " was sent and the drive came back, but checking it failed");
            result.ErrorId = "VerifyFailed";
            result.Message = error.Message;
            result.DriveStateAfter = "unknown (" + ex.Message + ")";
            host.WriteError(new OperationError("VerifyFailed", error.Category, error.Message, drivePath, ex,
                Remedy.Of("Run ", FrontEndTerm.ListDrives, " to see the drive's revision and state before doing anything else.")));
        }

        static void Verify(ScsiDevice device, IScsiTransport transport, string drivePath, IFlashProtocol protocol, FlashPlan plan, ImageSource source, WriteResult result, IClock clock)
        {
            var after = DriveIdentifier.Identify(transport, DeviceEntry.ForPath(drivePath), clock);
            result.NewRevision = after.Revision;
            if (after.State == DriveState.Busy) throw new DriveStillBusyException(after.Note);
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
            result.ErrorId = null;
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

    /// <summary>Identified after the flash, the drive still answers NOT READY 04/xx or BUSY.</summary>
    sealed class DriveStillBusyException : Exception
    {
        public DriveStillBusyException(string message) : base(message) { }
    }

    /// <summary>The drive did not end up with the firmware that was sent.</summary>
    public sealed class FlashVerificationException : Exception
    {
        public FlashVerificationException(string message) : base(message) { }
    }
}
