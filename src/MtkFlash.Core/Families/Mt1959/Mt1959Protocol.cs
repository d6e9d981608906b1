using System;
using System.Collections.Generic;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Scsi;
using static MtkFlash.Core.Families.Mt1959.Mt1959Layout;
using MtkFlash.Core.Protocols;

namespace MtkFlash.Core.Families.Mt1959
{
    /// <summary>A chip (MT1959 or MT1939) and where it was learnt, when the drive itself cannot say it.</summary>
    public sealed class KnownChip
    {
        public KnownChip(string chip, string source) { Chip = chip; Source = source; }
        public string Chip { get; }
        public string Source { get; }
    }

    /// <summary>
    /// LG/HLDS and ASUS MT1959 BD writers. The write sequence and payload follow superg/redumper drive/flash_mt1959.ixx exactly
    /// (docs/reference/drive-protocols.md §2.3; docs/reference/mt1959-notes.md §4.1 "RD"), not freemkv's 12-byte variant (docs/reference/mt1959-notes.md §4.1 "FM"):
    /// READ BUFFER config 0x3000/0x20 → refuse on boot-ID mismatch → blank 0x0000–0xFFFF and copy the drive's config to
    /// 0x3000 → WRITE BUFFER mode 1 (no data) → WRITE BUFFER mode 6 in 0x4000 chunks from offset 0 to the end, boot block
    /// included (redumper sends the blanked 0xFF block, it does not skip it) → TEST UNIT READY once a second until ready
    /// twice, for up to 45 s (freemkv's bound; redumper's old loop stopped at 15 s). Reads follow freemkv (docs/reference/mt1959-notes.md §3).
    /// </summary>
    public sealed class Mt1959Protocol : IFlashProtocol
    {
        /// <summary>redumper's block size: WRITE BUFFER mode 6 in 0x4000 chunks (docs/reference/drive-protocols.md §2.3 step 5).</summary>
        public const int ChunkSize = 0x4000;

        /// <summary>
        /// Recovery only: the unit's chip as its own verified backup records it (serial match), used when the boot loader's
        /// identity block is erased. Never used outside recovery, and never over a tag the drive does report.
        /// </summary>
        public KnownChip RecoveryChip { get; set; }

        public DriveFamily Family => DriveFamily.Mt1959;
        public string Source => "superg/redumper drive/flash_mt1959.ixx @2ab9a42 (PR #377); reads: freemkv-firmware mtk.rs";

        /// <summary>redumper: TEST UNIT READY once a second until it passes twice (docs/reference/drive-protocols.md §2.3 step 6); up to freemkv's 45 s.</summary>
        public ProtocolTiming Timing { get; } = new ProtocolTiming
        {
            CommandTimeout = TimeSpan.FromSeconds(60),
            PollInterval = TimeSpan.FromSeconds(1),
            // Issue 9 §4: the flash is not called failed before the longer of the sources' waits: freemkv-firmware mtk.rs
            // wait_ready polls TEST UNIT READY for up to 45 s ("in practice the program completes in a few seconds"),
            // redumper waits for TEST UNIT READY to pass (its old loop: once a second, up to 15 s, twice in a row).
            PollTimeout = TimeSpan.FromSeconds(45),
            ConsecutiveReady = 2,
            // [I] total time not public (docs/reference/mt1959-notes.md §4.1): 129 commands plus "a few seconds" of programming (FM).
            ExpectedDuration = TimeSpan.FromSeconds(30),
        };

        public IReadOnlyList<FlashRegion> ProtectedRegions { get; } = new[]
        {
            new FlashRegion("boot block", 0, BootBlockSize, "redumper fills 0x0000-0xFFFF with 0xFF before sending; the boot block is not rewritten (docs/reference/drive-protocols.md §2.3)"),
        };

        public IReadOnlyList<FlashRegion> DriveSpecificRegions { get; } = new[]
        {
            new FlashRegion("config", ConfigOffset, ConfigSize, "boot ID and drive patch configuration, copied from the drive into the image (redumper; docs/reference/mt1959-notes.md §2)"),
            // docs/reference/mt1959-notes.md §1.2/§2 (freemkv mtk_oem.rs): NVRAM settings page, written by the drive; "the vendor WRITE BUFFER
            // update path never overwrites" it, so a read-back after a flash keeps the drive's own bytes there.
            new FlashRegion("nvram", NvramOffset, NvramSize, "NVRAM settings page (signature range, region record), kept by the drive (freemkv mtk_oem.rs)"),
            new FlashRegion("identity", IdentityOffset, IdentitySize, "per-unit identity descriptor (freemkv restore/backup; docs/reference/mt1959-notes.md §1.2, §2)"),
            new FlashRegion("calibration", CalibrationOffset, CalibrationSize, "per-unit calibration VENDOR_INFO, kept by the drive's update path (freemkv mtk_oem.rs)"),
        };

        /// <summary>READ BUFFER mode 6, buffer 0, offset 0x3000, length 0x20: <c>3C 06 00 00 30 00 00 00 20 00</c>.</summary>
        public static byte[] ReadConfigCdb() => Cdb.ReadBuffer(BufferMode.DownloadMicrocodeOffsets, 0, ConfigOffset, ConfigSize);

        /// <summary>READ BUFFER mode 6 of the identity block, freemkv's PROBE: <c>3C 06 00 1E C0 00 00 01 00 00</c>.</summary>
        public static byte[] ReadIdentityCdb() => Cdb.ReadBuffer(BufferMode.DownloadMicrocodeOffsets, 0, IdentityOffset, IdentitySize);

        /// <summary>"MT1959"/"MT1939" from the tag at 0x1EC034, else from the first MTEKMT19xx anywhere (as the analyser finds it); null when none.</summary>
        public static string ImageChip(byte[] image)
        {
            var at = ChipTag(image, ChipTagOffset);
            if (at != null) return at;
            var prefix = System.Text.Encoding.ASCII.GetBytes(ChipTagPrefix + "MT19");
            for (int i = 0; i + 10 <= image.Length; i++)
                if (image[i] == prefix[0] && FlashSteps.Equal(image, i, prefix, 0, prefix.Length) && (at = ChipTag(image, i)) != null) return at;
            return null;
        }

        /// <summary>"MT1959"/"MT1939" when data holds MTEKMT1959/MTEKMT1939 at offset, else null.</summary>
        public static string ChipTag(byte[] data, int offset)
        {
            if (data == null || offset < 0 || offset + 10 > data.Length) return null;
            var tag = System.Text.Encoding.ASCII.GetString(data, offset, 10);
            return tag == ChipTagPrefix + ChipMt1959 || tag == ChipTagPrefix + ChipMt1939 ? tag.Substring(4) : null;
        }

        /// <summary>
        /// The chip tag the drive's identity block carries (READ BUFFER 0x1EC000/0x100, freemkv PROBE), or throws
        /// <see cref="FlashRefusedException"/> (ChipUnknown) when the read fails or the tag is absent.
        /// </summary>
        public static string ReadDriveChip(ScsiDevice device)
        {
            byte[] identity;
            try { identity = device.Execute(ScsiRequest.Read(ReadIdentityCdb(), IdentitySize, TimeSpan.FromSeconds(20))).Data; }
            catch (ScsiCommandException ex)
            {
                throw new FlashRefusedException(FlashRefusalIds.ChipUnknown,
                    "The drive did not return its identity block at 0x1EC000 (READ BUFFER mode 6): " + ex.Message + " " + ChipAdvice, ex);
            }
            var chip = ChipTag(identity, 0x34);
            if (chip == null)
                throw new FlashRefusedException(FlashRefusalIds.ChipUnknown,
                    "The drive's identity block at 0x1EC000 carries no MTEKMT1959/MTEKMT1939 tag (it reads " + FlashSteps.Printable(identity ?? new byte[0], 0x34, Math.Min(10, Math.Max(0, (identity?.Length ?? 0) - 0x34))) + "). " + ChipAdvice);
            return chip;
        }

        const string ChipAdvice =
            "A JB8 boot loader also runs on MT1939 silicon, so the boot ID cannot tell the chips apart, and an image for the other chip bricks the drive " +
            "(freemkv detect.rs, crossflash.rs). MtkFlash does not flash a drive whose chip it cannot read.";

        /// <summary>WRITE BUFFER mode 1 (vendor specific), no data: <c>3B 01 00 00 00 00 00 00 00 00</c>.</summary>
        public static byte[] ArmCdb() => Cdb.WriteBuffer(BufferMode.VendorSpecific, 0, 0, 0);

        /// <summary>WRITE BUFFER mode 6: <c>3B 06 00 [off BE24] [len BE24] 00</c>.</summary>
        public static byte[] ChunkCdb(int offset, int length) => Cdb.WriteBuffer(BufferMode.DownloadMicrocodeOffsets, 0, offset, length);

        public FlashPlan Prepare(ScsiDevice device, OpticalDrive drive, byte[] image, bool recover, bool allowCrossFlash = false)
        {
            if (device == null) throw new ArgumentNullException(nameof(device));
            if (image == null) throw new ArgumentNullException(nameof(image));

            // Image checks first: a wrong file never causes a single command.
            if (image.Length < BootBlockSize) // redumper: "firmware data too small"
                throw new FlashRefusedException(FlashRefusalIds.ImageSizeInvalid,
                    "The image is " + image.Length + " bytes; an MT1959 image needs at least 0x10000 bytes (redumper) and is 0x200000 bytes (2 MiB).");
            if (image.Length != ImageSize) // docs/reference/mt1959-notes.md §1.1
                throw new FlashRefusedException(FlashRefusalIds.ImageSizeInvalid,
                    "The image is 0x" + image.Length.ToString("X") + " bytes; MT1959 firmware images are exactly 0x200000 bytes (2 MiB). Use the plain .bin, not a flasher EXE or a partial dump.");

            string imageId = System.Text.Encoding.ASCII.GetString(image, ConfigOffset, BootIdSize);
            string imageChip = ImageChip(image);
            if (imageChip == null)
                throw new FlashRefusedException(FlashRefusalIds.ChipUnknown,
                    "The image carries no MTEKMT1959/MTEKMT1939 tag, so the silicon it is built for is unknown. " + ChipAdvice);

            // redumper (without --force) also requires the image ID to be the one its table lists for the drive's model
            // (Mt1959Family.ListedModels, the family's one table). In recovery the INQUIRY strings cannot be trusted; the
            // drive's own boot ID decides (issue 5 "Dead drives").
            string expected = recover || drive == null ? null : Mt1959Family.BootId(drive.Vendor, drive.Product);
            if (expected != null && imageId != expected)
                throw new FlashRefusedException(FlashRefusalIds.BootIdMismatch,
                    "The image's boot ID at 0x3000 is " + FlashSteps.Printable(image, ConfigOffset, BootIdSize) + " but " + drive.Product +
                    " drives use \"" + expected + "\". The image is for another board; flashing it would not take or would brick the drive.");

            byte[] config;
            try
            {
                var response = device.Execute(ScsiRequest.Read(ReadConfigCdb(), ConfigSize, TimeSpan.FromSeconds(20)));
                config = response.Data;
            }
            catch (ScsiCommandException ex)
            {
                throw new FlashRefusedException(FlashRefusalIds.DriveConfigUnreadable,
                    "The drive did not return its configuration at 0x3000 (READ BUFFER mode 6): " + ex.Message + " Without it the image cannot be matched to the drive.", ex);
            }
            if (config == null || config.Length < ConfigSize)
                throw new FlashRefusedException(FlashRefusalIds.DriveConfigUnreadable,
                    "The drive returned " + (config?.Length ?? 0) + " of the 32 configuration bytes at 0x3000; the image cannot be matched to the drive.");
            if (config.Length > ConfigSize) config = FlashSteps.Slice(config, 0, ConfigSize);

            if (!FlashSteps.Equal(config, 0, image, ConfigOffset, BootIdSize)) // redumper: "firmware id mismatch"
                throw new FlashRefusedException(FlashRefusalIds.BootIdMismatch,
                    "Boot ID mismatch: the drive reports " + FlashSteps.Printable(config, 0, BootIdSize) + " at 0x3000, the image has " +
                    FlashSteps.Printable(image, ConfigOffset, BootIdSize) + ". The drive would ignore the image or be bricked by it (docs/reference/mt1959-notes.md §4.3 \"silent flash\").");

            // The silicon check (issue 9 §2): mandatory, never waived by a cross-flash or recovery (freemkv crossflash.rs refuses
            // across chips even when forced). Only in recovery, and only when the boot loader's identity block is erased, may the
            // unit's own verified backup say which chip it is.
            string driveChip, chipSource;
            try { driveChip = ReadDriveChip(device); chipSource = "the drive's identity block (0x1EC034)"; }
            catch (FlashRefusedException) when (recover && RecoveryChip != null)
            {
                driveChip = RecoveryChip.Chip;
                chipSource = RecoveryChip.Source;
            }
            if (!string.Equals(driveChip, imageChip, StringComparison.Ordinal))
                throw new FlashRefusedException(FlashRefusalIds.ChipMismatch,
                    "The image is built for " + imageChip + " silicon, the drive is " + driveChip + " (" + chipSource + "): flashing it bricks the drive " +
                    "(freemkv crossflash.rs). No option overrides this.");

            // redumper modify_firmware on a copy: the caller's array stays as it was.
            var toSend = (byte[])image.Clone();
            for (int i = 0; i < BootBlockSize; i++) toSend[i] = 0xFF;
            Buffer.BlockCopy(config, 0, toSend, ConfigOffset, ConfigSize);

            var timeout = Timing.CommandTimeout;
            var steps = new List<FlashStep>
            {
                FlashSteps.NoData(FlashStepKind.Arm, ArmCdb(), timeout, "WRITE BUFFER mode 1: enter the download state"),
            };
            for (int offset = 0; offset < toSend.Length;)
            {
                int size = Math.Min(ChunkSize, toSend.Length - offset);
                bool last = offset + size >= toSend.Length;
                // freemkv's timing model: the drive erases and programs when the last chunk lands (docs/reference/mt1959-notes.md §4.1), so the last chunk is the commit.
                steps.Add(FlashSteps.Data(last ? FlashStepKind.Commit : FlashStepKind.Data, ChunkCdb(offset, size), toSend, offset, size, timeout,
                    "WRITE BUFFER mode 6: " + FlashSteps.Hex6(offset) + "-" + FlashSteps.Hex6(offset + size - 1) + (last ? " (drive programs its flash)" : string.Empty)));
                offset += size;
            }

            var notes = new List<string>
            {
                "Sequence: superg/redumper drive/flash_mt1959.ixx (WRITE BUFFER mode 1, then mode 6 in 0x4000 chunks from 0x000000, then TEST UNIT READY until ready twice).",
                "Boot block 0x000000-0x00FFFF is sent as 0xFF and not rewritten by the drive.",
                "Drive config 0x003000-0x00301F kept from the drive: boot ID " + FlashSteps.Printable(config, 0, BootIdSize) + ".",
                "Chip " + driveChip + " (" + chipSource + ") matches the image's MTEK" + imageChip + " at 0x1EC034.",
                "Everything else is the image's own bytes, as redumper sends them; the drive's update path keeps its NVRAM (0x1E8000) and calibration (0x1F0000) (freemkv mtk_oem.rs), and the backup taken before the write holds them.",
            };
            if (recover) notes.Add("Recovery: the image was matched to the drive by its boot ID at 0x3000, not by INQUIRY strings.");
            return new FlashPlan(this, toSend, steps, notes);
        }

        /// <summary>READ BUFFER mode 6 over 0x000000–0x1FFFFF in 4 KiB chunks, 512-byte fallback (docs/reference/mt1959-notes.md §3, FM).</summary>
        public byte[] ReadFirmware(ScsiDevice device, OpticalDrive drive, Action<long, long> progress) =>
            FlashMemoryReader.Read(device, 0, ImageSize, progress);

        /// <summary>The per-unit reads of freemkv (0x3000/0x20, 0x1EC000/0x100, 0x1F0000/0x10000, docs/reference/mt1959-notes.md §3) plus the NVRAM page 0x1E8000.</summary>
        public IReadOnlyList<RegionDump> ReadRegions(ScsiDevice device, OpticalDrive drive)
        {
            var dumps = new List<RegionDump>();
            foreach (var region in DriveSpecificRegions)
                dumps.Add(new RegionDump(region, FlashMemoryReader.Read(device, region.Start, region.Length)));
            return dumps;
        }
    }
}
