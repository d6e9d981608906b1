using System;
using System.Collections.Generic;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Scsi;
using static MtkFlash.Core.Families.Btc.BtcLayout;
using MtkFlash.Core.Protocols;

namespace MtkFlash.Core.Families.Btc
{
    /// <summary>
    /// BTC DRW1008, following clausecker/schilytools btcflash/btcflash.c exactly (docs/reference/drive-protocols.md §2.1): INQUIRY (36 bytes),
    /// then WRITE BUFFER mode 6 for every 0x1000 bytes at buffer offset = file offset + 0x20, the 32-byte checksum block at
    /// offset 0, WRITE BUFFER mode 7 without data, 50 s of silence, TEST UNIT READY until ready (up to 300 s), INQUIRY again.
    /// </summary>
    public sealed class BtcProtocol : IFlashProtocol
    {
        public const int ChunkSize = 0x1000;
        /// <summary>Image identity, compared with INQUIRY bytes 8–31: vendor 8 @0x40BC, product 16 @0x40C4, revision 4 @0x40D4.</summary>
        public const int IdentityCompareLength = 24;

        public DriveFamily Family => DriveFamily.Btc;
        public string Source => "clausecker/schilytools btcflash/btcflash.c 1.15 (David Huang, public domain)";

        public ProtocolTiming Timing { get; } = new ProtocolTiming
        {
            CommandTimeout = TimeSpan.FromSeconds(60),
            QuietAfterCommit = TimeSpan.FromSeconds(50), // btcflash: sleep(50) "let drive sit for a while before bothering it"
            PollInterval = TimeSpan.FromSeconds(1),       // [I] btcflash uses libscg wait_unit_ready; its interval is not documented
            PollTimeout = TimeSpan.FromSeconds(300),      // btcflash: wait_unit_ready(scgp, 300)
            ConsecutiveReady = 1,
            ExpectedDuration = TimeSpan.FromSeconds(65),  // [I] 257 commands, 50 s quiet, a few TEST UNIT READYs
        };

        public IReadOnlyList<FlashRegion> ProtectedRegions { get; } = new FlashRegion[0];      // n/d (docs/reference/drive-protocols.md §2.1)
        public IReadOnlyList<FlashRegion> DriveSpecificRegions { get; } = new FlashRegion[0];  // n/d

        /// <summary><c>3B 06 00 [off+0x20 BE24] 00 10 00 00</c>.</summary>
        public static byte[] ChunkCdb(int fileOffset) => Cdb.WriteBuffer(BufferMode.DownloadMicrocodeOffsets, 0, fileOffset + BufferOffsetBias, ChunkSize);
        /// <summary><c>3B 06 00 00 00 00 00 00 20 00</c>.</summary>
        public static byte[] ChecksumCdb() => Cdb.WriteBuffer(BufferMode.DownloadMicrocodeOffsets, 0, 0, ChecksumBlockSize);
        /// <summary><c>3B 07 00 00 00 00 00 00 00 00</c>.</summary>
        public static byte[] CommitCdb() => Cdb.WriteBuffer(BufferMode.DownloadMicrocodeOffsetsSave, 0, 0, 0);

        /// <summary>Σ all 0x100000 bytes &amp; 0xFFFF (btcflash.c calcsum).</summary>
        public static int Checksum(byte[] image) => ImageSums.Sum16(image, 0, image.Length);

        /// <summary>32 bytes, all zero except byte 30 = sum &gt;&gt; 8 and byte 31 = sum &amp; 0xFF.</summary>
        public static byte[] ChecksumBlock(int sum)
        {
            var block = new byte[ChecksumBlockSize];
            block[30] = (byte)(sum >> 8);
            block[31] = (byte)sum;
            return block;
        }

        /// <summary>
        /// btcflash only warns when INQUIRY bytes 8–31 differ from image 0x40BC–0x40D3. MtkFlash refuses that mismatch
        /// (a cross-flash) unless allowCrossFlash is set, because the issue requires an explicit -AllowCrossFlash.
        /// </summary>
        public FlashPlan Prepare(ScsiDevice device, OpticalDrive drive, byte[] image, bool recover, bool allowCrossFlash = false)
        {
            if (device == null) throw new ArgumentNullException(nameof(device));
            if (image == null) throw new ArgumentNullException(nameof(image));
            if (recover)
                throw new FlashRefusedException(FlashRefusalIds.RecoveryNotSupported,
                    "No public boot-loader path is documented for BTC drives (docs/reference/drive-protocols.md §2.1); MtkFlash does not guess one.");
            if (image.Length != ImageSize)
                throw new FlashRefusedException(FlashRefusalIds.ImageSizeInvalid,
                    "The image is 0x" + image.Length.ToString("X") + " bytes; a BTC .BIN image is exactly 0x100000 bytes (1 MiB). Convert a .HEX file first.");

            var notes = new List<string> { "Sequence: clausecker/schilytools btcflash/btcflash.c (256 x WRITE BUFFER mode 6 at file offset + 0x20, checksum block at 0, WRITE BUFFER mode 7)." };

            // btcflash: inquiry(scgp, inq, 36), then strncmp(inq + 8, fw + 0x40bc, 24).
            var inquiry = device.Execute(ScsiRequest.Read(Cdb.Inquiry(36), 36, TimeSpan.FromSeconds(10))).Data;
            string driveId = inquiry != null && inquiry.Length >= 32 ? FlashSteps.Printable(inquiry, 8, IdentityCompareLength) : "(short INQUIRY)";
            string imageId = FlashSteps.Printable(image, IdentityOffset, IdentityCompareLength);
            bool same = inquiry != null && inquiry.Length >= 32 && FlashSteps.Equal(inquiry, 8, image, IdentityOffset, IdentityCompareLength);
            if (!same)
            {
                if (!allowCrossFlash)
                    throw new FlashRefusedException(FlashRefusalIds.CrossFlashNotAllowed,
                        "The image is for " + imageId + " but the drive is " + driveId + " (image 0x40BC vs INQUIRY bytes 8-31). " +
                        "Flashing another model's firmware is a cross-flash.", null,
                        Operations.Remedy.Of("Add ", Operations.FrontEndTerm.AllowCrossFlash, " only if you know this pair works."));
                notes.Add("Cross-flash allowed: drive " + driveId + ", image " + imageId + ".");
            }

            int sum = Checksum(image);
            var toSend = (byte[])image.Clone();
            var timeout = Timing.CommandTimeout;
            var steps = new List<FlashStep>();
            for (int offset = 0; offset < ImageSize; offset += ChunkSize)
                steps.Add(FlashSteps.Data(FlashStepKind.Data, ChunkCdb(offset), toSend, offset, ChunkSize, timeout,
                    "WRITE BUFFER mode 6: file " + FlashSteps.Hex6(offset) + " at buffer offset " + FlashSteps.Hex6(offset + BufferOffsetBias)));
            steps.Add(new FlashStep(FlashStepKind.Checksum, ScsiRequest.Write(ChecksumCdb(), ChecksumBlock(sum), timeout),
                "WRITE BUFFER mode 6: checksum block 0x" + sum.ToString("X4") + " at buffer offset 0"));
            steps.Add(FlashSteps.NoData(FlashStepKind.Commit, CommitCdb(), timeout, "WRITE BUFFER mode 7: save and flash"));

            notes.Add("Image checksum 0x" + sum.ToString("X4") + " is sent in a 32-byte block at buffer offset 0.");
            notes.Add("After the commit the drive gets 50 s of silence, then TEST UNIT READY for up to 300 s; reboot the computer before using the drive (btcflash).");
            return new FlashPlan(this, toSend, steps, notes);
        }

        /// <summary>No public command reads BTC firmware back.</summary>
        public byte[] ReadFirmware(ScsiDevice device, OpticalDrive drive, Action<long, long> progress) => null;
        public IReadOnlyList<RegionDump> ReadRegions(ScsiDevice device, OpticalDrive drive) => new RegionDump[0];
    }
}
