using System;
using System.Collections.Generic;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Core.Protocols
{
    /// <summary>
    /// Standard SPC download: one WRITE BUFFER mode 5 "download microcode, save, activate" carrying the whole image at
    /// buffer ID 0, offset 0 — what doug-gilbert/sg3_utils src/sg_write_buffer.c sends for <c>--mode=dmc_save</c> without
    /// <c>--bpw</c> (chunk size 0 = everything in one command; drive-protocols.md §4.2). Only for drives that advertise the
    /// MMC Microcode Upgrade feature 0104h (§4.3); no optical vendor is known to need the deferred modes 0D/0E/0F.
    /// </summary>
    public sealed class SpcProtocol : IFlashProtocol
    {
        /// <summary>The parameter list length is a 24-bit field (drive-protocols.md §4.1).</summary>
        public const int MaxImageSize = 0xFFFFFF;

        public DriveFamily Family => DriveFamily.Spc;
        public string Source => "SPC WRITE BUFFER mode 05h as sent by doug-gilbert/sg3_utils src/sg_write_buffer.c @fb3d289";

        public ProtocolTiming Timing { get; } = new ProtocolTiming
        {
            CommandTimeout = TimeSpan.FromSeconds(300), // sg_write_buffer DEF_PT_TIMEOUT: 300 s
            PollInterval = TimeSpan.FromSeconds(1),
            PollTimeout = TimeSpan.FromSeconds(120),    // [I]
            ConsecutiveReady = 1,
            ExpectedDuration = TimeSpan.FromSeconds(60), // [I]
        };

        public IReadOnlyList<FlashRegion> ProtectedRegions { get; } = new FlashRegion[0];
        public IReadOnlyList<FlashRegion> DriveSpecificRegions { get; } = new FlashRegion[0];

        /// <summary><c>3B 05 00 00 00 00 [len BE24] 00</c>.</summary>
        public static byte[] DownloadSaveCdb(int length) => Cdb.WriteBuffer(BufferMode.DownloadMicrocodeSave, 0, 0, length);

        public FlashPlan Prepare(ScsiDevice device, OpticalDrive drive, byte[] image, bool recover, bool allowCrossFlash = false)
        {
            if (image == null) throw new ArgumentNullException(nameof(image));
            if (drive == null || !drive.MicrocodeUpgrade)
                throw new FlashRefusedException(FlashRefusalIds.MicrocodeUpgradeNotAdvertised,
                    "The drive does not advertise the Microcode Upgrade feature (0104h), so the standard WRITE BUFFER download is not offered by it; MtkFlash never sends guessed commands to a drive.");
            if (recover)
                throw new FlashRefusedException(FlashRefusalIds.RecoveryNotSupported,
                    "Standard SCSI defines no boot-loader recovery; use the drive vendor's recovery procedure.");
            if (image.Length == 0 || image.Length > MaxImageSize)
                throw new FlashRefusedException(FlashRefusalIds.ImageSizeInvalid,
                    "The image is " + image.Length + " bytes; one WRITE BUFFER carries 1 to 16777215 bytes.");

            var toSend = (byte[])image.Clone();
            var steps = new[]
            {
                FlashSteps.Data(FlashStepKind.Commit, DownloadSaveCdb(toSend.Length), toSend, 0, toSend.Length, Timing.CommandTimeout,
                    "WRITE BUFFER mode 5 (download microcode, save, activate): 0x" + toSend.Length.ToString("X") + " bytes"),
            };
            var notes = new[]
            {
                "Sequence: one standard WRITE BUFFER mode 5 with the whole image (sg3_utils sg_write_buffer --mode=dmc_save).",
                "The drive checks the image itself; MtkFlash knows no vendor checksum for it.",
            };
            return new FlashPlan(this, toSend, steps, notes);
        }

        /// <summary>Standard SCSI defines no firmware read-back.</summary>
        public byte[] ReadFirmware(ScsiDevice device, OpticalDrive drive, Action<long, long> progress) => null;
        public IReadOnlyList<RegionDump> ReadRegions(ScsiDevice device, OpticalDrive drive) => new RegionDump[0];
    }
}
