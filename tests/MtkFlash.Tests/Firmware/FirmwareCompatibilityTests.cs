using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Firmware.Families;
using Xunit;
using static MtkFlash.Tests.Firmware.TestImages;

namespace MtkFlash.Tests.Firmware
{
    public class FirmwareCompatibilityTests
    {
        static readonly FirmwareImageReport Bh16ns40_105 = FirmwareAnalyzer.Analyze(Mt1959());

        [Fact]
        public void Same_model_fits_and_says_newer()
        {
            var c = FirmwareCompatibility.Check(Bh16ns40_105, Drives.Make("HL-DT-ST", "BD-RE  BH16NS40", "1.02"));
            Assert.Equal(CompatibilityVerdict.Fits, c.Verdict);
            Assert.Equal(RevisionComparison.Newer, c.Newer);
            Assert.Equal("/dev/sr0", c.Drive);
            Assert.Equal(RevisionComparison.Older, FirmwareCompatibility.Check(Bh16ns40_105, Drives.Make("HL-DT-ST", "BD-RE BH16NS40", "1.06")).Newer);
            Assert.Equal(RevisionComparison.Same, FirmwareCompatibility.Check(Bh16ns40_105, Drives.Make("HL-DT-ST", "BD-RE BH16NS40", "1.05")).Newer);
        }

        [Fact]
        public void Asus_JB8_image_on_an_LG_JB8_drive_is_a_cross_flash()
        {
            var asus = FirmwareAnalyzer.Analyze(Mt1959(vendor: "ASUS", product: "BW-16D1HT", revision: "3.02"));
            var c = FirmwareCompatibility.Check(asus, Drives.Make("HL-DT-ST", "BD-RE BH16NS40", "1.02"));
            Assert.Equal(CompatibilityVerdict.CrossFlash, c.Verdict);
            Assert.Equal(RevisionComparison.Unknown, FirmwareCompatibility.Check(asus, Drives.Make("HL-DT-ST", "BD-RE BH16NS40", "BOOT")).Newer);
        }

        [Fact]
        public void Slim_boot_id_on_a_desktop_drive_is_incompatible()
        {
            var slim = FirmwareAnalyzer.Analyze(Mt1959(product: "BD-RE BU40N", revision: "1.00", bootId: "MT1959 Boot BU5 "));
            var c = FirmwareCompatibility.Check(slim, Drives.Make("HL-DT-ST", "BD-RE BH16NS40", "1.02"));
            Assert.Equal(CompatibilityVerdict.Incompatible, c.Verdict);
            Assert.Contains(c.Reasons, r => r.Contains("Boot ID"));
            // A boot ID read from the drive wins over the product table.
            var own = FirmwareCompatibility.Check(Bh16ns40_105, Drives.Make("HL-DT-ST", "BD-RE BH16NS40", "1.02"), new DriveHardware { BootId = "MT1959 Boot BU5 " });
            Assert.Equal(CompatibilityVerdict.Incompatible, own.Verdict);
        }

        [Fact]
        public void MT1939_silicon_image_on_MT1959_silicon_is_incompatible_even_for_the_same_product()
        {
            var mt1939 = FirmwareAnalyzer.Analyze(Mt1959(chip: "MT1939"));
            var c = FirmwareCompatibility.Check(mt1939, Drives.Make("HL-DT-ST", "BD-RE BH16NS40", "1.02"), new DriveHardware { Chip = "MT1959" });
            Assert.Equal(CompatibilityVerdict.Incompatible, c.Verdict);
            Assert.Contains(c.Reasons, r => r.Contains("silicon"));
            Assert.Equal(CompatibilityVerdict.Fits, FirmwareCompatibility.Check(mt1939, Drives.Make("HL-DT-ST", "BD-RE BH16NS40", "1.02"), new DriveHardware { Chip = "MT1939" }).Verdict);
        }

        [Fact]
        public void LiteOn_U_family_cross_flashes_to_Sony_and_not_to_V()
        {
            var us0n = FirmwareAnalyzer.Analyze(LiteOn());
            Assert.Equal(CompatibilityVerdict.Fits, FirmwareCompatibility.Check(us0n, Drives.Make("LITE-ON", "DVDRW SOHW-812S", "US0J")).Verdict);
            var sony = FirmwareCompatibility.Check(us0n, Drives.Make("SONY", "DVD RW DW-U18A", "UYS1"));
            Assert.Equal(CompatibilityVerdict.CrossFlash, sony.Verdict);
            Assert.Equal(RevisionComparison.Unknown, sony.Newer);
            var v = FirmwareCompatibility.Check(us0n, Drives.Make("LITE-ON", "DVDRW SOHW-832S", "VS0B"));
            Assert.Equal(CompatibilityVerdict.Incompatible, v.Verdict);
        }

        [Fact]
        public void Other_family_unknown_drive_and_invalid_image_are_incompatible()
        {
            Assert.Equal(CompatibilityVerdict.Incompatible, FirmwareCompatibility.Check(FirmwareAnalyzer.Analyze(Btc()), Drives.Make("LITE-ON", "DVDRW SOHW-812S", "US0J")).Verdict);
            Assert.Equal(CompatibilityVerdict.Fits, FirmwareCompatibility.Check(FirmwareAnalyzer.Analyze(Btc()), Drives.Make("BTC", "DVDRW DRW1008", "0058")).Verdict);
            Assert.Equal(CompatibilityVerdict.Incompatible, FirmwareCompatibility.Check(Bh16ns40_105, Drives.Make("ACME", "DVD 9000", "1.00")).Verdict);
            var broken = FirmwareAnalyzer.Analyze(new byte[MiB]);
            var c = FirmwareCompatibility.Check(broken, Drives.Make("HL-DT-ST", "BD-RE BH16NS40", "1.02"));
            Assert.Equal(CompatibilityVerdict.Incompatible, c.Verdict);
            Assert.Contains(c.Reasons, r => r.Contains("not valid"));
        }

        [Theory]
        [InlineData("1.05", "1.02", RevisionComparison.Newer)]
        [InlineData("1.10", "1.9", RevisionComparison.Newer)]
        [InlineData("3.02", "3.10", RevisionComparison.Older)]
        [InlineData("US0N", "US0J", RevisionComparison.Newer)]
        [InlineData("B230", "B230", RevisionComparison.Same)]
        [InlineData("US0N", "VS0A", RevisionComparison.Unknown)]
        [InlineData("1.00", "BOOT", RevisionComparison.Unknown)]
        [InlineData("", "1.00", RevisionComparison.Unknown)]
        public void Revisions_compare(string image, string drive, RevisionComparison expected) =>
            Assert.Equal(expected, RevisionRules.Compare(image, drive));

        [Theory]
        [InlineData("USON", true)]
        [InlineData("1.O2", true)]
        [InlineData("O.99", true)]
        [InlineData("US0N", false)]
        [InlineData("BOOT", false)]
        [InlineData("TS01", false)]
        public void Letter_O_rule(string revision, bool expected) => Assert.Equal(expected, RevisionRules.HasLetterOForZero(revision));
    }
}
