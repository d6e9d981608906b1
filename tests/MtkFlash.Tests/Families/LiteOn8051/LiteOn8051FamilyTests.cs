using System.Collections.Generic;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Families;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Protocols;
using Xunit;

namespace MtkFlash.Tests.Families.LiteOn8051
{
    /// <summary>The LiteOn 8051 descriptor: identity and image analysis only, every flash refused with the reason.</summary>
    public class LiteOn8051FamilyTests
    {
        static IDriveFamily Family => FamilyRegistry.Get(DriveFamily.LiteOn8051);

        [Fact]
        public void Has_no_protocol_and_says_why()
        {
            var e = Assert.Throws<FlashRefusedException>(() => Family.CreateProtocol("sohw-812s"));
            Assert.Equal(FlashRefusalIds.ProtocolNotPublic, e.ErrorId);
            Assert.Contains("not public", e.Message);
            Assert.Empty(Family.ProtectedRegions("sohw-812s"));
            Assert.False(Family.CanReadBack("sohw-812s", out var reason));
            Assert.Contains("analysed", reason);
        }

        [Theory]
        [InlineData("US0P", "US0N", true)]
        [InlineData("VS09", "US0N", false)]
        [InlineData("1.00", "US0N", null)]
        public void The_revision_letter_names_the_hardware(string imageRevision, string driveRevision, bool? same)
        {
            var reasons = new List<string>();
            var image = new FirmwareImageReport { Family = DriveFamily.LiteOn8051, Revision = imageRevision };
            var drive = new OpticalDrive { Vendor = "LITE-ON", Product = "DVDRW SOHW-812S", Revision = driveRevision, Family = DriveFamily.LiteOn8051 };
            Assert.Equal(same, Family.SameHardware(image, drive, null, reasons));
            if (same == false) Assert.Contains(reasons, r => r.Contains("family letter differs"));
        }

        [Fact]
        public void Its_catalogue_rows_classify_LiteOn_and_Sony_writers()
        {
            Assert.Equal(DriveFamily.LiteOn8051, DriveCatalog.Classify("LITE-ON", "DVDRW SOHW-812S", false, out var model));
            Assert.Equal("sohw-812s", model);
            Assert.Equal(DriveFamily.LiteOn8051, DriveCatalog.Classify("SONY", "DVD RW DW-U18A", false, out _));
        }
    }
}
