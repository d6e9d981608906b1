using System.IO;
using System.Linq;
using MtkFlash.Cli;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Flashing;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Serialization;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Operations
{
    /// <summary>
    /// Issue 9 §2: a real drive only ever gets commands a public source sends to that drive. A drive that merely advertises
    /// the MMC Microcode Upgrade feature (0104h) has no public flasher: no source shows an optical drive accepting a standard
    /// mode-5 WRITE BUFFER, and on LG Renesas drives 3B 05 selects a memory location, on Plextor it means "last block".
    /// Such a drive is listed, backed up identity-only and refused with the reason, like a classic LiteOn.
    /// </summary>
    public class SourcedCommandsTests
    {
        [Fact]
        public void A_drive_that_only_advertises_microcode_upgrade_is_listed_backed_up_identity_only_and_never_flashed()
        {
            using (var rig = new VirtualRig())
            {
                var path = rig.NewDrive("spc", "spc-generic");
                var before = rig.Store.ReadFlash("spc");

                var drive = new GetDrivesOperation(rig.Context).IdentifyOne(path);
                Assert.Equal(DriveFamily.Spc, drive.Family);
                Assert.True(drive.MicrocodeUpgrade);
                Assert.False(drive.CanFlash);
                Assert.Contains("no public source", drive.Note);

                var backup = new BackupOperation(rig.Context).Run(new RecordingHost(), path, new BackupOptions { Destination = rig.Sub("b") });
                Assert.Equal(BackupCompleteness.IdentityOnly, backup.Completeness);

                var host = new RecordingHost();
                var result = new WriteOperation(rig.Context).Run(host, path, new WriteOptions
                {
                    ImagePath = rig.Image("spc-generic", "1.01"), SkipBackup = true, Force = true, AllowCrossFlash = true,
                });
                Assert.Equal(WriteOutcome.Refused, result.Outcome);
                Assert.Equal(0, result.CommandsSent);
                Assert.False(rig.Trace().AnyStateChanging, "a WRITE BUFFER reached a drive no public flasher writes to");
                Assert.Equal(before, rig.Store.ReadFlash("spc"));
            }
        }

        [Fact]
        public void The_registry_refuses_the_standard_download_for_any_drive()
        {
            var drive = new OpticalDrive { Path = "scripted:0", Vendor = "ACME", Product = "BD-W 1", Revision = "1.00", Family = DriveFamily.Spc, MicrocodeUpgrade = true };
            var ex = Assert.Throws<FlashRefusedException>(() => ProtocolRegistry.For(drive));
            Assert.Equal(FlashRefusalIds.ProtocolNotPublic, ex.ErrorId);
            Assert.Contains("0104h", ex.Message);
            Assert.Equal(FlashRefusalIds.ProtocolNotPublic, Assert.Throws<FlashRefusedException>(() => ProtocolRegistry.For(DriveFamily.Spc, null)).ErrorId);
            Assert.False(FamilyCapabilities.For(drive).CanFlash);
            Assert.StartsWith(ex.Message, FamilyCapabilities.For(drive).Reason);
        }

        /// <summary>`mtkflash test --drive` and `mtkflash write` give the same answer for such a drive: no.</summary>
        [Theory]
        [InlineData("spc-generic", "1.01")]       // the drive's own (opaque) microcode file
        [InlineData("lg-bh16ns40", "1.03")]       // a valid image of another family
        public void Test_and_write_agree_on_a_drive_without_a_public_flasher(string imageProfile, string revision)
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("spc", "spc-generic");
                var image = rig.Image(imageProfile, revision);

                var test = CliRunner.Run(rig, "test", image, "--drive", drive, "--json");
                Assert.True(test.Exit == ExitCodes.Failure, test.ToString());

                var write = CliRunner.Run(rig, "write", drive, image, "--yes", "--allow-crossflash", "--no-backup", "--json");
                Assert.True(write.Exit == ExitCodes.Refused, write.ToString());
                Assert.Equal("refused", write.JsonObject.GetString("outcome"));
                Assert.False(rig.Trace().AnyStateChanging);
            }
        }
    }
}
