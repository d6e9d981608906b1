using System;
using MtkFlash.Core.Scsi;
using Xunit;

namespace MtkFlash.Tests.Scsi
{
    /// <summary>CDB bytes against the public layouts (docs/reference/drive-protocols.md §4.1, §4.4, §4.5, §2.3, §10 of docs/reference/kernel-e2e.md).</summary>
    public class CdbTests
    {
        [Fact]
        public void TestUnitReady_is_six_zero_bytes() => Assert.Equal(new byte[6], Cdb.TestUnitReady());

        [Fact]
        public void Inquiry_puts_allocation_length_big_endian_in_bytes_3_and_4() =>
            Assert.Equal(Hex.Parse("12 00 00 00 60 00"), Cdb.Inquiry(96));

        [Fact]
        public void RequestSense_puts_allocation_length_in_byte_4() =>
            Assert.Equal(Hex.Parse("03 00 00 00 12 00"), Cdb.RequestSense(18));

        [Fact]
        public void GetConfiguration_matches_the_e2e_reference_cdb() =>
            // docs/reference/kernel-e2e.md §10: 46 02 00 00 00 00 00 00 20 00 (RT=2 "one", feature 0, 32 bytes)
            Assert.Equal(Hex.Parse("46 02 00 00 00 00 00 00 20 00"), Cdb.GetConfiguration(GetConfigurationRequestType.One, 0, 0x20));

        [Fact]
        public void GetConfiguration_encodes_starting_feature_and_length() =>
            Assert.Equal(Hex.Parse("46 01 01 0C 00 00 00 10 00 00"), Cdb.GetConfiguration(GetConfigurationRequestType.Current, 0x010C, 0x1000));

        [Fact]
        public void ReadBuffer_mt1959_config_read_matches_redumper() =>
            // docs/reference/drive-protocols.md §2.3 step 1: 3C 06 00 00 30 00 00 00 20 00
            Assert.Equal(Hex.Parse("3C 06 00 00 30 00 00 00 20 00"), Cdb.ReadBuffer(6, 0, 0x3000, 0x20));

        [Fact]
        public void WriteBuffer_offsets_and_lengths_are_24_bit_big_endian() =>
            // docs/reference/drive-protocols.md §2.1: 3B 06 00 [off+0x20 BE24] 00 10 00 00
            Assert.Equal(Hex.Parse("3B 06 00 01 23 45 00 10 00 00"), Cdb.WriteBuffer(6, 0, 0x012345, 0x1000));

        [Fact]
        public void WriteBuffer_mode_is_masked_to_five_bits_and_buffer_id_kept() =>
            Assert.Equal(Hex.Parse("3B 05 FF 00 00 00 00 01 00 00"), Cdb.WriteBuffer(0xE5, 0xFF, 0, 0x100));

        [Fact]
        public void Buffer_offsets_beyond_24_bits_are_rejected()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => Cdb.WriteBuffer(6, 0, 0x1000000, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => Cdb.ReadBuffer(6, 0, 0, 0x1000000));
        }

        [Fact]
        public void Vendor_cdb_is_copied_and_length_checked()
        {
            var src = Hex.Parse("FF 00 01 00 00 FF 00 00 00 00 00 00");
            var cdb = Cdb.Vendor(src);
            src[5] = 0;
            Assert.Equal(0xFF, cdb[5]);
            Assert.Throws<ArgumentException>(() => Cdb.Vendor(new byte[5]));
            Assert.Throws<ArgumentException>(() => Cdb.Vendor(new byte[17]));
        }

        [Theory]
        [InlineData("00 00 00 00 00 00", false)]
        [InlineData("12 00 00 00 60 00", false)]
        [InlineData("3C 06 00 00 30 00 00 00 20 00", false)]
        [InlineData("3B 06 00 00 00 00 00 40 00 00", true)]
        [InlineData("FF 00 01 00 00 00 00 00 00 00 00 00", true)]
        [InlineData("E7 00 00 00 00 00", true)]
        public void State_changing_commands_are_recognised(string cdb, bool changing) =>
            Assert.Equal(changing, Cdb.IsStateChanging(Hex.Parse(cdb)));
    }
}
