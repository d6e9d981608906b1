using System.IO;
using System.Linq;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Flashing;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Operations;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Operations
{
    /// <summary>
    /// Drive-unique data (calibration, NVRAM) never travels from one unit to another: what is sent for those regions is the
    /// target drive's own bytes, whatever the image carries (issue 3 restore rule; drive-protocols.md §1 rule 5).
    /// Proven on the wire (trace), not by the emulator's own behaviour, because the emulator keeps those regions anyway.
    /// </summary>
    public class WriteRegionTests
    {
        [Fact]
        public void Restoring_another_drives_backup_sends_this_drives_calibration_and_nvram()
        {
            using (var rig = new VirtualRig())
            {
                var donor = rig.NewDrive("donor", "lg-bh16ns40");
                var target = rig.NewDrive("target", "lg-bh16ns40");
                var donorFlash = rig.Store.ReadFlash("donor");
                var targetFlash = rig.Store.ReadFlash("target");
                Assert.False(donorFlash.Skip(0x1F0000).Take(0x10000).SequenceEqual(targetFlash.Skip(0x1F0000).Take(0x10000)), "units must differ");

                var bundle = new BackupOperation(rig.Context).Run(new RecordingHost(), donor, new BackupOptions { Destination = rig.Sub("donor-backup") });
                var host = new RecordingHost();
                var result = new WriteOperation(rig.Context).Run(host, target, new WriteOptions { ImagePath = bundle.Path, BackupDirectory = rig.Sub("b"), Force = true });
                Assert.True(result.Outcome == WriteOutcome.Succeeded, result.Message);
                Assert.Contains(host.Warnings, w => w.Contains("another drive"));

                // Every WRITE BUFFER mode 6 chunk inside calibration (0x1F0000) and NVRAM (0x1E8000) carried the target's bytes.
                var chunks = rig.Trace().Records.Where(r => r.Cdb.StartsWith("3b06")).ToList();
                foreach (var offset in new[] { 0x1E8000, 0x1F0000, 0x1F4000, 0x1F8000, 0x1FC000 })
                {
                    var record = chunks.Single(r => r.Cdb.Substring(6, 6) == offset.ToString("x6"));
                    Assert.Equal(Hashing.Sha256Hex(targetFlash.Skip(offset).Take(0x4000).ToArray()), record.Sha256);
                    Assert.NotEqual(Hashing.Sha256Hex(donorFlash.Skip(offset).Take(0x4000).ToArray()), record.Sha256);
                }
                Assert.True(targetFlash.Skip(0x1F0000).SequenceEqual(rig.Store.ReadFlash("target").Skip(0x1F0000)));
            }
        }

        [Fact]
        public void Restoring_a_drives_own_backup_is_not_a_cross_flash_and_brings_its_firmware_back()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "tsst-se506cb");
                var original = rig.Store.ReadFlash("d");
                var bundle = new BackupOperation(rig.Context).Run(new RecordingHost(), drive, new BackupOptions { Destination = rig.Sub("own") });
                var newer = new WriteOperation(rig.Context).Run(new RecordingHost(), drive, new WriteOptions { ImagePath = rig.Image("tsst-se506cb", "TS02"), SkipBackup = true, Force = true });
                Assert.Equal("TS02", newer.NewRevision);

                var host = new RecordingHost();
                var restore = new WriteOperation(rig.Context).Run(host, drive, new WriteOptions { ImagePath = bundle.Path, SkipBackup = true, Force = true });
                Assert.True(restore.Outcome == WriteOutcome.Succeeded, restore.Message);
                Assert.True(restore.IsRestore);
                Assert.False(restore.CrossFlash);
                Assert.Equal("TS01", restore.NewRevision);
                Assert.True(original.Skip(0x10000).SequenceEqual(rig.Store.ReadFlash("d").Skip(0x10000)), "the restored flash differs from the original");
            }
        }

        [Fact]
        public void A_tampered_backup_is_refused_before_the_drive_is_touched()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "lg-bh16ns40");
                var bundle = new BackupOperation(rig.Context).Run(new RecordingHost(), drive, new BackupOptions { Destination = rig.Sub("own") });
                var firmware = Path.Combine(bundle.Path, "firmware.bin");
                var bytes = File.ReadAllBytes(firmware);
                bytes[0x20000] ^= 1;
                File.WriteAllBytes(firmware, bytes);
                var result = new WriteOperation(rig.Context).Run(new RecordingHost(), drive, new WriteOptions { ImagePath = bundle.Path, SkipBackup = true, Force = true });
                Assert.Equal(WriteOutcome.Refused, result.Outcome);
                Assert.Equal("BackupDamaged", result.ErrorId);
                Assert.Equal(0, result.CommandsSent);
            }
        }
    }
}

namespace MtkFlash.Tests.Operations
{
    public class DeadDriveTests
    {
        [Fact]
        public void A_drive_dead_beyond_its_boot_loader_is_not_tried_and_the_legacy_advice_is_given()
        {
            using (var rig = new VirtualRig())
            {
                // BTC has no protected boot block: power lost while it programs leaves it dead (drive-protocols.md §6).
                var drive = rig.NewDrive("d", "btc-drw1008");
                var image = rig.Image("btc-drw1008", "B231");
                var baseline = new WriteOperation(rig.Context).Run(new RecordingHost(), drive, new WriteOptions { ImagePath = image, SkipBackup = true, Force = true });
                Assert.Equal(WriteOutcome.Succeeded, baseline.Outcome);
                int commit = rig.Trace().Records.ToList().FindIndex(r => r.Cdb.StartsWith("3b07"));
                var dead = rig.NewDrive("dead", "btc-drw1008");
                rig.Store.SetFaults("dead", f => f.PowerLossAfter = commit + 1);   // power fails before the drive has finished programming
                var failed = new WriteOperation(rig.Context).Run(new RecordingHost(), dead, new WriteOptions { ImagePath = image, SkipBackup = true, Force = true });
                Assert.Equal(WriteOutcome.Failed, failed.Outcome);

                rig.Store.SetFaults("dead", f => f.PowerLossAfter = null);
                var host = new RecordingHost();
                var recover = new WriteOperation(rig.Context).Run(host, dead, new WriteOptions { ImagePath = image, SkipBackup = true, Force = true, Recover = true });
                Assert.Equal(WriteOutcome.Refused, recover.Outcome);
                Assert.Equal("DriveNotResponding", recover.ErrorId);
                Assert.Contains("hardware-level", recover.Message);
                Assert.Contains("never sends guessed commands", recover.Message);
                Assert.Equal(0, recover.CommandsSent);
            }
        }
    }
}
