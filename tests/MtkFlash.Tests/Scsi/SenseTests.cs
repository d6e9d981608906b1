using MtkFlash.Core.Scsi;
using Xunit;

namespace MtkFlash.Tests.Scsi
{
    public class SenseTests
    {
        [Fact]
        public void Fixed_format_from_a_real_mtk_drive_with_tray_open_decodes()
        {
            // coastermelt, docs/reference/drive-protocols.md §4.6
            var s = SenseData.TryParse(Hex.Parse("70 00 02 00 00 00 00 0A 00 00 00 00 3A 02 00 00 00 00"));
            Assert.Equal(2, s.Key);
            Assert.Equal(0x3A, s.Asc);
            Assert.Equal(2, s.Ascq);
            Assert.Equal("NOT READY, Medium not present - tray open (2/3A/02)", s.Describe());
        }

        [Fact]
        public void Qemu_atapi_sense_with_valid_bit_F0_decodes_as_fixed_format()
        {
            var s = SenseData.TryParse(Hex.Parse("F0 00 05 00 00 00 00 0A 00 00 00 00 20 00 00 00 00 00"));
            Assert.Equal("ILLEGAL REQUEST, Invalid command operation code (5/20/00)", s.Describe());
            Assert.False(s.Deferred);
        }

        [Fact]
        public void Descriptor_format_uses_bytes_1_to_3()
        {
            var s = SenseData.TryParse(Hex.Parse("72 06 29 00 00 00 00 00"));
            Assert.Equal("UNIT ATTENTION, Power on, reset, or bus device reset occurred (6/29/00)", s.Describe());
            Assert.True(SenseData.TryParse(Hex.Parse("73 06 3F 01 00 00 00 00")).Deferred);
        }

        [Fact]
        public void Deferred_fixed_format_71_is_flagged() => Assert.True(SenseData.TryParse(Hex.Parse("71 00 04 00 00 00 00 0A 00 00 00 00 44 00")).Deferred);

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("00 00 00")]
        [InlineData("7F 00 05")]
        [InlineData("70 00")]
        public void Garbage_is_not_sense(string hex) => Assert.Null(SenseData.TryParse(hex == null ? null : Hex.Parse(hex)));

        [Fact]
        public void Short_fixed_sense_without_asc_still_gives_the_key()
        {
            var s = SenseData.TryParse(Hex.Parse("70 00 06"));
            Assert.Equal(6, s.Key);
            Assert.Equal(0, s.Asc);
        }

        [Theory]
        [InlineData(5, 0x24, 0, "Invalid field in CDB")]
        [InlineData(5, 0x26, 0, "Invalid field in parameter list")]
        [InlineData(5, 0x1A, 0, "Parameter list length error")]
        [InlineData(5, 0x2C, 0, "Command sequence error")]
        [InlineData(5, 0x21, 0, "Logical block address out of range")]
        [InlineData(2, 0x3A, 0, "Medium not present")]
        [InlineData(2, 0x3A, 1, "Medium not present - tray closed")]
        [InlineData(2, 0x04, 1, "Logical unit is in process of becoming ready")]
        [InlineData(2, 0x04, 0, "Logical unit not ready, cause not reportable")]
        [InlineData(2, 0x04, 8, "Logical unit not ready, long write in progress")]
        [InlineData(2, 0x30, 0, "Incompatible medium installed")]
        [InlineData(6, 0x28, 0, "Not ready to ready change, medium may have changed")]
        [InlineData(6, 0x3F, 1, "Microcode has been changed")]
        [InlineData(5, 0x53, 2, "Medium removal prevented")]
        [InlineData(4, 0x44, 0, "Internal target failure")]
        [InlineData(4, 0x08, 3, "Logical unit communication CRC error")]
        public void Texts_for_the_documented_conditions(byte key, byte asc, byte ascq, string text) =>
            Assert.Equal(text, new SenseData(key, asc, ascq).AdditionalText);

        [Fact]
        public void Unknown_asc_is_printed_in_hex_not_hidden() =>
            Assert.Equal("ASC 0x99, ASCQ 0x07", new SenseData(5, 0x99, 7).AdditionalText);

        [Fact]
        public void Round_trip_through_fixed_format()
        {
            var s = SenseData.TryParse(new SenseData(6, 0x3F, 1).ToFixedFormat());
            Assert.True(s.Is(6, 0x3F, 1));
        }

        [Fact]
        public void Command_failure_message_carries_cdb_status_sense_and_path()
        {
            var req = ScsiRequest.NoData(Cdb.WriteBuffer(5, 0, 0, 0));
            var resp = ScsiResponse.Check(5, 0x20, 0);
            var ex = new ScsiCommandException("/dev/sg0", req, resp);
            Assert.Contains("WRITE BUFFER [3B 05 00 00 00 00 00 00 00 00]", ex.Message);
            Assert.Contains("/dev/sg0", ex.Message);
            Assert.Contains("CHECK CONDITION", ex.Message);
            Assert.Contains("Invalid command operation code (5/20/00)", ex.Message);
            Assert.Equal(2, ex.Status);
            Assert.Equal(0x20, ex.Sense.Asc);
        }
    }
}
