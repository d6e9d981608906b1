using System.IO;
using System.Linq;
using MtkFlash.Cli;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Drives;
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

        [Fact]
        public void An_unlisted_model_is_refused_even_with_force_and_goes_ahead_only_on_the_explicit_override_which_history_records()
        {
            using (var rig = new VirtualRig())
            {
                var path = rig.NewDrive("d", "lg-wh16ns60");
                var image = rig.Image("lg-wh16ns60", "1.03");
                var drive = new GetDrivesOperation(rig.Context).IdentifyOne(path);
                Assert.Equal(DriveFamily.Mt1959, drive.Family);
                Assert.False(drive.ListedModel);
                Assert.False(drive.CanFlash);
                Assert.Contains("flash_mt1959", drive.Note);

                var refused = new WriteOperation(rig.Context).Run(new RecordingHost(), path, new WriteOptions { ImagePath = image, SkipBackup = true, Force = true, AllowCrossFlash = true });
                Assert.Equal(WriteOutcome.Refused, refused.Outcome);
                Assert.Equal(FlashRefusalIds.ModelNotListed, refused.ErrorId);
                Assert.False(rig.Trace().AnyStateChanging);
                Assert.Equal("1.02", rig.Store.Get("d").Revision);

                var host = new RecordingHost();
                var allowed = new WriteOperation(rig.Context).Run(host, path, new WriteOptions { ImagePath = image, SkipBackup = true, Force = true, AllowUnlistedModel = true });
                Assert.True(allowed.Outcome == WriteOutcome.Succeeded, allowed.Message);
                Assert.True(allowed.AllowedUnlistedModel);
                Assert.Contains(host.Warnings, w => w.Contains("unlisted-model override"));
                Assert.Equal("1.03", rig.Store.Get("d").Revision);

                var history = File.ReadAllLines(Path.Combine(rig.Home, "history.jsonl")).Select(Json.ParseObject).Where(h => h.GetString("record") != "attempt").ToList();
                Assert.Equal(new[] { false, true }, history.Select(h => h.GetBool("allowedUnlistedModel")));
                Assert.Equal(FlashRefusalIds.ModelNotListed, history[0].GetString("errorId"));
            }
        }

        [Fact]
        public void The_override_is_not_recorded_for_a_listed_model_and_the_cli_takes_it_as_allow_unlisted_model()
        {
            using (var rig = new VirtualRig())
            {
                var listed = rig.NewDrive("listed", "lg-bh16ns40");
                var unlisted = rig.NewDrive("unlisted", "lg-wh16ns60");
                var a = CliRunner.Run(rig, "write", listed, rig.Image("lg-bh16ns40", "1.03"), "--yes", "--no-backup", "--allow-unlisted-model", "--json");
                Assert.True(a.Exit == ExitCodes.Success, a.ToString());
                Assert.False(a.JsonObject.GetBool("allowedUnlistedModel"));

                var b = CliRunner.Run(rig, "write", unlisted, rig.Image("lg-wh16ns60", "1.03"), "--yes", "--no-backup", "--json");
                Assert.True(b.Exit == ExitCodes.Refused, b.ToString());
                Assert.Contains("--allow-unlisted-model", b.Err);
                var c = CliRunner.Run(rig, "write", unlisted, rig.Image("lg-wh16ns60", "1.03"), "--yes", "--no-backup", "--allow-unlisted-model", "--json");
                Assert.True(c.Exit == ExitCodes.Success, c.ToString());
                Assert.True(c.JsonObject.GetBool("allowedUnlistedModel"));
            }
        }

        /// <summary>A boot-mode MT1339 (here: a download cut short) is not sent the flash sequence: no source documents its boot loader.</summary>
        [Fact]
        public void Recover_on_an_mt1339_in_boot_mode_is_refused_with_the_reason_and_sends_nothing()
        {
            using (var rig = new VirtualRig())
            {
                var path = rig.NewDrive("d", "tsst-ts-h353c");
                using (var t = rig.Store.Open("d", MtkFlash.Core.Transports.DriveAccess.Exclusive))
                {
                    var block = new byte[0xFC00];
                    Assert.True(t.Execute(MtkFlash.Core.Scsi.ScsiRequest.Write(new byte[] { 0xFF, 0, 1, 0, 0, 0x00, 0, 0, 0, 0, 0, 0 }, block)).IsGood);
                    Assert.True(t.Execute(MtkFlash.Core.Scsi.ScsiRequest.Write(new byte[] { 0xFF, 0, 1, 0, 0, 0x04, 0, 0, 0, 0, 0, 0 }, new byte[0x400])).IsGood);
                }
                Assert.Equal(DriveState.BootMode, new GetDrivesOperation(rig.Context).IdentifyOne(path).State);
                int start = rig.Trace().Count;
                var result = new WriteOperation(rig.Context).Run(new RecordingHost(), path, new WriteOptions
                {
                    ImagePath = rig.Image("tsst-ts-h353c", "ID04"), SkipBackup = true, Force = true, Recover = true,
                });
                Assert.Equal(WriteOutcome.Refused, result.Outcome);
                Assert.Equal(FlashRefusalIds.RecoveryNotSupported, result.ErrorId);
                Assert.Contains("boot loader", result.Message);
                Assert.DoesNotContain(rig.Trace().Records.Skip(start), r => MtkFlash.Core.Scsi.Cdb.IsStateChanging(r.CdbBytes()));
            }
        }
    }
}
