using System;
using System.Collections.Generic;
using System.Linq;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Operations
{
    /// <summary>
    /// Issue 9 §4: after the commit the write waits as the sources do (MT1959: freemkv polls up to 45 s; redumper waits for
    /// TEST UNIT READY) before it calls anything failed, NOT READY 04/xx is a busy drive and never a ready one, and "no
    /// disc" does not pass for the end of programming while a commit may be pending. A busy drive is shown as such by the
    /// inventory and refused by write and backup (DriveBusy). Every wait runs on the fake clock.
    /// </summary>
    public class WriteWaitTests
    {
        /// <summary>
        /// The virtual drive behind a filter that, once the last state-changing command has been accepted, answers TEST UNIT
        /// READY and INQUIRY itself for a while (fake time): a drive that starts programming late, or programs for longer.
        /// </summary>
        sealed class AfterCommitFilter : InterceptingPlatform
        {
            readonly IClock _clock;
            readonly int _stateChangingCommands;
            readonly Func<TimeSpan, ScsiRequest, ScsiResponse> _answer;

            public AfterCommitFilter(VirtualDrivePlatform inner, IClock clock, int stateChangingCommands, Func<TimeSpan, ScsiRequest, ScsiResponse> answer) : base(inner)
            {
                _clock = clock; _stateChangingCommands = stateChangingCommands; _answer = answer;
            }

            public int Seen;
            public TimeSpan? CommitAt;
            public List<string> Answers { get; } = new List<string>();

            protected override ScsiResponse Execute(string path, ScsiRequest request, IScsiTransport drive)
            {
                if (CommitAt != null)
                {
                    var scripted = _answer(_clock.Elapsed - CommitAt.Value, request);
                    if (scripted != null)
                    {
                        if (request.Opcode == Cdb.TestUnitReadyOpcode) Answers.Add(scripted.Sense?.Triple ?? ScsiStatus.Describe(scripted.Status));
                        return scripted;
                    }
                }
                var r = drive.Execute(request);
                if (request.Opcode == Cdb.TestUnitReadyOpcode && CommitAt != null) Answers.Add(r.Sense?.Triple ?? ScsiStatus.Describe(r.Status));
                if (Cdb.IsStateChanging(request.Cdb) && r.IsGood && ++Seen == _stateChangingCommands) CommitAt = _clock.Elapsed;
                return r;
            }
        }

        static (WriteResult Result, RecordingHost Host, AfterCommitFilter Filter, VirtualRig Rig) Write(string profile, string revision, int steps, Func<TimeSpan, ScsiRequest, ScsiResponse> answer)
        {
            var rig = new VirtualRig(trace: false);
            var drive = rig.NewDrive("d", profile);
            var filter = new AfterCommitFilter(new VirtualDrivePlatform(rig.Home, rig.Clock), rig.Clock, steps, answer);
            var context = new MtkFlashContext(rig.Home, rig.Clock, new IDrivePlatform[] { filter });
            var host = new RecordingHost();
            var result = new WriteOperation(context).Run(host, drive, new WriteOptions { ImagePath = rig.Image(profile, revision), SkipBackup = true, Force = true });
            return (result, host, filter, rig);
        }

        static readonly ScsiResponse NoDisc = ScsiResponse.Check(SenseTexts.NotReady, 0x3A, 0x01);
        static readonly ScsiResponse LongWrite = ScsiResponse.Check(SenseTexts.NotReady, 0x04, 0x08);

        [Fact]
        public void No_disc_right_after_the_last_chunk_does_not_pass_for_the_end_of_programming()
        {
            // For its first 2 s after the last chunk the drive still says "no disc" (it has not started programming yet),
            // then it programs (the emulator's 2/04/08, 6 s) and restarts (6/29/00). Counting the early "no disc" as ready
            // would identify a drive in the middle of its commit and call the flash failed.
            var (result, host, filter, rig) = Write("lg-bh16ns40", "1.03", 129,
                (since, r) => since < TimeSpan.FromSeconds(2) && (r.Opcode == Cdb.TestUnitReadyOpcode) ? NoDisc : null);
            using (rig)
            {
                Assert.True(result.Outcome == WriteOutcome.Succeeded, result.ErrorId + " " + result.Message + " answers: " + string.Join(" ", filter.Answers));
                Assert.Equal("1.03", result.NewRevision);
                Assert.Contains("2/3A/01", filter.Answers.Take(2));
                Assert.Contains("2/04/08", filter.Answers);
                Assert.Contains("6/29/00", filter.Answers);
                Assert.Empty(host.Errors);
            }
        }

        [Fact]
        public void Mt1959_waits_like_freemkv_up_to_45_s_so_a_drive_that_programs_for_40_s_is_not_called_failed()
        {
            // redumper's old loop gave up after 15 s; freemkv polls for 45 s. A drive still busy at 20 s is not a failed flash.
            var (result, host, filter, rig) = Write("lg-bh16ns40", "1.03", 129,
                (since, r) => since < TimeSpan.FromSeconds(40) ? LongWrite : null);
            using (rig)
            {
                Assert.True(result.Outcome == WriteOutcome.Succeeded, result.ErrorId + " " + result.Message);
                Assert.True(filter.Answers.Count(a => a == "2/04/08") >= 30, string.Join(" ", filter.Answers));
            }
        }

        [Fact]
        public void A_drive_still_programming_after_the_whole_wait_is_reported_busy_and_nobody_is_told_to_flash_or_recover()
        {
            var (result, host, filter, rig) = Write("lg-bh16ns40", "1.03", 129, (since, r) => LongWrite);
            using (rig)
            {
                Assert.Equal(WriteOutcome.Failed, result.Outcome);
                Assert.Equal("DriveStillProgramming", result.ErrorId);
                Assert.Contains("still busy", result.DriveStateAfter);
                var error = Assert.Single(host.Errors);
                Assert.Equal(OperationErrorCategory.ResourceBusy, error.Category);
                Assert.DoesNotContain("Recover", error.Message + error.RecommendedAction);
                Assert.Contains("do not flash it again", error.RecommendedAction);
                // It waited the whole documented time before saying anything (45 s of polling after the last chunk).
                Assert.True(filter.Answers.Count >= 40, filter.Answers.Count + " polls");
            }
        }

        [Fact]
        public void A_drive_that_passes_the_polls_but_is_busy_when_identified_is_still_programming_not_failed()
        {
            var (result, host, filter, rig) = Write("lg-bh16ns40", "1.03", 129,
                (since, r) => r.Opcode == Cdb.InquiryOpcode && since < TimeSpan.FromSeconds(300) ? LongWrite : null);
            using (rig)
            {
                Assert.Equal(WriteOutcome.Failed, result.Outcome);
                Assert.Equal("DriveStillProgramming", result.ErrorId);
                var error = Assert.Single(host.Errors);
                Assert.DoesNotContain("Recover", error.Message + error.RecommendedAction);
            }
        }

        [Fact]
        public void A_drive_that_never_restarts_is_accepted_once_the_whole_wait_has_passed_and_its_revision_decides()
        {
            // "No disc" for the whole 45 s without ever showing programming: the drive answers, so the wait ends at the
            // source's limit (freemkv accepts "no disc") and verification decides: here the drive did take the image.
            var (result, host, filter, rig) = Write("lg-bh16ns40", "1.03", 129,
                (since, r) => r.Opcode == Cdb.TestUnitReadyOpcode && since < TimeSpan.FromSeconds(60) ? NoDisc : null);
            using (rig)
            {
                Assert.True(result.Outcome == WriteOutcome.Succeeded, result.ErrorId + " " + result.Message);
                Assert.True(filter.Answers.Count >= 40, filter.Answers.Count + " polls before the limit");
            }
        }

        [Fact]
        public void Inventory_shows_a_programming_drive_as_busy_and_write_and_backup_refuse_it_with_DriveBusy()
        {
            using (var rig = new VirtualRig(trace: false))
            {
                var drive = rig.NewDrive("d", "btc-drw1008");
                // Start a commit on the emulator directly (raw commands), then look at the drive while it programs.
                using (var t = rig.Store.Open("d", DriveAccess.Exclusive))
                {
                    var image = SyntheticImages.Build("btc-drw1008", "B231");
                    for (int off = 0; off < 0x100000; off += 0x1000)
                        RawScsi.AssertGood(RawScsi.Write(t, RawScsi.Slice(image, off, 0x1000), RawScsi.Buffer10(0x3B, 0x06, off + 0x20, 0x1000)));
                    var sum = MtkFlash.Core.Families.Btc.BtcSyntheticImage.Checksum(image);
                    var block = new byte[0x20];
                    block[30] = (byte)(sum >> 8); block[31] = (byte)sum;
                    RawScsi.AssertGood(RawScsi.Write(t, block, RawScsi.Buffer10(0x3B, 0x06, 0, 0x20)));
                    RawScsi.AssertGood(RawScsi.Send(t, 0x3B, 0x07, 0, 0, 0, 0, 0, 0, 0, 0));
                }

                var listed = new GetDrivesOperation(rig.Context).Run(new RecordingHost(), new[] { drive }).Single();
                Assert.Equal(DriveState.Busy, listed.State);
                Assert.Contains("programming", listed.Note);
                var json = CliRunner.Run(rig, "list", drive, "--json");
                Assert.Contains("\"busy\"", json.Out);

                var host = new RecordingHost();
                var result = new WriteOperation(rig.Context).Run(host, drive, new WriteOptions { ImagePath = rig.Image("btc-drw1008", "B231"), Force = true, BackupDirectory = rig.Sub("b") });
                Assert.Equal(WriteOutcome.Refused, result.Outcome);
                Assert.Equal("DriveBusy", result.ErrorId);
                Assert.Equal(0, result.CommandsSent);
                Assert.Equal(OperationErrorCategory.ResourceBusy, Assert.Single(host.Errors).Category);

                var backupHost = new RecordingHost();
                Assert.Null(new BackupOperation(rig.Context).Run(backupHost, drive, new BackupOptions { Destination = rig.Sub("b2") }));
                Assert.Equal("DriveBusy", Assert.Single(backupHost.Errors).ErrorId);

                // Once the commit is over, the same drive is ready again and the inventory says so.
                rig.Clock.Advance(TimeSpan.FromSeconds(60));
                var after = new GetDrivesOperation(rig.Context).Run(new RecordingHost(), new[] { drive }).Single();
                Assert.Equal(DriveState.NoMedium, after.State);
                Assert.Equal("B231", after.Revision);
            }
        }

        [Fact]
        public void Not_ready_becoming_ready_on_test_unit_ready_is_busy_not_ready()
        {
            var transport = new ScriptedTransport
            {
                Inquiry = InquiryData.Build("HL-DT-ST", "BD-RE BH16NS40", "1.02", null),
                Override = r => r.Opcode == Cdb.TestUnitReadyOpcode ? ScsiResponse.Check(SenseTexts.NotReady, 0x04, 0x01) : null,
            };
            var drive = DriveIdentifier.Identify(transport, DeviceEntry.ForPath("scripted:0"), new FakeClock());
            Assert.Equal(DriveState.Busy, drive.State);
            Assert.Equal("1.02", drive.Revision);
        }
    }
}
