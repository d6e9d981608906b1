using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MtkFlash.Cli;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Serialization;
using MtkFlash.Core.Transports;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Operations
{
    /// <summary>
    /// What the core promises its front ends (issue 11): one ErrorId per condition, remedies that name terms instead of
    /// parameters, one rule for backup folders, a clear error where nobody can confirm, a history every front end reads
    /// the same way, and progress and trace text the streams can use.
    /// </summary>
    public class FrontEndContractTests
    {
        [Fact]
        public void A_missing_backup_folder_refuses_the_write_before_the_drive_is_opened_and_creates_nothing()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "lg-bh16ns40");
                var missing = Path.Combine(rig.Home, "no-such-folder");
                var host = new RecordingHost();
                var result = new WriteOperation(rig.Context).Run(host, drive, new WriteOptions { ImagePath = rig.Image("lg-bh16ns40", "1.03"), BackupDirectory = missing, Force = true });
                Assert.Equal(WriteOutcome.Refused, result.Outcome);
                var error = Assert.Single(host.Errors);
                Assert.Equal("BackupFolderNotFound", error.ErrorId);            // the same id Backup-DriveFirmware -Path gives
                Assert.Equal(OperationErrorCategory.ObjectNotFound, error.Category);
                Assert.Equal(missing, error.Target);
                Assert.Equal(new[] { FrontEndTerm.WriteBackupFolder }, error.Remedy.Terms);
                Assert.False(Directory.Exists(missing));
                Assert.Equal(0, rig.Trace().Count);                              // not even INQUIRY

                // The CLI follows the same rule and words the remedy with its own option.
                var cli = CliRunner.Run(rig, "write", drive, rig.Image("lg-bh16ns40", "1.03"), "--yes", "--backup-dir", missing);
                Assert.Equal(ExitCodes.Refused, cli.Exit);
                Assert.Contains("[BackupFolderNotFound]", cli.Err);
                Assert.Contains("--backup-dir", cli.Err);
                Assert.DoesNotContain("-BackupPath", cli.Err);
                Assert.False(Directory.Exists(missing));
                var backup = CliRunner.Run(rig, "backup", drive, "--out", missing);
                Assert.Contains("[BackupFolderNotFound]", backup.Err);
                Assert.Contains("--out", backup.Err);
            }
        }

        [Fact]
        public void A_write_nobody_can_confirm_is_ConfirmationRequired_and_sends_nothing()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "lg-bh16ns40");
                var before = rig.Store.ReadFlash("d");
                var host = new RecordingHost { CannotPrompt = true };
                var result = new WriteOperation(rig.Context).Run(host, drive, new WriteOptions { ImagePath = rig.Image("lg-bh16ns40", "1.03"), SkipBackup = true });
                Assert.Equal(WriteOutcome.Refused, result.Outcome);
                Assert.Equal("ConfirmationRequired", result.ErrorId);
                var error = Assert.Single(host.Errors);
                Assert.Equal("ConfirmationRequired", error.ErrorId);
                Assert.Equal(OperationErrorCategory.InvalidOperation, error.Category);
                Assert.Contains(FrontEndTerm.Unattended, error.Remedy.Terms);
                Assert.True(before.SequenceEqual(rig.Store.ReadFlash("d")));
                Assert.False(rig.Trace().AnyStateChanging);
            }
        }

        [Fact]
        public void Remedies_name_terms_and_each_front_end_words_them()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "lg-bh16ns40");
                var host = new RecordingHost();
                new WriteOperation(rig.Context).Run(host, drive, new WriteOptions { ImagePath = rig.Image("asus-bw16d1ht", "3.10"), SkipBackup = true, Force = true });
                var error = Assert.Single(host.Errors);
                Assert.Equal("CrossFlashNotAllowed", error.ErrorId);
                Assert.Equal(new[] { FrontEndTerm.AllowCrossFlash, FrontEndTerm.Force }, error.Remedy.Terms);
                Assert.DoesNotContain("--", error.Message);
                Assert.DoesNotContain("-AllowCrossFlash", error.Message);

                var cli = CliRunner.Run(rig, "write", drive, rig.Image("asus-bw16d1ht", "3.10"), "--yes", "--no-backup");
                Assert.Contains("--allow-crossflash", cli.Err);
                Assert.DoesNotContain("-AllowCrossFlash", cli.Err);

                var missing = CliRunner.Run(rig, "backup", "virtual:nope", "--out", rig.Sub("b"));
                Assert.Contains("[DriveNotFound]", missing.Err);
                Assert.Contains("'mtkflash virtual new'", missing.Err);
                Assert.DoesNotContain("New-VirtualOpticalDrive", missing.Err);
            }
        }

        [Fact]
        public void Remedy_renders_text_and_terms_in_order()
        {
            var r = Remedy.Of("Add ", FrontEndTerm.AllowCrossFlash, "; ", FrontEndTerm.Force, " alone {0} is not enough.");
            Assert.Equal("Add --allow-crossflash; --yes alone {0} is not enough.", CliWording.Render(r));
            Assert.Equal("Add AllowCrossFlash; Force alone {0} is not enough.", r.ToString());
            Remedy plain = "Check the cable.";
            Assert.Empty(plain.Terms);
            Assert.Throws<ArgumentException>(() => Remedy.Of("text", 42));
        }

        [Theory]
        [InlineData("virtual:nope")]          // no such virtual drive
        [InlineData("/etc/hostname")]         // a path that is not a drive
        [InlineData("C:not-a-drive")]
        public void A_path_with_no_drive_is_DriveNotFound_in_every_operation(string path)
        {
            using (var rig = new VirtualRig())
            {
                var image = rig.Image("lg-bh16ns40", "1.03");
                var ids = new List<string>();
                var h1 = new RecordingHost(); new GetDrivesOperation(rig.Context).Run(h1, new[] { path }); ids.AddRange(h1.Errors.Select(e => e.ErrorId));
                var h2 = new RecordingHost(); new BackupOperation(rig.Context).Run(h2, path, new BackupOptions { Destination = rig.Sub("b") }); ids.AddRange(h2.Errors.Select(e => e.ErrorId));
                var h3 = new RecordingHost(); var w = new WriteOperation(rig.Context).Run(h3, path, new WriteOptions { ImagePath = image, SkipBackup = true, Force = true }); ids.AddRange(h3.Errors.Select(e => e.ErrorId));
                Assert.Equal(new[] { "DriveNotFound", "DriveNotFound", "DriveNotFound" }, ids);
                Assert.Equal("DriveNotFound", w.ErrorId);
                Assert.Equal(WriteOutcome.Refused, w.Outcome);
                Assert.All(new[] { h1, h2, h3 }, h => Assert.Equal(OperationErrorCategory.ObjectNotFound, h.Errors.Single().Category));
            }
        }

        [Fact]
        public void A_missing_image_is_ImageNotFound_with_the_image_as_target()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "lg-bh16ns40");
                var image = Path.Combine(rig.Home, "missing.bin");
                var write = new RecordingHost();
                new WriteOperation(rig.Context).Run(write, drive, new WriteOptions { ImagePath = image, SkipBackup = true, Force = true });
                var extract = new RecordingHost();
                new ExtractFirmwareOperation().Run(extract, image, Path.Combine(rig.Home, "out.bin"));
                foreach (var e in new[] { write.Errors.Single(), extract.Errors.Single() })
                {
                    Assert.Equal("ImageNotFound", e.ErrorId);
                    Assert.Equal(OperationErrorCategory.ObjectNotFound, e.Category);
                    Assert.Equal(image, e.Target);
                }
                Assert.Equal(0, rig.Trace().Count);
            }
        }

        // ------------------------------------------------------------------ history

        static string Line(Dictionary<string, object> fields) => Json.Serialize(fields);

        [Fact]
        public void History_pairs_started_and_outcome_lines_and_reports_an_attempt_without_outcome_as_interrupted()
        {
            using (var rig = new VirtualRig())
            {
                File.WriteAllLines(rig.Context.HistoryFile, new[]
                {
                    // the one-line form written today
                    Line(new Dictionary<string, object> { ["drive"] = "virtual:a", ["outcome"] = "succeeded", ["startedUtc"] = "2025-01-01T10:00:00.000Z", ["newRevision"] = "1.03", ["computerName"] = "host1" }),
                    // a write-ahead pair: started, then the outcome
                    Line(new Dictionary<string, object> { ["attemptId"] = "x1", ["record"] = "attempt", ["drive"] = "virtual:b", ["startedUtc"] = "2025-01-02T10:00:00.000Z", ["previousRevision"] = "TS01", ["computerName"] = "host1" }),
                    "not json",
                    // started and never finished (the process died mid-write)
                    Line(new Dictionary<string, object> { ["attemptId"] = "x2", ["record"] = "attempt", ["drive"] = "virtual:c", ["startedUtc"] = "2025-01-03T10:00:00.000Z" }),
                    Line(new Dictionary<string, object> { ["attemptId"] = "x1", ["outcome"] = "failed", ["errorId"] = "FlashFailed", ["commandsSent"] = 12.0 }),
                });
                var warnings = new List<string>();
                var entries = HistoryLog.ReadEntries(rig.Context.HistoryFile, warnings.Add).Select(e => e.Attempt).ToList();
                Assert.Equal(new[] { "virtual:a", "virtual:b", "virtual:c" }, entries.Select(e => e.Drive));
                Assert.Equal(new[] { WriteOutcome.Succeeded, WriteOutcome.Failed, WriteOutcome.Interrupted }, entries.Select(e => e.Outcome));
                Assert.Equal("TS01", entries[1].PreviousRevision);                // from the started line
                Assert.Equal("FlashFailed", entries[1].ErrorId);                  // from the outcome line
                Assert.Equal(12, entries[1].CommandsSent);
                Assert.Equal(new DateTimeOffset(2025, 1, 2, 10, 0, 0, TimeSpan.Zero), entries[1].StartedUtc);
                Assert.Equal("host1", entries[1].ComputerName);
                Assert.Contains("line 3 is not valid JSON", Assert.Single(warnings));

                var host = new RecordingHost();
                var op = new GetHistoryOperation(rig.Context);
                Assert.Equal(new[] { "virtual:b" }, op.Run(host, new HistoryQuery { Drives = new[] { "virtual:[b]*" } }).Select(e => e.Attempt.Drive));
                Assert.Equal(new[] { "virtual:b", "virtual:c" }, op.Run(host, new HistoryQuery { Since = new DateTimeOffset(2025, 1, 2, 0, 0, 0, TimeSpan.Zero) }).Select(e => e.Attempt.Drive));
                Assert.Equal(new[] { "virtual:a" }, op.Run(host, new HistoryQuery { Until = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero) }).Select(e => e.Attempt.Drive));
                Assert.Equal(new[] { 1, 5, 4 }, op.Run(host, null).Select(e => e.Line));   // a closed attempt points at its closing line
                var bad = new RecordingHost();
                Assert.Empty(op.Run(bad, new HistoryQuery { Since = DateTimeOffset.UtcNow, Until = DateTimeOffset.UtcNow.AddDays(-1) }));
                Assert.Equal("InvalidTimeRange", bad.Errors.Single().ErrorId);
            }
        }

        [Fact]
        public void A_fifo_in_place_of_the_history_is_HistoryUnreadable_for_every_front_end_not_a_hang()
        {
            using (var rig = new VirtualRig(trace: false))
            {
                SpecialFiles.Fifo(rig.Context.HistoryFile);
                var host = new RecordingHost();
                Assert.Empty(SpecialFiles.WithinSeconds(30, () => new GetHistoryOperation(rig.Context).Run(host, null)));
                var error = Assert.Single(host.Errors);
                Assert.Equal("HistoryUnreadable", error.ErrorId);
                Assert.Equal(OperationErrorCategory.ReadError, error.Category);
                Assert.Equal(rig.Context.HistoryFile, error.Target);
                Assert.Empty(host.Objects);
            }
        }

        [Fact]
        public void Every_recorded_write_names_the_machine_it_ran_on()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "liteon-sohw812s");
                new WriteOperation(rig.Context).Run(new RecordingHost(), drive, new WriteOptions { ImagePath = rig.Image("liteon-sohw812s", "US0P"), Force = true });
                var entry = Assert.Single(HistoryLog.ReadEntries(rig.Context.HistoryFile)).Attempt;
                Assert.Equal(Environment.MachineName, entry.ComputerName);
                Assert.Equal(WriteOutcome.Refused, entry.Outcome);
                Assert.Equal("ProtocolNotPublic", entry.ErrorId);

                var cli = CliRunner.Run(rig, "history", "--json");
                var json = cli.JsonArray.Cast<Dictionary<string, object>>().Single();
                Assert.Equal(Environment.MachineName, json.GetString("computerName"));
                Assert.Equal("refused", json.GetString("outcome"));
            }
        }

        // ------------------------------------------------------------------ progress and trace text

        [Fact]
        public void A_backup_reports_a_parent_and_a_child_and_the_throttle_keeps_a_few_dozen_of_its_1025_reports()
        {
            using (var rig = new VirtualRig())
            {
                var a = rig.NewDrive("a", "lg-bh16ns40");
                var b = rig.NewDrive("b", "lg-bh16ns40");
                var host = new RecordingHost();
                var op = new BackupOperation(rig.Context);
                op.Run(host, a, new BackupOptions { Destination = rig.Sub("out") });
                int firstDrive = host.Progress.Count;
                op.Run(host, b, new BackupOptions { Destination = rig.Sub("out") });
                Assert.True(firstDrive > 1000, "the engine reports every chunk: " + firstDrive);
                var parents = host.Progress.Where(p => p.ParentActivityId < 0).Select(p => p.ActivityId).Distinct().ToList();
                Assert.Equal(2, parents.Count);                                           // one parent per drive, distinct ids
                var children = host.Progress.Where(p => p.ParentActivityId >= 0).ToList();
                Assert.All(children, c => Assert.Contains(c.ParentActivityId, parents));
                Assert.Equal(2, children.Select(c => c.ActivityId).Distinct().Count());

                var clock = new FakeClock();
                var throttle = new ProgressThrottle(() => clock.Elapsed);
                var passed = host.Progress.Take(firstDrive).Where(throttle.ShouldPass).ToList();
                Assert.InRange(passed.Count, 5, 36);
                Assert.Contains(passed, p => p.Completed && p.ParentActivityId < 0);   // completions always pass
                clock.Advance(TimeSpan.FromSeconds(2));
                Assert.True(throttle.ShouldPass(new OperationProgress(parents[0], "x", "heartbeat", 0)));   // a silent second later, a heartbeat passes
            }
        }

        [Fact]
        public void Trace_text_names_opcode_mode_offset_length_and_outcome_and_shows_the_bytes()
        {
            var record = new TraceRecord { Drive = "virtual:a", Cdb = "3b06000100000040000000".Substring(0, 20), Direction = "out", Length = 0x4000, Status = 2, Sense = "700005000000000a0000000024000000", Sha256 = "ab" };
            var summary = TraceText.Summary(record);
            Assert.Equal("SCSI WRITE BUFFER mode 06h offset 0x010000 length 16384 (out) -> CHECK CONDITION, " +
                         MtkFlash.Core.Scsi.SenseData.TryParse(MtkFlash.Core.Scsi.Hex.Parse(record.Sense)).Describe(), summary);
            var detail = TraceText.Detail(record);
            Assert.StartsWith("CDB 3b 06 00 01 00 00 00 40 00 00; out data SHA-256 ab; status 02h; sense 70 00 05", detail);
            Assert.Contains("5/24/00", detail);
            Assert.Equal("SCSI INQUIRY length 96 (in) -> timeout", TraceText.Summary(new TraceRecord { Cdb = "120000006000", Direction = "in", Length = 96, Error = "timeout" }));
        }
    }
}
