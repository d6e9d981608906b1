using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using MtkFlash.Cli;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Serialization;
using MtkFlash.PowerShell;
using MtkFlash.Tests.PowerShell;
using MtkFlash.Tests.Support;
using Xunit;
using static MtkFlash.Tests.Firmware.TestImages;

namespace MtkFlash.Tests.Firmware
{
    public class FirmwareOperationTests
    {
        [Fact]
        public void Test_operation_expands_wildcards_sorted_and_reports_no_match_as_an_error()
        {
            using var home = new TempHome();
            File.WriteAllBytes(home.Sub("b.bin"), LiteOn(size: 128 * KiB));
            File.WriteAllBytes(home.Sub("a.bin"), Btc());
            File.WriteAllText(home.Sub("notes.txt"), "hello");
            var host = new RecordingHost();
            var reports = new TestFirmwareImageOperation().Run(host, new[] { home.Sub("*.bin"), home.Sub("*.none") });
            Assert.Equal(new[] { "a.bin", "b.bin" }, reports.Select(r => Path.GetFileName(r.Path)));
            Assert.All(reports, r => Assert.True(r.IsValid));
            Assert.Equal(2, host.ObjectsOf<FirmwareImageReport>().Count());
            Assert.Equal("PathNotFound", Assert.Single(host.Errors).ErrorId);
        }

        [Fact]
        public void Quiet_emits_one_bool_per_file_all_drives_must_fit_and_drives_multiply_reports()
        {
            using var home = new TempHome();
            File.WriteAllBytes(home.Sub("us0n.bin"), LiteOn());
            File.WriteAllBytes(home.Sub("bad.bin"), new byte[MiB]);
            var host = new RecordingHost();
            new TestFirmwareImageOperation().Run(host, new[] { home.Sub("us0n.bin"), home.Sub("bad.bin") }, quiet: true);
            Assert.Equal(new object[] { true, false }, host.Objects);

            var drives = new[] { Drives.Make("LITE-ON", "DVDRW SOHW-812S", "US0J", "/dev/sr0"), Drives.Make("SONY", "DVD RW DW-U18A", "UYS1", "/dev/sr1") };
            var withDrives = new RecordingHost();
            var reports = new TestFirmwareImageOperation().Run(withDrives, new[] { home.Sub("us0n.bin") }, drives);
            Assert.Equal(new[] { CompatibilityVerdict.Fits, CompatibilityVerdict.CrossFlash }, reports.Select(r => r.Compatibility.Verdict));
            Assert.Equal(new[] { "/dev/sr0", "/dev/sr1" }, reports.Select(r => r.Compatibility.Drive));
            var quietDrives = new RecordingHost();
            new TestFirmwareImageOperation().Run(quietDrives, new[] { home.Sub("us0n.bin") }, drives, quiet: true);
            Assert.Equal(new object[] { false }, quietDrives.Objects); // one answer for the file: a cross-flash is not "fits"
            var twins = new[] { drives[0], Drives.Make("LITE-ON", "DVDRW SOHW-812S", "US0K", "/dev/sr2") };
            var quietTwins = new RecordingHost();
            new TestFirmwareImageOperation().Run(quietTwins, new[] { home.Sub("us0n.bin"), home.Sub("bad.bin") }, twins, quiet: true);
            Assert.Equal(new object[] { true, false }, quietTwins.Objects); // both drives fit the good file

            // Drives arriving one per call (a pipeline) still give one answer per file.
            var collected = new QuietAnswers();
            var piped = new RecordingHost();
            foreach (var d in drives) new TestFirmwareImageOperation().Run(piped, new[] { home.Sub("us0n.bin") }, new[] { d }, collect: collected);
            Assert.Empty(piped.Objects);
            collected.Emit(piped);
            Assert.Equal(new object[] { false }, piped.Objects);
        }

        [Fact]
        public void Extract_writes_the_embedded_image_verified_and_never_overwrites()
        {
            using var home = new TempHome();
            var image = LiteOn(size: 256 * KiB);
            File.WriteAllBytes(home.Sub("flash.exe"), XFlash(new[] { image }, new[] { "US0N" }));
            var host = new RecordingHost();
            var written = new ExtractFirmwareOperation().Run(host, home.Sub("flash.exe"), home.Sub("US0N.bin"));
            var r = Assert.Single(written);
            Assert.Empty(host.Errors);
            Assert.Equal(image, File.ReadAllBytes(home.Sub("US0N.bin")));
            Assert.Equal(Sha256(image), r.Sha256);
            Assert.Equal(home.Sub("US0N.bin"), r.Path);
            Assert.Equal(FirmwareFormat.Raw, r.Format);

            var again = new RecordingHost();
            File.WriteAllBytes(home.Sub("keep.bin"), new byte[] { 1, 2, 3 });
            Assert.Empty(new ExtractFirmwareOperation().Run(again, home.Sub("flash.exe"), home.Sub("keep.bin")));
            Assert.Equal("DestinationExists", Assert.Single(again.Errors).ErrorId);
            Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(home.Sub("keep.bin")));

            var whatIf = new RecordingHost(shouldProcess: false);
            Assert.Empty(new ExtractFirmwareOperation().Run(whatIf, home.Sub("flash.exe"), home.Sub("new.bin")));
            Assert.False(File.Exists(home.Sub("new.bin")));
            Assert.Single(whatIf.ShouldProcessCalls);
            Assert.DoesNotContain(Directory.GetFiles(home.Path), f => f.EndsWith(".tmp"));
        }

        [Fact]
        public void Extract_two_images_and_refuse_raw_input()
        {
            using var home = new TempHome();
            var a = LiteOn(size: 128 * KiB, seed: 3);
            var b = LiteOn(size: 128 * KiB, revision: "US0Q", internalRevision: null, seed: 4);
            File.WriteAllBytes(home.Sub("two.exe"), XFlash(new[] { a, b }, new[] { "US0N", "US0Q" }));
            var host = new RecordingHost();
            Assert.Equal(2, new ExtractFirmwareOperation().Run(host, home.Sub("two.exe"), home.Sub("fw.bin")).Count);
            // Several images: one file each, named after the revision the flasher gives it.
            Assert.Equal(a, File.ReadAllBytes(home.Sub("fw-US0N.bin")));
            Assert.Equal(b, File.ReadAllBytes(home.Sub("fw-US0Q.bin")));
            Assert.False(File.Exists(home.Sub("fw.bin")));

            // Into a folder: REV.bin.
            Directory.CreateDirectory(home.Sub("out"));
            Assert.Equal(2, new ExtractFirmwareOperation().Run(new RecordingHost(), home.Sub("two.exe"), home.Sub("out")).Count);
            Assert.Equal(new[] { "US0N.bin", "US0Q.bin" }, Directory.GetFiles(home.Sub("out")).Select(Path.GetFileName).OrderBy(n => n));

            var raw = new RecordingHost();
            Assert.Empty(new ExtractFirmwareOperation().Run(raw, home.Sub("fw-US0N.bin"), home.Sub("x.bin")));
            Assert.Equal("NothingToExtract", Assert.Single(raw.Errors).ErrorId);
        }

        [Fact]
        public void Extract_writes_every_image_of_a_scrambled_flasher_and_reports_entries_it_could_not_take_out()
        {
            using var home = new TempHome();
            var revs = new[] { "US0N", "US0Q", "US0R" };
            var images = revs.Select((r, i) => LiteOn(revision: r, size: 128 * KiB, internalRevision: null, seed: 30 + i)).ToArray();
            var spec = new FlasherSpec { Images = images, Revisions = revs, Version = "2.2.0", Method = 2, CountKey = "PARA_OPT", CountText = "0" };
            var exe = TestFlashers.Build(spec);
            File.WriteAllBytes(home.Sub("m2.exe"), exe);
            var host = new RecordingHost();
            var written = new ExtractFirmwareOperation().Run(host, home.Sub("m2.exe"), home.Sub("fw.bin"));
            Assert.Empty(host.Errors);
            Assert.Equal(revs.Select(r => home.Sub("fw-" + r + ".bin")), written.Select(r => r.Path));
            for (int i = 0; i < 3; i++) Assert.Equal(images[i], File.ReadAllBytes(home.Sub("fw-" + revs[i] + ".bin")));

            // The third image cut short: the first two are written, the third is an error.
            File.WriteAllBytes(home.Sub("cut.exe"), exe.Take(exe.Length - 0x9000).ToArray());
            var cut = new RecordingHost();
            var some = new ExtractFirmwareOperation().Run(cut, home.Sub("cut.exe"), home.Sub("cut.bin"));
            Assert.Equal(new[] { home.Sub("cut-US0N.bin"), home.Sub("cut-US0Q.bin") }, some.Select(r => r.Path));
            var error = Assert.Single(cut.Errors);
            Assert.Equal("ImageNotExtracted", error.ErrorId);
            Assert.Contains("US0R", error.Message);
            Assert.False(File.Exists(home.Sub("cut-US0R.bin")));

            // Same revision twice: the second is told apart by its index.
            File.WriteAllBytes(home.Sub("dup.exe"), XFlash(new[] { images[0], images[1] }, new[] { "US0N", "US0N" }));
            var dup = new ExtractFirmwareOperation().Run(new RecordingHost(), home.Sub("dup.exe"), home.Sub("d.bin"));
            Assert.Equal(new[] { home.Sub("d-US0N.bin"), home.Sub("d-US0N-2.bin") }, dup.Select(r => r.Path));
        }

        [Fact]
        public void Cli_extract_and_test_of_a_method_3_flasher_name_the_method_and_its_parameters()
        {
            using var home = new TempHome();
            var spec = new FlasherSpec { Images = new[] { TestFlashers.CodeLike("US0N", seed: 5), TestFlashers.CodeLike("US0Q", seed: 6) }, Revisions = new[] { "US0N", "US0Q" },
                Version = "2.1.0", Method = 3, ExKey = 0x42 };
            File.WriteAllBytes(home.Sub("m3.exe"), TestFlashers.Build(spec));
            var test = Cli(home, null, "test", home.Sub("m3.exe"), "--json");
            Assert.Equal(0, test.Exit);
            var report = (System.Collections.Generic.Dictionary<string, object>)((System.Collections.Generic.List<object>)Json.Parse(test.Out))[0];
            var embedded = (System.Collections.Generic.List<object>)report.GetObject("details")["embedded"];
            var first = (System.Collections.Generic.Dictionary<string, object>)embedded[0];
            Assert.Equal(3.0, first["method"]);
            Assert.Equal((double)0x42, ((System.Collections.Generic.Dictionary<string, object>)first["methodParameters"])["exKey"]);
            Assert.Contains("method 3", Cli(home, null, "test", home.Sub("m3.exe")).Out);

            var extract = Cli(home, null, "extract", home.Sub("m3.exe"), "--out", home.Sub("fw.bin"));
            Assert.Equal(0, extract.Exit);
            Assert.Equal(spec.Images[0], File.ReadAllBytes(home.Sub("fw-US0N.bin")));
            Assert.Equal(spec.Images[1], File.ReadAllBytes(home.Sub("fw-US0Q.bin")));
        }

        static CliRun Cli(TempHome home, ScriptedPlatform platform, params string[] args) => CliRunner.Run(home.Path, null, CliRunner.On(platform ?? new ScriptedPlatform()), args);

        [Fact]
        public void Cli_test_exit_codes_json_and_drive()
        {
            using var home = new TempHome();
            File.WriteAllBytes(home.Sub("bh16.bin"), Mt1959());
            File.WriteAllBytes(home.Sub("asus.bin"), Mt1959(vendor: "ASUS", product: "BW-16D1HT", revision: "3.02"));
            File.WriteAllBytes(home.Sub("zero.bin"), new byte[MiB]);

            var ok = Cli(home, null, "test", home.Sub("bh16.bin"), "--json");
            Assert.Equal(0, ok.Exit);
            var report = (System.Collections.Generic.Dictionary<string, object>)((System.Collections.Generic.List<object>)Json.Parse(ok.Out))[0];
            Assert.Equal(true, report["isValid"]);
            Assert.Equal("mt1959", report["family"]);
            Assert.Null(report["compatibility"]);

            Assert.Equal(1, Cli(home, null, "test", home.Sub("bh16.bin"), home.Sub("zero.bin")).Exit);
            var text = Cli(home, null, "test", home.Sub("zero.bin"));
            Assert.Contains("BlankImage", text.Out);
            Assert.Equal(2, Cli(home, null, "test").Exit);

            var platform = new ScriptedPlatform().Add("fake:lg", "HL-DT-ST", "BD-RE BH16NS40", "1.02");
            var fits = Cli(home, platform, "test", home.Sub("bh16.bin"), "--drive", "fake:lg", "--json");
            Assert.Equal(0, fits.Exit);
            var c = ((System.Collections.Generic.Dictionary<string, object>)((System.Collections.Generic.List<object>)Json.Parse(fits.Out))[0]).GetObject("compatibility");
            Assert.Equal("fits", c["verdict"]);
            Assert.Equal("newer", c["newer"]);
            var cross = Cli(home, platform, "test", home.Sub("asus.bin"), "--drive", "fake:lg");
            Assert.Equal(1, cross.Exit);
            Assert.Contains("crossFlash", cross.Out);
            Assert.Equal(1, Cli(home, platform, "test", home.Sub("bh16.bin"), "--drive", "fake:none").Exit);
        }

        [Fact]
        public void Cli_extract_writes_once()
        {
            using var home = new TempHome();
            File.WriteAllBytes(home.Sub("f.exe"), XFlash(new[] { LiteOn(size: 128 * KiB) }, new[] { "US0N" }));
            var first = Cli(home, null, "extract", home.Sub("f.exe"), "--out", home.Sub("f.bin"));
            Assert.Equal(0, first.Exit);
            Assert.Contains("wrote", first.Out);
            Assert.Equal(1, Cli(home, null, "extract", home.Sub("f.exe"), "--out", home.Sub("f.bin")).Exit);
            Assert.Equal(2, Cli(home, null, "extract", home.Sub("f.exe")).Exit);
        }

        [Fact]
        public void Test_FirmwareImage_binds_paths_files_and_drives_from_the_pipeline()
        {
            var t = typeof(TestFirmwareImageCommand);
            var cmdlet = CmdletDeclarationTests.Attr(t, typeof(CmdletAttribute));
            Assert.Equal(("Test", "FirmwareImage"), ((string)cmdlet.ConstructorArguments[0].Value, (string)cmdlet.ConstructorArguments[1].Value));
            Assert.Equal("Path", CmdletDeclarationTests.Named(cmdlet, "DefaultParameterSetName"));
            Assert.NotEqual(true, CmdletDeclarationTests.Named(cmdlet, "SupportsShouldProcess"));
            var outputs = t.GetCustomAttributesData().Where(a => a.AttributeType == typeof(OutputTypeAttribute))
                .SelectMany(a => (System.Collections.ObjectModel.ReadOnlyCollection<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value).Select(v => (Type)v.Value).ToList();
            Assert.Contains(typeof(MtkFlash.PowerShell.FirmwareImageInfo), outputs);
            Assert.Contains(typeof(bool), outputs);

            var path = CmdletDeclarationTests.ParameterAttr(t, "Path");
            Assert.Equal((0, true, "Path"), ((int)CmdletDeclarationTests.Named(path, "Position"), (bool)CmdletDeclarationTests.Named(path, "Mandatory"), (string)CmdletDeclarationTests.Named(path, "ParameterSetName")));
            Assert.NotEqual(true, CmdletDeclarationTests.Named(path, "ValueFromPipelineByPropertyName")); // a piped drive's Path must not bind here
            Assert.Contains(t.GetProperty("Path").GetCustomAttributesData(), a => a.AttributeType == typeof(SupportsWildcardsAttribute));

            var literal = CmdletDeclarationTests.ParameterAttr(t, "LiteralPath");
            Assert.Equal("LiteralPath", CmdletDeclarationTests.Named(literal, "ParameterSetName"));
            Assert.Equal(true, CmdletDeclarationTests.Named(literal, "ValueFromPipelineByPropertyName"));
            var aliases = (System.Collections.ObjectModel.ReadOnlyCollection<CustomAttributeTypedArgument>)t.GetProperty("LiteralPath").GetCustomAttributesData().Single(a => a.AttributeType == typeof(AliasAttribute)).ConstructorArguments[0].Value;
            Assert.Contains("PSPath", aliases.Select(a => (string)a.Value));
            Assert.Contains("FullName", aliases.Select(a => (string)a.Value));

            var drive = CmdletDeclarationTests.ParameterAttr(t, "Drive");
            Assert.Equal(true, CmdletDeclarationTests.Named(drive, "ValueFromPipeline"));
            Assert.Null(CmdletDeclarationTests.Named(drive, "ParameterSetName"));
            Assert.Equal(typeof(object[]), t.GetProperty("Drive").PropertyType);   // drive objects, paths, objects with Drive/Path
            Assert.Equal(typeof(SwitchParameter), t.GetProperty("Quiet").PropertyType);
        }

        [Fact]
        public void Expand_FirmwareImage_is_Expand_with_ShouldProcess_and_a_destination()
        {
            var t = typeof(ExpandFirmwareImageCommand);
            var cmdlet = CmdletDeclarationTests.Attr(t, typeof(CmdletAttribute));
            Assert.Equal(VerbsData.Expand, cmdlet.ConstructorArguments[0].Value);
            Assert.Equal("FirmwareImage", cmdlet.ConstructorArguments[1].Value);
            Assert.Equal(true, CmdletDeclarationTests.Named(cmdlet, "SupportsShouldProcess"));
            var dest = CmdletDeclarationTests.ParameterAttr(t, "DestinationPath");
            Assert.Equal((1, true), ((int)CmdletDeclarationTests.Named(dest, "Position"), (bool)CmdletDeclarationTests.Named(dest, "Mandatory")));
            Assert.Equal(true, CmdletDeclarationTests.Named(CmdletDeclarationTests.ParameterAttr(t, "LiteralPath"), "ValueFromPipelineByPropertyName"));
        }

        [Fact]
        public void Format_file_has_a_view_for_the_report()
        {
            var xml = System.Xml.Linq.XDocument.Load(Path.Combine(RepoRoot.Path, "src", "MtkFlash.PowerShell", "MtkFlash.format.ps1xml"));
            Assert.Contains(xml.Descendants("TypeName"), e => e.Value == typeof(MtkFlash.PowerShell.FirmwareImageInfo).FullName);
        }
    }
}
