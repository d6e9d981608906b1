using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Transports;
using MtkFlash.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MtkFlash.Tests.Operations
{
    /// <summary>
    /// Power loss after every command index of a write, for every flashable family (issue 5, "Proof"). Afterwards the drive is
    /// on the old firmware, on the new one, or in a boot mode that -Recover repairs with the same image; the backup taken before
    /// the write is intact and equals the original flash; an interrupted backup leaves no bundle under its final name.
    /// </summary>
    public class PowerLossTests
    {
        readonly ITestOutputHelper _out;
        public PowerLossTests(ITestOutputHelper output) { _out = output; }

        public sealed class Tally
        {
            public int Scenarios, OldFirmware, NewFirmware, BootRecovered, Dead, BackupsChecked;
            public override string ToString() =>
                Scenarios + " scenarios: " + OldFirmware + " old firmware, " + NewFirmware + " new firmware, " + BootRecovered +
                " boot mode repaired by -Recover, " + Dead + " unrecoverable; " + BackupsChecked + " backups verified against the original flash";
        }

        [Theory]
        [InlineData("lg-bh16ns40", "1.03", true)]
        [InlineData("tsst-se506cb", "TS02", true)]
        [InlineData("tsst-ts-h353c", "ID04", true)]
        [InlineData("btc-drw1008", "B231", false)]
        [InlineData("plextor-px716a", "1.12", false)]
        public void Power_loss_after_every_command_leaves_the_drive_recoverable_and_the_backup_intact(string profile, string revision, bool bootBlockProtected)
        {
            // Baseline: how many commands a whole write sends, and where the first state-changing one is.
            int total, firstWrite;
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", profile);
                var result = Run(rig, drive, rig.Image(profile, revision), recover: false);
                Assert.Equal(WriteOutcome.Succeeded, result.Outcome);
                var records = rig.Trace().Records;
                total = records.Length;
                firstWrite = Array.FindIndex(records, r => MtkFlash.Core.Scsi.Cdb.IsStateChanging(r.CdbBytes()));
                Assert.True(firstWrite > 0);
            }

            // Every index from just before the first write to the end, and a sample of the backup phase before it.
            var indices = new SortedSet<int>(Enumerable.Range(Math.Max(0, firstWrite - 2), total - firstWrite + 3));
            for (int i = 0; i < firstWrite; i += Math.Max(1, firstWrite / 12)) indices.Add(i);

            var tally = new Tally();
            foreach (var n in indices) Scenario(profile, revision, n, tally);

            TestFigures.Record(_out, "power loss, " + profile + " (" + total + " commands per write): " + tally);
            Assert.Equal(indices.Count, tally.Scenarios);
            Assert.Equal(tally.Scenarios, tally.OldFirmware + tally.NewFirmware + tally.BootRecovered + tally.Dead);
            if (bootBlockProtected) Assert.Equal(0, tally.Dead);
            Assert.True(tally.OldFirmware > 0 && tally.NewFirmware > 0, "the sweep must cover both sides of the commit");
        }

        static WriteResult Run(VirtualRig rig, string drive, string image, bool recover) =>
            new WriteOperation(rig.Context).Run(new RecordingHost(), drive, new WriteOptions
            {
                ImagePath = image, BackupDirectory = rig.Sub("backups"), Recover = recover, Force = true,
            });

        void Scenario(string profile, string revision, int powerLossAfter, Tally tally)
        {
            using (var rig = new VirtualRig(trace: false))
            {
                var drive = rig.NewDrive("d", profile);
                var original = rig.Store.ReadFlash("d");
                var image = rig.Image(profile, revision);
                var oldRevision = rig.Store.Get("d").Revision;
                rig.Store.SetFaults("d", f => f.PowerLossAfter = powerLossAfter);

                var result = Run(rig, drive, image, recover: false);
                tally.Scenarios++;
                string where = profile + " power loss after " + powerLossAfter + " commands (" + result.Outcome + ": " + result.Message + ")";

                // The backup: either complete and equal to the original flash, or absent; never partial under the final name.
                var backups = rig.Sub("backups");
                Assert.Empty(Directory.GetFileSystemEntries(backups, ".*partial*"));
                if (result.BackupPath != null)
                {
                    var bundle = BackupBundle.Open(result.BackupPath);
                    if (bundle.Manifest.Completeness == BackupCompleteness.Full)
                        Assert.True(original.SequenceEqual(bundle.FirmwareImage), "backup differs from the original flash: " + where);
                    tally.BackupsChecked++;
                }
                else Assert.Empty(Directory.GetFileSystemEntries(backups));

                // Power comes back: what does the drive say?
                rig.Store.SetFaults("d", f => f.PowerLossAfter = null);
                var state = Identify(rig, drive);
                if (state == null)
                {
                    tally.Dead++;
                    return;
                }
                if (state.State == DriveState.BootMode)
                {
                    var recovered = Run(rig, drive, image, recover: true);
                    Assert.True(recovered.Outcome == WriteOutcome.Succeeded, "recovery failed: " + where + " -> " + recovered.Message);
                    Assert.Equal(revision, Identify(rig, drive).Revision);
                    tally.BootRecovered++;
                    return;
                }
                if (state.Revision == revision) { tally.NewFirmware++; return; }
                Assert.True(state.Revision == oldRevision, "unexpected revision " + state.Revision + ": " + where);
                tally.OldFirmware++;
            }
        }

        static OpticalDrive Identify(VirtualRig rig, string path)
        {
            try { return new GetDrivesOperation(rig.Context).IdentifyOne(path); }
            catch (Exception ex) when (ex is MtkFlash.Core.Scsi.DriveCommunicationException) { return null; }
        }
    }
}
