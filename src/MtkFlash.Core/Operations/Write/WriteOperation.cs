using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Families;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;

namespace MtkFlash.Core.Operations
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
            var checks = new WritePreflight(_context);
            var source = ImageSource.Load(options.ImagePath);
            result.ImageSha256 = source.Sha256;
            result.IsRestore = source.Bundle != null;
            result.ExpectedRevision = source.Revision;

            checks.CheckBackupFolder(options);
            // Checked before the drive is even opened, so a user without the right sends nothing at all.
            checks.CheckRawIoRights(drivePath);

            using (var transport = checks.OpenExclusive(drivePath))
            {
                var drive = checks.Identify(transport, drivePath);
                result.Identity = drive.Identity;
                result.Family = drive.Family;

                // A busy drive (programming its flash) is refused before anything else: its identity may not even be known.
                if (drive.State == DriveState.Busy) checks.CheckState(drive, options);
                var protocol = checks.ProtocolFor(drive, options, result, host);
                checks.CheckState(drive, options);
                var device = new ScsiDevice(transport, clock);
                result.CrossFlash = checks.CheckCompatibility(source, drive, FamilyRegistry.Find(drive.Family)?.ReadHardware(device, drive, options.Recover), options, host);
                if (options.Recover)
                    FamilyRegistry.Find(drive.Family)?.PrepareRecovery(protocol, options.BackupDirectory ?? _context.DefaultBackupDirectory, drive);

                // The protocol gets the image (or the backup's bytes) exactly as loaded: it sends what its cited flasher sends.
                var plan = checks.Plan(protocol, device, drive, source, options, result.CrossFlash);
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
                    (done, total) => progress.Report(WritePhases.Backup, "Backing up " + drivePath + " before the write",
                        "read " + done + " of " + total + " bytes", total > 0 ? (int)(done * 100 / total) : -1), host.Cancellation);
                progress.CompletePhase(WritePhases.Backup, "Backing up " + drivePath + " before the write", "done");
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
            var executor = new FlashExecutor(_context.Clock, progress, drivePath, HeartbeatInterval);
            var verifier = new FlashVerifier(_context.Clock, progress, drivePath);
            StepFailure failure;
            host.WriteVerbose("Sending " + plan.Steps.Count + " state-changing commands to " + drivePath + ".");
            progress.Enter("sending the firmware - do not power off", 25);
            try { failure = executor.SendPlan(host, device, plan, result); }
            catch (Exception ex) { failure = new StepFailure(result.CommandsSent, plan.Steps.Count, null, ex); }

            // A commit may be under way unless the drive answered the failed command (SPC: a command that ends in CHECK
            // CONDITION or BUSY was not performed): then "no disc" must not pass for the end of programming.
            bool commitPending = failure == null || !failure.Answered;
            WaitReport wait;
            host.WriteVerbose("Waiting for " + drivePath + " to program its flash and come back.");
            progress.Enter("the drive is programming its flash - do not power off", 75);
            try { wait = executor.WaitForDrive(host, device, protocol.Timing, commitPending); }
            catch (Exception ex) { wait = WaitReport.Unanswered(ex.Message); }

            if (failure == null && wait.Ready)
            {
                host.WriteVerbose("Verifying " + drivePath + ": revision, then read-back where the family allows it.");
                progress.Enter("verifying", 95);
                verifier.Verify(host, device, transport, protocol, plan, source, result);
                return;
            }
            verifier.ReportFailure(host, transport, plan, failure, wait, result);
        }

        void RecordOutcome(WriteResult result)
        {
            try { HistoryLog.Append(_context.HistoryFile, result); }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                result.Message = (result.Message == null ? string.Empty : result.Message + " ") + "(The history file could not be written: " + ex.Message + ")";
            }
        }

        /// <summary>Legacy advice for drives that no longer answer at all (docs/reference/drive-protocols.md §3.2).</summary>
        public const string DeadDriveAdvice =
            "A drive that no longer answers over ATAPI/SCSI cannot be recovered by MtkFlash: that needs the vendor's hardware-level " +
            "(port-level) recovery, whose protocol is not public. MtkFlash never sends guessed commands to a drive.";

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
    }

    /// <summary>The progress phases of a write, children of its parent progress line.</summary>
    internal static class WritePhases
    {
        public const int Backup = 1, Send = 2, Wait = 3, Verify = 4;
    }
}
