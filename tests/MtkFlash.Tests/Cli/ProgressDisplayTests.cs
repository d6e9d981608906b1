using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using MtkFlash.Cli;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Serialization;
using MtkFlash.Tests.Support;
using Spectre.Console;
using Spectre.Console.Testing;
using Xunit;
using static MtkFlash.Tests.Firmware.TestImages;

namespace MtkFlash.Tests.Cli
{
    /// <summary>
    /// How long work shows its progress: live Spectre.Console bars when stderr is a terminal (here Spectre's test console
    /// with ANSI and interactivity on, the way a terminal reports itself), the plain "progress:"/"done:" lines when stderr is
    /// redirected or the output is JSON.
    /// </summary>
    public class ProgressDisplayTests
    {
        // ------------------------------------------------------------------ stderr redirected, or --json: plain lines

        [Fact]
        public void Redirected_stderr_gets_plain_progress_lines_and_no_terminal_codes()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("x", "lg-bh16ns40");
                var run = CliRunner.Run(rig, "backup", drive, "--out", rig.Sub("b"));
                Assert.True(run.Exit == ExitCodes.Success, run.ToString());
                Assert.Contains("progress: Backing up virtual:x 0% - reading the drive's firmware and regions", run.Err);
                Assert.Contains("done: Reading the firmware of virtual:x (twice, to compare) 100% - done", run.Err);
                Assert.Contains("done: Backing up virtual:x 100% - done", run.Err);
                Assert.DoesNotContain('\u001b', run.Err);
            }
        }

        [Fact]
        public void Json_on_a_terminal_keeps_the_plain_lines_and_draws_no_bars()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("x", "lg-bh16ns40");
                var run = OnTerminal(rig, "backup", drive, "--out", rig.Sub("b"), "--json");
                Assert.True(run.Exit == ExitCodes.Success, run.Raw);
                Assert.Equal(drive, ((Dictionary<string, object>)Assert.Single((List<object>)Json.Parse(run.Out))).GetString("drive"));
                Assert.Contains("progress: Backing up virtual:x 0%", run.Raw);
                Assert.Contains("done: Backing up virtual:x 100% - done", run.Raw);
                Assert.DoesNotContain(Bar, run.Raw);
            }
        }

        [Fact]
        public void Extract_reports_its_progress_too()
        {
            using (var rig = new VirtualRig())
            {
                File.WriteAllBytes(Path.Combine(rig.Home, "f.exe"), XFlash(new[] { LiteOn(size: 128 * KiB) }, new[] { "US0N" }));
                var run = CliRunner.Run(rig, "extract", Path.Combine(rig.Home, "f.exe"), "--out", Path.Combine(rig.Home, "f.bin"));
                Assert.True(run.Exit == ExitCodes.Success, run.ToString());
                Assert.Contains("progress: Extracting firmware from " + Path.Combine(rig.Home, "f.exe") + " 50% - writing 1 image(s)", run.Err);
                Assert.Contains("done: Writing and verifying the extracted images 100% - all 1 written and verified", run.Err);
                Assert.Contains("done: Extracting firmware from " + Path.Combine(rig.Home, "f.exe") + " 100% - done", run.Err);
            }
        }

        // ------------------------------------------------------------------ the live view, report by report

        [Fact]
        public void The_live_view_shows_the_phase_and_its_percentage_and_ends_complete()
        {
            var console = Terminal();
            var err = new TerminalErrorWriter(console);
            var clock = new FakeClock();
            var plain = new StringWriter();
            var view = View(err, clock, plain);

            view.Show(new OperationProgress(10, "Writing firmware to virtual:x", "sending the firmware - do not power off", 25));
            view.Show(new OperationProgress(12, "Sending the firmware to virtual:x - do not power off", "step 52 of 129", 40, 10));
            Assert.True(err.IsLive);
            var screen = Screen(console);
            Assert.Equal(2, screen.Length);
            Assert.Matches(@"^Writing firmware to virtual:x - sending the firmware - do not power off +━{24}  25% 00:00:00$", screen[0]);
            Assert.Matches(@"^  Sending the firmware to virtual:x - do not power off - step 52 of 129 +━{24}  40% 00:00:00$", screen[1]);

            clock.Advance(TimeSpan.FromSeconds(3));
            view.Show(new OperationProgress(12, "Sending the firmware to virtual:x - do not power off", "all 129 commands sent", 100, 10, completed: true));
            view.Show(new OperationProgress(10, "Writing firmware to virtual:x", "succeeded", 100, completed: true));
            Assert.False(err.IsLive);
            Assert.EndsWith("\u001b[?25h", console.Output);   // the display closed and gave the cursor back
            screen = Screen(console);
            Assert.Equal(2, screen.Length);
            Assert.Matches(@"^Writing firmware to virtual:x - succeeded +━{24} 100% 00:00:03$", screen[0]);
            Assert.Matches(@"^  Sending the firmware to virtual:x - do not power off - all 129 commands sent +━{24} 100% 00:00:03$", screen[1]);
            Assert.Equal(string.Empty, plain.ToString());
        }

        [Fact]
        public void Rows_never_wrap_on_a_narrow_terminal()
        {
            var console = Terminal(width: 60);
            var err = new TerminalErrorWriter(console);
            var clock = new FakeClock();
            var view = View(err, clock, new StringWriter());
            view.Show(new OperationProgress(10, "Writing firmware to virtual:a-drive-with-a-rather-long-name", "the drive is programming its flash - do not power off", 75));
            view.Show(new OperationProgress(13, "Drive virtual:a-drive-with-a-rather-long-name is programming its flash - do not power off", "waiting 3 s of about 15 s", -1, 10));
            var screen = Screen(console, 60);
            Assert.Equal(2, screen.Length);
            Assert.All(screen, line => Assert.True(line.Length <= 58, line));   // the last two columns stay free
            Assert.Matches(@"^Writing firmware to virtual:a-… ━{12}  75% 00:00:00$", screen[0]);
            Assert.Matches(@"^  Drive virtual:a-drive-with-a… ━{12}      00:00:00$", screen[1]);   // unknown amount of work: no percentage
        }

        [Fact]
        public void Lines_written_meanwhile_go_above_the_bars_and_a_question_closes_the_display()
        {
            var console = Terminal();
            var err = new TerminalErrorWriter(console);
            var clock = new FakeClock();
            var view = View(err, clock, new StringWriter());
            view.Show(new OperationProgress(10, "Backing up virtual:x", "reading the drive's firmware and regions", 0));
            err.WriteLine("warning: short");
            Assert.True(err.IsLive);
            var screen = Screen(console);
            Assert.Equal(2, screen.Length);
            Assert.Equal("warning: short", screen[0]);          // nothing of the bar it replaced is left after it
            Assert.StartsWith("Backing up virtual:x - reading the drive's firmware and regions ", screen[1]);

            err.Write("Type 'yes' to continue: ");
            Assert.True(err.IsLive);                            // a partial line waits for its end...
            err.Flush();                                        // ...unless it is a question waiting for an answer
            Assert.False(err.IsLive);
            Assert.EndsWith("\u001b[?25hType 'yes' to continue: ", console.Output);
            Assert.Equal("Type 'yes' to continue:", Screen(console).Last());
        }

        [Fact]
        public void A_display_that_cannot_draw_falls_back_to_plain_lines_and_never_fails_the_work()
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(new BrokenTerminal()), Ansi = AnsiSupport.Yes, Interactive = InteractionSupport.Yes,
            });
            var err = new TerminalErrorWriter(console);
            var clock = new FakeClock();
            var plain = new StringWriter();
            var view = View(err, clock, plain);
            view.Show(new OperationProgress(10, "Backing up virtual:x", "reading", 0));
            view.Show(new OperationProgress(10, "Backing up virtual:x", "done", 100, completed: true));
            Assert.Equal("progress: Backing up virtual:x 0% - reading\ndone: Backing up virtual:x 100% - done\n", plain.ToString().Replace("\r\n", "\n"));
            Assert.False(err.IsLive);
        }

        // ------------------------------------------------------------------ the CLI on a terminal

        [Fact]
        public void On_a_terminal_write_shows_every_phase_and_ends_complete()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("x", "lg-bh16ns40");
                var run = OnTerminal(rig, "write", drive, rig.Image("lg-bh16ns40", "1.03"), "--yes", "--backup-dir", rig.Sub("b"));
                Assert.True(run.Exit == ExitCodes.Success, run.Raw);
                Assert.Contains("virtual:x: succeeded", run.Out);
                Assert.DoesNotContain("progress:", run.Raw);
                var screen = run.Screen;
                Assert.Equal(5, screen.Length);                 // every redraw landed on the same five rows
                Assert.Matches(@"^Writing firmware to virtual:x - succeeded +━{24} 100% 00:00:\d\d$", screen[0]);
                Assert.StartsWith("  Backing up virtual:x before the write - done ", screen[1]);
                Assert.StartsWith("  Sending the firmware to virtual:x - do not power off - all 129 commands sent ", screen[2]);
                Assert.StartsWith("  Drive virtual:x is programming its flash - do not power off - the drive is back ", screen[3]);
                Assert.StartsWith("  Verifying virtual:x - done ", screen[4]);
                Assert.All(screen, row => Assert.Matches(@"━{24} 100% \d\d:\d\d:\d\d$", row));
                // While it ran, each phase showed its own percentage; the wait, whose length is unknown, showed none.
                var drawn = Drawn(run.Raw);
                Assert.Contains(drawn, r => Regex.IsMatch(r, @"^  Backing up virtual:x before the write - read \d+ of 4194304 bytes +━{24}  [1-9]\d% "));
                Assert.Contains(drawn, r => Regex.IsMatch(r, @"^  Sending the firmware to virtual:x - do not power off - .+ +━{24}  [1-9]\d% "));
                Assert.Contains(drawn, r => Regex.IsMatch(r, @"^  Drive virtual:x is programming its flash - do not power off - waiting.+ +━{24} {6}00:00:0\d$"));
            }
        }

        [Fact]
        public void On_a_terminal_a_failed_flash_leaves_the_bar_where_it_stopped_and_the_error_above_it()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("x", "lg-bh16ns40");
                var image = rig.Image("lg-bh16ns40", "1.03");
                rig.Store.SetFaults("x", f => f.PowerLossAfter = 60);   // inside the 129 commands of the send phase
                var run = OnTerminal(rig, "write", drive, image, "--yes", "--no-backup");
                Assert.True(run.Exit == ExitCodes.Failure, run.Raw);
                var screen = run.Screen;
                var error = Array.FindIndex(screen, l => l.StartsWith("error: ", StringComparison.Ordinal));
                Assert.True(error >= 0, string.Join("\n", screen));
                Assert.Contains("[FlashFailed]", string.Join(" ", screen.Skip(error).Take(3)));
                // After a failed command the write still waits for the drive (issue 9 §1), so the display ends with the parent,
                // the send phase where it stopped, and the wait phase.
                var parent = Array.FindIndex(screen, l => l.StartsWith("Writing firmware to virtual:x - failed", StringComparison.Ordinal));
                Assert.True(parent > error, string.Join("\n", screen));
                Assert.DoesNotContain(screen.Take(parent), l => l.Contains(Bar));   // no piece of a bar left above
                Assert.Matches(@"^Writing firmware to virtual:x - failed +━{24} +\d+% ", screen[parent]);
                var send = Assert.Single(screen.Skip(parent), l => l.StartsWith("  Sending the firmware to virtual:x - do not power off - ", StringComparison.Ordinal));
                Assert.InRange(int.Parse(Regex.Match(send, @" (\d+)% ").Groups[1].Value), 1, 99);
                Assert.Contains(screen.Skip(parent), l => l.StartsWith("  Drive virtual:x is programming its flash", StringComparison.Ordinal));
            }
        }

        [Fact]
        public void On_a_terminal_backup_of_several_drives_and_test_of_several_files_use_the_same_bars()
        {
            using (var rig = new VirtualRig())
            {
                var a = rig.NewDrive("a", "lg-bh16ns40");
                var b = rig.NewDrive("b", "tsst-se506cb");
                var backup = OnTerminal(rig, "backup", a, b, "--out", rig.Sub("out"));
                Assert.True(backup.Exit == ExitCodes.Success, backup.Raw);
                Assert.Equal(2, Regex.Matches(backup.Raw, Regex.Escape("\u001b[?25h")).Count);   // one display per drive, each closed
                Assert.Equal(4, backup.Screen.Length);
                Assert.Matches(@"^Backing up virtual:a - done +━{24} 100% ", backup.Screen[0]);
                Assert.Matches(@"^  Reading the firmware of virtual:a \(twice, to compare\) - done +━{24} 100% ", backup.Screen[1]);
                Assert.Matches(@"^Backing up virtual:b - done +━{24} 100% ", backup.Screen[2]);
                Assert.Matches(@"^  Reading the firmware of virtual:b \(twice, to compare\) - done +━{24} 100% ", backup.Screen[3]);

                var images = new[] { rig.Image("lg-bh16ns40", "1.03"), rig.Image("tsst-se506cb", "TS02"), rig.Image("lg-bh16ns40", "1.04") };
                var test = OnTerminal(rig, new[] { "test" }.Concat(images).ToArray());
                Assert.True(test.Exit == ExitCodes.Success, test.Raw);
                Assert.Matches(@"^Testing firmware images +━{24} 100% ", Assert.Single(test.Screen));
                Assert.Contains(Drawn(test.Raw), r => r.StartsWith("Testing firmware images - " + rig.Home, StringComparison.Ordinal) && Regex.IsMatch(r, @" ━{24}  33% "));

                File.WriteAllBytes(Path.Combine(rig.Home, "f.exe"), XFlash(new[] { LiteOn(size: 128 * KiB), LiteOn(size: 128 * KiB, revision: "US0Q", seed: 4) }, new[] { "US0N", "US0Q" }));
                var extract = OnTerminal(rig, "extract", Path.Combine(rig.Home, "f.exe"), "--out", Path.Combine(rig.Home, "f.bin"));
                Assert.True(extract.Exit == ExitCodes.Success, extract.Raw);
                Assert.Equal(2, extract.Screen.Length);
                Assert.Matches(@"^Extracting firmware from .+f\.exe - done +━{24} 100% ", extract.Screen[0]);
                Assert.Matches(@"^  Writing and verifying the extracted images - all 2 written and verified +━{24} 100% ", extract.Screen[1]);
            }
        }

        // ------------------------------------------------------------------ helpers

        const string Bar = "━";

        /// <summary>Spectre's test console set up as a terminal reports itself: ANSI, Unicode and interactive.</summary>
        static TestConsole Terminal(int width = 140)
        {
            var console = new TestConsole().Width(width).Interactive().EmitAnsiSequences();
            console.Profile.Capabilities.Ansi = true;
            console.Profile.Capabilities.Unicode = true;
            return console;
        }

        /// <summary>Runs the CLI in-process with stderr on a terminal: what stdout got, what the terminal got, and what it shows.</summary>
        static (int Exit, string Out, string Raw, string[] Screen) OnTerminal(VirtualRig rig, params string[] args)
        {
            var console = Terminal();
            var run = CliRunner.Run(rig, null, false, new TerminalErrorWriter(console), args);
            return (run.Exit, run.Out, console.Output, Screen(console));
        }

        /// <summary>A live view on <paramref name="err"/>, on a fake clock, falling back to plain lines on <paramref name="plain"/>.</summary>
        static LiveProgressView View(TerminalErrorWriter err, FakeClock clock, TextWriter plain) =>
            new LiveProgressView(err, () => clock.Elapsed, new ClockTimeProvider(clock), new PlainProgressView(new CliEnvironment { Err = plain, Clock = clock }));

        static string[] Screen(TestConsole console, int width = 140) => TerminalScreen.Replay(console.Output, width);

        /// <summary>Every row the display ever drew, in order (redraws start with a carriage return, rows end with a new line).</summary>
        static string[] Drawn(string raw) =>
            Regex.Replace(raw, @"\u001b\[[0-9;?]*[A-Za-z]", string.Empty).Split('\r', '\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToArray();

        /// <summary>A terminal that went away: every write fails.</summary>
        sealed class BrokenTerminal : TextWriter
        {
            public override Encoding Encoding => Encoding.UTF8;
            public override void Write(char value) => throw new IOException("The terminal is gone.");
            public override void Write(string value) => throw new IOException("The terminal is gone.");
        }
    }
}
