using System.IO;
using System.Linq;
using System.Management.Automation;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Firmware;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.PowerShell.Cmdlets
{
    /// <summary>Test-FirmwareImage and Expand-FirmwareImage in a real pipeline: provider paths, binding, -WhatIf, errors, streams.</summary>
    [Collection(PowerShellCollection.Name)]
    public class FirmwareImageCmdletTests
    {
        readonly ModuleFixture _module;
        public FirmwareImageCmdletTests(ModuleFixture module) { _module = module; }

        static string Write(string folder, string name, byte[] data)
        {
            var path = Path.Combine(folder, name);
            File.WriteAllBytes(path, data);
            return path;
        }

        [Fact]
        public void Files_from_Get_ChildItem_bind_to_LiteralPath_by_property_name()
        {
            using var ps = new PowerShellSession(_module);
            var dir = ps.Folder("imgs");
            Write(dir, "a.bin", SyntheticImages.Build("lg-bh16ns40", "1.03"));
            Write(dir, "b.bin", SyntheticImages.Build("tsst-se506cb", "TS02"));
            var reports = ps.Ok("Get-ChildItem -LiteralPath $dir -Filter *.bin | Test-FirmwareImage", ("dir", dir))
                .Select(o => (FirmwareImageReport)o.BaseObject).ToList();
            Assert.Equal(new[] { "a.bin", "b.bin" }, reports.Select(r => Path.GetFileName(r.Path)));
            Assert.All(reports, r => Assert.True(r.IsValid, r.Path));
        }

        [Fact]
        public void Drives_bind_by_value_and_each_report_carries_the_verdict_for_its_drive()
        {
            using var ps = new PowerShellSession(_module);
            var store = new VirtualDriveStore(ps.Home);
            store.Create("t-lg", "lg-bh16ns40");
            store.Create("t-tsst", "tsst-se506cb");
            var img = Write(ps.Folder("i"), "lg.bin", SyntheticImages.Build("lg-bh16ns40", "1.03"));
            var reports = ps.Ok("Get-OpticalDrive 'virtual:t-*' | Test-FirmwareImage -Path $img", ("img", img))
                .Select(o => (FirmwareImageReport)o.BaseObject).ToList();
            Assert.Equal(2, reports.Count);
            Assert.Equal(CompatibilityVerdict.Fits, reports.Single(r => r.Compatibility.Drive == "virtual:t-lg").Compatibility.Verdict);
            Assert.Equal(CompatibilityVerdict.Incompatible, reports.Single(r => r.Compatibility.Drive == "virtual:t-tsst").Compatibility.Verdict);
            Assert.Equal(new object[] { true, false },
                ps.Ok("Get-OpticalDrive 'virtual:t-*' | Test-FirmwareImage -Path $img -Quiet", ("img", img)).Select(o => o.BaseObject));
        }

        [Fact]
        public void A_wildcard_that_matches_nothing_writes_PathNotFound()
        {
            using var ps = new PowerShellSession(_module);
            var pattern = Path.Combine(ps.Folder("empty"), "nothing*.bin");
            var run = ps.Run("Test-FirmwareImage -Path $p", ("p", pattern));
            Assert.Empty(run.Output);
            var error = run.SingleError();
            Assert.Equal("PathNotFound,MtkFlash.PowerShell.TestFirmwareImageCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal(pattern, error.TargetObject);
        }

        [Fact]
        public void A_name_with_brackets_is_found_by_LiteralPath_and_not_found_by_Path()
        {
            using var ps = new PowerShellSession(_module);
            var plex = Write(ps.Folder("odd"), "plex[1].bin", SyntheticImages.Build("plextor-px716a", "1.12"));
            var literal = (FirmwareImageReport)ps.Ok("Test-FirmwareImage -LiteralPath $p", ("p", plex)).Single().BaseObject;
            Assert.Equal(plex, literal.Path);
            Assert.True(literal.IsValid);
            var run = ps.Run("Test-FirmwareImage -Path $p", ("p", plex));
            Assert.Empty(run.Output);
            Assert.Equal("PathNotFound,MtkFlash.PowerShell.TestFirmwareImageCommand", run.SingleError().FullyQualifiedErrorId);
            Assert.Equal(plex, run.Errors[0].TargetObject);
        }

        [Fact]
        public void Verbose_describes_each_file_and_progress_covers_several_files()
        {
            using var ps = new PowerShellSession(_module);
            var dir = ps.Folder("v");
            Write(dir, "1.bin", SyntheticImages.Build("lg-bh16ns40", "1.03"));
            Write(dir, "2.bin", SyntheticImages.Build("lg-bh16ns40", "1.04"));
            var run = ps.Run("Test-FirmwareImage -Path (Join-Path $dir '*.bin') -Verbose", ("dir", dir));
            Assert.Equal(2, run.Objects<FirmwareImageReport>().Count());
            Assert.Equal(2, run.Verbose.Count);
            Assert.Contains(run.Verbose, v => v.Contains("1.bin"));
            Assert.Contains(run.Verbose, v => v.Contains("2.bin"));
            Assert.Contains(run.Progress, p => p.RecordType == ProgressRecordType.Processing);
            Assert.Equal(ProgressRecordType.Completed, run.Progress.Last().RecordType);
        }

        [Fact]
        public void Expand_with_WhatIf_writes_nothing_and_a_piped_file_binds_to_LiteralPath()
        {
            using var ps = new PowerShellSession(_module);
            var dir = ps.Folder("x");
            var exe = Write(dir, "flash.exe", TestImages.XFlash(new[] { TestImages.LiteOn() }, new[] { "US0N" }));
            var target = Path.Combine(dir, "out.bin");
            var whatIf = ps.Run("Get-Item -LiteralPath $exe | Expand-FirmwareImage -DestinationPath $t -WhatIf", ("exe", exe), ("t", target));
            Assert.Empty(whatIf.Output);
            Assert.Empty(whatIf.Errors);
            Assert.False(File.Exists(target));

            var report = (FirmwareImageReport)ps.Ok("Get-Item -LiteralPath $exe | Expand-FirmwareImage -DestinationPath $t -Confirm:$false", ("exe", exe), ("t", target)).Single().BaseObject;
            Assert.True(report.IsValid);
            Assert.True(File.Exists(target));
        }

        [Fact]
        public void Expand_never_overwrites_a_file_DestinationExists()
        {
            using var ps = new PowerShellSession(_module);
            var dir = ps.Folder("y");
            var exe = Write(dir, "flash.exe", TestImages.XFlash(new[] { TestImages.LiteOn() }, new[] { "US0N" }));
            var target = Write(dir, "keep.bin", new byte[] { 1, 2, 3 });
            var run = ps.Run("Expand-FirmwareImage -Path $exe -DestinationPath $t", ("exe", exe), ("t", target));
            var error = run.SingleError();
            Assert.Equal("DestinationExists,MtkFlash.PowerShell.ExpandFirmwareImageCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
            Assert.Equal(3, File.ReadAllBytes(target).Length);
        }
    }
}
