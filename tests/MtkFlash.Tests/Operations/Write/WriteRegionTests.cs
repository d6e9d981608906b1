using System;
using System.IO;
using System.Linq;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Operations;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Operations
{
    /// <summary>
    /// Issue 9 §3: what a write sends is what the cited flasher sends: the image's (or the backup's) own bytes, with only the
    /// family's documented patch (MT1959: boot block blanked, the drive's config at 0x3000). No bytes read back from the drive
    /// during the write are spliced in (freemkv "never modifies it… no per-unit splice"; the TSST updater sends the file as
    /// it is; coastermelt notes that 3C 06 can see through the data cache). The backup taken before the write holds the
    /// drive's own regions. Proven on the wire (trace).
    /// </summary>
    public class WriteRegionTests
    {
        /// <summary>
        /// This test replaces one that asserted the opposite on the wire (the target's calibration and NVRAM spliced into the
        /// donor's backup), which is the unsafe behaviour the issue removes.
        /// </summary>
        [Fact]
        public void Restoring_another_drives_backup_sends_the_backups_own_bytes_and_nothing_read_from_this_drive()
        {
            using (var rig = new VirtualRig())
            {
                var donor = rig.NewDrive("donor", "lg-bh16ns40");
                var target = rig.NewDrive("target", "lg-bh16ns40");
                var donorFlash = rig.Store.ReadFlash("donor");
                var targetFlash = rig.Store.ReadFlash("target");
                Assert.False(donorFlash.Skip(0x1F0000).Take(0x10000).SequenceEqual(targetFlash.Skip(0x1F0000).Take(0x10000)), "units must differ");

                var bundle = new BackupOperation(rig.Context).Run(new RecordingHost(), donor, new BackupOptions { Destination = rig.Sub("donor-backup") });
                var backupBytes = BackupBundle.Open(bundle.Path).FirmwareImage;
                var host = new RecordingHost();
                var result = new WriteOperation(rig.Context).Run(host, target, new WriteOptions { ImagePath = bundle.Path, BackupDirectory = rig.Sub("b"), Force = true });
                Assert.True(result.Outcome == WriteOutcome.Succeeded, result.Message);
                Assert.Contains(host.Warnings, w => w.Contains("another drive") && w.Contains("as they are"));

                // Every WRITE BUFFER mode 6 chunk from 0x10000 on carried the backup's bytes, calibration and NVRAM included.
                var chunks = rig.Trace().Records.Where(r => r.Cdb.StartsWith("3b06")).ToList();
                Assert.Equal(128, chunks.Count);
                for (int offset = 0x10000; offset < 0x200000; offset += 0x4000)
                {
                    var record = chunks.Single(r => r.Cdb.Substring(6, 6) == offset.ToString("x6"));
                    Assert.Equal(Hashing.Sha256Hex(backupBytes.Skip(offset).Take(0x4000).ToArray()), record.Sha256);
                }
                // The emulated drive keeps its own NVRAM and calibration, as the MT1959 update path does (docs/reference/mt1959-notes.md §2).
                Assert.True(targetFlash.Skip(0x1F0000).SequenceEqual(rig.Store.ReadFlash("target").Skip(0x1F0000)));
                // And the target's automatic backup, taken before the write, holds the target's own bytes.
                Assert.Equal(targetFlash, BackupBundle.Open(result.BackupPath).FirmwareImage);
            }
        }

        [Fact]
        public void A_write_sends_the_images_bytes_over_the_per_drive_regions_and_the_pre_write_backup_keeps_the_drives_own()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "lg-bh16ns40");
                var original = rig.Store.ReadFlash("d");
                var path = rig.Image("lg-bh16ns40", "1.03");
                var image = File.ReadAllBytes(path);
                var result = new WriteOperation(rig.Context).Run(new RecordingHost(), drive, new WriteOptions { ImagePath = path, BackupDirectory = rig.Sub("b"), Force = true });
                Assert.True(result.Outcome == WriteOutcome.Succeeded, result.Message);
                var chunks = rig.Trace().Records.Where(r => r.Cdb.StartsWith("3b06")).ToList();
                foreach (var offset in new[] { 0x1E8000, 0x1EC000, 0x1F0000, 0x1FC000 })
                {
                    var record = chunks.Single(r => r.Cdb.Substring(6, 6) == offset.ToString("x6"));
                    Assert.Equal(Hashing.Sha256Hex(image.Skip(offset).Take(0x4000).ToArray()), record.Sha256);
                    Assert.NotEqual(Hashing.Sha256Hex(original.Skip(offset).Take(0x4000).ToArray()), record.Sha256);
                }
                var backup = BackupBundle.Open(result.BackupPath).FirmwareImage;
                Assert.True(original.Skip(0x1E8000).SequenceEqual(backup.Skip(0x1E8000)), "the pre-write backup must hold the drive's own regions");
            }
        }

        /// <summary>Issue 9 §3: a restore is analysed like any image; an MT1959 raw read-back dump (decrypted boot page) is refused (docs/reference/mt1959-notes.md §6).</summary>
        [Fact]
        public void A_backup_whose_image_the_analyser_flags_as_a_raw_dump_is_refused_before_the_drive_is_touched()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "lg-bh16ns40");
                var own = BackupBundle.Open(new BackupOperation(rig.Context).Run(new RecordingHost(), drive, new BackupOptions { Destination = rig.Sub("own") }).Path);
                // What a real drive's READ BUFFER returns: the boot page in plaintext, mirroring the page at 0x10000 (FM CHANGELOG).
                var firmware = own.FirmwareImage;
                Buffer.BlockCopy(firmware, 0x10000, firmware, 0, 0x400);
                var files = own.Manifest.Parts.ToDictionary(p => p.File, p => p.Kind == BackupPartKind.Firmware ? firmware : own.Read(p));
                var raw = BackupBundle.Write(rig.Sub("raw"), "raw-dump", BackupFormat.Folder, own.Manifest, files);
                Assert.Contains(FirmwareAnalyzer.Analyze(firmware).Problems, p => p.Code == FirmwareProblemCodes.RawDump);

                int start = rig.Trace().Count;
                var result = new WriteOperation(rig.Context).Run(new RecordingHost(), drive, new WriteOptions { ImagePath = raw, SkipBackup = true, Force = true });
                Assert.Equal(WriteOutcome.Refused, result.Outcome);
                Assert.Equal("ImageInvalid", result.ErrorId);
                Assert.Contains("raw read-back dump", result.Message);
                Assert.DoesNotContain(rig.Trace().Records.Skip(start), r => MtkFlash.Core.Scsi.Cdb.IsStateChanging(r.CdbBytes()));
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
                // BTC has no protected boot block: power lost while it programs leaves it dead (docs/reference/drive-protocols.md §6).
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
