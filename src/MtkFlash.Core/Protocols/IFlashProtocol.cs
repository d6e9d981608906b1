using System;
using System.Collections.Generic;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Core.Protocols
{
    /// <summary>A flash address range with a reason, e.g. the MT1959 boot block or the per-drive config at 0x3000.</summary>
    public sealed class FlashRegion
    {
        public FlashRegion(string name, int start, int length, string reason)
        {
            Name = name; Start = start; Length = length; Reason = reason;
        }

        public string Name { get; }
        public int Start { get; }
        public int Length { get; }
        public int End => Start + Length;
        public string Reason { get; }
        public override string ToString() => Name + " 0x" + Start.ToString("X6") + "-0x" + (End - 1).ToString("X6");
    }

    /// <summary>The timing a family documents, so the generic write operation can wait and report without knowing the family.</summary>
    public sealed class ProtocolTiming
    {
        /// <summary>Timeout of one data command (a chunk may stall while the drive programs a MiB).</summary>
        public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(60);
        /// <summary>After the last step: time during which no command may be sent (BTC: sleep 50 s).</summary>
        public TimeSpan QuietAfterCommit { get; set; } = TimeSpan.Zero;
        /// <summary>Interval between TEST UNIT READY polls while waiting for the drive to come back.</summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
        /// <summary>Give up waiting after this long (redumper MT1959: 15 s; btcflash: 300 s).</summary>
        public TimeSpan PollTimeout { get; set; } = TimeSpan.FromSeconds(60);
        /// <summary>TEST UNIT READY must succeed this many times in a row (redumper MT1959: twice).</summary>
        public int ConsecutiveReady { get; set; } = 1;
        /// <summary>Expected total time from the first write to the drive being back, for "12 s of about 20 s" progress.</summary>
        public TimeSpan ExpectedDuration { get; set; } = TimeSpan.FromSeconds(30);
        /// <summary>
        /// Send one TEST UNIT READY before each step and ignore its result (redumper flash_plextor.ixx: "PLEXTOR original
        /// flasher does a drive ready check before each block write"). Read-only, so it is timing, not a plan step.
        /// </summary>
        public bool TestUnitReadyBeforeEachStep { get; set; }
    }

    public enum FlashStepKind
    {
        /// <summary>Enter the download state (MT1959 WRITE BUFFER mode 1); changes state but writes nothing yet.</summary>
        Arm,
        /// <summary>A chunk of the image.</summary>
        Data,
        /// <summary>A checksum block (BTC).</summary>
        Checksum,
        /// <summary>The command that makes the drive program its flash (BTC mode 7; final TSST block; Plextor mode 5).</summary>
        Commit,
    }

    /// <summary>One command of a flash, as data: the operation executes steps generically and -WhatIf counts them.</summary>
    public sealed class FlashStep
    {
        public FlashStep(FlashStepKind kind, ScsiRequest request, string description, int imageOffset = -1, int imageLength = 0, TimeSpan expectedStall = default)
        {
            Kind = kind; Request = request; Description = description; ImageOffset = imageOffset; ImageLength = imageLength; ExpectedStall = expectedStall;
        }

        public FlashStepKind Kind { get; }
        public ScsiRequest Request { get; }
        public string Description { get; }
        /// <summary>Offset in the image of the bytes this step carries, −1 for none.</summary>
        public int ImageOffset { get; }
        public int ImageLength { get; }
        /// <summary>
        /// The drive may stall for about this long while completing this step or before it answers the next one (MT1939: ~10 s
        /// on the block that completes each MiB). The step's Request.Timeout already covers it; show elapsed/expected time.
        /// </summary>
        public TimeSpan ExpectedStall { get; }
    }

    /// <summary>Everything needed to flash one image onto one drive, computed before any state-changing command.</summary>
    public sealed class FlashPlan
    {
        public FlashPlan(IFlashProtocol protocol, byte[] imageToSend, IReadOnlyList<FlashStep> steps, IReadOnlyList<string> notes)
        {
            Protocol = protocol; ImageToSend = imageToSend; Steps = steps; Notes = notes ?? new string[0];
        }

        public IFlashProtocol Protocol { get; }
        /// <summary>The image after the protocol's patches (boot block blanked, drive config copied in, remaps).</summary>
        public byte[] ImageToSend { get; }
        public IReadOnlyList<FlashStep> Steps { get; }
        /// <summary>What the plan keeps or changes, in words ("boot block 0x000000-0x00FFFF is not rewritten").</summary>
        public IReadOnlyList<string> Notes { get; }
    }

    /// <summary>A region read from a drive for a backup.</summary>
    public sealed class RegionDump
    {
        public RegionDump(FlashRegion region, byte[] data) { Region = region; Data = data; }
        public FlashRegion Region { get; }
        public byte[] Data { get; }
    }

    /// <summary>A protocol refuses to flash: the drive was not touched. The message says why and what to do.</summary>
    public sealed class FlashRefusedException : Exception
    {
        public FlashRefusedException(string errorId, string message, Exception inner = null, Operations.Remedy remedy = null) : base(message, inner) { ErrorId = errorId; Remedy = remedy; }
        public string ErrorId { get; }
        /// <summary>What the user can do, in front-end-neutral terms; null when nothing.</summary>
        public Operations.Remedy Remedy { get; }
    }

    /// <summary>
    /// One drive family's flash protocol, byte-exact from the public sources in docs/reference/drive-protocols.md. Preparing is read-only;
    /// the plan's steps are the only state-changing commands the family ever sends.
    /// </summary>
    public interface IFlashProtocol
    {
        DriveFamily Family { get; }
        /// <summary>Where the sequence comes from (source file and commit).</summary>
        string Source { get; }
        ProtocolTiming Timing { get; }
        /// <summary>Never written by this protocol (MT1959 boot block; TSST first 64 KiB).</summary>
        IReadOnlyList<FlashRegion> ProtectedRegions { get; }
        /// <summary>
        /// Unique to each drive (config, calibration): read into backups and skipped by the read-back comparison. A write sends
        /// whatever its cited flasher sends there (issue 9 §3): MtkFlash never splices bytes read from the drive into an image.
        /// </summary>
        IReadOnlyList<FlashRegion> DriveSpecificRegions { get; }

        /// <summary>
        /// Checks the image against the drive (read-only commands only, e.g. MT1959 READ BUFFER 0x3000) and builds the plan.
        /// Throws <see cref="FlashRefusedException"/> when the image must not be sent. recover: the drive is in boot mode.
        /// allowCrossFlash: the user accepted an image made for another model (only families whose source compares the
        /// image's identity with INQUIRY use it, e.g. BTC; boot-ID and checksum checks are never waived).
        /// Never changes the caller's array: patches go into <see cref="FlashPlan.ImageToSend"/>.
        /// </summary>
        FlashPlan Prepare(ScsiDevice device, OpticalDrive drive, byte[] image, bool recover, bool allowCrossFlash = false);

        /// <summary>Reads the whole firmware back, or returns null when the family has no public read path.</summary>
        byte[] ReadFirmware(ScsiDevice device, OpticalDrive drive, Action<long, long> progress);

        /// <summary>Reads the drive-specific regions (empty when the family has no public read path).</summary>
        IReadOnlyList<RegionDump> ReadRegions(ScsiDevice device, OpticalDrive drive);
    }
}
