using System.IO;
using System.Linq;
using MtkFlash.Cli;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Cli
{
    /// <summary>The hidden `mtkflash bench-sgio` (the benchmark harness's figure 7, docs/performance.md).</summary>
    public class BenchSgioCommandTests
    {
        [Fact]
        public void Sends_count_inquiries_after_one_untimed_one_and_nothing_else()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("x", "lg-bh16ns40");
                var trace = Path.Combine(rig.Home, "trace.jsonl");
                var run = CliRunner.Run(rig, "bench-sgio", drive, "--count", "7", "--trace", trace);
                Assert.True(run.Exit == ExitCodes.Success, run.ToString());
                Assert.Matches(@"^commands=7 seconds=[0-9]+\.[0-9]{6} first-status=0x00 not-good=0\s*$", run.Out);
                var cdbs = File.ReadAllLines(trace).Where(l => l.Contains("\"cdb\"")).ToList();
                Assert.Equal(8, cdbs.Count);
                Assert.All(cdbs, l => Assert.Matches("\"cdb\": *\"12", l));
            }
        }

        [Fact]
        public void Test_unit_ready_counts_answers_that_are_not_good_without_failing()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("x", "tsst-se506cb");   // no disc: TEST UNIT READY answers CHECK CONDITION (not ready)
                var run = CliRunner.Run(rig, "bench-sgio", drive, "--count", "3", "--command", "tur");
                Assert.True(run.Exit == ExitCodes.Success, run.ToString());
                Assert.Matches(@"^commands=3 seconds=\S+ first-status=0x02 not-good=3\s*$", run.Out);
            }
        }

        [Fact]
        public void Is_hidden_and_refuses_a_missing_drive_and_a_bad_count()
        {
            using (var rig = new VirtualRig())
            {
                Assert.DoesNotContain("bench-sgio", CliRunner.Run(rig, "--help").Out);
                var missing = CliRunner.Run(rig, "bench-sgio", "virtual:nope", "--count", "2");
                Assert.Equal(ExitCodes.Failure, missing.Exit);
                Assert.Contains("[DriveNotFound]", missing.Err);
                Assert.Equal(string.Empty, missing.Out);
                Assert.Equal(ExitCodes.Usage, CliRunner.Run(rig, "bench-sgio", "virtual:nope", "--count", "0").Exit);
            }
        }
    }
}
