using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using MtkFlash.Core.Operations;
using MtkFlash.Tests.Operations;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Cli
{
    /// <summary>
    /// Issue 9 §5: SIGTERM and SIGHUP are deferred like Ctrl+C once a write has passed its point of no return: the real
    /// `mtkflash` process finishes the flash, waits for the drive, records the outcome and exits with the write's own code.
    /// </summary>
    public class SignalTests
    {
        [DllImport("libc", SetLastError = true)]
        static extern int kill(int pid, int signal);

        const int SIGHUP = 1, SIGTERM = 15;

        [Theory]
        [InlineData(SIGTERM)]
        [InlineData(SIGHUP)]
        public void A_signal_after_the_point_of_no_return_is_deferred_until_the_flash_is_done_and_recorded(int signal)
        {
            if (!OperatingSystem.IsLinux()) return;
            using (var home = new TempHome())
            {
                var store = new Core.Virtual.VirtualDriveStore(home.Path);
                store.Create("s", "lg-bh16ns40");
                var image = Path.Combine(home.Path, "s.bin");
                File.WriteAllBytes(image, Core.Virtual.SyntheticImages.Build("lg-bh16ns40", "1.03"));
                var file = Path.Combine(home.Path, "history.jsonl");
                var c = CliProcess.Start(HistoryLogTests.CliExecutable(), home.Path, "write", "virtual:s", image, "--yes", "--no-backup", "--json");

                // The attempt line is written right before the first state-changing command: from then on the flash must finish.
                var deadline = DateTime.UtcNow.AddSeconds(120);
                while (!HistoryLog.ReadLines(file).Any(l => l.Contains("\"record\":\"attempt\"")) && DateTime.UtcNow < deadline && !c.Process.HasExited) Thread.Sleep(10);
                Assert.False(c.Process.HasExited, "the write ended before the signal: " + c.Err);
                Assert.Equal(0, kill(c.Process.Id, signal));
                Assert.True(c.Process.WaitForExit(120000), "mtkflash did not finish after the signal");
                c.Process.WaitForExit();

                Assert.True(c.Process.ExitCode == 0, "exit " + c.Process.ExitCode + ": " + c.Err);
                Assert.Contains("stopping at the next safe point", c.Err);
                var entry = Assert.Single(HistoryLog.ReadEntries(file));
                Assert.Equal("succeeded", entry.Outcome);
                Assert.Equal("1.03", entry.NewRevision);
                Assert.Equal("1.03", new Core.Virtual.VirtualDriveStore(home.Path).Get("s").Revision);
            }
        }

        [Fact]
        public void A_signal_before_anything_is_sent_stops_the_write_there()
        {
            if (!OperatingSystem.IsLinux()) return;
            using (var home = new TempHome())
            {
                var store = new Core.Virtual.VirtualDriveStore(home.Path);
                store.Create("t", "lg-bh16ns40");
                var image = Path.Combine(home.Path, "t.bin");
                File.WriteAllBytes(image, Core.Virtual.SyntheticImages.Build("lg-bh16ns40", "1.03"));
                // The drive answers NOT READY to 8 reads of the automatic backup (4 s of retries on the real clock): the signal
                // lands while the write is still backing up, before its point of no return.
                store.SetFaults("t", f => f.Transients.Add(new Core.Virtual.TransientFault(Core.Virtual.TransientKind.NotReady, 8, after: 40)));
                Directory.CreateDirectory(Path.Combine(home.Path, "b"));   // a backup folder the user names must exist
                var c = CliProcess.Start(HistoryLogTests.CliExecutable(), home.Path, "write", "virtual:t", image, "--yes", "--backup-dir", Path.Combine(home.Path, "b"));
                var deadline = DateTime.UtcNow.AddSeconds(120);
                while (!c.Err.Contains("Backing up") && DateTime.UtcNow < deadline && !c.Process.HasExited) Thread.Sleep(5);
                Assert.False(c.Process.HasExited, "the write ended before the signal: " + c.Err);
                Assert.Equal(0, kill(c.Process.Id, SIGTERM));
                Assert.True(c.Process.WaitForExit(120000));
                c.Process.WaitForExit();
                var entry = Assert.Single(HistoryLog.ReadEntries(Path.Combine(home.Path, "history.jsonl")));
                Assert.False(entry.AttemptStarted, "the signal did not stop the write before its point of no return: " + c.Err);
                Assert.Equal("stopped", entry.Outcome);
                Assert.Equal(1, c.Process.ExitCode);
                Assert.Equal("1.02", new Core.Virtual.VirtualDriveStore(home.Path).Get("t").Revision);
            }
        }
    }
}
