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
using MtkFlash.Core.Families.Tsst;

namespace MtkFlash.Tests.Families.Tsst
{
    /// <summary>TSST against docs/reference/drive-protocols.md §2.2 (coastermelt update-ts01-notes.txt / checksum.py, redumper flash_tsst.ixx).</summary>
    public class TsstProtocolTests
    {
        static OpticalDrive Drive(string model, string product = "BDDVDW SE-506CB", string revision = "TS01") =>
            new OpticalDrive { Path = "scripted:0", Vendor = "TSSTcorp", Product = product, Revision = revision, Family = DriveFamily.Tsst, Model = model };

        /// <summary>A 2 MiB MT1939 image whose BE16 at 0x1FFFFE is Σ bytes[0x10000..0x1E1FFF], computed here independently.</summary>
        static byte[] Mt1939Image(int seed = 3)
        {
            var image = TestImages.Random(0x200000, seed);
            int sum = 0;
            for (int i = 0x10000; i <= 0x1E1FFF; i++) sum += image[i];
            image[0x1FFFFE] = (byte)((sum >> 8) & 0xFF);
            image[0x1FFFFF] = (byte)(sum & 0xFF);
            return image;
        }

        static string FlashCdb(byte state) => "FF 00 01 00 00 " + state.ToString("X2") + " 00 00 00 00 00 00";

        [Fact]
        public void Mt1939_plan_is_33_blocks_of_0xF800_and_one_of_0x800_with_states_00_FF_02()
        {
            var transport = new ScriptedTransport();
            var device = new ScsiDevice(transport);
            var image = Mt1939Image();

            var plan = new TsstProtocol(TsstModel.Mt1939).Prepare(device, Drive("mt1939"), image, false);
            Assert.Empty(transport.Requests); // no read-only command needed either
            PlanRunner.Execute(device, plan);

            var expected = new List<Expected>();
            for (int i = 0; i < 33; i++) expected.Add(Expected.Out(FlashCdb(i == 0 ? (byte)0x00 : (byte)0xFF), image, i * 0xF800, 0xF800));
            expected.Add(Expected.Out(FlashCdb(0x02), image, 33 * 0xF800, 0x800));
            SequenceAssert.Matches(expected, transport.Requests);
            Assert.All(transport.Requests, r => Assert.Equal(12, r.Cdb.Length));
            Assert.Equal(0x200000, 33 * 0xF800 + 0x800);
            Assert.Equal(FlashStepKind.Commit, plan.Steps.Last().Kind);
        }

        [Fact]
        public void Mt1939_stalls_are_declared_after_each_MiB_and_nowhere_else()
        {
            var plan = new TsstProtocol(TsstModel.Mt1939).Prepare(new ScsiDevice(new ScriptedTransport()), Drive("mt1939"), Mt1939Image(), false);
            var stalled = plan.Steps.Select((s, i) => (s, i)).Where(x => x.s.ExpectedStall > TimeSpan.Zero).Select(x => x.i).ToArray();
            // Block 16 holds bytes 0xF8000-0x1077FF (completes the first MiB); block 33 is the last.
            Assert.Equal(new[] { 16, 33 }, stalled);
            Assert.All(stalled, i => Assert.Equal(TimeSpan.FromSeconds(10), plan.Steps[i].ExpectedStall));
            Assert.True(plan.Protocol.Timing.CommandTimeout > TimeSpan.FromSeconds(10));
        }

        [Fact]
        public void Mt1939_first_64_KiB_is_declared_write_protected_and_sent_as_in_the_file()
        {
            var image = Mt1939Image();
            var plan = new TsstProtocol(TsstModel.Mt1939).Prepare(new ScsiDevice(new ScriptedTransport()), Drive("mt1939"), image, false);
            Assert.Equal(new[] { (0, 0x10000) }, plan.Protocol.ProtectedRegions.Select(r => (r.Start, r.Length)));
            Assert.Contains(plan.Notes, n => n.Contains("write-protected"));
            Assert.Equal(ScriptedTransport.Sha256(image), ScriptedTransport.Sha256(plan.ImageToSend));
            Assert.NotSame(image, plan.ImageToSend);
            Assert.Equal(new[] { (0x1E2000, 0x1FFFD0 - 0x1E2000) }, plan.Protocol.DriveSpecificRegions.Select(r => (r.Start, r.Length)));
        }

        [Fact]
        public void Mt1939_bad_checksum_is_refused_before_any_command()
        {
            var image = Mt1939Image();
            image[0x123456] ^= 0x01; // inside the checksummed range
            var transport = new ScriptedTransport();
            var ex = Assert.Throws<FlashRefusedException>(() => new TsstProtocol(TsstModel.Mt1939).Prepare(new ScsiDevice(transport), Drive("mt1939"), image, false));
            Assert.Equal(FlashRefusalIds.ChecksumMismatch, ex.ErrorId);
            Assert.Empty(transport.Requests);
        }

        [Fact]
        public void Mt1939_checksum_ignores_the_info_region_and_the_boot_block()
        {
            var image = Mt1939Image();
            image[0x1E2000] ^= 0xFF; // info region: not checksummed
            image[0x00FFFF] ^= 0xFF; // boot block: not checksummed
            new TsstProtocol(TsstModel.Mt1939).Prepare(new ScsiDevice(new ScriptedTransport()), Drive("mt1939"), image, false);
        }

        [Theory]
        [InlineData(0x1FFFFF)]
        [InlineData(0x100000)]
        public void Mt1939_wrong_size_is_refused(int size)
        {
            var transport = new ScriptedTransport();
            var ex = Assert.Throws<FlashRefusedException>(() => new TsstProtocol(TsstModel.Mt1939).Prepare(new ScsiDevice(transport), Drive("mt1939"), new byte[size], false));
            Assert.Equal(FlashRefusalIds.ImageSizeInvalid, ex.ErrorId);
            Assert.Empty(transport.Requests);
        }

        [Fact]
        public void Mt1339_sends_the_file_as_is_in_0xFC00_blocks_ending_with_state_04()
        {
            var transport = new ScriptedTransport();
            var device = new ScsiDevice(transport);
            var image = TestImages.Random(0x40000, 5); // 4 x 0xFC00 + 0x1000

            var plan = new TsstProtocol(TsstModel.Mt1339).Prepare(device, Drive("mt1339", "DVD-ROM TS-H353C", "ID03"), image, false);
            PlanRunner.Execute(device, plan);

            SequenceAssert.Matches(new[]
            {
                Expected.Out(FlashCdb(0x00), image, 0x00000, 0xFC00),
                Expected.Out(FlashCdb(0xFF), image, 0x0FC00, 0xFC00),
                Expected.Out(FlashCdb(0xFF), image, 0x1F800, 0xFC00),
                Expected.Out(FlashCdb(0xFF), image, 0x2F400, 0xFC00),
                Expected.Out(FlashCdb(0x04), image, 0x3F000, 0x1000),
            }, transport.Requests);
            Assert.All(plan.Steps, s => Assert.Equal(TimeSpan.Zero, s.ExpectedStall));
            Assert.Empty(plan.Protocol.ProtectedRegions);
        }

        [Fact]
        public void Recovery_in_boot_mode_sends_the_same_sequence()
        {
            var image = Mt1939Image();
            var normal = new ScriptedTransport();
            var boot = new ScriptedTransport();
            var p = new TsstProtocol(TsstModel.Mt1939);
            PlanRunner.Execute(new ScsiDevice(normal), p.Prepare(new ScsiDevice(normal), Drive("mt1939"), image, false));
            var plan = p.Prepare(new ScsiDevice(boot), Drive("mt1939", revision: "BOOT"), image, true);
            PlanRunner.Execute(new ScsiDevice(boot), plan);
            Assert.Equal(normal.Requests.Select(r => r.CdbHex + r.OutSha256), boot.Requests.Select(r => r.CdbHex + r.OutSha256));
            Assert.Contains(plan.Notes, n => n.Contains("boot loader"));
        }

        /// <summary>
        /// Issue 9 §2: recovery only where a source documents what the boot loader accepts. coastermelt documents the MT1939
        /// boot loader (FF among its opcodes); nothing documents the MT1339's, so a boot-mode MT1339 is refused with the reason.
        /// </summary>
        [Fact]
        public void Mt1339_recovery_is_refused_because_its_boot_loader_is_undocumented()
        {
            var transport = new ScriptedTransport();
            var ex = Assert.Throws<FlashRefusedException>(() =>
                new TsstProtocol(TsstModel.Mt1339).Prepare(new ScsiDevice(transport), Drive("mt1339", "DVD-ROM TS-H353C", "BOOT"), TestImages.Random(0x40000, 5), true));
            Assert.Equal(FlashRefusalIds.RecoveryNotSupported, ex.ErrorId);
            Assert.Contains("boot loader", ex.Message);
            Assert.Empty(transport.Requests);
        }

        [Fact]
        public void Mt1939_ReadFirmware_uses_read_buffer_mode_6_over_2_MiB()
        {
            var transport = new ScriptedTransport { Flash = Mt1939Image(9) };
            var dump = new TsstProtocol(TsstModel.Mt1939).ReadFirmware(new ScsiDevice(transport), Drive("mt1939"), null);
            Assert.Equal(ScriptedTransport.Sha256(transport.Flash), ScriptedTransport.Sha256(dump));
            Assert.Equal("3C 06 00 00 00 00 00 10 00 00", transport.Requests[0].CdbHex);
            SequenceAssert.NothingStateChanging(transport);

            var regions = new TsstProtocol(TsstModel.Mt1939).ReadRegions(new ScsiDevice(transport), Drive("mt1939"));
            Assert.Equal(transport.Flash.Skip(0x1E2000).Take(0x1FFFD0 - 0x1E2000), Assert.Single(regions).Data);
        }

        [Fact]
        public void Mt1339_has_no_read_path_and_sends_nothing_when_asked()
        {
            var transport = new ScriptedTransport { Flash = new byte[0x40000] };
            var p = new TsstProtocol(TsstModel.Mt1339);
            Assert.Null(p.ReadFirmware(new ScsiDevice(transport), Drive("mt1339"), null));
            Assert.Empty(p.ReadRegions(new ScsiDevice(transport), Drive("mt1339")));
            Assert.Empty(transport.Requests);
        }

        [Fact]
        public void Cdb_is_the_documented_12_byte_layout()
        {
            Assert.Equal(Hex.Parse("FF 00 01 00 00 00 00 00 00 00 00 00"), TsstProtocol.FlashCdb(0x00));
            Assert.Equal(Hex.Parse("FF 00 01 00 00 FF 00 00 00 00 00 00"), TsstProtocol.FlashCdb(0xFF));
            Assert.Equal(Hex.Parse("FF 00 01 00 00 02 00 00 00 00 00 00"), TsstProtocol.FlashCdb(0x02));
            Assert.Equal(Hex.Parse("FF 00 01 00 00 04 00 00 00 00 00 00"), TsstProtocol.FlashCdb(0x04));
        }
    }
}
