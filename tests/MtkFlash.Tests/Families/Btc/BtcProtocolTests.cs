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
using MtkFlash.Core.Families.Btc;

namespace MtkFlash.Tests.Families.Btc
{
    /// <summary>BTC against docs/reference/drive-protocols.md §2.1 (clausecker/schilytools btcflash/btcflash.c).</summary>
    public class BtcProtocolTests
    {
        static readonly OpticalDrive Drive = new OpticalDrive { Path = "scripted:0", Vendor = "BTC", Product = "DVDRW DRW1008", Revision = "0052", Family = DriveFamily.Btc, Model = "drw1008" };

        static ScriptedTransport Transport() => new ScriptedTransport { Inquiry = InquiryData.Build("BTC", "DVDRW DRW1008", "0052") };

        /// <summary>1 MiB with the INQUIRY identity template at 0x40BC (vendor 8, product 16, revision 4, space padded).</summary>
        static byte[] Image(string vendor = "BTC     ", string product = "DVDRW DRW1008   ", string revision = "0062")
        {
            var image = TestImages.Random(0x100000, 21);
            TestImages.PutAscii(image, 0x40BC, vendor);
            TestImages.PutAscii(image, 0x40C4, product);
            TestImages.PutAscii(image, 0x40D4, revision);
            return image;
        }

        [Fact]
        public void Plan_executes_exactly_the_btcflash_sequence_byte_for_byte()
        {
            var transport = Transport();
            var device = new ScsiDevice(transport);
            var image = Image();

            var plan = new BtcProtocol().Prepare(device, Drive, image, false);
            PlanRunner.Execute(device, plan);

            int sum = 0;
            foreach (var b in image) sum += b;
            var checksumBlock = new byte[32];
            checksumBlock[30] = (byte)((sum >> 8) & 0xFF);
            checksumBlock[31] = (byte)(sum & 0xFF);

            var expected = new List<Expected> { Expected.In("12 00 00 00 24 00", 36) };
            for (int off = 0; off < 0x100000; off += 0x1000)
                expected.Add(Expected.Out("3B 06 00 " + SequenceAssert.Be24(off + 0x20) + " 00 10 00 00", image, off, 0x1000));
            expected.Add(new Expected("3B 06 00 00 00 00 00 00 20 00", checksumBlock));
            expected.Add(Expected.None("3B 07 00 00 00 00 00 00 00 00"));
            SequenceAssert.Matches(expected, transport.Requests);

            Assert.Equal("3B 06 00 00 00 20 00 10 00 00", transport.Requests[1].CdbHex);
            Assert.Equal("3B 06 00 0F F0 20 00 10 00 00", transport.Requests[256].CdbHex);
            Assert.Equal(checksumBlock, transport.Requests[257].OutData);
            Assert.Equal(new[] { FlashStepKind.Checksum, FlashStepKind.Commit }, plan.Steps.Skip(256).Select(s => s.Kind));
        }

        [Fact]
        public void Checksum_block_is_zero_except_the_last_two_bytes()
        {
            Assert.Equal(Hex.Parse("00000000000000000000000000000000000000000000000000000000000012AB"), BtcProtocol.ChecksumBlock(0x12AB));
            var image = new byte[0x100000];
            image[0] = 0xFF; image[0xFFFFF] = 0x02; image[0x80000] = 0x10;
            Assert.Equal(0x0111, BtcProtocol.Checksum(image));
            for (int i = 0; i < 0x300; i++) image[i + 0x100] = 0xFF; // forces a carry past 16 bits
            Assert.Equal((0x0111 + 0x300 * 0xFF) & 0xFFFF, BtcProtocol.Checksum(image));
        }

        [Fact]
        public void Another_models_image_is_refused_unless_cross_flash_is_allowed()
        {
            var image = Image(product: "DVDRW DRW1108   ");
            var refused = Transport();
            var ex = Assert.Throws<FlashRefusedException>(() => new BtcProtocol().Prepare(new ScsiDevice(refused), Drive, image, false));
            Assert.Equal(FlashRefusalIds.CrossFlashNotAllowed, ex.ErrorId);
            Assert.Contains("DRW1108", ex.Message);
            Assert.Equal(new[] { "12 00 00 00 24 00" }, refused.Requests.Select(r => r.CdbHex));
            SequenceAssert.NothingStateChanging(refused);

            var allowed = Transport();
            var plan = new BtcProtocol().Prepare(new ScsiDevice(allowed), Drive, image, false, allowCrossFlash: true);
            Assert.Equal(258, plan.Steps.Count);
            Assert.Contains(plan.Notes, n => n.Contains("Cross-flash allowed"));
        }

        [Fact]
        public void A_newer_revision_of_the_same_model_is_not_a_cross_flash()
        {
            var plan = new BtcProtocol().Prepare(new ScsiDevice(Transport()), Drive, Image(revision: "0099"), false);
            Assert.DoesNotContain(plan.Notes, n => n.Contains("Cross-flash"));
        }

        [Theory]
        [InlineData(0xFFFFF)]
        [InlineData(0x100001)]
        [InlineData(0x200000)]
        public void Wrong_size_is_refused_before_any_command(int size)
        {
            var transport = Transport();
            var ex = Assert.Throws<FlashRefusedException>(() => new BtcProtocol().Prepare(new ScsiDevice(transport), Drive, new byte[size], false));
            Assert.Equal(FlashRefusalIds.ImageSizeInvalid, ex.ErrorId);
            Assert.Empty(transport.Requests);
        }

        [Fact]
        public void Recovery_is_refused_because_no_boot_loader_path_is_documented()
        {
            var transport = Transport();
            Assert.Equal(FlashRefusalIds.RecoveryNotSupported,
                Assert.Throws<FlashRefusedException>(() => new BtcProtocol().Prepare(new ScsiDevice(transport), Drive, Image(), true)).ErrorId);
            Assert.Empty(transport.Requests);
        }

        [Fact]
        public void Timing_is_50_s_quiet_then_300_s_of_polling_and_the_callers_image_is_untouched()
        {
            var p = new BtcProtocol();
            Assert.Equal(TimeSpan.FromSeconds(50), p.Timing.QuietAfterCommit);
            Assert.Equal(TimeSpan.FromSeconds(300), p.Timing.PollTimeout);
            var image = Image();
            var before = ScriptedTransport.Sha256(image);
            var plan = p.Prepare(new ScsiDevice(Transport()), Drive, image, false);
            Assert.Equal(before, ScriptedTransport.Sha256(image));
            Assert.Equal(before, ScriptedTransport.Sha256(plan.ImageToSend));
            Assert.Null(p.ReadFirmware(null, Drive, null));
            Assert.Empty(p.ReadRegions(null, Drive));
        }
    }
}
