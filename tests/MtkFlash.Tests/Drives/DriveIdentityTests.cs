using System.Linq;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Operations;
using MtkFlash.Tests.Backup;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Drives
{
    /// <summary>One identity value from the identification to the manifest, the backup result and the write result.</summary>
    public class DriveIdentityTests
    {
        [Fact]
        public void The_identified_drive_s_identity_reaches_manifest_backup_result_and_write_result_whole()
        {
            using (var rig = new VirtualRig(trace: false))
            {
                var path = rig.NewDrive("d", "lg-bh16ns40");
                var drive = new GetDrivesOperation(rig.Context).Run(new RecordingHost(), null).Single(d => d.Path == path);
                Assert.False(string.IsNullOrEmpty(drive.SerialNumber));
                Assert.Equal(new DriveIdentity(drive.Vendor, drive.Product, drive.Revision, drive.SerialNumber), drive.Identity);

                var (backup, _) = BackupKit.Run(rig, path, rig.Sub("b"));
                Assert.Equal(drive.Identity, backup.Identity);
                Assert.Equal(drive.Identity, BackupBundle.Open(backup.Path).Manifest.Drive.Identity);

                var write = new WriteOperation(rig.Context).Run(new RecordingHost(), path,
                    new WriteOptions { ImagePath = rig.Image("lg-bh16ns40", "1.03"), BackupDirectory = rig.Sub("wb") });
                Assert.Equal(WriteOutcome.Succeeded, write.Outcome);
                // The write result's identity is the drive before the write: its revision is the previous one.
                Assert.Equal(drive.Identity, write.Identity);
                Assert.Equal(drive.Revision, write.PreviousRevision);
                Assert.Equal("1.03", write.NewRevision);
            }
        }

        [Fact]
        public void The_value_is_shared_never_aliased_a_later_change_on_one_holder_leaves_the_others_alone()
        {
            var drive = new OpticalDrive { Vendor = "HL-DT-ST", Product = "BD-RE BH16NS40", Revision = "1.02", SerialNumber = "K9A1" };
            var result = new WriteResult { Identity = drive.Identity };
            result.SerialNumber = "OTHER";
            Assert.Equal("K9A1", drive.SerialNumber);
            Assert.Equal("OTHER", result.Identity.SerialNumber);
            Assert.Equal("1.02", result.PreviousRevision);
            drive.Revision = "1.03";
            Assert.Equal("1.02", result.PreviousRevision);
            Assert.Equal(new DriveIdentity("HL-DT-ST", "BD-RE BH16NS40", "1.03", "K9A1"), drive.Identity);
        }

        [Theory]
        [InlineData("HL-DT-ST", "BD-RE BH16NS40", "K9A1", "hl-dt-st ", "BD-RE  BH16NS40", "K9A1", true)]
        [InlineData("HL-DT-ST", "BD-RE BH16NS40", "K9A1", "HL-DT-ST", "BD-RE BH16NS40", "K9A2", false)]
        [InlineData("HL-DT-ST", "BD-RE BH16NS40", null, "HL-DT-ST", "BD-RE BH16NS40", null, false)]
        [InlineData("HL-DT-ST", "BD-RE BH16NS40", "K9A1", "ASUS", "BD-RE BH16NS40", "K9A1", false)]
        public void Same_drive_needs_vendor_product_and_a_serial(string v1, string p1, string s1, string v2, string p2, string s2, bool same)
        {
            Assert.Equal(same, new DriveIdentity(v1, p1, "1.00", s1).IsSameDrive(new DriveIdentity(v2, p2, "2.00", s2)));
        }
    }
}
