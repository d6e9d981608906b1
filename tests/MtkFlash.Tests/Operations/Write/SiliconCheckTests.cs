using System;
using System.IO;
using System.Linq;
using System.Text;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;
using Xunit;
using MtkFlash.Core.Families.Mt1959;

namespace MtkFlash.Tests.Operations
{
    /// <summary>
    /// Issue 9 §2: the MT1959/MT1939 silicon check is mandatory on the whole write path. A JB8 boot loader also runs on
    /// MT1939 silicon, so the boot ID cannot tell the chips apart; the MTEKMT19xx tag at 0x1EC034 does (docs/reference/mt1959-notes.md §1.2).
    /// </summary>
    public class SiliconCheckTests
    {
        static void PutAscii(byte[] b, int offset, string text) => Buffer.BlockCopy(Encoding.ASCII.GetBytes(text), 0, b, offset, text.Length);

        /// <summary>Puts firmware tagged MTEK+chip on a virtual LG drive with the raw redumper sequence (no MtkFlash code involved).</summary>
        static void RunFirmwareTagged(VirtualRig rig, string name, string chip)
        {
            var image = SyntheticImages.Build("lg-bh16ns40", "1.02");
            PutAscii(image, 0x1EC034, "MTEK" + chip);
            using (var t = rig.Store.Open(name, DriveAccess.Exclusive))
            {
                Assert.True(t.Execute(ScsiRequest.NoData(new byte[] { 0x3B, 0x01, 0, 0, 0, 0, 0, 0, 0, 0 })).IsGood);
                for (int off = 0; off < image.Length; off += 0x4000)
                {
                    var chunk = image.Skip(off).Take(0x4000).ToArray();
                    var cdb = new byte[] { 0x3B, 0x06, 0, (byte)(off >> 16), (byte)(off >> 8), (byte)off, 0x00, 0x40, 0x00, 0x00 };
                    Assert.True(t.Execute(ScsiRequest.Write(cdb, chunk)).IsGood);
                }
            }
            rig.Clock.Advance(TimeSpan.FromSeconds(30));
        }

        [Fact]
        public void An_mt1959_image_for_a_jb8_drive_on_mt1939_silicon_is_refused_with_nothing_written()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "lg-bh16ns40");
                RunFirmwareTagged(rig, "d", "MT1939");
                var before = rig.Store.ReadFlash("d");
                Assert.Equal("MTEKMT1939", Encoding.ASCII.GetString(before, 0x1EC034, 10));
                var traceStart = rig.Trace().Count;

                var result = new WriteOperation(rig.Context).Run(new RecordingHost(), drive, new WriteOptions
                {
                    ImagePath = rig.Image("lg-bh16ns40", "1.03"), SkipBackup = true, Force = true, AllowCrossFlash = true, AllowUnlistedModel = true,
                });
                Assert.Equal(WriteOutcome.Refused, result.Outcome);
                Assert.Contains("silicon", result.Message);
                Assert.Equal(0, result.CommandsSent);
                Assert.DoesNotContain(rig.Trace().Records.Skip(traceStart), r => Cdb.IsStateChanging(r.CdbBytes()));
                Assert.Equal(before, rig.Store.ReadFlash("d"));
            }
        }

        static int CommitIndex(string profile, string revision)
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", profile);
                var ok = new WriteOperation(rig.Context).Run(new RecordingHost(), drive, new WriteOptions { ImagePath = rig.Image(profile, revision), BackupDirectory = rig.Sub("b"), Force = true });
                Assert.Equal(WriteOutcome.Succeeded, ok.Outcome);
                var records = rig.Trace().Records.ToList();
                return records.FindLastIndex(r => r.Cdb.StartsWith("3b06"));
            }
        }

        /// <summary>
        /// Power fails while the drive programs: boot mode, identity block erased. Recovery takes the chip only from the unit's
        /// own verified pre-write backup; without one it is refused rather than guessed.
        /// </summary>
        [Fact]
        public void A_boot_mode_drive_with_an_erased_chip_tag_recovers_only_with_its_own_verified_backup()
        {
            int commit = CommitIndex("lg-bh16ns40", "1.03");
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "lg-bh16ns40");
                var image = rig.Image("lg-bh16ns40", "1.03");
                var backups = rig.Sub("backups");
                rig.Store.SetFaults("d", f => f.PowerLossAfter = commit + 1);
                var failed = new WriteOperation(rig.Context).Run(new RecordingHost(), drive, new WriteOptions { ImagePath = image, BackupDirectory = backups, Force = true });
                Assert.Equal(WriteOutcome.Failed, failed.Outcome);
                Assert.NotNull(failed.BackupPath);
                rig.Store.SetFaults("d", f => f.PowerLossAfter = null);
                var state = new GetDrivesOperation(rig.Context).IdentifyOne(drive);
                Assert.Equal(DriveState.BootMode, state.State);
                Assert.Null(Mt1959Protocol.ChipTag(rig.Store.ReadFlash("d"), 0x1EC034));

                // No backup of this unit in the folder: refused, nothing sent.
                var elsewhere = rig.Sub("elsewhere");
                int traceStart = rig.Trace().Count;
                var refused = new WriteOperation(rig.Context).Run(new RecordingHost(), drive, new WriteOptions { ImagePath = image, BackupDirectory = elsewhere, Force = true, Recover = true });
                Assert.Equal(WriteOutcome.Refused, refused.Outcome);
                Assert.Equal(FlashRefusalIds.ChipUnknown, refused.ErrorId);
                Assert.DoesNotContain(rig.Trace().Records.Skip(traceStart), r => Cdb.IsStateChanging(r.CdbBytes()));

                // A tampered backup of this unit does not count either.
                var copy = Path.Combine(elsewhere, Path.GetFileName(failed.BackupPath));
                CopyDirectory(failed.BackupPath, copy);
                var firmware = Path.Combine(copy, "firmware.bin");
                var bytes = File.ReadAllBytes(firmware);
                bytes[0x20000] ^= 1;
                File.WriteAllBytes(firmware, bytes);
                var tampered = new WriteOperation(rig.Context).Run(new RecordingHost(), drive, new WriteOptions { ImagePath = image, BackupDirectory = elsewhere, SkipBackup = true, Force = true, Recover = true });
                Assert.Equal(FlashRefusalIds.ChipUnknown, tampered.ErrorId);

                // Its own verified backup: the chip is known, the recovery goes ahead and says where the chip came from.
                var recovered = new WriteOperation(rig.Context).Run(new RecordingHost(), drive, new WriteOptions { ImagePath = image, BackupDirectory = backups, Force = true, Recover = true });
                Assert.True(recovered.Outcome == WriteOutcome.Succeeded, recovered.Message);
                Assert.Contains(recovered.PlanNotes, n => n.Contains("verified backup") && n.Contains(failed.BackupPath));
                Assert.Equal("1.03", new GetDrivesOperation(rig.Context).IdentifyOne(drive).Revision);
            }
        }

        static void CopyDirectory(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        }
    }
}
