using System;
using System.Collections.Generic;
using System.Linq;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;

namespace MtkFlash.Core.Operations
{
    /// <summary>
    /// The end of a write: once the drive is back, checks it (revision, then read-back where the family allows it); when the
    /// flash or the wait did not end well, identifies the drive again and reports its state with what to do next.
    /// Every host call goes through the write's <see cref="NoAbortHost"/>.
    /// </summary>
    internal sealed class FlashVerifier
    {
        readonly IClock _clock;
        readonly DriveProgress _progress;
        readonly string _drivePath;

        public FlashVerifier(IClock clock, DriveProgress progress, string drivePath)
        {
            _clock = clock; _progress = progress; _drivePath = drivePath;
        }

        /// <summary>The drive is back after a flash whose every command was accepted: verify it, or report why it failed.</summary>
        public void Verify(IOperationHost host, ScsiDevice device, IScsiTransport transport, IFlashProtocol protocol, FlashPlan plan, ImageSource source, WriteResult result)
        {
            _progress.Report(WritePhases.Verify, "Verifying " + _drivePath, "reading the revision and the flash back");
            try
            {
                Check(device, transport, _drivePath, protocol, plan, source, result, _clock);
                _progress.CompletePhase(WritePhases.Verify, "Verifying " + _drivePath, "done");
            }
            catch (Exception ex)
            {
                _progress.CompletePhase(WritePhases.Verify, "Verifying " + _drivePath, "failed");
                ReportAfterVerify(host, transport, _drivePath, source, result, ex);
            }
        }

        /// <summary>
        /// A command failed, or the drive did not come back: identifies it again (unless it still says busy) and reports the
        /// failure with the drive's state now and what to do next.
        /// </summary>
        public void ReportFailure(IOperationHost host, IScsiTransport transport, FlashPlan plan, StepFailure failure, WaitReport wait, WriteResult result)
        {
            OpticalDrive after = null;
            string identifyError = null;
            if (!wait.StillBusy)
            {
                try { after = DriveIdentifier.Identify(transport, DeviceEntry.ForPath(_drivePath), _clock); }
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
                    result.Message, _drivePath, null, Advice(after, wait, result, partlyProgrammed: true)));
                return;
            }

            result.FailedStep = failure.Index + 1;
            result.FailedCommand = failure.Step?.Description;
            result.DriveAnswer = failure.Answer;
            bool partly = failure.Step != null && plan.Steps.Take(failure.Index).Any(s => s.ExpectedStall > TimeSpan.Zero);
            result.ErrorId = failure.Answered ? "FlashInterrupted" : "FlashFailed";
            result.Message = "The flash of " + _drivePath + " stopped at command #" + (failure.Index + 1) + " of " + failure.Total +
                             (failure.Step != null ? " (" + failure.Step.Description + ")" : string.Empty) + ": " +
                             (failure.Answered ? "the drive answered " + failure.Answer + "." : failure.Answer) +
                             " No further state-changing command was sent. After waiting " + (int)wait.Waited.TotalSeconds + " s, the drive is " + state + ".";
            var category = failure.Answered ? OperationErrorCategory.DeviceError : OperationErrors.FromException(failure.Exception, _drivePath).Category;
            host.WriteError(new OperationError(result.ErrorId, category, result.Message, _drivePath, failure.Exception, Advice(after, wait, result, partly)));
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
        static Remedy Advice(OpticalDrive after, WaitReport wait, WriteResult result, bool partlyProgrammed)
        {
            string backup = result.BackupPath != null ? " (or your backup " + result.BackupPath + ")" : string.Empty;
            if (wait.StillBusy || after?.State == DriveState.Busy)
                return Remedy.Of("Do not power off the drive and do not flash it again while it reports busy. Run ", FrontEndTerm.ListDrives, " in a few minutes; " +
                       "when it reports the drive ready, check its revision, and only then decide whether to write again.");
            if (after == null || after.State == DriveState.NotResponding)
                return Remedy.Of("Leave the drive powered for a few minutes, then run ", FrontEndTerm.ListDrives, ". If it comes back in boot mode, run ",
                       FrontEndTerm.WriteFirmware, " with ", FrontEndTerm.Recover, " and the same image" + backup + ". If it never answers again: " + WriteOperation.DeadDriveAdvice);
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

        static void Check(ScsiDevice device, IScsiTransport transport, string drivePath, IFlashProtocol protocol, FlashPlan plan, ImageSource source, WriteResult result, IClock clock)
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
