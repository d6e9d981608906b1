using System;
using System.Collections.Generic;
using System.Linq;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Scsi;
using MtkFlash.Tests.Firmware;
using MtkFlash.Tests.Support;
using MtkFlash.Tests.Protocols;
using Xunit;
using MtkFlash.Core.Families.Mt1959;

namespace MtkFlash.Tests.Families.Mt1959
{
    /// <summary>MT1959 against docs/reference/drive-protocols.md §2.3 (superg/redumper drive/flash_mt1959.ixx) and docs/reference/mt1959-notes.md §2–§3.</summary>
    public class Mt1959ProtocolTests
    {
        const string Jb8 = "MT1959 Boot JB8 ";
        const string Bu5 = "MT1959 Boot BU5 ";

        static OpticalDrive Drive(string vendor = "ASUS", string product = "BW-16D1HT", string revision = "3.02") =>
            new OpticalDrive { Path = "scripted:0", Vendor = vendor, Product = product, Revision = revision, Family = DriveFamily.Mt1959, Model = "mt1959" };

        /// <summary>The drive's flash: its own boot ID, a config tail that differs from any image's, and its chip tag at identity block +0x34.</summary>
        static byte[] DriveFlash(string bootId, int seed = 7, string chip = "MT1959")
        {
            var flash = TestImages.Random(0x200000, seed);
            TestImages.PutAscii(flash, 0x3000, bootId);
            if (chip != null) TestImages.PutAscii(flash, 0x1EC034, "MTEK" + chip);
            return flash;
        }

        /// <summary>An image with its boot ID at 0x3000 and the chip it is built for at 0x1EC034 (docs/reference/mt1959-notes.md §1.2).</summary>
        static byte[] Image(string bootId, int size = 0x200000, int seed = 11, string chip = "MT1959")
        {
            var image = TestImages.Random(size, seed);
            if (size >= 0x3010) TestImages.PutAscii(image, 0x3000, bootId);
            if (chip != null && size >= 0x1EC03E) TestImages.PutAscii(image, 0x1EC034, "MTEK" + chip);
            return image;
        }

        const string ReadConfig = "3C 06 00 00 30 00 00 00 20 00";
        /// <summary>freemkv's PROBE: READ BUFFER mode 6 of the identity block 0x1EC000/0x100 (docs/reference/mt1959-notes.md §3, §4.1).</summary>
        const string ReadIdentity = "3C 06 00 1E C0 00 00 01 00 00";

        [Fact]
        public void Plan_executes_exactly_the_redumper_sequence_byte_for_byte()
        {
            var transport = new ScriptedTransport { Flash = DriveFlash(Jb8) };
            var image = Image(Jb8);
            var device = new ScsiDevice(transport);

            var plan = new Mt1959Protocol().Prepare(device, Drive(), image, recover: false);
            PlanRunner.Execute(device, plan);

            // Expected image built here from the doc: 0x0000-0xFFFF = 0xFF, drive config (0x20 bytes) at 0x3000, rest from the file.
            var expectedImage = (byte[])image.Clone();
            for (int i = 0; i < 0x10000; i++) expectedImage[i] = 0xFF;
            Buffer.BlockCopy(transport.Flash, 0x3000, expectedImage, 0x3000, 0x20);

            var expected = new List<Expected>
            {
                Expected.In(ReadConfig, 0x20),
                Expected.In(ReadIdentity, 0x100),
                Expected.None("3B 01 00 00 00 00 00 00 00 00"),
            };
            // All chunks from offset 0, boot block included, as redumper's loop sends them.
            for (int off = 0; off < 0x200000; off += 0x4000)
                expected.Add(Expected.Out("3B 06 00 " + SequenceAssert.Be24(off) + " 00 40 00 00", expectedImage, off, 0x4000));
            SequenceAssert.Matches(expected, transport.Requests);

            Assert.Equal(131, transport.Requests.Count);
            Assert.Equal("3B 06 00 1F C0 00 00 40 00 00", transport.Requests.Last().CdbHex);
            Assert.Equal(FlashStepKind.Arm, plan.Steps.First().Kind);
            Assert.Equal(FlashStepKind.Commit, plan.Steps.Last().Kind);
            Assert.All(plan.Steps.Skip(1).Take(127), s => Assert.Equal(FlashStepKind.Data, s.Kind));
            Assert.Equal(ScriptedTransport.Sha256(expectedImage), ScriptedTransport.Sha256(plan.ImageToSend));
        }

        [Fact]
        public void Prepare_sends_only_the_config_and_identity_reads()
        {
            var transport = new ScriptedTransport { Flash = DriveFlash(Jb8) };
            var plan = new Mt1959Protocol().Prepare(new ScsiDevice(transport), Drive(), Image(Jb8), false);
            Assert.Equal(new[] { ReadConfig, ReadIdentity }, transport.Requests.Select(r => r.CdbHex));
            SequenceAssert.NothingStateChanging(transport);
            Assert.Contains(plan.Notes, n => n.Contains("MT1959") && n.Contains("0x1EC034"));
        }

        /// <summary>
        /// Issue 9 §2: a JB8 boot loader also runs on MT1939 silicon, so the boot ID cannot tell the chips apart; the chip tag
        /// decides, and an image for the other chip bricks the drive (docs/reference/mt1959-notes.md §1.2, freemkv crossflash.rs).
        /// </summary>
        [Theory]
        [InlineData("MT1939", "MT1959")]
        [InlineData("MT1959", "MT1939")]
        public void An_image_for_the_other_silicon_is_refused_although_the_boot_ids_match(string driveChip, string imageChip)
        {
            var transport = new ScriptedTransport { Flash = DriveFlash(Jb8, chip: driveChip) };
            var ex = Assert.Throws<FlashRefusedException>(() => new Mt1959Protocol().Prepare(new ScsiDevice(transport), Drive(), Image(Jb8, chip: imageChip), false));
            Assert.Equal(FlashRefusalIds.ChipMismatch, ex.ErrorId);
            Assert.Contains(driveChip, ex.Message);
            Assert.Contains(imageChip, ex.Message);
            SequenceAssert.NothingStateChanging(transport);
            // Recovery and a cross-flash never waive it.
            var again = new ScriptedTransport { Flash = DriveFlash(Jb8, chip: driveChip) };
            var protocol = new Mt1959Protocol { RecoveryChip = new KnownChip(imageChip, "a backup") };
            Assert.Equal(FlashRefusalIds.ChipMismatch,
                Assert.Throws<FlashRefusedException>(() => protocol.Prepare(new ScsiDevice(again), Drive(revision: "BOOT"), Image(Jb8, chip: imageChip), true, true)).ErrorId);
            SequenceAssert.NothingStateChanging(again);
        }

        [Fact]
        public void A_drive_whose_chip_cannot_be_read_is_refused_instead_of_assumed()
        {
            // The identity read fails: the error is not swallowed into "unknown, go ahead".
            var failing = new ScriptedTransport { Flash = DriveFlash(Jb8) };
            failing.Override = r => r.Opcode == Cdb.ReadBufferOpcode && Hex.Format(r.Cdb) == ReadIdentity ? ScsiResponse.Check(5, 0x24, 0) : null;
            var ex = Assert.Throws<FlashRefusedException>(() => new Mt1959Protocol().Prepare(new ScsiDevice(failing, null, RetryPolicy.None), Drive(), Image(Jb8), false));
            Assert.Equal(FlashRefusalIds.ChipUnknown, ex.ErrorId);
            Assert.IsType<ScsiCommandException>(ex.InnerException);
            SequenceAssert.NothingStateChanging(failing);

            // The identity block reads, but carries no MTEKMT19xx tag (erased after an interrupted flash).
            var blank = new ScriptedTransport { Flash = DriveFlash(Jb8, chip: null) };
            for (int i = 0x1EC000; i < 0x1EC100; i++) blank.Flash[i] = 0xFF;
            Assert.Equal(FlashRefusalIds.ChipUnknown,
                Assert.Throws<FlashRefusedException>(() => new Mt1959Protocol().Prepare(new ScsiDevice(blank), Drive(), Image(Jb8), false)).ErrorId);
            SequenceAssert.NothingStateChanging(blank);
        }

        [Fact]
        public void An_image_that_names_no_chip_is_refused_before_any_command()
        {
            var transport = new ScriptedTransport { Flash = DriveFlash(Jb8) };
            var ex = Assert.Throws<FlashRefusedException>(() => new Mt1959Protocol().Prepare(new ScsiDevice(transport), Drive(), Image(Jb8, chip: null), false));
            Assert.Equal(FlashRefusalIds.ChipUnknown, ex.ErrorId);
            Assert.Empty(transport.Requests);
        }

        [Fact]
        public void In_recovery_an_erased_chip_tag_is_replaced_only_by_the_units_own_verified_backup()
        {
            var transport = new ScriptedTransport { Flash = DriveFlash(Jb8, chip: null) };
            for (int i = 0x1EC000; i < 0x1EC100; i++) transport.Flash[i] = 0xFF;
            var drive = Drive(revision: "BOOT");
            Assert.Equal(FlashRefusalIds.ChipUnknown,
                Assert.Throws<FlashRefusedException>(() => new Mt1959Protocol().Prepare(new ScsiDevice(transport), drive, Image(Jb8), true)).ErrorId);
            // Not outside recovery either: a running drive whose tag is gone is not a drive to guess about.
            var notRecovering = new Mt1959Protocol { RecoveryChip = new KnownChip("MT1959", "backup X") };
            Assert.Equal(FlashRefusalIds.ChipUnknown,
                Assert.Throws<FlashRefusedException>(() => notRecovering.Prepare(new ScsiDevice(transport), Drive(), Image(Jb8), false)).ErrorId);

            var protocol = new Mt1959Protocol { RecoveryChip = new KnownChip("MT1959", "the verified backup B of this unit") };
            var plan = protocol.Prepare(new ScsiDevice(transport), drive, Image(Jb8), true);
            Assert.Contains(plan.Notes, n => n.Contains("the verified backup B of this unit"));
            SequenceAssert.NothingStateChanging(transport);
        }

        [Fact]
        public void Patching_keeps_the_drive_config_blanks_the_boot_block_and_leaves_the_callers_array_alone()
        {
            var transport = new ScriptedTransport { Flash = DriveFlash(Jb8) };
            var image = Image(Jb8);
            var before = ScriptedTransport.Sha256(image);

            var plan = new Mt1959Protocol().Prepare(new ScsiDevice(transport), Drive(), image, false);

            Assert.Equal(before, ScriptedTransport.Sha256(image));
            Assert.NotSame(image, plan.ImageToSend);
            // Boot block blanked, except the drive config that redumper copies back into it at 0x3000.
            Assert.All(plan.ImageToSend.Take(0x3000).Concat(plan.ImageToSend.Skip(0x3020).Take(0x10000 - 0x3020)), b => Assert.Equal(0xFF, b));
            Assert.Equal(transport.Flash.Skip(0x3000).Take(0x20), plan.ImageToSend.Skip(0x3000).Take(0x20));
            // The drive's config tail differs from the image's, so the copy is observable.
            Assert.NotEqual(image.Skip(0x3010).Take(0x10), plan.ImageToSend.Skip(0x3010).Take(0x10));
            Assert.Equal(ScriptedTransport.Sha256(image, 0x10000, 0x1F0000), ScriptedTransport.Sha256(plan.ImageToSend, 0x10000, 0x1F0000));
        }

        [Fact]
        public void Boot_id_mismatch_is_refused_after_the_read_only_config_read()
        {
            var transport = new ScriptedTransport { Flash = DriveFlash(Bu5) };
            // An unlisted product, so the drive's own boot ID is what refuses.
            var drive = Drive("HL-DT-ST", "BD-RE BH14NS50");
            var ex = Assert.Throws<FlashRefusedException>(() => new Mt1959Protocol().Prepare(new ScsiDevice(transport), drive, Image(Jb8), false));
            Assert.Equal(FlashRefusalIds.BootIdMismatch, ex.ErrorId);
            Assert.Contains(Bu5, ex.Message);
            Assert.Contains(Jb8, ex.Message);
            Assert.Single(transport.Requests);
            SequenceAssert.NothingStateChanging(transport);
        }

        [Fact]
        public void An_image_for_another_board_of_a_listed_model_is_refused_before_any_command()
        {
            var transport = new ScriptedTransport { Flash = DriveFlash(Bu5) };
            var drive = Drive("HL-DT-ST", "BD-RE  BU40N"); // doc §2.3: BU40N uses "MT1959 Boot BU5 "
            var ex = Assert.Throws<FlashRefusedException>(() => new Mt1959Protocol().Prepare(new ScsiDevice(transport), drive, Image(Jb8), false));
            Assert.Equal(FlashRefusalIds.BootIdMismatch, ex.ErrorId);
            Assert.Empty(transport.Requests);
        }

        [Theory]
        [InlineData(0x0FFFF)]   // redumper: smaller than 0x10000
        [InlineData(0x100000)]  // docs/reference/mt1959-notes.md §1.1: not 2 MiB
        [InlineData(0x200001)]
        public void Wrong_sizes_are_refused_before_any_command(int size)
        {
            var transport = new ScriptedTransport { Flash = DriveFlash(Jb8) };
            var ex = Assert.Throws<FlashRefusedException>(() => new Mt1959Protocol().Prepare(new ScsiDevice(transport), Drive(), Image(Jb8, size), false));
            Assert.Equal(FlashRefusalIds.ImageSizeInvalid, ex.ErrorId);
            Assert.Empty(transport.Requests);
        }

        [Fact]
        public void An_unreadable_config_is_a_refusal_with_nothing_written()
        {
            var transport = new ScriptedTransport { Flash = null }; // READ BUFFER answers 5/24/00
            var ex = Assert.Throws<FlashRefusedException>(() => new Mt1959Protocol().Prepare(new ScsiDevice(transport, null, RetryPolicy.None), Drive(), Image(Jb8), false));
            Assert.Equal(FlashRefusalIds.DriveConfigUnreadable, ex.ErrorId);
            Assert.IsType<ScsiCommandException>(ex.InnerException);
            SequenceAssert.NothingStateChanging(transport);
        }

        [Fact]
        public void Recovery_matches_by_the_drives_boot_id_instead_of_inquiry_strings()
        {
            // A BU40N whose boot loader now reports the JB8 ID (e.g. after a desktop cross-flash): INQUIRY says BU40N, revision BOOT.
            var drive = Drive("HL-DT-ST", "BD-RE BU40N", "BOOT");
            var image = Image(Jb8);

            var normal = new ScriptedTransport { Flash = DriveFlash(Jb8) };
            Assert.Equal(FlashRefusalIds.BootIdMismatch,
                Assert.Throws<FlashRefusedException>(() => new Mt1959Protocol().Prepare(new ScsiDevice(normal), drive, image, recover: false)).ErrorId);

            var recovering = new ScriptedTransport { Flash = DriveFlash(Jb8) };
            var device = new ScsiDevice(recovering);
            var plan = new Mt1959Protocol().Prepare(device, drive, image, recover: true);
            Assert.Contains(plan.Notes, n => n.Contains("boot ID"));
            PlanRunner.Execute(device, plan);
            Assert.Equal(129, recovering.StateChanging.Count());

            var mismatched = new ScriptedTransport { Flash = DriveFlash(Bu5) };
            Assert.Equal(FlashRefusalIds.BootIdMismatch,
                Assert.Throws<FlashRefusedException>(() => new Mt1959Protocol().Prepare(new ScsiDevice(mismatched), drive, image, recover: true)).ErrorId);
            SequenceAssert.NothingStateChanging(mismatched);
        }

        [Fact]
        public void Timing_and_regions_are_the_documented_ones()
        {
            var p = new Mt1959Protocol();
            Assert.Equal(TimeSpan.FromSeconds(1), p.Timing.PollInterval);
            // Issue 9 §4: not failed before freemkv's 45 s (redumper's old 15 s bound called a still-programming drive failed).
            Assert.Equal(TimeSpan.FromSeconds(45), p.Timing.PollTimeout);
            Assert.Equal(2, p.Timing.ConsecutiveReady);
            Assert.Equal(TimeSpan.Zero, p.Timing.QuietAfterCommit);
            Assert.Equal(new[] { (0, 0x10000) }, p.ProtectedRegions.Select(r => (r.Start, r.Length)));
            Assert.Equal(new[] { (0x3000, 0x20), (0x1E8000, 0x4000), (0x1EC000, 0x100), (0x1F0000, 0x10000) }, p.DriveSpecificRegions.Select(r => (r.Start, r.Length)));
        }

        [Fact]
        public void ReadFirmware_reads_2_MiB_in_4_KiB_read_buffer_chunks_with_progress()
        {
            var transport = new ScriptedTransport { Flash = DriveFlash(Jb8) };
            var progress = new List<(long Done, long Total)>();

            var dump = new Mt1959Protocol().ReadFirmware(new ScsiDevice(transport), Drive(), (d, t) => progress.Add((d, t)));

            Assert.Equal(ScriptedTransport.Sha256(transport.Flash), ScriptedTransport.Sha256(dump));
            Assert.Equal(512, transport.Requests.Count);
            for (int i = 0; i < 512; i++)
                Assert.Equal("3C 06 00 " + SequenceAssert.Be24(i * 0x1000) + " 00 10 00 00", transport.Requests[i].CdbHex);
            SequenceAssert.NothingStateChanging(transport);
            Assert.Equal(512, progress.Count);
            Assert.Equal((0x200000L, 0x200000L), progress.Last());
        }

        [Fact]
        public void A_hardware_error_stops_the_read_instead_of_retrying_in_pieces()
        {
            var transport = new ScriptedTransport { Flash = DriveFlash(Jb8) };
            transport.Override = r => r.Opcode == Cdb.ReadBufferOpcode && Hex.Format(r.Cdb) == "3C 06 00 00 50 00 00 10 00 00" ? ScsiResponse.Check(4, 0x44, 0) : null;
            var ex = Assert.Throws<ScsiCommandException>(() => new Mt1959Protocol().ReadFirmware(new ScsiDevice(transport), Drive(), null));
            Assert.Equal(4, ex.Sense.Key);
            Assert.Equal(6, transport.Requests.Count);   // chunks 0..5; no 512-byte pieces, nothing after the failure
        }

        [Fact]
        public void A_failed_chunk_is_read_again_in_512_byte_pieces()
        {
            var transport = new ScriptedTransport { Flash = DriveFlash(Jb8) };
            transport.Override = r => r.Opcode == Cdb.ReadBufferOpcode && Hex.Format(r.Cdb) == "3C 06 00 00 50 00 00 10 00 00" ? ScsiResponse.Check(3, 0x11, 0) : null;

            var dump = new Mt1959Protocol().ReadFirmware(new ScsiDevice(transport, null, RetryPolicy.None), Drive(), null);

            Assert.Equal(ScriptedTransport.Sha256(transport.Flash), ScriptedTransport.Sha256(dump));
            var after = transport.Requests.SkipWhile(r => r.CdbHex != "3C 06 00 00 50 00 00 10 00 00").Skip(1).Take(9).Select(r => r.CdbHex).ToArray();
            for (int i = 0; i < 8; i++) Assert.Equal("3C 06 00 " + SequenceAssert.Be24(0x5000 + i * 0x200) + " 00 02 00 00", after[i]);
            Assert.Equal("3C 06 00 00 60 00 00 10 00 00", after[8]);
        }

        [Fact]
        public void An_unreadable_piece_makes_the_dump_incomplete_with_its_gap_reported()
        {
            var transport = new ScriptedTransport { Flash = DriveFlash(Jb8) };
            transport.Override = r => r.Opcode == Cdb.ReadBufferOpcode && (Hex.Format(r.Cdb) == "3C 06 00 1F 00 00 00 10 00 00" || Hex.Format(r.Cdb) == "3C 06 00 1F 02 00 00 02 00 00")
                ? ScsiResponse.Check(3, 0x11, 0) : null;

            var ex = Assert.Throws<FirmwareReadIncompleteException>(() => new Mt1959Protocol().ReadFirmware(new ScsiDevice(transport, null, RetryPolicy.None), Drive(), null));

            var gap = Assert.Single(ex.Gaps);
            Assert.Equal((0x1F0200, 0x200), (gap.Start, gap.Length));
            Assert.All(ex.PartialData.Skip(0x1F0200).Take(0x200), b => Assert.Equal(0xFF, b));
            Assert.Equal(transport.Flash.Skip(0x1F0000).Take(0x200), ex.PartialData.Skip(0x1F0000).Take(0x200));
        }

        [Fact]
        public void ReadRegions_returns_the_per_unit_regions()
        {
            var transport = new ScriptedTransport { Flash = DriveFlash(Jb8) };
            var dumps = new Mt1959Protocol().ReadRegions(new ScsiDevice(transport), Drive());

            Assert.Equal(new[] { "config", "nvram", "identity", "calibration" }, dumps.Select(d => d.Region.Name));
            foreach (var d in dumps) Assert.Equal(transport.Flash.Skip(d.Region.Start).Take(d.Region.Length), d.Data);
            Assert.Equal(ReadConfig, transport.Requests[0].CdbHex);
            Assert.Equal("3C 06 00 1E 80 00 00 10 00 00", transport.Requests[1].CdbHex);   // nvram, 4 KiB chunks
            Assert.Equal("3C 06 00 1E C0 00 00 01 00 00", transport.Requests[5].CdbHex);
            Assert.Equal(1 + 4 + 1 + 16, transport.Requests.Count);
            SequenceAssert.NothingStateChanging(transport);
        }
    }
}
