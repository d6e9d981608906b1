using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Backup
{
    /// <summary>Backups of a virtual drive of every profile: exact bytes, honest completeness, verifiable manifest, read commands only.</summary>
    public class BackupProfileTests
    {
        /// <summary>
        /// What each family allows (docs/reference/drive-protocols.md §1–§3, docs/reference/mt1959-notes.md §3): a full read-back for MT1959 and the TSST
        /// MT1939, identity only for everything else. The expected reason fragment names why.
        /// </summary>
        public static IEnumerable<object[]> Profiles() => new[]
        {
            new object[] { "lg-bh16ns40", BackupCompleteness.Full, null },
            new object[] { "asus-bw16d1ht", BackupCompleteness.Full, null },
            // Unlisted: no command beyond identity reaches it unless the user allows the model for a write (issue 9 §2).
            new object[] { "lg-wh16ns60", BackupCompleteness.IdentityOnly, "does not list this model" },
            new object[] { "tsst-se506cb", BackupCompleteness.Full, null },
            new object[] { "tsst-ts-h353c", BackupCompleteness.IdentityOnly, "TSST model" },
            new object[] { "btc-drw1008", BackupCompleteness.IdentityOnly, "BTC" },
            new object[] { "plextor-px716a", BackupCompleteness.IdentityOnly, "Plextor" },
            new object[] { "liteon-sohw812s", BackupCompleteness.IdentityOnly, "not public" },
            new object[] { "spc-generic", BackupCompleteness.IdentityOnly, "Standard SCSI defines no firmware read-back" },
        };

        [Fact]
        public void The_table_covers_every_virtual_profile()
        {
            Assert.Equal(VirtualProfiles.All.Select(p => p.Name).OrderBy(n => n), Profiles().Select(p => (string)p[0]).OrderBy(n => n));
        }

        [Theory]
        [MemberData(nameof(Profiles))]
        public void Backup_holds_exactly_what_the_family_can_read(string profile, BackupCompleteness expected, string reasonFragment)
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d1", profile);
                var dest = rig.Sub("backups");
                var startedAt = rig.Clock.UtcNow;
                var (result, host) = BackupKit.Run(rig, drive, dest);
                Assert.Empty(host.Errors);
                Assert.NotNull(result);
                Assert.Same(result, Assert.Single(host.Objects));
                Assert.Equal(expected, result.Completeness);
                Assert.Equal(drive, result.Drive);
                var flash = rig.Store.ReadFlash("d1");

                var bundle = BackupBundle.Open(result.Path);
                Assert.Equal(expected, bundle.Manifest.Completeness);
                Assert.Equal(VirtualProfiles.Get(profile).Family, bundle.Manifest.Drive.Family);
                Assert.Equal(rig.Store.Get("d1").Serial, bundle.Manifest.Drive.SerialNumber);
                Assert.Equal(BackupManifest.FormatName, bundle.Manifest.Format);
                // The virtual drive spends its bus time on the clock (issue 15 timing model): the backup is stamped when it
                // starts reading, between the start of the operation and its end.
                Assert.InRange(bundle.Manifest.CreatedUtc, startedAt, rig.Clock.UtcNow);

                // Identity responses are in every backup.
                Assert.Contains(bundle.Manifest.Parts, p => p.Kind == BackupPartKind.Identity && p.File == "inquiry.bin");
                var inquiry = InquiryData.Parse(bundle.Read(bundle.Manifest.Parts.Single(p => p.File == "inquiry.bin")));
                Assert.Equal(VirtualProfiles.Get(profile).Vendor, inquiry.Vendor.Trim());

                if (expected == BackupCompleteness.Full)
                {
                    Assert.Null(result.Reason);
                    Assert.Equal(flash, bundle.FirmwareImage);
                    Assert.Equal(flash, File.ReadAllBytes(Path.Combine(result.Path, "firmware.bin")));
                    Assert.Equal(BackupBundle.Sha256(flash), result.Sha256);
                    var regions = bundle.Manifest.Parts.Where(p => p.Kind == BackupPartKind.Region).ToList();
                    Assert.NotEmpty(regions);
                    foreach (var r in regions)
                        Assert.Equal(RawScsi.Slice(flash, (int)r.Offset.Value, (int)r.Length), bundle.Read(r));
                    Assert.Empty(host.Warnings);
                }
                else
                {
                    Assert.Null(bundle.FirmwareImage);
                    Assert.False(File.Exists(Path.Combine(result.Path, "firmware.bin")));
                    Assert.DoesNotContain(bundle.Manifest.Parts, p => p.Kind == BackupPartKind.Region);
                    Assert.Contains(reasonFragment, result.Reason);
                    Assert.Equal(result.Reason, bundle.Manifest.Reason);
                    // Without an image the result's hash is the manifest's, so it still names exactly this bundle.
                    Assert.Equal(BackupBundle.Sha256(File.ReadAllBytes(Path.Combine(result.Path, BackupManifest.FileName))), result.Sha256);
                    Assert.Contains(host.Warnings, w => w.Contains("identityOnly") && w.Contains(reasonFragment));
                }

                // Every part's SHA-256 in the manifest matches the file next to it, and the result lists the same parts.
                foreach (var part in bundle.Manifest.Parts)
                {
                    var bytes = File.ReadAllBytes(Path.Combine(result.Path, part.File));
                    Assert.Equal(part.Length, bytes.Length);
                    Assert.Equal(BackupBundle.Sha256(bytes), part.Sha256);
                }
                Assert.Equal(bundle.Manifest.Parts.Select(p => p.File + p.Sha256), result.Parts.Select(p => p.File + p.Sha256));
                Assert.Equal(bundle.Manifest.Parts.Sum(p => p.Length), result.Size);
                Assert.Equal(new[] { Path.GetFileName(result.Path) }, BackupKit.Entries(dest));
            }
        }

        [Theory]
        [MemberData(nameof(Profiles))]
        public void The_read_path_sends_read_commands_only(string profile, BackupCompleteness expected, string reasonFragment)
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d1", profile);
                var before = rig.Store.ReadFlash("d1");
                var (result, host) = BackupKit.Run(rig, drive, rig.Sub("backups"));
                Assert.NotNull(result);
                var trace = rig.Trace();
                Assert.NotEqual(0, trace.Count);
                Assert.All(trace.Records, r => Assert.False(Cdb.IsStateChanging(r.CdbBytes()), "state-changing command " + r.Cdb));
                Assert.DoesNotContain(trace.Records, r => r.CdbBytes()[0] == Cdb.WriteBufferOpcode || r.CdbBytes()[0] == 0xFF);
                Assert.DoesNotContain(trace.Records, r => r.Direction == "out");
                // Full backups read the flash twice (verification); the others never ask for it.
                int flashReads = trace.Records.Count(r => r.CdbBytes()[0] == Cdb.ReadBufferOpcode);
                if (expected == BackupCompleteness.Full) Assert.True(flashReads >= 2 * (rig.Store.ReadFlash("d1").Length / 0x1000), flashReads + " READ BUFFERs");
                else Assert.Equal(0, flashReads);
                Assert.Equal(before, rig.Store.ReadFlash("d1"));
                if (reasonFragment != null) Assert.Contains(reasonFragment, result.Reason);
            }
        }

        [Theory]
        [InlineData("lg-bh16ns40")]
        [InlineData("tsst-se506cb")]
        [InlineData("btc-drw1008")]
        public void A_drive_with_a_disc_in_the_tray_is_backed_up_too(string profile)
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("disc", profile, withDisc: true);
                var (result, host) = BackupKit.Run(rig, drive, rig.Sub("backups"));
                Assert.Empty(host.Errors);
                Assert.NotNull(result);
                Assert.Contains(host.Verbose, v => v.Contains("disc in the tray"));
                var bundle = BackupBundle.Open(result.Path);
                if (result.Completeness == BackupCompleteness.Full) Assert.Equal(rig.Store.ReadFlash("disc"), bundle.FirmwareImage);
                Assert.Equal(TrayState.Disc, rig.Store.Get("disc").Tray);
            }
        }

        [Fact]
        public void Progress_reports_bytes_read_and_ends_completed()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("p", "lg-bh16ns40");
                var (result, host) = BackupKit.Run(rig, drive, rig.Sub("backups"));
                Assert.NotNull(result);
                var parent = host.Progress.First();
                Assert.Equal(-1, parent.ParentActivityId);                     // one parent activity for the drive
                var reads = host.Progress.Where(p => !p.Completed && p.ParentActivityId == parent.ActivityId).ToList();
                Assert.NotEmpty(reads);
                Assert.All(reads, p => Assert.Equal(reads[0].ActivityId, p.ActivityId));
                Assert.NotEqual(parent.ActivityId, reads[0].ActivityId);
                Assert.Contains(reads, p => p.Status.Contains("read " + (2 * 0x200000) + " of " + (2 * 0x200000) + " bytes"));
                Assert.Equal(reads.Select(p => p.PercentComplete).OrderBy(x => x), reads.Select(p => p.PercentComplete));
                Assert.True(host.Progress.Last().Completed);
            }
        }

        [Fact]
        public void WhatIf_reads_and_writes_nothing()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("w", "lg-bh16ns40");
                var dest = rig.Sub("backups");
                var host = new RecordingHost(shouldProcess: false);
                var result = new BackupOperation(rig.Context).Run(host, drive, new BackupOptions { Destination = dest });
                Assert.Null(result);
                Assert.Single(host.ShouldProcessCalls);
                Assert.Equal(drive, host.ShouldProcessCalls[0].Target);
                Assert.Contains(dest, host.ShouldProcessCalls[0].Action);
                Assert.Empty(host.Objects);
                Assert.Empty(BackupKit.Entries(dest));
                Assert.Equal(0, rig.Trace().Count);
            }
        }

        [Fact]
        public void Without_a_destination_the_bundle_goes_to_the_home_backups_folder()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("h", "btc-drw1008");
                var (result, host) = BackupKit.Run(rig, drive, null);
                Assert.Empty(host.Errors);
                Assert.Equal(rig.Context.DefaultBackupDirectory, Path.GetDirectoryName(result.Path));
                Assert.True(BackupBundle.IsBundle(result.Path));
            }
        }
    }
}
