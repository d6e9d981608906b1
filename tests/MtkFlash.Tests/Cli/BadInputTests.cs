using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MtkFlash.Cli;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Serialization;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Cli
{
    /// <summary>
    /// Issue 10: each stack trace, hang and misleading message found by the adversarial run, as a user meets it on the
    /// command line. Every answer is a clear error with exit code 1 or 2, never a stack trace.
    /// </summary>
    public class BadInputTests
    {
        static void AssertClean(CliRun run, params int[] exits)
        {
            Assert.True(exits.Contains(run.Exit), "exit " + run.Exit + ", expected " + string.Join("/", exits) + "\n" + run);
            Assert.DoesNotContain("Unhandled exception", run.Err);
            Assert.DoesNotContain("   at ", run.Err);
            Assert.StartsWith("error: ", run.Err.TrimStart());
        }

        // ---------------------------------------------------------------- the top-level guard

        static Action<CliEnvironment> Buggy(bool rethrow) => env =>
        {
            env.RethrowUnexpected = rethrow;
            env.Platforms = _ => throw new InvalidOperationException("simulated bug in a platform");
        };

        [Fact]
        public void An_exception_no_command_expected_becomes_one_UnexpectedError_line_naming_the_command_and_trace()
        {
            using (var rig = new VirtualRig(trace: false))
            {
                var run = CliRunner.Run(rig, Buggy(rethrow: false), "virtual", "remove", "x");
                Assert.Equal(ExitCodes.Failure, run.Exit);
                Assert.Contains("mtkflash virtual remove", run.Err);
                Assert.Contains("[UnexpectedError]", run.Err);
                Assert.Contains("simulated bug in a platform", run.Err);
                Assert.Contains("--trace", run.Err);
                Assert.DoesNotContain("   at ", run.Err);
                Assert.DoesNotContain("Unhandled exception", run.Err);
                Assert.Equal(2, run.Err.Trim().Split('\n').Length);
            }
        }

        [Fact]
        public void Verbose_adds_the_stack_trace_to_an_UnexpectedError()
        {
            using (var rig = new VirtualRig(trace: false))
            {
                var run = CliRunner.Run(rig, Buggy(rethrow: false), "list", "--verbose");
                Assert.Equal(ExitCodes.Failure, run.Exit);
                Assert.Contains("[UnexpectedError]", run.Err);
                Assert.Contains("   at ", run.Err);
            }
        }

        [Fact]
        public void Tests_see_the_exception_the_guard_would_hide()
        {
            using (var rig = new VirtualRig(trace: false))
            {
                Assert.Equal("1", Environment.GetEnvironmentVariable(CliEnvironment.RethrowVariable));
                Assert.True(new CliEnvironment().RethrowUnexpected);
                var ex = Assert.Throws<InvalidOperationException>(() => CliRunner.Run(rig, Buggy(rethrow: true), "list"));
                Assert.Contains("simulated bug", ex.Message);
            }
        }

        [Fact]
        public void Exit_codes_come_from_one_rule()
        {
            OperationError E(OperationErrorCategory c) => new OperationError("X", c, "m", null);
            Assert.Equal(0, ExitCodes.From((IEnumerable<OperationError>)null));
            Assert.Equal(1, ExitCodes.From(new[] { E(OperationErrorCategory.ObjectNotFound) }));
            Assert.Equal(1, ExitCodes.From((IEnumerable<OperationError>)null, failed: true));
            Assert.Equal(2, ExitCodes.From(new[] { E(OperationErrorCategory.ObjectNotFound), E(OperationErrorCategory.InvalidArgument) }));
            Assert.Equal(3, ExitCodes.From(new[] { E(OperationErrorCategory.InvalidArgument) }, refused: true));
            Assert.Equal(2, ExitCodes.ForParseErrors());
            Assert.Equal(1, ExitCodes.ForException(new OperationCanceledException()));
        }

        // ---------------------------------------------------------------- --trace

        [Fact]
        public void Trace_to_a_folder_is_a_usage_error()
        {
            using (var rig = new VirtualRig(trace: false))
            {
                var run = CliRunner.Run(rig, "list", "--trace", rig.Sub("traces"));
                AssertClean(run, ExitCodes.Usage);
                Assert.Contains("is a folder", run.Err);
            }
        }

        [Fact]
        public void Trace_to_an_immutable_file_is_a_usage_error()
        {
            using (var rig = new VirtualRig(trace: false))
            {
                var file = Path.Combine(rig.Home, "locked.jsonl");
                var undo = SpecialFiles.MakeImmutable(file);
                try
                {
                    var run = CliRunner.Run(rig, "list", "--trace", file);
                    AssertClean(run, ExitCodes.Usage);
                    Assert.Contains("access is denied", run.Err);
                    Assert.Contains("TraceFileUnusable", run.Err);
                }
                finally { undo(); }
            }
        }

        [Fact]
        public void Trace_to_a_device_is_refused_before_any_drive_is_opened()
        {
            using (var rig = new VirtualRig(trace: false))
            {
                rig.NewDrive("x", "lg-bh16ns40");
                var run = CliRunner.Run(rig, "list", "virtual:x", "--trace", "/dev/full");
                AssertClean(run, ExitCodes.Usage);
                Assert.Contains("character device", run.Err);
                Assert.DoesNotContain("not responding", run.Err);
            }
        }

        [Fact]
        public void Trace_to_a_fifo_is_refused_instead_of_blocking()
        {
            using (var rig = new VirtualRig(trace: false))
            {
                var fifo = SpecialFiles.Fifo(Path.Combine(rig.Home, "trace.fifo"));
                var run = SpecialFiles.WithinSeconds(30, () => CliRunner.Run(rig, "list", "--trace", fifo));
                AssertClean(run, ExitCodes.Usage);
                Assert.Contains("FIFO", run.Err);
            }
        }

        /// <summary>A trace that fails halfway (full disk) is the trace's problem, never reported as the drive's.</summary>
        [Fact]
        public void A_trace_that_cannot_be_written_does_not_fail_the_drive()
        {
            using (var rig = new VirtualRig(trace: false))
            {
                rig.NewDrive("x", "lg-bh16ns40");
                var trace = new TraceWriter(new FullDiskWriter());
                var context = new MtkFlashContext(rig.Home, rig.Clock, new IDrivePlatform[] { new VirtualDrivePlatform(rig.Home, rig.Clock) }, trace);
                var host = new RecordingHost();
                var drives = new GetDrivesOperation(context).Run(host, new[] { "virtual:x" });
                Assert.Equal(DriveState.NoMedium, drives.Single().State);
                Assert.Empty(host.Errors);
                Assert.DoesNotContain(host.Warnings, w => w.Contains("not responding"));
                Assert.IsType<IOException>(trace.Failure);
                Assert.Equal(0, trace.Written);
            }
        }

        sealed class FullDiskWriter : TextWriter
        {
            public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
            public override void Write(char value) => throw new IOException("No space left on device");
            public override void Write(string value) => throw new IOException("No space left on device");
            public override void WriteLine(string value) => throw new IOException("No space left on device");
        }

        // ---------------------------------------------------------------- MTKFLASH_HOME

        [Fact]
        public void A_home_that_is_a_file_is_a_clear_error()
        {
            using (var rig = new VirtualRig(trace: false))
            {
                var file = Path.Combine(rig.Home, "not-a-folder");
                File.WriteAllText(file, "x");
                var run = CliRunner.Run(rig, env => env.HomeDirectory = file, "virtual", "new", "a", "--profile", "lg-bh16ns40");
                AssertClean(run, ExitCodes.Usage);
                Assert.Contains("HomeNotAFolder", run.Err);
                Assert.Contains(file, run.Err);
                run = CliRunner.Run(rig, env => env.HomeDirectory = Path.Combine(file, "deeper"), "history");
                AssertClean(run, ExitCodes.Usage);
            }
        }

        // ---------------------------------------------------------------- FIFOs, sockets and devices as images

        public static TheoryData<string> SpecialKinds => new TheoryData<string> { "fifo", "socket", "/dev/zero" };

        static string Special(VirtualRig rig, string kind, List<IDisposable> cleanup)
        {
            var path = Path.Combine(rig.Home, "special-" + kind.Replace('/', '_') + ".bin");
            switch (kind)
            {
                case "fifo": return SpecialFiles.Fifo(path);
                case "socket": cleanup.Add(SpecialFiles.UnixSocket(path)); return path;
                default: return kind;
            }
        }

        [Theory]
        [MemberData(nameof(SpecialKinds))]
        public void A_fifo_socket_or_device_given_as_an_image_gets_a_problem_code_instead_of_blocking(string kind)
        {
            using (var rig = new VirtualRig(trace: false))
            {
                var cleanup = new List<IDisposable>();
                try
                {
                    var path = Special(rig, kind, cleanup);
                    rig.NewDrive("x", "lg-bh16ns40");
                    var before = rig.Store.ReadFlash("x");

                    var run = SpecialFiles.WithinSeconds(30, () => CliRunner.Run(rig, "test", path, "--json"));
                    Assert.True(run.Exit == ExitCodes.Failure, run.ToString());
                    var report = (Dictionary<string, object>)run.JsonArray.Single();
                    var problem = (Dictionary<string, object>)((List<object>)report["problems"]).Single();
                    Assert.Equal(FirmwareProblemCodes.NotARegularFile, problem.GetString("code"));
                    Assert.DoesNotContain("Destination array", run.Out);

                    run = SpecialFiles.WithinSeconds(30, () => CliRunner.Run(rig, "write", "virtual:x", path, "--yes", "--no-backup"));
                    Assert.True(run.Exit == ExitCodes.Refused, run.ToString());
                    Assert.Contains(FirmwareProblemCodes.NotARegularFile, run.Err);
                    Assert.Equal(before, rig.Store.ReadFlash("x"));

                    run = SpecialFiles.WithinSeconds(30, () => CliRunner.Run(rig, "extract", path, "--out", Path.Combine(rig.Home, "out.bin")));
                    AssertClean(run, ExitCodes.Failure);
                    Assert.Contains("not a regular file", run.Err);
                    Assert.False(File.Exists(Path.Combine(rig.Home, "out.bin")));
                }
                finally { foreach (var c in cleanup) c.Dispose(); }
            }
        }

        [Fact]
        public void One_fifo_inside_a_wildcard_does_not_block_the_other_files()
        {
            using (var rig = new VirtualRig(trace: false))
            {
                var folder = rig.Sub("images");
                File.WriteAllBytes(Path.Combine(folder, "a.bin"), SyntheticImages.Build("lg-bh16ns40", "1.03"));
                SpecialFiles.Fifo(Path.Combine(folder, "b.bin"));
                File.WriteAllBytes(Path.Combine(folder, "c.bin"), SyntheticImages.Build("tsst-se506cb", "TS02"));
                var run = SpecialFiles.WithinSeconds(30, () => CliRunner.Run(rig, "test", Path.Combine(folder, "*.bin"), "--json"));
                var reports = run.JsonArray.Cast<Dictionary<string, object>>().ToList();
                Assert.Equal(3, reports.Count);
                Assert.True(reports[0].GetBool("isValid") && reports[2].GetBool("isValid"), run.ToString());
                Assert.False(reports[1].GetBool("isValid"));
                Assert.Equal(ExitCodes.Failure, run.Exit);
            }
        }

        [Fact]
        public void A_fifo_in_a_backup_folder_damages_the_bundle_instead_of_blocking()
        {
            using (var rig = new VirtualRig(trace: false))
            {
                rig.NewDrive("x", "lg-bh16ns40");
                Assert.Equal(ExitCodes.Success, CliRunner.Run(rig, "backup", "virtual:x", "--out", rig.Sub("b")).Exit);
                var bundle = Directory.GetDirectories(Path.Combine(rig.Home, "b")).Single();
                SpecialFiles.Fifo(Path.Combine(bundle, "extra.bin"));
                var run = SpecialFiles.WithinSeconds(30, () => CliRunner.Run(rig, "test", bundle, "--json"));
                var problem = (Dictionary<string, object>)((List<object>)((Dictionary<string, object>)run.JsonArray.Single())["problems"]).First();
                Assert.Equal(FirmwareProblemCodes.BackupDamaged, problem.GetString("code"));
            }
        }

        // ---------------------------------------------------------------- untrusted JSON in history

        [Fact]
        public void History_never_writes_a_non_finite_number()
        {
            using (var rig = new VirtualRig(trace: false))
            {
                File.WriteAllLines(Path.Combine(rig.Home, "history.jsonl"), new[]
                {
                    "{\"drive\":\"virtual:a\",\"outcome\":\"succeeded\",\"duration\":1e400}",
                    "{\"drive\":\"virtual:b\",\"outcome\":\"failed\",\"duration\":12.5}",
                });
                var run = CliRunner.Run(rig, "history", "--json");
                Assert.True(run.Exit == ExitCodes.Success, run.ToString());
                Assert.DoesNotContain("Infinity", run.Out);
                var entries = run.JsonArray.Cast<Dictionary<string, object>>().ToList();   // strict parser: proves valid JSON
                Assert.Equal("virtual:b", entries.Single().GetString("drive"));
                Assert.Contains("line 1", run.Err);
                Assert.Contains("out of range", run.Err);
            }
        }

        [Fact]
        public void A_fifo_in_place_of_the_history_is_an_error_not_a_hang()
        {
            using (var rig = new VirtualRig(trace: false))
            {
                SpecialFiles.Fifo(Path.Combine(rig.Home, "history.jsonl"));
                var run = SpecialFiles.WithinSeconds(30, () => CliRunner.Run(rig, "history"));
                AssertClean(run, ExitCodes.Failure);
                Assert.Contains("HistoryUnreadable", run.Err);
            }
        }

        // ---------------------------------------------------------------- messages in the user's terms

        [Theory]
        [InlineData("--power-loss-after", "99999999999")]
        [InlineData("--power-loss-after", "-1")]
        [InlineData("--hang-after", "NaN")]
        [InlineData("--hang-after", "1e3")]
        public void Command_counts_out_of_range_say_what_is_expected(string option, string value)
        {
            using (var rig = new VirtualRig(trace: false))
            {
                rig.NewDrive("x", "lg-bh16ns40");
                var run = CliRunner.Run(rig, "virtual", "fault", "x", option, value);
                AssertClean(run, ExitCodes.Usage);
                Assert.Contains(option + " takes a whole number of commands from 0 to 2147483647", run.Err);
                Assert.DoesNotContain("System.", run.Err);
                Assert.True(rig.Store.Get("x").Faults.IsEmpty);
            }
        }

        [Fact]
        public void Virtual_image_out_a_folder_says_it_is_a_folder()
        {
            using (var rig = new VirtualRig(trace: false))
            {
                var run = CliRunner.Run(rig, "virtual", "image", "--profile", "lg-bh16ns40", "--out", rig.Sub("images"));
                AssertClean(run, ExitCodes.Usage);
                Assert.Contains("is a folder; give the name of a file", run.Err);
                Assert.DoesNotContain("denied", run.Err);
            }
        }

        [Fact]
        public void Virtual_image_out_a_fifo_is_refused_instead_of_blocking()
        {
            using (var rig = new VirtualRig(trace: false))
            {
                var fifo = SpecialFiles.Fifo(Path.Combine(rig.Home, "image.bin"));
                var run = SpecialFiles.WithinSeconds(30, () => CliRunner.Run(rig, "virtual", "image", "--profile", "lg-bh16ns40", "--out", fifo, "--force"));
                AssertClean(run, ExitCodes.Usage);
                Assert.Contains("FIFO", run.Err);
            }
        }
    }
}
