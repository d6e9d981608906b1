using System;
using System.IO;
using System.Linq;
using MtkFlash.Cli;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Serialization;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Virtual
{
    /// <summary>
    /// Issue 10, data loss: MtkFlash never deletes what it did not create, a damaged drive stays listed and removable, and
    /// temporary files never pile up. Everything through the CLI as a user types it, in-process.
    /// </summary>
    public class DamagedStoreTests
    {
        static string Folder(VirtualRig rig, string name) => Path.Combine(rig.Home, "virtual", name);

        static void AssertNoStackTrace(CliRun run)
        {
            Assert.DoesNotContain("Unhandled exception", run.Err);
            Assert.DoesNotContain("   at ", run.Err);
        }

        [Theory]
        [InlineData("missing")]
        [InlineData("folder")]
        public void New_over_a_folder_that_is_not_a_drive_refuses_and_keeps_every_file(string recordKind)
        {
            using (var rig = new VirtualRig(trace: false))
            {
                // A flashed drive whose drive.json went missing (or became a folder), with the user's notes beside it.
                rig.NewDrive("x", "lg-bh16ns40");
                Assert.Equal(0, CliRunner.Run(rig, "write", "virtual:x", rig.Image("lg-bh16ns40", "1.03"), "--yes", "--no-backup").Exit);
                rig.Store.ForgetLoadedDrives();
                var folder = Folder(rig, "x");
                File.Delete(Path.Combine(folder, "drive.json"));
                if (recordKind == "folder") Directory.CreateDirectory(Path.Combine(folder, "drive.json"));
                File.WriteAllText(Path.Combine(folder, "notes.txt"), "flashed 1.03 on Monday");
                var flash = File.ReadAllBytes(Path.Combine(folder, "flash.bin"));

                var run = CliRunner.Run(rig, "virtual", "new", "x", "--profile", "lg-bh16ns40");
                Assert.True(run.Exit == ExitCodes.Failure, run.ToString());
                Assert.Contains("is not a valid virtual drive", run.Err);
                Assert.Contains("virtual remove x --force", run.Err);
                Assert.Equal("flashed 1.03 on Monday", File.ReadAllText(Path.Combine(folder, "notes.txt")));
                Assert.Equal(flash, File.ReadAllBytes(Path.Combine(folder, "flash.bin")));

                // Without --force, remove refuses too; with it, only MtkFlash's own files go.
                run = CliRunner.Run(rig, "virtual", "remove", "x");
                Assert.True(run.Exit == ExitCodes.Failure, run.ToString());
                Assert.Contains("--force", run.Err);
                Assert.True(File.Exists(Path.Combine(folder, "flash.bin")));

                run = CliRunner.Run(rig, "virtual", "remove", "x", "--force");
                Assert.True(run.Exit == ExitCodes.Success, run.ToString());
                Assert.False(File.Exists(Path.Combine(folder, "flash.bin")));
                Assert.Equal("flashed 1.03 on Monday", File.ReadAllText(Path.Combine(folder, "notes.txt")));
                Assert.Contains("notes.txt", run.Err);   // the warning names what was kept
                if (recordKind == "folder") Assert.True(Directory.Exists(Path.Combine(folder, "drive.json")), "a folder MtkFlash did not make is kept");
            }
        }

        [Fact]
        public void Remove_keeps_files_mtkflash_did_not_create()
        {
            using (var rig = new VirtualRig(trace: false))
            {
                rig.NewDrive("x", "btc-drw1008");
                File.WriteAllText(Path.Combine(Folder(rig, "x"), "notes.txt"), "mine");
                var run = CliRunner.Run(rig, "virtual", "remove", "x");
                Assert.True(run.Exit == ExitCodes.Success, run.ToString());
                Assert.Equal(new[] { "notes.txt" }, Directory.GetFileSystemEntries(Folder(rig, "x")).Select(Path.GetFileName).ToArray());
                Assert.False(rig.Store.Exists("x"));
            }
        }

        /// <summary>How a drive's own files get damaged: each must leave the drive listed (as damaged) and removable.</summary>
        public static TheoryData<string, string> Damages => new TheoryData<string, string>
        {
            { "record-not-json", "drive.json" },
            { "record-empty", "drive.json" },
            { "record-wrong-types", "drive.json" },
            { "record-unknown-profile", "drive.json" },
            { "record-negative-fault", "drive.json" },
            { "record-huge-number", "drive.json" },
            { "record-is-a-fifo", "drive.json" },
            { "flash-truncated", "flash.bin" },
            { "flash-missing", "flash.bin" },
            { "flash-is-a-folder", "flash.bin" },
        };

        static void Damage(string folder, string kind)
        {
            var record = Path.Combine(folder, "drive.json");
            var flash = Path.Combine(folder, "flash.bin");
            switch (kind)
            {
                case "record-not-json": File.WriteAllText(record, "{bad"); break;
                case "record-empty": File.WriteAllText(record, string.Empty); break;
                case "record-wrong-types": File.WriteAllText(record, "{\"profile\":\"lg-bh16ns40\",\"tray\":7,\"faults\":[]}"); break;
                case "record-unknown-profile": File.WriteAllText(record, "{\"profile\":\"no-such\"}"); break;
                case "record-negative-fault": File.WriteAllText(record, "{\"profile\":\"lg-bh16ns40\",\"faults\":{\"powerLossAfter\":-5}}"); break;
                case "record-huge-number": File.WriteAllText(record, "{\"profile\":\"lg-bh16ns40\",\"faults\":{\"hangAfter\":1e400}}"); break;
                case "record-is-a-fifo": File.Delete(record); SpecialFiles.Fifo(record); break;
                case "flash-truncated": File.WriteAllBytes(flash, new byte[1000]); break;
                case "flash-missing": File.Delete(flash); break;
                case "flash-is-a-folder": File.Delete(flash); Directory.CreateDirectory(flash); break;
            }
        }

        [Theory]
        [MemberData(nameof(Damages))]
        public void A_damaged_drive_is_listed_as_broken_naming_the_file_and_can_be_removed(string kind, string file)
        {
            using (var rig = new VirtualRig(trace: false))
            {
                rig.NewDrive("ok", "tsst-se506cb");
                rig.NewDrive("x", "lg-bh16ns40");
                rig.Store.ForgetLoadedDrives();
                Damage(Folder(rig, "x"), kind);
                var damagedFile = Path.Combine(Folder(rig, "x"), file);

                SpecialFiles.WithinSeconds(60, () =>
                {
                    // list: both drives, the damaged one as not responding, with a warning naming the file.
                    var run = CliRunner.Run(rig, "list", "--json");
                    Assert.True(run.Exit == ExitCodes.Success, run.ToString());
                    var drives = run.JsonArray.Cast<System.Collections.Generic.Dictionary<string, object>>().ToList();
                    Assert.Equal(new[] { "virtual:ok", "virtual:x" }, drives.Select(d => d.GetString("path")).ToArray());
                    Assert.Equal("notResponding", drives[1].GetString("state"));
                    Assert.Contains(damagedFile, run.Err);
                    Assert.Contains("damaged", run.Err);

                    // list virtual:x names the file, not "Invalid JSON at position 0 [UnexpectedError]".
                    run = CliRunner.Run(rig, "list", "virtual:x");
                    Assert.Contains(damagedFile, run.Err);
                    Assert.DoesNotContain("UnexpectedError", run.Err);

                    // virtual list: the drive is there, marked damaged, with the file and what is wrong.
                    run = CliRunner.Run(rig, "virtual", "list", "--json");
                    Assert.True(run.Exit == ExitCodes.Success, run.ToString());
                    var listed = run.JsonArray.Cast<System.Collections.Generic.Dictionary<string, object>>().Single(d => d.GetString("name") == "x");
                    Assert.Null(listed.GetString("state"));
                    Assert.StartsWith(damagedFile, listed.GetString("damage"));
                    Assert.Contains(damagedFile, run.Err);
                    run = CliRunner.Run(rig, "virtual", "list");
                    Assert.Contains("damaged", run.Out);

                    // fault --clear and new: clear errors, no stack trace.
                    run = CliRunner.Run(rig, "virtual", "fault", "x", "--clear");
                    Assert.True(run.Exit == ExitCodes.Failure, run.ToString());
                    Assert.Contains("DriveDamaged", run.Err);
                    AssertNoStackTrace(run);
                    run = CliRunner.Run(rig, "virtual", "new", "x", "--profile", "lg-bh16ns40");
                    Assert.True(run.Exit == ExitCodes.Failure, run.ToString());
                    Assert.Contains("damaged", run.Err);
                    Assert.Contains("virtual remove x", run.Err);

                    // remove works, and the name is free again.
                    run = CliRunner.Run(rig, "virtual", "remove", "x");
                    Assert.True(run.Exit == ExitCodes.Success, run.ToString());
                    AssertNoStackTrace(run);
                    if (kind != "flash-is-a-folder") Assert.False(Directory.Exists(Folder(rig, "x")));
                    Assert.False(rig.Store.Exists("x"));
                    return true;
                });
                if (kind == "flash-is-a-folder")
                {
                    // A folder where flash.bin belongs is not MtkFlash's to delete: kept, and the name stays blocked until the user moves it.
                    Assert.True(Directory.Exists(Path.Combine(Folder(rig, "x"), "flash.bin")));
                    return;
                }
                Assert.Equal(ExitCodes.Success, CliRunner.Run(rig, "virtual", "new", "x", "--profile", "lg-bh16ns40").Exit);
                Assert.Equal("1.02", rig.Store.Get("x").Revision);
            }
        }

        [Fact]
        public void A_drive_damaged_while_loaded_in_this_process_is_reported_and_removable()
        {
            using (var rig = new VirtualRig(trace: false))
            {
                rig.NewDrive("x", "lg-bh16ns40");
                Assert.Equal(ExitCodes.Success, CliRunner.Run(rig, "list").Exit);   // loaded and cached
                File.WriteAllText(Path.Combine(Folder(rig, "x"), "drive.json"), "[1,2");
                File.SetLastWriteTimeUtc(Path.Combine(Folder(rig, "x"), "drive.json"), DateTime.UtcNow.AddMinutes(1));
                var run = CliRunner.Run(rig, "virtual", "list", "--json");
                Assert.Contains("drive.json", run.Err);
                Assert.Equal(ExitCodes.Success, CliRunner.Run(rig, "virtual", "remove", "x").Exit);
            }
        }

        [Fact]
        public void A_failed_atomic_write_leaves_no_temporary_file()
        {
            using (var home = new TempHome())
            {
                // A folder where the file should go makes the final rename fail after the temporary file was written.
                var target = Path.Combine(home.Path, "flash.bin");
                Directory.CreateDirectory(target);
                Assert.ThrowsAny<IOException>(() => AtomicFile.Write(target, new byte[1 << 20]));
                Assert.Equal(new[] { "flash.bin" }, Directory.GetFileSystemEntries(home.Path).Select(Path.GetFileName).ToArray());
            }
        }

        [Fact]
        public void Stale_temporary_files_of_mtkflash_naming_are_swept_when_a_drive_opens()
        {
            using (var rig = new VirtualRig(trace: false))
            {
                rig.NewDrive("x", "lg-bh16ns40");
                rig.Store.ForgetLoadedDrives();
                var folder = Folder(rig, "x");
                string Temp(string file, TimeSpan age)
                {
                    var p = Path.Combine(folder, file);
                    File.WriteAllBytes(p, new byte[4096]);
                    File.SetLastWriteTimeUtc(p, DateTime.UtcNow - age);
                    return p;
                }
                var staleFlash = Temp("flash.bin.tmp-" + Guid.NewGuid().ToString("N"), TimeSpan.FromHours(2));
                var staleRecord = Temp("drive.json.tmp-" + Guid.NewGuid().ToString("N"), TimeSpan.FromMinutes(5));
                var fresh = Temp("flash.bin.tmp-" + Guid.NewGuid().ToString("N"), TimeSpan.Zero);      // a write in progress elsewhere
                var foreign = Temp("flash.bin.tmp-mine", TimeSpan.FromHours(2));                        // not MtkFlash's naming

                var run = CliRunner.Run(rig, "virtual", "list");
                Assert.True(run.Exit == ExitCodes.Success, run.ToString());
                Assert.False(File.Exists(staleFlash));
                Assert.False(File.Exists(staleRecord));
                Assert.True(File.Exists(fresh));
                Assert.True(File.Exists(foreign));

                // Remove takes MtkFlash's temporary files too, fresh or not, and keeps the foreign one.
                Assert.Equal(ExitCodes.Success, CliRunner.Run(rig, "virtual", "remove", "x").Exit);
                Assert.Equal(new[] { "flash.bin.tmp-mine" }, Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).ToArray());
            }
        }

        [Theory]
        [InlineData("CON")]
        [InlineData("nul")]
        [InlineData("Aux")]
        [InlineData("PRN")]
        [InlineData("COM1")]
        [InlineData("com9")]
        [InlineData("LPT1")]
        [InlineData("lpt9")]
        [InlineData("CON.txt")]
        [InlineData("nul.drive.json")]
        [InlineData("COM3.x")]
        [InlineData("-x")]
        [InlineData("--profile")]
        public void Names_that_misbehave_on_windows_or_in_a_shell_are_refused(string name)
        {
            using (var rig = new VirtualRig(trace: false))
            {
                var run = CliRunner.Run(rig, "virtual", "new", "--profile", "lg-bh16ns40", "--", name);
                Assert.True(run.Exit == ExitCodes.Usage, run.ToString());
                Assert.Contains("not a valid virtual drive name", run.Err);
                Assert.False(Directory.Exists(Folder(rig, name)));
                Assert.Throws<ArgumentException>(() => rig.Store.Create(name, "lg-bh16ns40"));
            }
        }

        [Theory]
        [InlineData("COM10")]
        [InlineData("CONSOLE")]
        [InlineData("x-")]
        [InlineData("lpt")]
        public void Similar_names_that_are_not_reserved_are_accepted(string name)
        {
            using (var rig = new VirtualRig(trace: false))
            {
                var run = CliRunner.Run(rig, "virtual", "new", name, "--profile", "lg-bh16ns40");
                Assert.True(run.Exit == ExitCodes.Success, run.ToString());
            }
        }

        [Fact]
        public void A_drive_made_under_a_now_reserved_name_can_still_be_used_and_removed()
        {
            using (var rig = new VirtualRig(trace: false))
            {
                rig.NewDrive("old", "lg-bh16ns40");
                rig.Store.ForgetLoadedDrives();
                Directory.Move(Folder(rig, "old"), Folder(rig, "CON"));
                Assert.Equal(ExitCodes.Success, CliRunner.Run(rig, "list", "virtual:CON").Exit);
                Assert.Equal(ExitCodes.Success, CliRunner.Run(rig, "virtual", "remove", "CON").Exit);
            }
        }
    }
}
