using System;
using System.Collections.Generic;
using MtkFlash.Core.Drives;

namespace MtkFlash.Core.Operations
{
    public enum WriteOutcome
    {
        /// <summary>Written, the drive came back with the image's revision, and the read-back matched where the family allows it.</summary>
        Succeeded,
        /// <summary>Something failed after the first state-changing command; see Message, DriveStateAfter and the error's advice.</summary>
        Failed,
        /// <summary>A safety check refused the write; no state-changing command was sent.</summary>
        Refused,
        /// <summary>-WhatIf / --dry-run: the plan only; no state-changing command was sent.</summary>
        Planned,
        /// <summary>Stopped by the user at a safe point, before any state-changing command.</summary>
        Stopped,
        /// <summary>History only: the attempt's start was recorded and its outcome never was (the process ended during it).</summary>
        Interrupted,
    }

    /// <summary>The outcome of Write-DriveFirmware / `mtkflash write`, also appended to the history file.</summary>
    public sealed class WriteResult
    {
        DriveIdentity _identity = DriveIdentity.Unknown;

        /// <summary>
        /// The drive as identified before the write, as one value: vendor, product, serial number, and its revision then
        /// (<see cref="PreviousRevision"/>). The flat properties read and write it.
        /// </summary>
        internal DriveIdentity Identity { get => _identity; set => _identity = value ?? DriveIdentity.Unknown; }

        public string Drive { get; set; }
        public string Vendor { get => _identity.Vendor; set => _identity = _identity.WithVendor(value); }
        public string Product { get => _identity.Product; set => _identity = _identity.WithProduct(value); }
        public string SerialNumber { get => _identity.SerialNumber; set => _identity = _identity.WithSerialNumber(value); }
        public DriveFamily Family { get; set; }
        public string Image { get; set; }
        public string ImageSha256 { get; set; }
        /// <summary>True when the source was an MtkFlash backup bundle.</summary>
        public bool IsRestore { get; set; }
        public string PreviousRevision { get => _identity.Revision; set => _identity = _identity.WithRevision(value); }
        public string ExpectedRevision { get; set; }
        public string NewRevision { get; set; }
        public string BackupPath { get; set; }
        /// <summary>The drive reported the expected revision afterwards.</summary>
        public bool Verified { get; set; }
        /// <summary>The flash was read back and matched (null where the family has no read-back).</summary>
        public bool? ReadBackVerified { get; set; }
        public bool CrossFlash { get; set; }
        /// <summary>The drive's model is not on its family's flasher list and -AllowUnlistedModel let the write go ahead (issue 9 §2).</summary>
        public bool AllowedUnlistedModel { get; set; }
        public bool Recover { get; set; }
        public WriteOutcome Outcome { get; set; }
        /// <summary>Stable id of the failure or refusal ("DiscInTray"), null on success.</summary>
        public string ErrorId { get; set; }
        public string Message { get; set; }
        public int PlannedCommands { get; set; }
        /// <summary>State-changing commands sent (each exactly once), including one that failed.</summary>
        public int CommandsSent { get; set; }
        /// <summary>1-based number of the state-changing command that did not end with GOOD (the sequence stopped there), else null.</summary>
        public int? FailedStep { get; set; }
        /// <summary>What that command was ("WRITE BUFFER mode 6: 0x0FC000-0x0FFFFF").</summary>
        public string FailedCommand { get; set; }
        /// <summary>What the drive answered to it ("CHECK CONDITION, sense UNIT ATTENTION, … (6/29/00)"), or why there was no answer.</summary>
        public string DriveAnswer { get; set; }
        /// <summary>After a failed flash: the drive's state once it was waited for and identified again (old firmware, boot mode, busy, …).</summary>
        public string DriveStateAfter { get; set; }
        /// <summary>Pairs the write-ahead "attempt" line of history.jsonl with this outcome line; null when no state-changing command was due.</summary>
        public string AttemptId { get; set; }
        public List<string> PlanNotes { get; set; } = new List<string>();
        public DateTimeOffset StartedUtc { get; set; }
        public TimeSpan Duration { get; set; }
        /// <summary>The machine that made the attempt, so histories merged from a fleet say where each write happened.</summary>
        public string ComputerName { get; set; } = Environment.MachineName;

        public override string ToString() => Drive + ": " + Outcome + (Message == null ? string.Empty : " - " + Message);
    }

    /// <summary>Ends the write with a refusal; nothing state-changing has been sent.</summary>
    public sealed class WriteRefusedException : Exception
    {
        public WriteRefusedException(string errorId, string message, Operations.OperationErrorCategory category = Operations.OperationErrorCategory.InvalidOperation,
            Operations.Remedy remedy = null, object target = null)
            : base(message)
        {
            ErrorId = errorId; Category = category; Remedy = remedy; Target = target;
        }

        public string ErrorId { get; }
        public Operations.OperationErrorCategory Category { get; }
        public Operations.Remedy Remedy { get; }
        /// <summary>What the error is about when it is not the drive (the image file); null means the drive.</summary>
        public object Target { get; }
    }
}
