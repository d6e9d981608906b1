using System.Linq;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Virtual;
using Xunit;
using MtkFlash.Tests.Support;
using static MtkFlash.Tests.Support.RawScsi;

namespace MtkFlash.Tests.Virtual
{
    public class VirtualIdentityTests
    {
        public static TheoryData<string> ProfileNames()
        {
            var d = new TheoryData<string>();
            foreach (var p in VirtualProfiles.All) d.Add(p.Name);
            return d;
        }

        [Theory]
        [MemberData(nameof(ProfileNames))]
        public void Inquiry_and_configuration_report_the_profile_identity_and_the_catalogue_recognises_it(string name)
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("d", name))
            {
                var p = VirtualProfiles.Get(name);
                var inq = Inquiry(drive);
                Assert.Equal(0x05, inq.DeviceType);
                Assert.True(inq.Removable);
                Assert.Equal(p.Vendor, inq.Vendor);
                Assert.Equal(p.Product, inq.Product);
                Assert.Equal(p.Revision, inq.Revision);
                Assert.False(string.IsNullOrEmpty(inq.VendorSpecific));

                var config = Configuration(drive);
                Assert.Equal(0, config.CurrentProfile);
                Assert.Equal(drive.Serial, config.SerialNumber);
                Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", config.FirmwareDate);
                Assert.Equal(p.MicrocodeUpgradeFeature, config.HasMicrocodeUpgrade);

                var family = DriveCatalog.Classify(inq.Vendor, inq.Product, config.HasMicrocodeUpgrade, out var model, out var listed);
                Assert.Equal(p.Family, family);
                Assert.Equal(p.Model, model);
                Assert.Equal(p.Listed, listed);
            }
        }

        [Theory]
        [InlineData("lg-bh16ns40", 0x0040)]
        [InlineData("tsst-ts-h353c", 0x0010)]
        [InlineData("btc-drw1008", 0x0010)]
        public void Test_unit_ready_says_tray_empty_without_a_disc_and_good_with_one(string profile, int discProfile)
        {
            using (var kit = new VirtualRig(trace: false))
            {
                using (var empty = kit.Create("empty", profile))
                {
                    AssertSense(Tur(empty), 2, 0x3A, 0x01);
                    AssertSense(Read(empty, 8, 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0), 2, 0x3A, 0x01);
                    Assert.Equal(0, Configuration(empty).CurrentProfile);
                }
                using (var full = kit.Create("full", profile, disc: true))
                {
                    AssertGood(Tur(full));
                    Assert.Equal(discProfile, Configuration(full).CurrentProfile);
                    var cap = Read(full, 8, 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0);
                    AssertGood(cap);
                    Assert.Equal(2048u, BigEndian.Get32(cap.Data, 4));
                }
            }
        }

        [Fact]
        public void Request_sense_returns_the_last_error_then_no_sense_and_unknown_opcodes_are_refused()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("d", "lg-bh16ns40"))
            {
                AssertSense(Send(drive, 0xA1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 5, 0x20, 0x00);
                var sense = Read(drive, 18, 0x03, 0, 0, 0, 18, 0);
                AssertGood(sense);
                Assert.Equal("5/20/00", SenseData.TryParse(sense.Data).Triple);
                Assert.Equal("0/00/00", SenseData.TryParse(Read(drive, 18, 0x03, 0, 0, 0, 18, 0).Data).Triple);
                AssertGood(Read(drive, 4, 0x1A, 0, 0x2A, 0, 4, 0));
                AssertGood(Read(drive, 8, 0x5A, 0, 0x2A, 0, 0, 0, 0, 0, 8, 0));
            }
        }

        [Fact]
        public void Get_configuration_honours_the_request_type_and_allocation_length()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("d", "lg-bh16ns40"))
            {
                var one = Read(drive, 0x100, 0x46, 2, 0x01, 0x08, 0, 0, 0, 0x01, 0x00, 0);
                var parsed = ConfigurationData.Parse(one.Data);
                Assert.Equal(new[] { 0x0108 }, parsed.Features.Select(f => f.Code).ToArray());
                var cut = Read(drive, 8, 0x46, 0, 0, 0, 0, 0, 0, 0, 8, 0);
                Assert.Equal(8, cut.Data.Length);
            }
        }
    }
}
