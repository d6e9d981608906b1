using System;
using System.Linq;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Virtual;
using Xunit;
using MtkFlash.Tests.Support;
using static MtkFlash.Tests.Support.RawScsi;

namespace MtkFlash.Tests.Virtual
{
    /// <summary>Each family's documented sequence, sent CDB by CDB as the sources write it (not through a protocol class).</summary>
    public class VirtualFlashTests
    {
        // ------------------------------------------------------------------ MT1959 (redumper drive/flash_mt1959.ixx)

        /// <summary>redumper: read config 0x3000/0x20, blank boot block, copy config, WB mode 1, WB mode 6 × 0x4000 chunks.</summary>
        static void FlashMt1959(IScsiTransport drive, byte[] vendorImage)
        {
            var config = Read(drive, 0x20, 0x3C, 0x06, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00, 0x20, 0x00);
            AssertGood(config);
            var image = (byte[])vendorImage.Clone();
            for (int i = 0; i < 0x10000; i++) image[i] = 0xFF;
            Array.Copy(config.Data, 0, image, 0x3000, 0x20);
            AssertGood(Send(drive, 0x3B, 0x01, 0, 0, 0, 0, 0, 0, 0, 0));
            for (int off = 0; off < image.Length; off += 0x4000)
                AssertGood(Write(drive, Slice(image, off, 0x4000), Buffer10(0x3B, 0x06, off, 0x4000)));
        }

        /// <summary>
        /// The drive reboots after programming for its family's reboot time (issue 15 timing model), answering NOT READY
        /// 2/04/01 until it is up; the tests that look at it right after the last command let that time pass first.
        /// </summary>
        static void LetReboot(IScsiTransport drive, FakeClock clock, DriveTimingModel model)
        {
            AssertSense(Tur(drive), 2, 0x04, 0x01);
            clock.Advance(model.RebootTime);
        }

        static void AssertRegionsKept(byte[] before, byte[] after, VirtualProfile p)
        {
            foreach (var r in p.ProtectedRegions.Concat(p.DriveUniqueRegions))
                Assert.True(Slice(before, r.Start, r.Length).SequenceEqual(Slice(after, r.Start, r.Length)), r + " changed");
        }

        [Fact]
        public void Mt1959_redumper_sequence_programs_the_image_keeps_boot_and_drive_regions_and_reports_the_new_revision()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("lg", "lg-bh16ns40"))
            {
                var before = drive.ReadFlash();
                var vendor = SyntheticImages.Build("lg-bh16ns40", "1.03");
                FlashMt1959(drive, vendor);
                Assert.True(drive.IsProgramming);
                var seen = kit.PollUntilReady(drive, 15);
                Assert.Contains("2/04/08", seen);             // long write in progress while programming
                Assert.Contains("6/29/00", seen);             // then the reset unit attention
                Assert.Equal("1.03", Inquiry(drive).Revision);
                var after = drive.ReadFlash();
                AssertRegionsKept(before, after, drive.Profile);
                Assert.True(Slice(vendor, 0x10000, 0x1D8000 - 0x10000).SequenceEqual(Slice(after, 0x10000, 0x1D8000 - 0x10000)));
                Assert.True(Slice(vendor, 0x1EC000, 0x60).SequenceEqual(Slice(after, 0x1EC000, 0x60)));
                Assert.NotEqual(vendor.Skip(0x1F0000), after.Skip(0x1F0000));   // per-drive calibration, not the factory blank
            }
        }

        [Fact]
        public void Mt1959_crossflash_to_the_asus_image_changes_identity_and_a_full_read_buffer_dump_matches_flash()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("lg", "lg-bh16ns40"))
            {
                FlashMt1959(drive, SyntheticImages.Build("asus-bw16d1ht", "3.02"));
                kit.PollUntilReady(drive, 15);
                var inq = Inquiry(drive);
                Assert.Equal("ASUS", inq.Vendor);
                Assert.Equal("BW-16D1HT", inq.Product);
                var dump = new byte[0x200000];
                for (int off = 0; off < dump.Length; off += 0x1000)
                    Array.Copy(Read(drive, 0x1000, Buffer10(0x3C, 0x06, off, 0x1000)).Data, 0, dump, off, 0x1000);
                Assert.Equal(drive.ReadFlash(), dump);
            }
        }

        [Fact]
        public void Mt1959_boot_id_mismatch_is_a_silent_no_op()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("lg", "lg-bh16ns40"))
            {
                var before = drive.ReadFlash();
                var image = SyntheticImages.Build("lg-bh16ns40", "1.03");
                AssertGood(Send(drive, 0x3B, 0x01, 0, 0, 0, 0, 0, 0, 0, 0));
                Array.Copy(System.Text.Encoding.ASCII.GetBytes("MT1959 Boot BU5 "), 0, image, 0x3000, 16);
                for (int off = 0; off < image.Length; off += 0x4000)
                    AssertGood(Write(drive, Slice(image, off, 0x4000), Buffer10(0x3B, 0x06, off, 0x4000)));
                kit.PollUntilReady(drive, 15);
                Assert.Equal("1.02", Inquiry(drive).Revision);
                Assert.Equal(before, drive.ReadFlash());
            }
        }

        [Fact]
        public void Mt1959_rejects_out_of_order_and_bad_fields()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("lg", "lg-bh16ns40"))
            {
                AssertSense(Write(drive, new byte[0x4000], Buffer10(0x3B, 0x06, 0x10000, 0x4000)), 5, 0x2C, 0x00);  // not armed
                AssertGood(Send(drive, 0x3B, 0x01, 0, 0, 0, 0, 0, 0, 0, 0));
                AssertSense(Write(drive, new byte[0x4000], Buffer10(0x3B, 0x06, 0x1FE000, 0x4000)), 5, 0x24, 0x00); // past 2 MiB
                AssertSense(Write(drive, new byte[0x100], Buffer10(0x3B, 0x06, 0x10000, 0x4000)), 5, 0x1A, 0x00);   // length mismatch
                AssertSense(Read(drive, 0x20, Buffer10(0x3C, 0x06, 0x1FFFF0, 0x20)), 5, 0x24, 0x00);
                AssertSense(Read(drive, 0x20, Buffer10(0x3C, 0x02, 0x3000, 0x20)), 5, 0x24, 0x00);
                AssertSense(Send(drive, 0xFF, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0), 5, 0x20, 0x00);            // not a TSST drive
            }
        }

        [Fact]
        public void Mt1959_power_loss_while_programming_leaves_boot_mode_and_a_new_flash_recovers_it()
        {
            using (var kit = new VirtualRig(trace: false))
            {
                var drive = kit.Create("lg", "lg-bh16ns40");
                var before = drive.ReadFlash();
                FlashMt1959(drive, SyntheticImages.Build("lg-bh16ns40", "1.03"));
                drive.SetFaults(f => f.PowerLossAfter = 0);
                Assert.Throws<DriveNotRespondingException>(() => Tur(drive));
                Assert.Throws<DriveNotRespondingException>(() => Inquiry(drive));
                drive.Dispose();

                using (drive = kit.Store.Open("lg", DriveAccess.Exclusive))   // power returns
                {
                    Assert.Equal(VirtualDriveMode.Boot, drive.Mode);
                    Assert.Equal("BOOT", Inquiry(drive).Revision);
                    AssertSense(Tur(drive), 6, 0x29, 0x00);
                    AssertSense(Read(drive, 8, 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0), 5, 0x20, 0x00);   // boot loader: flash commands only
                    AssertRegionsKept(before, drive.ReadFlash(), drive.Profile);
                    FlashMt1959(drive, SyntheticImages.Build("lg-bh16ns40", "1.03"));
                    kit.PollUntilReady(drive, 15);
                    Assert.Equal(VirtualDriveMode.Normal, drive.Mode);
                    Assert.Equal("1.03", Inquiry(drive).Revision);
                }
            }
        }

        // ------------------------------------------------------------------ TSST MT1939 (coastermelt, redumper flash_tsst.ixx)

        static byte[] TsstCdb(byte state) => new byte[] { 0xFF, 0x00, 0x01, 0x00, 0x00, state, 0, 0, 0, 0, 0, 0 };

        static void FlashTsst(IScsiTransport drive, byte[] image, int block, byte finalState)
        {
            for (int off = 0; off < image.Length; off += block)
            {
                int len = Math.Min(block, image.Length - off);
                byte state = off == 0 ? (byte)0x00 : off + len >= image.Length ? finalState : (byte)0xFF;
                AssertGood(Write(drive, Slice(image, off, len), TsstCdb(state)));
            }
        }

        /// <summary>
        /// Only 0x0-0xFFFF is write-protected (coastermelt update-ts01-notes.txt): the info region takes what is sent. The test
        /// asserted before that the drive kept its info region, an inference the emulator shared with the removed splice (issue 9 §3).
        /// </summary>
        [Fact]
        public void Tsst_mt1939_sequence_programs_per_mib_with_stalls_reboots_and_writes_all_but_the_protected_boot_block()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("se", "tsst-se506cb"))
            {
                var before = drive.ReadFlash();
                var image = SyntheticImages.Build("tsst-se506cb", "TS02");
                Assert.Equal(0x200000, 33 * 0xF800 + 0x800);
                var t0 = kit.Clock.Elapsed;
                FlashTsst(drive, image, 0xF800, 0x02);
                // ~10 s stall per MiB, inside the commands, plus each block's bus time (TsstTiming)
                var model = MtkFlash.Core.Families.Tsst.TsstTiming.Model;
                Assert.Equal(TimeSpan.FromSeconds(20) + TimeSpan.FromTicks(model.Command(0xF800).Ticks * 33) + model.Command(0x800), kit.Clock.Elapsed - t0);
                LetReboot(drive, kit.Clock, model);
                AssertSense(Tur(drive), 6, 0x29, 0x00);
                Assert.Equal("TS02", Inquiry(drive).Revision);
                var after = drive.ReadFlash();
                AssertRegionsKept(before, after, drive.Profile);
                Assert.True(Slice(image, 0x10000, 0x200000 - 0x10000).SequenceEqual(Slice(after, 0x10000, 0x200000 - 0x10000)));
                Assert.False(Slice(before, 0x1E2000, 0x100).SequenceEqual(Slice(after, 0x1E2000, 0x100)), "the unit's info bytes were replaced by the image's");
                Assert.True(MtkFlash.Core.Families.Tsst.TsstSyntheticImage.Mt1939ChecksumValid(after));
            }
        }

        [Fact]
        public void Tsst_bad_checksum_reboots_into_boot_where_the_boot_loader_answers_and_a_good_image_recovers()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("se", "tsst-se506cb"))
            {
                var bad = SyntheticImages.Build("tsst-se506cb", "TS02");
                bad[0x20000] ^= 0xFF;
                FlashTsst(drive, bad, 0xF800, 0x02);
                LetReboot(drive, kit.Clock, MtkFlash.Core.Families.Tsst.TsstTiming.Model);
                Assert.Equal("BOOT", Inquiry(drive).Revision);
                Assert.Equal(VirtualDriveMode.Boot, drive.Mode);
                AssertGood(Read(drive, 18, 0x03, 0, 0, 0, 18, 0));   // REQUEST SENSE takes the reboot's unit attention
                // The boot loader answers FF 00 FF with its version and ignores unknown FF sub-commands silently.
                var version = Read(drive, 8, 0xFF, 0x00, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0);
                AssertGood(version);
                Assert.Equal(new byte[] { 0x00, 0x06, 0x01, 0x01, 0x54, 0x53, 0x20, 0x00 }, version.Data);
                var ignored = Send(drive, 0xFF, 0x00, 0x42, 0, 0, 0, 0, 0, 0, 0, 0, 0);
                AssertGood(ignored);
                Assert.Null(ignored.SenseBytes);
                AssertSense(Tur(drive), 5, 0x20, 0x00);   // 00h is not in the boot loader's opcode list
                FlashTsst(drive, SyntheticImages.Build("tsst-se506cb", "TS02"), 0xF800, 0x02);
                LetReboot(drive, kit.Clock, MtkFlash.Core.Families.Tsst.TsstTiming.Model);
                Assert.Equal("TS02", Inquiry(drive).Revision);
            }
        }

        [Fact]
        public void Tsst_rejects_continuation_without_start_wrong_end_state_and_wrong_block_size()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("se", "tsst-se506cb"))
            {
                AssertSense(Write(drive, new byte[0xF800], TsstCdb(0xFF)), 5, 0x2C, 0x00);
                AssertGood(Write(drive, new byte[0xF800], TsstCdb(0x00)));
                AssertSense(Write(drive, new byte[0x800], TsstCdb(0x04)), 5, 0x24, 0x00);   // MT1339's end state
                AssertSense(Write(drive, new byte[0xFC00], TsstCdb(0xFF)), 5, 0x1A, 0x00);
                AssertSense(Send(drive, 0xFF, 0x00, 0x42, 0, 0, 0, 0, 0, 0, 0, 0, 0), 5, 0x24, 0x00); // running firmware [inferred]
                Assert.Equal("TS01", Inquiry(drive).Revision);
            }
        }

        [Fact]
        public void Tsst_power_loss_after_the_first_programmed_mib_leaves_boot_mode()
        {
            using (var kit = new VirtualRig(trace: false))
            {
                var drive = kit.Create("se", "tsst-se506cb");
                var image = SyntheticImages.Build("tsst-se506cb", "TS02");
                drive.SetFaults(f => f.PowerLossAfter = 20);   // 17 blocks program the first MiB
                Assert.Throws<DriveNotRespondingException>(() => FlashTsst(drive, image, 0xF800, 0x02));
                drive.Dispose();
                using (drive = kit.Store.Open("se", DriveAccess.Shared))
                {
                    Assert.Equal("BOOT", Inquiry(drive).Revision);
                    Assert.Equal("6/29/00", SenseData.TryParse(Read(drive, 18, 0x03, 0, 0, 0, 18, 0).Data).Triple);
                    FlashTsst(drive, image, 0xF800, 0x02);
                    LetReboot(drive, kit.Clock, MtkFlash.Core.Families.Tsst.TsstTiming.Model);
                    Assert.Equal("TS02", Inquiry(drive).Revision);
                }
            }
        }

        [Fact]
        public void Tsst_mt1339_uses_0xFC00_blocks_and_end_state_04()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("h353", "tsst-ts-h353c"))
            {
                FlashTsst(drive, SyntheticImages.Build("tsst-ts-h353c", "ID04"), 0xFC00, 0x04);
                LetReboot(drive, kit.Clock, MtkFlash.Core.Families.Tsst.TsstTiming.Model);
                AssertSense(Tur(drive), 6, 0x29, 0x00);
                Assert.Equal("ID04", Inquiry(drive).Revision);
            }
        }

        // ------------------------------------------------------------------ BTC (schilytools btcflash.c)

        static void UploadBtc(IScsiTransport drive, byte[] image, int sum)
        {
            for (int off = 0; off < 0x100000; off += 0x1000)
                AssertGood(Write(drive, Slice(image, off, 0x1000), Buffer10(0x3B, 0x06, off + 0x20, 0x1000)));
            var block = new byte[0x20];
            block[30] = (byte)(sum >> 8); block[31] = (byte)sum;
            AssertGood(Write(drive, block, 0x3B, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00));
        }

        [Fact]
        public void Btc_sequence_commits_for_50_seconds_then_reports_the_new_revision()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("btc", "btc-drw1008"))
            {
                var image = SyntheticImages.Build("btc-drw1008", "B231");
                UploadBtc(drive, image, MtkFlash.Core.Families.Btc.BtcSyntheticImage.Checksum(image));
                AssertGood(Send(drive, 0x3B, 0x07, 0, 0, 0, 0, 0, 0, 0, 0));
                AssertSense(Tur(drive), 2, 0x04, 0x01);
                kit.Clock.Advance(TimeSpan.FromSeconds(49));
                AssertSense(Tur(drive), 2, 0x04, 0x01);
                kit.Clock.Advance(TimeSpan.FromSeconds(1));
                LetReboot(drive, kit.Clock, MtkFlash.Core.Families.Btc.BtcTiming.Model);   // programmed after 50 s, then it reboots
                AssertSense(Tur(drive), 6, 0x29, 0x00);
                Assert.Equal("B231", Inquiry(drive).Revision);
                Assert.Equal(image, drive.ReadFlash());
            }
        }

        [Fact]
        public void Btc_wrong_checksum_or_missing_parts_are_refused_without_touching_flash()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("btc", "btc-drw1008"))
            {
                var before = drive.ReadFlash();
                AssertSense(Send(drive, 0x3B, 0x07, 0, 0, 0, 0, 0, 0, 0, 0), 5, 0x2C, 0x00);
                var image = SyntheticImages.Build("btc-drw1008", "B231");
                UploadBtc(drive, image, MtkFlash.Core.Families.Btc.BtcSyntheticImage.Checksum(image) ^ 1);
                AssertSense(Send(drive, 0x3B, 0x07, 0, 0, 0, 0, 0, 0, 0, 0), 5, 0x26, 0x00);
                AssertSense(Write(drive, new byte[0x1000], Buffer10(0x3B, 0x06, 0x10, 0x1000)), 5, 0x24, 0x00);
                AssertSense(Write(drive, new byte[0x1000], Buffer10(0x3B, 0x06, 0x100020, 0x1000)), 5, 0x24, 0x00);
                Assert.Equal(before, drive.ReadFlash());
                Assert.Equal("B230", Inquiry(drive).Revision);
            }
        }

        [Fact]
        public void Btc_power_loss_during_commit_leaves_a_dead_drive()
        {
            using (var kit = new VirtualRig(trace: false))
            {
                var drive = kit.Create("btc", "btc-drw1008");
                var image = SyntheticImages.Build("btc-drw1008", "B231");
                UploadBtc(drive, image, MtkFlash.Core.Families.Btc.BtcSyntheticImage.Checksum(image));
                AssertGood(Send(drive, 0x3B, 0x07, 0, 0, 0, 0, 0, 0, 0, 0));
                drive.SetFaults(f => f.PowerLossAfter = 1);
                AssertSense(Tur(drive), 2, 0x04, 0x01);
                Assert.Throws<DriveNotRespondingException>(() => Tur(drive));
                drive.Dispose();
                kit.Store.ForgetLoadedDrives();   // as a new process would see it
                using (drive = kit.Store.Open("btc", DriveAccess.Shared))
                {
                    Assert.Equal(VirtualDriveMode.Dead, drive.Mode);
                    Assert.Throws<DriveNotRespondingException>(() => Inquiry(drive));
                }
            }
        }

        // ------------------------------------------------------------------ Plextor (redumper flash_plextor.ixx, qpxtool pxfw.cpp)

        static ScsiResponse FlashPlextor(IScsiTransport drive, byte[] image, int block)
        {
            ScsiResponse last = null;
            for (int off = 0; off < image.Length; off += block)
            {
                byte mode = off + block >= image.Length ? (byte)0x05 : (byte)0x04;
                last = Write(drive, Slice(image, off, block), Buffer10(0x3B, mode, off, block));
                if (mode == 0x04) AssertGood(last);
            }
            return last;
        }

        [Fact]
        public void Plextor_mode_4_blocks_and_mode_5_last_block_flash_a_checksummed_image()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("px", "plextor-px716a"))
            {
                var image = SyntheticImages.Build("plextor-px716a", "1.12");
                AssertGood(FlashPlextor(drive, image, 0x4000));
                kit.PollUntilReady(drive, 60);
                Assert.Equal("1.12", Inquiry(drive).Revision);
                Assert.Equal(image, drive.ReadFlash());
            }
        }

        [Fact]
        public void Plextor_bad_checksum_and_skipped_blocks_are_refused()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("px", "plextor-px716a"))
            {
                var before = drive.ReadFlash();
                var image = SyntheticImages.Build("plextor-px716a", "1.12");
                image[0x1234] ^= 0x01;
                AssertSense(FlashPlextor(drive, image, 0x1000), 5, 0x26, 0x00);
                AssertGood(Write(drive, new byte[0x1000], Buffer10(0x3B, 0x04, 0, 0x1000)));
                AssertSense(Write(drive, new byte[0x1000], Buffer10(0x3B, 0x04, 0x3000, 0x1000)), 5, 0x2C, 0x00);
                Assert.Equal(before, drive.ReadFlash());
            }
        }

        // ------------------------------------------------------------------ generic SPC and LiteOn

        /// <summary>
        /// Issue 9 §2: no public source shows an optical drive taking the standard download, so the virtual SPC drive takes none
        /// (this replaces a test that had it accept mode 5 and mode 7 downloads, a shape no source documents).
        /// </summary>
        [Fact]
        public void Spc_drive_answers_its_buffer_descriptor_and_refuses_every_download()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("spc", "spc-generic"))
            {
                var before = drive.ReadFlash();
                var v2 = SyntheticImages.Build("spc-generic", "2.00");
                AssertSense(Write(drive, v2, Buffer10(0x3B, 0x05, 0, v2.Length)), 5, 0x24, 0x00);
                AssertSense(Write(drive, Slice(v2, 0, 0x8000), Buffer10(0x3B, 0x07, 0, 0x8000)), 5, 0x24, 0x00);
                AssertSense(Send(drive, 0x3B, 0x01, 0, 0, 0, 0, 0, 0, 0, 0), 5, 0x24, 0x00);
                var descriptor = Read(drive, 4, Buffer10(0x3C, 0x03, 0, 4));
                AssertGood(descriptor);
                Assert.Equal(new byte[] { 0x00, 0x10, 0x00, 0x00 }, descriptor.Data);
                Assert.Equal("1.00", Inquiry(drive).Revision);
                Assert.Equal(before, drive.ReadFlash());
            }
        }

        [Fact]
        public void LiteOn_answers_identity_and_cache_reads_and_refuses_every_flash_or_read_back_attempt()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("lo", "liteon-sohw812s"))
            {
                var before = drive.ReadFlash();
                Assert.Equal("US0N", Inquiry(drive).Revision);
                AssertSense(Tur(drive), 2, 0x3A, 0x01);
                var cache = Read(drive, 0x930, 0xF1, 0x06, 0, 0, 0, 0, 0, 0, 0x09, 0x30);
                AssertGood(cache);
                Assert.Equal(0x930, cache.Data.Length);
                AssertSense(Send(drive, 0x3B, 0x01, 0, 0, 0, 0, 0, 0, 0, 0), 5, 0x20, 0x00);
                AssertSense(Write(drive, new byte[0x1000], Buffer10(0x3B, 0x06, 0x20, 0x1000)), 5, 0x20, 0x00);
                AssertSense(Read(drive, 0x20, Buffer10(0x3C, 0x06, 0x3000, 0x20)), 5, 0x20, 0x00);
                AssertSense(Write(drive, new byte[0xF800], TsstCdb(0x00)), 5, 0x20, 0x00);
                AssertSense(Send(drive, 0xE7, 0, 0, 0, 0, 0, 0, 0, 0, 0), 5, 0x20, 0x00);
                Assert.Equal(before, drive.ReadFlash());
                Assert.True(System.IO.File.Exists(System.IO.Path.Combine(drive.Folder, "eeprom.bin")));
            }
        }
    }
}
