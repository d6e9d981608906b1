using System;
using System.Linq;
using System.Text;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Virtual;
using Xunit;

namespace MtkFlash.Tests.Virtual
{
    public class SyntheticImageTests
    {
        [Theory]
        [MemberData(nameof(VirtualIdentityTests.ProfileNames), MemberType = typeof(VirtualIdentityTests))]
        public void Images_have_the_profile_size_carry_the_revision_and_are_deterministic(string name)
        {
            var p = VirtualProfiles.Get(name);
            var a = SyntheticImages.Build(name, "7.77");
            Assert.Equal(p.FlashSize, a.Length);
            Assert.Equal(a, SyntheticImages.Build(name, "7.77"));
            var other = SyntheticImages.Build(name, "7.78");
            Assert.NotEqual(a, other);
            var id = SyntheticImages.ReadIdentity(p, a);
            Assert.Equal(p.Vendor, id.Vendor);
            Assert.Equal(p.Product, id.Product);
            Assert.Equal("7.77", id.Revision);
            Assert.NotNull(id.BuildDate);
            Assert.NotEqual(id.BuildDate, SyntheticImages.ReadIdentity(p, other).BuildDate);
            if (p.Banked8051)
                for (int bank = 0; bank < a.Length; bank += 0x10000) Assert.Equal(0x02, a[bank]);
        }

        [Fact]
        public void Mt1959_image_has_boot_id_descriptor_and_chip_tag()
        {
            var image = SyntheticImages.Build("lg-bh16ns40", "1.03");
            Assert.Equal("MT1959 Boot JB8 ", Encoding.ASCII.GetString(image, 0x3000, 16));
            Assert.Equal("HL-DT-ST", Encoding.ASCII.GetString(image, 0x1EC000, 8));
            Assert.Equal("BD-RE BH16NS40  ", Encoding.ASCII.GetString(image, 0x1EC008, 16));
            Assert.Equal("1.03", Encoding.ASCII.GetString(image, 0x1EC018, 4));
            Assert.Equal("MTEKMT1959", Encoding.ASCII.GetString(image, 0x1EC034, 10));
            Assert.StartsWith("UNIQUE", Encoding.ASCII.GetString(image, 0x1EC024, 16));
            Assert.Equal(0xDE, image[0x1EC056]);
            Assert.True(image.Skip(0x1F0000).All(b => b == 0xFF), "factory image has blank calibration");
            var asus = SyntheticImages.Build("asus-bw16d1ht", "3.02");
            Assert.Equal(Encoding.ASCII.GetString(image, 0x3000, 16), Encoding.ASCII.GetString(asus, 0x3000, 16));
        }

        [Fact]
        public void Mt1939_image_has_infonub_and_a_valid_checksum()
        {
            var image = SyntheticImages.Build("tsst-se506cb", "TS02");
            Assert.Equal("TSSTcorpBDDVDW SE-506CB TS02", Encoding.ASCII.GetString(image, 0x1FFFD0, 28));
            int sum = 0;
            for (int i = 0x10000; i <= 0x1E1FFF; i++) sum += image[i];
            Assert.Equal(sum & 0xFFFF, BigEndian.Get16(image, 0x1FFFFE));
            Assert.True(MtkFlash.Core.Families.Tsst.TsstSyntheticImage.Mt1939ChecksumValid(image));
            image[0x20000] ^= 0x5A;
            Assert.False(MtkFlash.Core.Families.Tsst.TsstSyntheticImage.Mt1939ChecksumValid(image));
        }

        [Fact]
        public void Btc_image_keeps_identity_at_the_btcflash_offsets()
        {
            var image = SyntheticImages.Build("btc-drw1008", "B231");
            Assert.Equal("BTC     ", Encoding.ASCII.GetString(image, 0x40BC, 8));
            Assert.Equal("DVDRW DRW1008IM ", Encoding.ASCII.GetString(image, 0x40C4, 16));
            Assert.Equal("B231", Encoding.ASCII.GetString(image, 0x40D4, 4));
        }

        [Fact]
        public void Plextor_image_stores_the_sum_at_crc_offs()
        {
            var image = SyntheticImages.Build("plextor-px716a", "1.12");
            int sum = 0;
            for (int i = 0; i < 0xEFFFE; i++) sum += image[i];
            Assert.Equal(sum & 0xFFFF, BigEndian.Get16(image, 0xEFFFE));
        }

        [Fact]
        public void LiteOn_image_has_the_inquiry_template_and_the_word_swapped_ata_copy()
        {
            var image = SyntheticImages.Build("liteon-sohw812s", "US0P");
            int at = SyntheticImages.FindTemplate(image);
            Assert.True(at >= 0x4000);
            Assert.Equal(new byte[] { 0x05, 0x80, 0x00, 0x32, 0x5B, 0x00, 0x00, 0x00 }, image.Skip(at).Take(8).ToArray());
            Assert.Equal("LITE-ON DVDRW SOHW-812S US0P", Encoding.ASCII.GetString(image, at + 8, 28));
            Assert.Matches(@"^20\d\d/\d\d/\d\d \d\d:\d\d$", Encoding.ASCII.GetString(image, at + 36, 16));
            var expected = Encoding.ASCII.GetBytes("US0P    LITE-ON DVDRW SOHW-812S ");
            var ata = image.Skip(SyntheticImages.AtaIdentifyCopyOffset).Take(32).ToArray();
            for (int i = 0; i < 32; i += 2) { Assert.Equal(expected[i], ata[i + 1]); Assert.Equal(expected[i + 1], ata[i]); }
            Assert.Equal(new byte[] { 0xE5, 0x90, 0x54, 0x0F, 0xB4, 0x00 }, image.Skip(0x100).Take(6).ToArray());
        }

        [Fact]
        public void Bad_profile_or_revision_is_refused_with_a_clear_message()
        {
            var e = Assert.Throws<ArgumentException>(() => SyntheticImages.Build("nope", "1.00"));
            Assert.Contains("lg-bh16ns40", e.Message);
            Assert.Throws<ArgumentException>(() => SyntheticImages.Build("lg-bh16ns40", "1.002"));
        }
    }
}
