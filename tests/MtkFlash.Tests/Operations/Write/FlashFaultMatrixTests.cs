using System;
using System.Collections.Generic;
using System.Linq;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MtkFlash.Tests.Operations
{
    /// <summary>
    /// Issue 9 §1, "Proof": for every flashable family, each transient fault kind is placed on the first, a middle, the one
    /// before the last and the last state-changing command (the last is the commit in every family: MT1959's last chunk,
    /// the TSST final block, BTC mode 7, Plextor mode 5; BTC's checksum block is the one before it). In every case the
    /// state-changing commands on the wire are a prefix of the family's whole sequence (a baseline run, itself checked
    /// byte for byte against the documentation by <see cref="WriteSequenceTests"/>), ending with the faulty command, none
    /// repeated; the result is FlashInterrupted, not Succeeded; and a plain second write brings the drive to the new
    /// firmware.
    /// </summary>
    public class FlashFaultMatrixTests
    {
        readonly ITestOutputHelper _out;
        public FlashFaultMatrixTests(ITestOutputHelper output) { _out = output; }

        /// <summary>The revision of the image each profile is flashed with (any revision the image builder accepts).</summary>
        static readonly Dictionary<string, string> NewRevision = new Dictionary<string, string>
        {
            ["lg-bh16ns40"] = "1.03", ["asus-bw16d1ht"] = "3.10", ["tsst-se506cb"] = "TS02", ["tsst-ts-h353c"] = "ID04",
            ["btc-drw1008"] = "B231", ["plextor-px716a"] = "1.12", ["spc-generic"] = "1.01",
        };

        /// <summary>Every profile the product would flash (families and models the protocol registry accepts).</summary>
        static IEnumerable<string> FlashableProfileNames() =>
            VirtualProfiles.All.Where(p => p.CanFlash && p.Listed && FamilyCapabilities.For(p.Family, p.Model).CanFlash).Select(p => p.Name);

        public static TheoryData<string> FlashableProfiles()
        {
            var data = new TheoryData<string>();
            foreach (var name in FlashableProfileNames()) data.Add(name);
            return data;
        }

        static readonly TransientKind[] Kinds = (TransientKind[])Enum.GetValues(typeof(TransientKind));

        static WriteResult Write(VirtualRig rig, string drive, string image) =>
            new WriteOperation(rig.Context).Run(new RecordingHost(), drive, new WriteOptions { ImagePath = image, BackupDirectory = rig.Sub("backups"), Force = true });

        [Fact]
        public void Every_flashable_profile_has_a_revision_for_the_matrix()
        {
            foreach (var name in FlashableProfileNames()) Assert.True(NewRevision.ContainsKey(name), name);
            Assert.True(FlashableProfileNames().Count() >= 5);
        }

        [Theory]
        [MemberData(nameof(FlashableProfiles))]
        public void A_transient_answer_on_any_state_changing_command_ends_the_flash_there_and_a_second_write_succeeds(string profile)
        {
            var revision = NewRevision[profile];
            // Baseline: the whole sequence and where each state-changing command sits among all the commands of a write.
            List<Core.Transports.TraceRecord> sequence;
            List<int> wireIndex;
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", profile);
                var result = Write(rig, drive, rig.Image(profile, revision));
                Assert.True(result.Outcome == WriteOutcome.Succeeded, result.Message);
                var all = rig.Trace().Records;
                wireIndex = Enumerable.Range(0, all.Length).Where(i => Core.Scsi.Cdb.IsStateChanging(all[i].CdbBytes())).ToList();
                sequence = wireIndex.Select(i => all[i]).ToList();
                Assert.Equal(result.PlannedCommands, sequence.Count);
            }

            int n = sequence.Count;
            var positions = new SortedSet<int> { 0, n / 2, Math.Max(0, n - 2), n - 1 }.ToList();
            int scenarios = 0;
            foreach (var kind in Kinds)
                foreach (var position in positions)
                {
                    Scenario(profile, revision, kind, position, wireIndex[position], sequence);
                    scenarios++;
                }

            TestFigures.Record(_out, "fault matrix, " + profile + " (" + n + " state-changing commands): " + Kinds.Length + " kinds x " + positions.Count +
                " positions (" + string.Join(", ", positions.Select(p => "#" + (p + 1))) + ") = " + scenarios +
                " scenarios; each stopped at the faulty command, nothing repeated, not Succeeded, a second write succeeded");
            Assert.Equal(Kinds.Length * positions.Count, scenarios);
        }

        void Scenario(string profile, string revision, TransientKind kind, int position, int after, List<Core.Transports.TraceRecord> sequence)
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", profile);
                var image = rig.Image(profile, revision);
                rig.Store.SetFaults("d", f => f.Transients.Add(new TransientFault(kind, 1, after)));
                var host = new RecordingHost();
                var result = new WriteOperation(rig.Context).Run(host, drive, new WriteOptions { ImagePath = image, BackupDirectory = rig.Sub("backups"), Force = true });
                string where = profile + ", " + kind + " on state-changing command #" + (position + 1) + " of " + sequence.Count + ": " + result.Outcome + " " + result.ErrorId + " - " + result.Message;

                Assert.True(result.Outcome == WriteOutcome.Failed, where);
                Assert.True(result.ErrorId == "FlashInterrupted", where);
                Assert.Equal(position + 1, result.FailedStep);
                Assert.Equal(position + 1, result.CommandsSent);
                var error = Assert.Single(host.Errors);
                Assert.Equal("FlashInterrupted", error.ErrorId);
                Assert.False(string.IsNullOrEmpty(error.RecommendedAction), where);
                // The report: which step, what the drive answered, what state it is in now.
                Assert.Contains("#" + (position + 1) + " of " + sequence.Count, result.Message);
                Assert.Contains(kind == TransientKind.Busy ? "BUSY" : kind == TransientKind.NotReady ? "2/04/01" : kind == TransientKind.UnitAttention ? "6/29/00" : "6/3F/01", result.DriveAnswer);
                Assert.False(string.IsNullOrEmpty(result.DriveStateAfter), where);
                Assert.True(result.NewRevision != null, where + ": the drive was not identified again after the fault");

                // On the wire: a prefix of the documented sequence, ending with the faulty command, sent once.
                var writes = rig.Trace().Records.Where(r => Core.Scsi.Cdb.IsStateChanging(r.CdbBytes())).ToList();
                Assert.True(writes.Count == position + 1, where + ": " + writes.Count + " state-changing commands sent");
                for (int i = 0; i < writes.Count; i++)
                {
                    Assert.True(writes[i].Cdb == sequence[i].Cdb, where + ": command " + i + " is " + writes[i].Cdb + ", expected " + sequence[i].Cdb);
                    Assert.True(writes[i].Sha256 == sequence[i].Sha256 && writes[i].Length == sequence[i].Length, where + ": data of command " + i + " differs");
                }

                // The outcome is recorded, and a plain second write (no -Recover) brings the new firmware.
                Assert.Contains(HistoryLog.ReadEntries(rig.Context.HistoryFile), e => e.Outcome == "failed" && e.ErrorId == "FlashInterrupted" && e.AttemptStarted);
                var second = Write(rig, drive, image);
                Assert.True(second.Outcome == WriteOutcome.Succeeded, where + " -> second write: " + second.ErrorId + " " + second.Message);
                Assert.Equal(revision, second.NewRevision);
            }
        }
    }
}
