using System.IO;
using System.Linq;
using MtkFlash.Cli;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Serialization;
using MtkFlash.Core.Transports;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Cli
{
    /// <summary>`mtkflash write`: exit codes 0/1/2/3, confirmation, --dry-run, --json and --trace, as a script would use them.</summary>
    public class WriteCommandTests
    {
        [Fact]
        public void Yes_flashes_and_json_reports_the_verified_result_and_history()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("x", "tsst-se506cb");
                var image = rig.Image("tsst-se506cb", "TS02");
                var run = CliRunner.Run(rig, "write", drive, image, "--yes", "--json", "--backup-dir", rig.Sub("b"));
                Assert.True(run.Exit == ExitCodes.Success, run.ToString());
                var o = run.JsonObject;
                Assert.Equal("succeeded", o.GetString("outcome"));
                Assert.Equal("TS01", o.GetString("previousRevision"));
                Assert.Equal("TS02", o.GetString("newRevision"));
                Assert.True(o.GetBool("verified"));
                Assert.True(Directory.Exists(o.GetString("backupPath")));
                var history = Json.ParseObject(File.ReadAllLines(Path.Combine(rig.Home, "history.jsonl")).Last());
                Assert.Equal(drive, history.GetString("drive"));
                Assert.Equal("succeeded", history.GetString("outcome"));
                Assert.Equal(o.GetString("imageSha256"), history.GetString("imageSha256"));
            }
        }

        [Fact]
        public void Without_a_terminal_and_without_yes_it_refuses_with_exit_3_and_sends_nothing()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("x", "lg-bh16ns40");
                var before = rig.Store.ReadFlash("x");
                var run = CliRunner.Run(rig, "write", drive, rig.Image("lg-bh16ns40", "1.03"), "--trace", Path.Combine(rig.Home, "t.jsonl"));
                Assert.Equal(ExitCodes.Refused, run.Exit);
                Assert.Contains("--yes", run.Err);
                Assert.Equal(before, rig.Store.ReadFlash("x"));
                Assert.False(File.Exists(Path.Combine(rig.Home, "t.jsonl")) && new TraceRecordList(Path.Combine(rig.Home, "t.jsonl")).AnyStateChanging);
            }
        }

        [Theory]
        [InlineData("no", ExitCodes.Refused)]
        [InlineData("yes", ExitCodes.Success)]
        public void On_a_terminal_it_asks_and_only_yes_goes_ahead(string answer, int exit)
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("x", "btc-drw1008");
                var run = CliRunner.Run(rig, answer + "\n", true, "write", drive, rig.Image("btc-drw1008", "B231"), "--backup-dir", rig.Sub("b"));
                Assert.True(exit == run.Exit, run.ToString());
                Assert.Contains("Type 'yes'", run.Err);
                Assert.Equal(exit == ExitCodes.Success ? "B231" : "B230", rig.Store.Get("x").Revision);
            }
        }

        [Fact]
        public void Dry_run_prints_the_plan_exits_0_and_the_trace_shows_no_write_command()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("x", "lg-bh16ns40");
                var before = rig.Store.ReadFlash("x");
                var trace = Path.Combine(rig.Home, "t.jsonl");
                var run = CliRunner.Run(rig, "write", drive, rig.Image("lg-bh16ns40", "1.03"), "--dry-run", "--trace", trace);
                Assert.True(run.Exit == ExitCodes.Success, run.ToString());
                Assert.Contains("planned", run.Out);
                Assert.Contains("129 state-changing", run.Err);
                var records = new TraceRecordList(trace);
                Assert.True(records.Count > 0, "the read-only checks are traced");
                Assert.False(records.AnyStateChanging);
                Assert.Equal(before, rig.Store.ReadFlash("x"));
            }
        }

        [Fact]
        public void A_refused_write_exits_3_with_a_json_error_on_stderr()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("x", "liteon-sohw812s");
                var run = CliRunner.Run(rig, "write", drive, rig.Image("liteon-sohw812s", "US0P"), "--yes", "--json");
                Assert.Equal(ExitCodes.Refused, run.Exit);
                Assert.Equal("refused", run.JsonObject.GetString("outcome"));
                var error = Json.ParseObject(run.Err.Trim().Split('\n').First(l => l.Contains("\"error\""))).GetObject("error");
                Assert.Equal("ProtocolNotPublic", error.GetString("id"));
            }
        }

        [Fact]
        public void A_failure_after_the_first_write_exits_1_and_says_how_to_recover()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("x", "lg-bh16ns40");
                var image = rig.Image("lg-bh16ns40", "1.03");
                // Power fails in the middle of the chunks (after the backup's reads and the checks).
                rig.Store.SetFaults("x", f => f.PowerLossAfter = 1200);
                var run = CliRunner.Run(rig, "write", drive, image, "--yes", "--backup-dir", rig.Sub("b"));
                Assert.True(run.Exit == ExitCodes.Failure, run.ToString());
                Assert.Contains("--recover", run.Err);      // the CLI's words for the remedy, not PowerShell's
                Assert.DoesNotContain("-Recover", run.Err);
            }
        }

        [Theory]
        [InlineData("write")]
        [InlineData("write", "virtual:x")]
        [InlineData("write", "virtual:x", "img.bin", "--bogus")]
        public void Usage_errors_exit_2(params string[] args)
        {
            using (var rig = new VirtualRig())
            {
                var run = CliRunner.Run(rig, args);
                Assert.Equal(ExitCodes.Usage, run.Exit);
            }
        }
    }
}

namespace MtkFlash.Tests.Cli
{
    public class HistoryCommandTests
    {
        [Fact]
        public void History_lists_every_attempt_with_its_outcome_and_filters_by_drive()
        {
            using (var rig = new VirtualRig())
            {
                var a = rig.NewDrive("a", "tsst-se506cb");
                var b = rig.NewDrive("b", "liteon-sohw812s");
                Assert.Equal(ExitCodes.Success, CliRunner.Run(rig, "write", a, rig.Image("tsst-se506cb", "TS02"), "--yes", "--no-backup").Exit);
                Assert.Equal(ExitCodes.Refused, CliRunner.Run(rig, "write", b, rig.Image("liteon-sohw812s", "US0P"), "--yes").Exit);
                File.AppendAllText(Path.Combine(rig.Home, "history.jsonl"), "not json\n");

                var all = CliRunner.Run(rig, "history", "--json");
                Assert.Equal(ExitCodes.Success, all.Exit);
                var entries = all.JsonArray.Cast<System.Collections.Generic.Dictionary<string, object>>().ToList();
                Assert.Equal(new[] { "succeeded", "refused" }, entries.Select(e => e.GetString("outcome")));
                Assert.Equal("ProtocolNotPublic", entries[1].GetString("errorId"));
                // Line 4: the successful write wrote its write-ahead attempt line (1) and its outcome (2), the refusal its outcome (3).
                Assert.Contains("line 4 is not valid JSON", all.Err);

                var onlyA = CliRunner.Run(rig, "history", "--drive", "virtual:a");
                Assert.Contains("TS02", onlyA.Out);
                Assert.DoesNotContain("virtual:b", onlyA.Out);
            }
        }
    }
}
