using System.IO;
using System.Linq;
using System.Management.Automation;
using MtkFlash.Core.Firmware;
using MtkFlash.Tests.Firmware;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.PowerShell.Cmdlets
{
    /// <summary>Scrambled and multi-image XFlash flashers through the real cmdlets in a runspace.</summary>
    [Collection(PowerShellCollection.Name)]
    public class XFlashCmdletTests
    {
        readonly ModuleFixture _module;
        public XFlashCmdletTests(ModuleFixture module) { _module = module; }

        static readonly string[] Revisions = { "US0N", "US0Q", "US0R" };

        static FlasherSpec Fibonacci() => new FlasherSpec
        {
            Images = Revisions.Select((r, i) => TestImages.LiteOn(revision: r, size: 128 * TestImages.KiB, internalRevision: null, seed: 50 + i)).ToArray(),
            Revisions = Revisions, Version = "2.2.0", Method = 2, CountKey = "PARA_OPT", CountText = "0",
        };

        [Fact]
        public void Test_FirmwareImage_names_the_method_of_each_embedded_image()
        {
            using var ps = new PowerShellSession(_module);
            var exe = Path.Combine(ps.Folder("t"), "m2.exe");
            File.WriteAllBytes(exe, TestFlashers.Build(Fibonacci()));
            var info = (MtkFlash.PowerShell.FirmwareImageInfo)ps.Ok("Test-FirmwareImage -LiteralPath $exe", ("exe", exe)).Single().BaseObject;
            var report = info.GetReport();
            Assert.True(info.IsValid, string.Join("; ", report.Problems));
            Assert.Equal("2.2.0", info.FlasherVersion);
            Assert.Equal(Revisions.Select(r => r + " method 2"), info.EmbeddedImages);
            Assert.Equal("2.2.0", report.Details.FlasherVersion);
            var methods = ps.Ok("(Test-FirmwareImage -LiteralPath $exe).GetReport().Details.Embedded | ForEach-Object { '{0}:{1}:{2}' -f $_.Revision, $_.Method, $_.MethodParameters['fwKey'] }", ("exe", exe));
            Assert.Equal(Revisions.Select(r => r + ":2:" + TestFlashers.RevisionKey(r)), methods.Select(o => (string)o.BaseObject));
        }

        [Fact]
        public void Expand_FirmwareImage_writes_one_verified_file_per_image_named_after_its_revision()
        {
            using var ps = new PowerShellSession(_module);
            var dir = ps.Folder("x");
            var spec = Fibonacci();
            var exe = Path.Combine(dir, "m2.exe");
            File.WriteAllBytes(exe, TestFlashers.Build(spec));
            var written = ps.Ok("Expand-FirmwareImage -LiteralPath $exe -DestinationPath (Join-Path $dir 'fw.bin')", ("exe", exe), ("dir", dir))
                .Select(o => ((MtkFlash.PowerShell.FirmwareImageInfo)o.BaseObject).GetReport()).ToList();
            Assert.Equal(Revisions.Select(r => Path.Combine(dir, "fw-" + r + ".bin")), written.Select(r => r.Path));
            for (int i = 0; i < 3; i++) Assert.Equal(spec.Images[i], File.ReadAllBytes(written[i].Path));

            // A flasher cut short in its last image: two files and one ImageNotExtracted error naming the third.
            var bytes = TestFlashers.Build(spec);
            var cut = Path.Combine(dir, "cut.exe");
            File.WriteAllBytes(cut, bytes.Take(bytes.Length - 0x9000).ToArray());
            var run = ps.Run("Expand-FirmwareImage -LiteralPath $exe -DestinationPath (Join-Path $dir 'c.bin')", ("exe", cut), ("dir", dir));
            Assert.Equal(2, run.Objects<MtkFlash.PowerShell.FirmwareImageInfo>().Count());
            var error = run.SingleError();
            Assert.Equal("ImageNotExtracted,MtkFlash.PowerShell.ExpandFirmwareImageCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
            Assert.Contains("US0R", error.Exception.Message);
        }

        [Fact]
        public void Expand_FirmwareImage_of_a_flasher_with_an_unknown_method_extracts_nothing_and_says_why()
        {
            using var ps = new PowerShellSession(_module);
            var dir = ps.Folder("u");
            var spec = Fibonacci();
            spec.Version = "2.0.7";
            var exe = Path.Combine(dir, "unknown.exe");
            File.WriteAllBytes(exe, TestFlashers.Build(spec));
            var run = ps.Run("Expand-FirmwareImage -LiteralPath $exe -DestinationPath (Join-Path $dir 'u.bin')", ("exe", exe), ("dir", dir));
            Assert.Empty(run.Output);
            var error = run.SingleError();
            Assert.Equal("NothingToExtract,MtkFlash.PowerShell.ExpandFirmwareImageCommand", error.FullyQualifiedErrorId);
            Assert.Contains("2.0.7", error.Exception.Message);
            Assert.Empty(Directory.GetFiles(dir, "*.bin"));
        }
    }
}
