using System.IO;
using System.IO.Compression;
using System.Linq;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Serialization;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Backup
{
    /// <summary>Test-FirmwareImage takes a backup bundle and analyses the image inside it.</summary>
    public class BundleAnalysisTests
    {
        static string[] Codes(FirmwareImageReport r) => r.Problems.Select(p => p.Code).ToArray();

        [Theory]
        [InlineData("lg-bh16ns40", BackupFormat.Folder)]
        [InlineData("lg-bh16ns40", BackupFormat.Zip)]
        [InlineData("tsst-se506cb", BackupFormat.Folder)]
        [InlineData("tsst-se506cb", BackupFormat.Zip)]
        public void A_full_bundle_is_analysed_as_the_image_inside(string profile, BackupFormat format)
        {
            using (var rig = new VirtualRig())
            {
                var (backup, _) = BackupKit.Run(rig, rig.NewDrive("a", profile), rig.Sub("b"), format);
                var flash = rig.Store.ReadFlash("a");
                var direct = FirmwareAnalyzer.Analyze(flash, "flash.bin");

                var host = new RecordingHost();
                var report = Assert.Single(new TestFirmwareImageOperation().Run(host, new[] { backup.Path }));
                Assert.Same(report, Assert.Single(host.Objects));
                Assert.Equal(FirmwareFormat.BackupBundle, report.Format);
                Assert.Equal(backup.Path, report.Path);
                Assert.Equal(BackupBundle.Sha256(flash), report.Sha256);
                Assert.Equal(backup.Sha256, report.Sha256);
                Assert.Equal(flash.Length, report.Size);
                Assert.Equal(direct.Family, report.Family);
                Assert.NotEqual(DriveFamily.Unknown, report.Family);
                Assert.Equal(direct.Revision, report.Revision);
                Assert.True(report.IsValid, string.Join("; ", report.Problems));
                Assert.Equal(direct.IsValid, report.IsValid);
                Assert.Equal(Codes(direct), Codes(report));
                Assert.Equal(BackupCompleteness.Full, report.Details.Bundle.Completeness);
                Assert.Equal(rig.Store.Get("a").Serial, report.Details.Bundle.Drive.SerialNumber);
                Assert.Equal(backup.Parts.Count, report.Details.Bundle.Parts.Count);
                if (format == BackupFormat.Zip) Assert.Equal(new FileInfo(backup.Path).Length, report.FileSize);
                else Assert.Equal(backup.Size, report.FileSize);

                var json = Json.ParseObject(Json.Serialize(report));
                Assert.Equal("backupBundle", json.GetString("format"));
                Assert.Equal("full", json.GetObject("details").GetObject("bundle").GetString("completeness"));
            }
        }

        [Fact]
        public void A_bundle_checked_against_its_own_drive_fits()
        {
            using (var rig = new VirtualRig())
            {
                var path = rig.NewDrive("own", "lg-bh16ns40");
                var (backup, _) = BackupKit.Run(rig, path, rig.Sub("b"));
                var drive = new GetDrivesOperation(rig.Context).Run(new RecordingHost(), new[] { path }).Single();
                var report = Assert.Single(new TestFirmwareImageOperation().Run(new RecordingHost(), new[] { backup.Path }, new[] { drive }));
                var direct = FirmwareCompatibility.Check(FirmwareAnalyzer.Analyze(rig.Store.ReadFlash("own")), drive);
                Assert.Equal(CompatibilityVerdict.Fits, report.Compatibility.Verdict);
                Assert.Equal(direct.Verdict, report.Compatibility.Verdict);
                Assert.Equal(RevisionComparison.Same, report.Compatibility.Newer);
            }
        }

        [Theory]
        [InlineData("btc-drw1008", BackupFormat.Folder)]
        [InlineData("spc-generic", BackupFormat.Zip)]
        [InlineData("liteon-sohw812s", BackupFormat.Folder)]
        public void An_identity_only_bundle_is_not_a_valid_image(string profile, BackupFormat format)
        {
            using (var rig = new VirtualRig())
            {
                var (backup, _) = BackupKit.Run(rig, rig.NewDrive("i", profile), rig.Sub("b"), format);
                var host = new RecordingHost();
                var report = Assert.Single(new TestFirmwareImageOperation().Run(host, new[] { backup.Path }));
                Assert.Equal(FirmwareFormat.BackupBundle, report.Format);
                Assert.False(report.IsValid);
                Assert.Equal(new[] { FirmwareProblemCodes.BackupHasNoImage }, Codes(report));
                Assert.Contains("identityOnly", report.Problems[0].Message);
                Assert.Equal(DriveFamily.Unknown, report.Family);
                Assert.Null(report.Sha256);
                Assert.Equal(BackupCompleteness.IdentityOnly, report.Details.Bundle.Completeness);
                Assert.Equal(rig.Store.Get("i").Vendor, report.Vendor.Trim());

                var quiet = new RecordingHost();
                new TestFirmwareImageOperation().Run(quiet, new[] { backup.Path }, quiet: true);
                Assert.Equal(new object[] { false }, quiet.Objects);
            }
        }

        [Theory]
        [InlineData(BackupFormat.Folder)]
        [InlineData(BackupFormat.Zip)]
        public void A_damaged_bundle_is_reported_as_damaged(BackupFormat format)
        {
            using (var rig = new VirtualRig())
            {
                var (backup, _) = BackupKit.Run(rig, rig.NewDrive("d", "lg-bh16ns40"), rig.Sub("b"), format);
                if (format == BackupFormat.Folder) File.Delete(Path.Combine(backup.Path, "firmware.bin"));
                else using (var zip = ZipFile.Open(backup.Path, ZipArchiveMode.Update)) zip.GetEntry("firmware.bin").Delete();
                var report = FirmwareAnalyzer.AnalyzeFile(backup.Path);
                Assert.Equal(FirmwareFormat.BackupBundle, report.Format);
                Assert.False(report.IsValid);
                Assert.Equal(new[] { FirmwareProblemCodes.BackupDamaged }, Codes(report));
                Assert.Contains("firmware.bin", report.Problems[0].Message);
            }
        }

        [Fact]
        public void A_manifest_claiming_full_without_an_image_is_damaged()
        {
            using (var rig = new VirtualRig())
            {
                var (backup, _) = BackupKit.Run(rig, rig.NewDrive("c", "btc-drw1008"), rig.Sub("b"));
                var manifest = Path.Combine(backup.Path, BackupManifest.FileName);
                File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"identityOnly\"", "\"full\""));
                var ex = Assert.Throws<InvalidDataException>(() => BackupBundle.Open(backup.Path));
                Assert.Contains("holds no firmware image", ex.Message);
                Assert.Equal(new[] { FirmwareProblemCodes.BackupDamaged }, Codes(FirmwareAnalyzer.AnalyzeFile(backup.Path)));
            }
        }

        [Fact]
        public void Plain_folders_and_zips_are_still_what_they_were()
        {
            using (var home = new TempHome())
            {
                Assert.Equal(new[] { FirmwareProblemCodes.IsDirectory }, Codes(FirmwareAnalyzer.AnalyzeFile(home.Path)));
                var zip = home.Sub("fw.zip");
                using (var z = ZipFile.Open(zip, ZipArchiveMode.Create)) z.CreateEntry("FW.BIN");
                var report = FirmwareAnalyzer.AnalyzeFile(zip);
                Assert.Equal(FirmwareFormat.Archive, report.Format);
                Assert.Equal(new[] { FirmwareProblemCodes.Archive }, Codes(report));
            }
        }
    }
}
