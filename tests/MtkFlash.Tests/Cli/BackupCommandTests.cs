using System.Collections.Generic;
using System.IO;
using System.Linq;
using MtkFlash.Cli;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Serialization;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Cli
{
    /// <summary>`mtkflash backup`, run in-process on the rig's virtual drives and fake clock.</summary>
    public class BackupCommandTests
    {
        [Fact]
        public void Json_output_describes_the_bundle()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("x", "lg-bh16ns40");
                var dir = rig.Sub("out");
                var run = CliRunner.Run(rig, "backup", drive, "--out", dir, "--json");
                Assert.Equal(ExitCodes.Success, run.Exit);
                var item = (Dictionary<string, object>)Assert.Single(run.JsonArray);
                var path = item.GetString("path");
                Assert.Equal(dir, Path.GetDirectoryName(path));
                Assert.Equal(drive, item.GetString("drive"));
                Assert.Equal("full", item.GetString("completeness"));
                var flash = rig.Store.ReadFlash("x");
                Assert.Equal(BackupBundle.Sha256(flash), item.GetString("sha256"));
                var parts = item.GetArray("parts").Cast<Dictionary<string, object>>().ToList();
                Assert.Contains(parts, p => p.GetString("file") == "firmware.bin" && p.GetString("kind") == "firmware" && p.GetInt64("length") == flash.Length);
                Assert.Equal(parts.Sum(p => p.GetInt64("length")), item.GetInt64("size"));
                var bundle = BackupBundle.Open(path);
                Assert.Equal(flash, bundle.FirmwareImage);
                Assert.Equal(bundle.Manifest.Parts.Select(p => p.Sha256), parts.Select(p => p.GetString("sha256")));
                Assert.Equal(new[] { Path.GetFileName(path) }, Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));
            }
        }

        [Fact]
        public void A_failing_drive_among_several_exits_1_and_the_others_are_still_backed_up()
        {
            using (var rig = new VirtualRig())
            {
                var first = rig.NewDrive("first", "lg-bh16ns40");
                var broken = rig.NewDrive("broken", "tsst-se506cb");
                var last = rig.NewDrive("last", "btc-drw1008");
                rig.Store.SetFaults("broken", f => f.PowerLossAfter = 40);
                var dir = rig.Sub("out");
                var run = CliRunner.Run(rig, "backup", first, broken, last, "--out", dir, "--json");
                Assert.Equal(ExitCodes.Failure, run.Exit);
                var drives = run.JsonArray.Cast<Dictionary<string, object>>().Select(d => d.GetString("drive")).ToList();
                Assert.Equal(new[] { first, last }, drives);
                Assert.Equal(2, Directory.GetFileSystemEntries(dir).Length);
                var errorLine = run.Err.Split('\n').Single(l => l.StartsWith("{\"error\""));
                var error = Json.ParseObject(errorLine).GetObject("error");
                Assert.Equal("DriveNotResponding", error.GetString("id"));
                Assert.Equal(broken, error.GetString("target"));
            }
        }

        [Fact]
        public void Zip_writes_one_archive_per_drive()
        {
            using (var rig = new VirtualRig())
            {
                var a = rig.NewDrive("a", "tsst-se506cb");
                var b = rig.NewDrive("b", "plextor-px716a");
                var dir = rig.Sub("out");
                var run = CliRunner.Run(rig, "backup", a, b, "--out", dir, "--zip", "--json");
                Assert.Equal(ExitCodes.Success, run.Exit);
                var items = run.JsonArray.Cast<Dictionary<string, object>>().ToList();
                Assert.Equal(new[] { "full", "identityOnly" }, items.Select(i => i.GetString("completeness")));
                Assert.Equal(new[] { "zip", "zip" }, items.Select(i => i.GetString("format")));
                foreach (var i in items)
                {
                    Assert.EndsWith(".zip", i.GetString("path"));
                    Assert.True(File.Exists(i.GetString("path")));
                    BackupBundle.Open(i.GetString("path"));
                }
                Assert.Equal(rig.Store.ReadFlash("a"), BackupBundle.Open(items[0].GetString("path")).FirmwareImage);
                Assert.Contains("warning:", run.Err);
            }
        }

        [Fact]
        public void Trace_records_every_exchange_and_none_changes_state()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("t", "lg-bh16ns40");
                var trace = Path.Combine(rig.Home, "backup-trace.jsonl");
                var run = CliRunner.Run(rig, "backup", drive, "--out", rig.Sub("out"), "--trace", trace);
                Assert.Equal(ExitCodes.Success, run.Exit);
                var records = new TraceRecordList(trace).Records;
                // INQUIRY first; then at least the two full flash reads in 4 KiB chunks.
                Assert.Equal(Cdb.InquiryOpcode, records[0].CdbBytes()[0]);
                Assert.True(records.Count(r => r.CdbBytes()[0] == Cdb.ReadBufferOpcode) >= 2 * 0x200000 / 0x1000);
                Assert.All(records, r => Assert.Equal(drive, r.Drive));
                Assert.All(records, r => Assert.False(Cdb.IsStateChanging(r.CdbBytes()), r.Cdb));
                // The text output names the bundle.
                Assert.Contains(drive + ": full backup, ", run.Out);
                Assert.Contains(Path.Combine(rig.Home, "out"), run.Out);
            }
        }

        [Fact]
        public void A_missing_output_folder_exits_1_with_BackupFolderNotFound()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("m", "lg-bh16ns40");
                var run = CliRunner.Run(rig, "backup", drive, "--out", Path.Combine(rig.Home, "nope"));
                Assert.Equal(ExitCodes.Failure, run.Exit);
                Assert.Contains("[BackupFolderNotFound]", run.Err);
                Assert.Equal(string.Empty, run.Out.Trim());
            }
        }

        [Fact]
        public void Without_a_drive_it_is_a_usage_error()
        {
            using (var rig = new VirtualRig())
                Assert.Equal(ExitCodes.Usage, CliRunner.Run(rig, "backup", "--json").Exit);
        }
    }
}
