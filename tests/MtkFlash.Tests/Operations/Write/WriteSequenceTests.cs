using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Transports;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Operations
{
    /// <summary>
    /// The whole write operation on a virtual drive, read back from its --trace: the state-changing commands are exactly the
    /// documented sequence of the family, byte for byte, in order, with the right data (issue 5, "Proof"). The expected
    /// sequences are written here from docs/reference/drive-protocols.md, not taken from the protocol classes.
    /// </summary>
    public class WriteSequenceTests
    {
        static string Be24(int v) => v.ToString("x6");

        /// <summary>Runs a write and returns (the sent image, the state-changing trace records).</summary>
        static (byte[] Image, List<TraceRecord> Writes, byte[] DriveFlash) Flash(VirtualRig rig, string profile, string revision)
        {
            var drive = rig.NewDrive("d", profile);
            var driveFlash = rig.Store.ReadFlash("d");
            var path = rig.Image(profile, revision);
            var result = new WriteOperation(rig.Context).Run(new RecordingHost(), drive, new WriteOptions { ImagePath = path, SkipBackup = true, Force = true });
            Assert.True(result.Outcome == WriteOutcome.Succeeded, result.Message);
            var writes = rig.Trace().Records.Where(r => MtkFlash.Core.Scsi.Cdb.IsStateChanging(r.CdbBytes())).ToList();
            Assert.Equal(result.CommandsSent, writes.Count);
            return (File.ReadAllBytes(path), writes, driveFlash);
        }

        static string Sha(byte[] data, int offset, int length) => Hashing.Sha256Hex(data.Skip(offset).Take(length).ToArray());

        [Fact]
        public void Mt1959_arm_with_mode_1_then_mode_6_chunks_of_0x4000_with_the_boot_block_blank_the_drive_config_and_nothing_else_changed()
        {
            // docs/reference/drive-protocols.md §2.3 (redumper flash_mt1959): 3B 01 …; 3B 06 00 [off BE24] [len BE24] 00 per 0x4000 chunk.
            using (var rig = new VirtualRig())
            {
                var (image, writes, flash) = Flash(rig, "lg-bh16ns40", "1.03");
                var expected = (byte[])image.Clone();
                for (int i = 0; i < 0x10000; i++) expected[i] = 0xFF;                 // boot block not rewritten
                Buffer.BlockCopy(flash, 0x3000, expected, 0x3000, 0x20);              // the drive's own config
                // Nothing else changes (issue 9 §3): NVRAM and calibration go out as the image has them, like redumper sends them
                // (the splice of the drive's own bytes asserted here before was the unsafe behaviour the issue removed).
                Assert.Equal(1 + 128, writes.Count);
                Assert.Equal("3b010000000000000000", writes[0].Cdb);
                Assert.Equal("none", writes[0].Direction);
                for (int n = 0; n < 128; n++)
                {
                    var w = writes[1 + n];
                    Assert.Equal("3b0600" + Be24(n * 0x4000) + Be24(0x4000) + "00", w.Cdb);
                    Assert.Equal(0x4000, w.Length);
                    Assert.Equal(Sha(expected, n * 0x4000, 0x4000), w.Sha256);
                }
            }
        }

        [Theory]
        [InlineData("tsst-se506cb", "TS02", 0xF800, "02", 0x200000)]   // MT1939: 33 x 0xF800 + 0x800, final state 02 (§2.2)
        [InlineData("tsst-ts-h353c", "ID04", 0xFC00, "04", 0x100000)]  // MT1339: 0xFC00 blocks, final state 04 (§2.2)
        public void Tsst_sends_FF_00_01_blocks_in_order_with_first_continue_and_final_states(string profile, string revision, int block, string final, int size)
        {
            using (var rig = new VirtualRig())
            {
                var (image, writes, flash) = Flash(rig, profile, revision);
                Assert.Equal(size, image.Length);
                var expected = (byte[])image.Clone();   // the file as it is, like the TSST updater and redumper send it (issue 9 §3)
                int blocks = (size + block - 1) / block;
                Assert.Equal(blocks, writes.Count);
                for (int n = 0; n < blocks; n++)
                {
                    string state = n == 0 ? "00" : n == blocks - 1 ? final : "ff";
                    Assert.Equal("ff00010000" + state + "000000000000", writes[n].Cdb);
                    int length = Math.Min(block, size - n * block);
                    Assert.Equal(length, writes[n].Length);
                    Assert.Equal(Sha(expected, n * block, length), writes[n].Sha256 ?? Hashing.Sha256Hex(MtkFlash.Core.Scsi.Hex.Parse(writes[n].Data)));
                }
            }
        }

        [Fact]
        public void Btc_mode_6_at_file_offset_plus_0x20_then_the_checksum_block_then_mode_7()
        {
            // docs/reference/drive-protocols.md §2.1 (schilytools btcflash.c).
            using (var rig = new VirtualRig())
            {
                var (image, writes, _) = Flash(rig, "btc-drw1008", "B231");
                Assert.Equal(256 + 2, writes.Count);
                for (int n = 0; n < 256; n++)
                {
                    Assert.Equal("3b0600" + Be24(n * 0x1000 + 0x20) + "00100000", writes[n].Cdb);
                    Assert.Equal(Sha(image, n * 0x1000, 0x1000), writes[n].Sha256);
                }
                int sum = image.Sum(b => b) & 0xFFFF;
                Assert.Equal("3b060000000000002000", writes[256].Cdb);
                Assert.Equal(new string('0', 60) + sum.ToString("x4"), writes[256].Data);
                Assert.Equal("3b070000000000000000", writes[257].Cdb);
            }
        }

        [Fact]
        public void Plextor_mode_4_per_block_and_mode_5_on_the_last()
        {
            // docs/reference/drive-protocols.md §2.5 (redumper flash_plextor; block 0x4000 for the PX-716A in redumper's table).
            using (var rig = new VirtualRig())
            {
                var (image, writes, _) = Flash(rig, "plextor-px716a", "1.12");
                int blocks = image.Length / 0x4000;
                Assert.Equal(blocks, writes.Count);
                for (int n = 0; n < blocks; n++)
                {
                    string mode = n == blocks - 1 ? "05" : "04";
                    Assert.Equal("3b" + mode + "00" + Be24(n * 0x4000) + Be24(0x4000) + "00", writes[n].Cdb);
                    Assert.Equal(Sha(image, n * 0x4000, 0x4000), writes[n].Sha256);
                }
                // Plextor's flasher checks readiness before each block (a read-only TEST UNIT READY precedes every write).
                var all = rig.Trace().Records;
                var writeIndices = Enumerable.Range(0, all.Length).Where(i => MtkFlash.Core.Scsi.Cdb.IsStateChanging(all[i].CdbBytes())).ToList();
                Assert.Equal(blocks, writeIndices.Count);
                foreach (var i in writeIndices) Assert.Equal("000000000000", all[i - 1].Cdb);
            }
        }
    }
}
