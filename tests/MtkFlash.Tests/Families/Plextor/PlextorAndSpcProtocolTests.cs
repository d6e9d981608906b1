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
using MtkFlash.Core.Families.Plextor;

namespace MtkFlash.Tests.Families.Plextor
{
    /// <summary>Plextor against docs/reference/drive-protocols.md §2.5 (redumper flash_plextor.ixx, qpxtool pxfw.cpp).</summary>
    public class PlextorProtocolTests
    {
        static OpticalDrive Drive(string product) =>
            new OpticalDrive { Path = "scripted:0", Vendor = "PLEXTOR", Product = product, Revision = "1.09", Family = DriveFamily.Plextor, Model = "px-716a", ListedModel = true };

        /// <summary>Image of <paramref name="size"/> bytes whose BE16 at crcOffset is Σ bytes[0, crcOffset) &amp; 0xFFFF, computed here.</summary>
        static byte[] Image(int size, int crcOffset, int seed = 31)
        {
            var image = TestImages.Random(size, seed);
            int sum = 0;
            for (int i = 0; i < crcOffset; i++) sum += image[i];
            image[crcOffset] = (byte)((sum >> 8) & 0xFF);
            image[crcOffset + 1] = (byte)(sum & 0xFF);
            return image;
        }

        [Theory]
        [InlineData("DVDR   PX-716A", 0xF0000, 0xEFFFE, 0x4000)]
        [InlineData("DVDR   PX-712A", 0xF0000, 0xEFFFE, 0x4000)]
        [InlineData("DVDR   PX-708A", 0xF0000, 0xEFFFE, 0x1000)]
        [InlineData("DVDR   PX-760A", 0x1F0000, 0x1EFFFE, 0x4000)]
        public void Plan_executes_exactly_the_redumper_sequence_byte_for_byte(string product, int size, int crcOffset, int block)
        {
            var transport = new ScriptedTransport();
            var device = new ScsiDevice(transport);
            var image = Image(size, crcOffset);

            var plan = new PlextorProtocol().Prepare(device, Drive(product), image, false);
            Assert.Empty(transport.Requests);
            PlanRunner.Execute(device, plan);

            var expected = new List<Expected>();
            for (int off = 0; off < size; off += block)
            {
                bool last = off + block >= size;
                expected.Add(Expected.None("00 00 00 00 00 00")); // redumper: TEST UNIT READY before each block
                expected.Add(Expected.Out("3B " + (last ? "05" : "04") + " 00 " + SequenceAssert.Be24(off) + " " + SequenceAssert.Be24(block) + " 00", image, off, block));
            }
            SequenceAssert.Matches(expected, transport.Requests);
            Assert.Equal(size / block, plan.Steps.Count);
            Assert.Equal(FlashStepKind.Commit, plan.Steps.Last().Kind);
        }

        [Fact]
        public void A_short_last_block_is_sent_with_its_own_length_and_mode_5()
        {
            var transport = new ScriptedTransport();
            var device = new ScsiDevice(transport);
            var image = Image(0xF0000 + 0x800, 0xEFFFE);
            PlanRunner.Execute(device, new PlextorProtocol().Prepare(device, Drive("DVDR PX-716A"), image, false));
            Assert.Equal("3B 05 00 0F 00 00 00 08 00 00", transport.Requests.Last().CdbHex);
            Assert.Equal("3B 04 00 0E C0 00 00 40 00 00", transport.Requests[transport.Requests.Count - 3].CdbHex);
        }

        [Fact]
        public void Bad_checksum_is_refused_before_any_command()
        {
            var image = Image(0xF0000, 0xEFFFE);
            image[0x1000] ^= 0x40;
            var transport = new ScriptedTransport();
            var ex = Assert.Throws<FlashRefusedException>(() => new PlextorProtocol().Prepare(new ScsiDevice(transport), Drive("DVDR PX-716A"), image, false));
            Assert.Equal(FlashRefusalIds.ChecksumMismatch, ex.ErrorId);
            Assert.Empty(transport.Requests);
        }

        [Fact]
        public void The_checksum_offset_depends_on_the_model()
        {
            // Valid for the PX-716A (0xEFFFE) but not for the PX-760A (0x1EFFFE).
            var image = Image(0x1F0000, 0xEFFFE);
            Assert.Equal(FlashRefusalIds.ChecksumMismatch,
                Assert.Throws<FlashRefusedException>(() => new PlextorProtocol().Prepare(new ScsiDevice(new ScriptedTransport()), Drive("DVDR PX-760A"), image, false)).ErrorId);
        }

        /// <summary>The PX-704A is in redumper's table but no source gives its checksum; the PX-740A is in no table (the PX-714A used here before is documented now).</summary>
        [Theory]
        [InlineData("DVDR   PX-704A")]
        [InlineData("DVDR   PX-740A")]
        public void An_undocumented_model_is_refused(string product)
        {
            var transport = new ScriptedTransport();
            Assert.Equal(FlashRefusalIds.ModelNotSupported,
                Assert.Throws<FlashRefusedException>(() => new PlextorProtocol().Prepare(new ScsiDevice(transport), Drive(product), Image(0xF0000, 0xEFFFE), false)).ErrorId);
            Assert.Empty(transport.Requests);
        }

        [Fact]
        public void Too_small_an_image_is_refused()
        {
            Assert.Equal(FlashRefusalIds.ImageSizeInvalid,
                Assert.Throws<FlashRefusedException>(() => new PlextorProtocol().Prepare(new ScsiDevice(new ScriptedTransport()), Drive("DVDR PX-716A"), new byte[0xEFFFF], false)).ErrorId);
        }
    }
}
