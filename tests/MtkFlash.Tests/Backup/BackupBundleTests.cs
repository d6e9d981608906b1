using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Backup
{
    /// <summary>Zip bundles keep the folder's guarantees; damaged or doctored bundles are refused with a clear message.</summary>
    public class BackupBundleTests
    {
        public static IEnumerable<object[]> AllProfiles() => VirtualProfiles.All.Select(p => new object[] { p.Name });

        [Theory]
        [MemberData(nameof(AllProfiles))]
        public void Zip_bundles_hold_the_same_bytes_and_round_trip(string profile)
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("z", profile);
                var dest = rig.Sub("zips");
                var (zip, host) = BackupKit.Run(rig, drive, dest, BackupFormat.Zip);
                Assert.Empty(host.Errors);
                Assert.Equal(BackupFormat.Zip, zip.Format);
                Assert.EndsWith(".zip", zip.Path);
                Assert.True(File.Exists(zip.Path));
                Assert.True(BackupBundle.IsBundle(zip.Path));
                Assert.Equal(new[] { Path.GetFileName(zip.Path) }, BackupKit.Entries(dest));

                var bundle = BackupBundle.Open(zip.Path);
                var flash = rig.Store.ReadFlash("z");
                if (zip.Completeness == BackupCompleteness.Full)
                {
                    Assert.Equal(flash, bundle.FirmwareImage);
                    foreach (var r in bundle.Manifest.Parts.Where(p => p.Kind == BackupPartKind.Region))
                        Assert.Equal(RawScsi.Slice(flash, (int)r.Offset.Value, (int)r.Length), bundle.Read(r));
                }
                else Assert.Null(bundle.FirmwareImage);

                // The archive holds exactly the manifest's parts plus the manifest, at its root.
                using (var archive = ZipFile.OpenRead(zip.Path))
                    Assert.Equal(bundle.Manifest.Parts.Select(p => p.File).Concat(new[] { BackupManifest.FileName }).OrderBy(n => n, StringComparer.Ordinal),
                        archive.Entries.Select(e => e.FullName).OrderBy(n => n, StringComparer.Ordinal));

                // The same drive as a folder bundle: the same parts, byte for byte.
                rig.Clock.Advance(TimeSpan.FromSeconds(1));
                var (folder, _) = BackupKit.Run(rig, drive, rig.Sub("folders"));
                var twin = BackupBundle.Open(folder.Path);
                Assert.Equal(bundle.Manifest.Parts.Select(p => p.File + "=" + p.Sha256), twin.Manifest.Parts.Select(p => p.File + "=" + p.Sha256));
                Assert.Equal(zip.Sha256 == folder.Sha256, zip.Completeness == BackupCompleteness.Full);
            }
        }

        [Fact]
        public void The_manifest_round_trips_every_field()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("m", "tsst-se506cb");
                var (result, _) = BackupKit.Run(rig, drive, rig.Sub("b"));
                var m = BackupBundle.Open(result.Path).Manifest;
                var info = rig.Store.Get("m");
                Assert.Equal(BackupManifest.CurrentFormatVersion, m.FormatVersion);
                Assert.Equal(BackupEngine.ToolVersion, m.Tool);
                Assert.Equal(Environment.MachineName, m.ComputerName);
                Assert.Equal(drive, m.Drive.Path);
                Assert.Equal(info.Vendor, m.Drive.Vendor.Trim());
                Assert.Equal(info.Product, m.Drive.Product.Trim());
                Assert.Equal(info.Revision, m.Drive.Revision.Trim());
                Assert.Equal(info.Serial, m.Drive.SerialNumber);
                Assert.Equal(DriveFamily.Tsst, m.Drive.Family);
                Assert.Equal("mt1939", m.Drive.Model);
                Assert.True(m.Drive.IsVirtual);
                Assert.Equal(result.Parts.Select(p => (p.Name, p.Kind, p.File, p.Offset, p.Length, p.Sha256)),
                    m.Parts.Select(p => (p.Name, p.Kind, p.File, p.Offset, p.Length, p.Sha256)));
                var region = m.Parts.Single(p => p.Kind == BackupPartKind.Region);
                Assert.Equal(0x1E2000L, region.Offset);
                Assert.Equal(0L, m.Firmware.Offset);
                Assert.Null(m.Parts.Single(p => p.File == "inquiry.bin").Offset);
            }
        }

        // ------------------------------------------------------------------ tampering

        /// <summary>Makes a bundle of an MT1959 drive (firmware, regions, identity) in the given format and returns its path.</summary>
        static string MakeBundle(VirtualRig rig, BackupFormat format)
        {
            var (result, host) = BackupKit.Run(rig, rig.NewDrive("t", "lg-bh16ns40"), rig.Sub("b"), format);
            Assert.Empty(host.Errors);
            BackupBundle.Open(result.Path);   // sound before it is doctored
            return result.Path;
        }

        /// <summary>Changes one file of a folder or zip bundle (null content: removes it).</summary>
        static void Doctor(string bundle, string file, Func<byte[], byte[]> change)
        {
            if (Directory.Exists(bundle))
            {
                var path = Path.Combine(bundle, file);
                var changed = change(File.ReadAllBytes(path));
                if (changed == null) File.Delete(path); else File.WriteAllBytes(path, changed);
                return;
            }
            using (var zip = ZipFile.Open(bundle, ZipArchiveMode.Update))
            {
                var entry = zip.GetEntry(file);
                byte[] data;
                using (var s = entry.Open()) using (var ms = new MemoryStream()) { s.CopyTo(ms); data = ms.ToArray(); }
                entry.Delete();
                var changed = change(data);
                if (changed == null) return;
                using (var s = zip.CreateEntry(file).Open()) s.Write(changed, 0, changed.Length);
            }
        }

        static byte[] FlipByte(byte[] data, int at) { var d = (byte[])data.Clone(); d[at] ^= 0x01; return d; }

        static byte[] EditManifest(byte[] manifest, string pattern, string replacement)
        {
            var text = System.Text.Encoding.UTF8.GetString(manifest);
            var edited = Regex.Replace(text, pattern, replacement);
            Assert.NotEqual(text, edited);
            return System.Text.Encoding.UTF8.GetBytes(edited);
        }

        static string Refused(string bundle)
        {
            var ex = Assert.Throws<InvalidDataException>(() => BackupBundle.Open(bundle));
            Assert.Contains(bundle, ex.Message);
            return ex.Message;
        }

        [Theory]
        [InlineData(BackupFormat.Folder)]
        [InlineData(BackupFormat.Zip)]
        public void A_changed_byte_is_refused(BackupFormat format)
        {
            using (var rig = new VirtualRig())
            {
                var bundle = MakeBundle(rig, format);
                Doctor(bundle, "firmware.bin", d => FlipByte(d, 0x123456));
                var message = Refused(bundle);
                Assert.Contains("firmware.bin", message);
                Assert.Contains("SHA-256", message);
                Assert.Contains("damaged", message);
            }
        }

        [Theory]
        [InlineData(BackupFormat.Folder)]
        [InlineData(BackupFormat.Zip)]
        public void A_truncated_part_is_refused(BackupFormat format)
        {
            using (var rig = new VirtualRig())
            {
                var bundle = MakeBundle(rig, format);
                Doctor(bundle, "region-calibration-1F0000.bin", d => d.Take(d.Length - 1).ToArray());
                Assert.Contains("region-calibration-1F0000.bin", Refused(bundle));
            }
        }

        [Theory]
        [InlineData(BackupFormat.Folder)]
        [InlineData(BackupFormat.Zip)]
        public void A_missing_part_is_refused(BackupFormat format)
        {
            using (var rig = new VirtualRig())
            {
                var bundle = MakeBundle(rig, format);
                Doctor(bundle, "inquiry.bin", d => null);
                var message = Refused(bundle);
                Assert.Contains("lacks its part 'inquiry.bin'", message);
            }
        }

        [Theory]
        [InlineData(BackupFormat.Folder, "../x")]
        [InlineData(BackupFormat.Zip, "../x")]
        [InlineData(BackupFormat.Folder, "..\\\\x")]
        [InlineData(BackupFormat.Zip, "sub/firmware.bin")]
        [InlineData(BackupFormat.Folder, "..")]
        [InlineData(BackupFormat.Folder, "/etc/passwd")]
        public void A_manifest_naming_a_file_outside_the_bundle_is_refused(BackupFormat format, string jsonFileName)
        {
            using (var rig = new VirtualRig())
            {
                var bundle = MakeBundle(rig, format);
                Doctor(bundle, BackupManifest.FileName, m => EditManifest(m, "\"firmware\\.bin\"", "\"" + jsonFileName + "\""));
                var message = Refused(bundle);
                Assert.Contains("outside the bundle", message);
            }
        }

        [Theory]
        [InlineData("\"formatVersion\": 1", "\"formatVersion\": 2", "not supported")]
        [InlineData("\"format\": \"mtkflash-backup\"", "\"format\": \"other\"", "Not an MtkFlash backup manifest")]
        [InlineData("^\\{", "[", "damaged")]
        public void A_manifest_that_is_not_ours_is_refused(string pattern, string replacement, string expected)
        {
            using (var rig = new VirtualRig())
            {
                var bundle = MakeBundle(rig, BackupFormat.Folder);
                Doctor(bundle, BackupManifest.FileName, m => EditManifest(m, pattern, replacement));
                Assert.Contains(expected, Refused(bundle));
            }
        }

        [Fact]
        public void A_manifest_names_the_host_it_was_made_on_and_one_without_a_host_still_reads()
        {
            using (var rig = new VirtualRig())
            {
                var bundle = MakeBundle(rig, BackupFormat.Folder);
                var text = File.ReadAllText(Path.Combine(bundle, BackupManifest.FileName));
                Assert.Contains("\"computerName\": \"" + Environment.MachineName + "\"", text);
                Assert.Equal(Environment.MachineName, FirmwareAnalyzer.AnalyzeFile(bundle).Details.Bundle.ComputerName);

                // Bundles written before the field existed have none: they open the same, with no host.
                Doctor(bundle, BackupManifest.FileName, m => EditManifest(m, "\\s*\"computerName\": \"[^\"]*\",", ""));
                Assert.Null(BackupBundle.Open(bundle).Manifest.ComputerName);
                Assert.True(FirmwareAnalyzer.AnalyzeFile(bundle).IsValid);
            }
        }

        [Fact]
        public void A_folder_without_a_manifest_is_not_a_bundle()
        {
            using (var rig = new VirtualRig())
            {
                var bundle = MakeBundle(rig, BackupFormat.Folder);
                Doctor(bundle, BackupManifest.FileName, m => null);
                Assert.False(BackupBundle.IsBundle(bundle));
                Assert.Contains("is not an MtkFlash backup", Refused(bundle));
            }
        }

        [Fact]
        public void IsBundle_tells_bundles_from_other_files()
        {
            using (var rig = new VirtualRig())
            {
                Assert.True(BackupBundle.IsBundle(MakeBundle(rig, BackupFormat.Folder)));
                Assert.False(BackupBundle.IsBundle(rig.Image("lg-bh16ns40", "1.02")));
                Assert.False(BackupBundle.IsBundle(rig.Sub("empty")));
                Assert.False(BackupBundle.IsBundle(Path.Combine(rig.Home, "nothing-here")));
                var otherZip = Path.Combine(rig.Home, "other.zip");
                using (var z = ZipFile.Open(otherZip, ZipArchiveMode.Create)) z.CreateEntry("readme.txt");
                Assert.False(BackupBundle.IsBundle(otherZip));
                var fakeZip = Path.Combine(rig.Home, "fake.zip");
                File.WriteAllBytes(fakeZip, new byte[] { (byte)'P', (byte)'K', 3, 4, 0, 0, 0 });
                Assert.False(BackupBundle.IsBundle(fakeZip));
            }
        }

        // ------------------------------------------------------------------ restore identity

        static BackupDriveIdentity Backup(string vendor, string product, string serial) =>
            new BackupDriveIdentity { Vendor = vendor, Product = product, Revision = "1.02", SerialNumber = serial };

        static OpticalDrive Drive(string vendor, string product, string serial, string revision = "1.03") =>
            new OpticalDrive { Vendor = vendor, Product = product, SerialNumber = serial, Revision = revision };

        [Theory]
        [InlineData("HL-DT-ST", "BD-RE BH16NS40", "SIK1", "HL-DT-ST", "BD-RE BH16NS40", "SIK1", true)]
        [InlineData("HL-DT-ST", "BD-RE BH16NS40", "SIK1", "hl-dt-st", "BD-RE  BH16NS40   ", " SIK1 ", true)]
        [InlineData("HL-DT-ST", "BD-RE BH16NS40", "SIK1", "HL-DT-ST", "BD-RE BH16NS40", "SIK2", false)]
        [InlineData("HL-DT-ST", "BD-RE BH16NS40", "SIK1", "HL-DT-ST", "BD-RE BH16NS40", "sik1", false)]
        [InlineData("HL-DT-ST", "BD-RE BH16NS40", "SIK1", "ASUS", "BD-RE BH16NS40", "SIK1", false)]
        [InlineData("HL-DT-ST", "BD-RE BH16NS40", "SIK1", "HL-DT-ST", "BD-RE BH16NS55", "SIK1", false)]
        [InlineData("HL-DT-ST", "BD-RE BH16NS40", null, "HL-DT-ST", "BD-RE BH16NS40", null, false)]
        [InlineData("HL-DT-ST", "BD-RE BH16NS40", "", "HL-DT-ST", "BD-RE BH16NS40", "", false)]
        [InlineData("HL-DT-ST", "BD-RE BH16NS40", "   ", "HL-DT-ST", "BD-RE BH16NS40", "   ", false)]
        [InlineData("HL-DT-ST", "BD-RE BH16NS40", "SIK1", "HL-DT-ST", "BD-RE BH16NS40", null, false)]
        [InlineData("HL-DT-ST", "BD-RE BH16NS40", null, "HL-DT-ST", "BD-RE BH16NS40", "SIK1", false)]
        public void IsSameDrive_needs_vendor_product_and_a_serial(string bv, string bp, string bs, string dv, string dp, string ds, bool same)
        {
            Assert.Equal(same, Backup(bv, bp, bs).IsSameDrive(Drive(dv, dp, ds)));
        }

        [Fact]
        public void A_backup_belongs_to_its_own_virtual_drive_and_not_to_a_twin()
        {
            using (var rig = new VirtualRig())
            {
                var own = rig.NewDrive("own", "lg-bh16ns40");
                var twin = rig.NewDrive("twin", "lg-bh16ns40");
                var (result, _) = BackupKit.Run(rig, own, rig.Sub("b"));
                var identity = BackupBundle.Open(result.Path).Manifest.Drive;
                var drives = new MtkFlash.Core.Operations.GetDrivesOperation(rig.Context).Run(new RecordingHost(), null).ToDictionary(d => d.Path);
                Assert.True(identity.IsSameDrive(drives[own]));
                Assert.False(identity.IsSameDrive(drives[twin]));
            }
        }
    }
}
