using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Serialization;
using MtkFlash.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MtkFlash.Tests.Operations
{
    /// <summary>
    /// Issue 9 §5: history.jsonl is a write-ahead log. The attempt line is on disk before the first state-changing command,
    /// the outcome line follows, `history` pairs them, and a write killed in between shows as an attempt with an unknown
    /// outcome. Appends from many threads and processes at once lose no line.
    /// </summary>
    public class HistoryLogTests
    {
        readonly ITestOutputHelper _out;
        public HistoryLogTests(ITestOutputHelper output) { _out = output; }

        [Fact]
        public void The_attempt_line_is_on_disk_before_the_first_state_changing_command()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "tsst-se506cb");
                string[] atFirstWrite = null;
                bool sentBefore = true;
                var host = new RecordingHost
                {
                    // The first "Sending the firmware" progress comes right before the first state-changing command is sent.
                    OnProgress = p =>
                    {
                        if (atFirstWrite != null || !p.Activity.StartsWith("Sending the firmware", StringComparison.Ordinal)) return;
                        atFirstWrite = HistoryLog.ReadLines(rig.Context.HistoryFile);
                        sentBefore = rig.Trace().AnyStateChanging;
                    },
                };
                var result = new WriteOperation(rig.Context).Run(host, drive, new WriteOptions { ImagePath = rig.Image("tsst-se506cb", "TS02"), BackupDirectory = rig.Sub("b"), Force = true });
                Assert.Equal(WriteOutcome.Succeeded, result.Outcome);
                Assert.False(sentBefore);
                Assert.True(rig.Trace().AnyStateChanging);
                var attempt = Json.ParseObject(Assert.Single(atFirstWrite, l => l.Trim().Length > 0));
                Assert.Equal("attempt", attempt.GetString("record"));
                Assert.Equal(drive, attempt.GetString("drive"));
                Assert.Equal(result.ImageSha256, attempt.GetString("imageSha256"));
                Assert.Equal(result.BackupPath, attempt.GetString("backupPath"));
                Assert.Equal(result.AttemptId, attempt.GetString("attemptId"));

                var entry = Assert.Single(HistoryLog.ReadEntries(rig.Context.HistoryFile));
                Assert.Equal("succeeded", entry.Outcome);
                Assert.True(entry.AttemptStarted);
                Assert.Equal(result.BackupPath, entry.BackupPath);
            }
        }

        [Fact]
        public void Refusals_have_an_outcome_line_only()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "liteon-sohw812s");
                new WriteOperation(rig.Context).Run(new RecordingHost(), drive, new WriteOptions { ImagePath = rig.Image("liteon-sohw812s", "US0P"), Force = true });
                var line = Assert.Single(HistoryLog.ReadLines(rig.Context.HistoryFile), l => l.Trim().Length > 0);
                Assert.Null(Json.ParseObject(line).GetString("record"));
                var entry = Assert.Single(HistoryLog.ReadEntries(rig.Context.HistoryFile));
                Assert.Equal("refused", entry.Outcome);
                Assert.False(entry.AttemptStarted);
            }
        }

        [Fact]
        public void An_attempt_without_an_outcome_is_listed_as_unknown_by_the_history_command()
        {
            using (var rig = new VirtualRig())
            {
                var file = rig.Context.HistoryFile;
                HistoryLog.AppendAttempt(file, new WriteResult { AttemptId = "a1", Drive = "virtual:x", ImageSha256 = "ab", BackupPath = "/b/1", StartedUtc = rig.Clock.UtcNow });
                HistoryLog.AppendAttempt(file, new WriteResult { AttemptId = "a2", Drive = "virtual:y", ImageSha256 = "cd", StartedUtc = rig.Clock.UtcNow });
                HistoryLog.Append(file, new WriteResult { AttemptId = "a2", Drive = "virtual:y", Outcome = WriteOutcome.Succeeded, ImageSha256 = "cd", NewRevision = "2" });

                var entries = HistoryLog.ReadEntries(file);
                Assert.Equal(new[] { "unknown", "succeeded" }, entries.Select(e => e.Outcome));
                Assert.Equal("/b/1", entries[0].BackupPath);

                var run = CliRunner.Run(rig, "history", "--json");
                Assert.Equal(0, run.Exit);
                var json = run.JsonArray.Cast<Dictionary<string, object>>().ToList();
                Assert.Equal(2, json.Count);
                Assert.Equal("unknown", json[0].GetString("outcome"));
                Assert.Equal("ab", json[0].GetString("imageSha256"));
                Assert.True(json[0].GetBool("attemptStarted"));
                Assert.Contains("no outcome was recorded", json[0].GetString("message"));
                Assert.Equal("succeeded", json[1].GetString("outcome"));

                var table = CliRunner.Run(rig, "history");
                Assert.Contains("unknown", table.Out);
                Assert.Contains("killed", table.Err);
            }
        }

        [Fact]
        public void Concurrent_appends_from_threads_and_processes_lose_no_line()
        {
            using (var home = new TempHome())
            {
                var file = Path.Combine(home.Path, "history.jsonl");
                const int threads = 16, perThread = 20;
                var cli = CliExecutable();
                // Child processes append through the real CLI at the same time: refused writes of a LiteOn virtual drive.
                var store = new Core.Virtual.VirtualDriveStore(home.Path);
                for (int i = 0; i < 4; i++) store.Create("l" + i, "liteon-sohw812s");
                var image = Path.Combine(home.Path, "l.bin");
                File.WriteAllBytes(image, Core.Virtual.SyntheticImages.Build("liteon-sohw812s", "US0P"));
                var children = Enumerable.Range(0, 4).Select(i => CliProcess.Start(cli, home.Path, "write", "virtual:l" + i, image, "--yes")).ToList();

                using (var go = new ManualResetEventSlim())
                {
                    var tasks = Enumerable.Range(0, threads).Select(t => Task.Run(() =>
                    {
                        go.Wait();
                        for (int i = 0; i < perThread; i++)
                            HistoryLog.Append(file, new WriteResult { Drive = "t" + t, Message = "line " + i + new string('x', 2000), Outcome = WriteOutcome.Refused });
                    })).ToArray();
                    go.Set();
                    Task.WaitAll(tasks);
                }
                foreach (var c in children)
                {
                    Assert.True(c.Process.WaitForExit(120000), "a child mtkflash did not finish");
                    c.Process.WaitForExit();
                    Assert.True(c.Process.ExitCode == 3, "exit " + c.Process.ExitCode + ": " + c.Err);   // refused (classic LiteOn) after writing its outcome line
                }

                var lines = HistoryLog.ReadLines(file).Where(l => l.Trim().Length > 0).ToList();
                foreach (var l in lines) Json.ParseObject(l);   // every line whole
                Assert.Equal(threads * perThread + children.Count, lines.Count);
                for (int t = 0; t < threads; t++)
                    Assert.Equal(perThread, lines.Count(l => l.Contains("\"drive\":\"t" + t + "\"")));
                TestFigures.Record(_out, "history: " + lines.Count + " concurrent appends (" + threads + " threads x " + perThread + " + " + children.Count + " processes), 0 lost");
            }
        }

        [Fact]
        public void An_append_waits_while_another_writer_holds_the_history_lock()
        {
            using (var home = new TempHome())
            {
                var file = Path.Combine(home.Path, "history.jsonl");
                HistoryLog.Append(file, new WriteResult { Drive = "first", Outcome = WriteOutcome.Refused });
                Task append;
                // Another process appending holds history.jsonl.lock exclusively (FileShare.None), as HistoryLog does.
                using (new FileStream(file + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
                {
                    append = Task.Run(() => HistoryLog.Append(file, new WriteResult { Drive = "second", Outcome = WriteOutcome.Refused }));
                    Thread.Sleep(500);
                    Assert.False(append.IsCompleted, "the append did not wait for the lock");
                    Assert.Single(HistoryLog.ReadLines(file), l => l.Trim().Length > 0);
                }
                Assert.True(append.Wait(TimeSpan.FromSeconds(20)));
                Assert.Equal(new[] { "first", "second" }, HistoryLog.ReadEntries(file).Select(e => e.Drive));
            }
        }

        [Fact]
        public void A_write_killed_with_SIGKILL_mid_flash_leaves_an_attempt_with_an_unknown_outcome()
        {
            if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
            using (var home = new TempHome())
            {
                var store = new Core.Virtual.VirtualDriveStore(home.Path);
                store.Create("k", "lg-bh16ns40");
                var image = Path.Combine(home.Path, "k.bin");
                File.WriteAllBytes(image, Core.Virtual.SyntheticImages.Build("lg-bh16ns40", "1.03"));
                var file = Path.Combine(home.Path, "history.jsonl");
                var c = CliProcess.Start(CliExecutable(), home.Path, "write", "virtual:k", image, "--yes", "--no-backup");
                // Killed as soon as its attempt line is on disk: it is sending chunks or waiting for the (6 s) programming.
                var deadline = DateTime.UtcNow.AddSeconds(120);
                while (!HistoryLog.ReadLines(file).Any(l => l.Contains("\"record\":\"attempt\"")) && DateTime.UtcNow < deadline && !c.Process.HasExited) Thread.Sleep(20);
                Assert.False(c.Process.HasExited, "the write ended before it could be killed: " + c.Err);
                c.Process.Kill();   // SIGKILL
                c.Process.WaitForExit();

                var entry = Assert.Single(HistoryLog.ReadEntries(file));
                Assert.Equal(HistoryEntry.UnknownOutcome, entry.Outcome);
                Assert.Equal("virtual:k", entry.Drive);
                Assert.Equal(Core.Backup.BackupBundle.Sha256(File.ReadAllBytes(image)), entry.ImageSha256);
            }
        }

        internal static string CliExecutable()
        {
            var dir = AppContext.BaseDirectory;
            var exe = Path.Combine(dir, OperatingSystem.IsWindows() ? "mtkflash.exe" : "mtkflash");
            Assert.True(File.Exists(exe), "the mtkflash apphost is not next to the tests: " + exe);
            return exe;
        }

    }

    /// <summary>A child `mtkflash` process with MTKFLASH_HOME set, its output drained (stderr kept for messages).</summary>
    internal sealed class CliProcess
    {
        readonly System.Text.StringBuilder _err = new System.Text.StringBuilder();
        readonly System.Text.StringBuilder _out = new System.Text.StringBuilder();
        public Process Process { get; private set; }
        public string Err { get { lock (_err) return _err.ToString(); } }
        public string Out { get { lock (_out) return _out.ToString(); } }

        public static CliProcess Start(string exe, string home, params string[] args)
        {
            var c = new CliProcess();
            var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
            foreach (var a in args) info.ArgumentList.Add(a);
            info.Environment["MTKFLASH_HOME"] = home;
            c.Process = new Process { StartInfo = info };
            c.Process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (c._out) c._out.AppendLine(e.Data); };
            c.Process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (c._err) c._err.AppendLine(e.Data); };
            c.Process.Start();
            c.Process.StandardInput.Close();
            c.Process.BeginOutputReadLine();
            c.Process.BeginErrorReadLine();
            return c;
        }
    }
}
