using System;
using System.IO;
using System.Linq;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Firmware.Formats;
using MtkFlash.Tests.Support;
using Xunit;
using static MtkFlash.Tests.Firmware.TestFlashers;
using static MtkFlash.Tests.Firmware.TestImages;

namespace MtkFlash.Tests.Firmware
{
    /// <summary>
    /// UPX-compressed flashers, with real upx-packed files: unpacked with the upx on PATH, or reported as XFlashCompressed
    /// when the tool lookup finds nothing.
    /// </summary>
    public class UpxFlasherTests
    {
        static string[] Codes(FirmwareImageReport r) => r.Problems.Select(p => p.Code).ToArray();

        static FlasherSpec PlainSpec() => new FlasherSpec { Images = new[] { Sparse("US0N", seed: 1), Sparse("US0Q", seed: 2) }, Revisions = new[] { "US0N", "US0Q" } };

        static FlasherSpec AndKeySpec() => new FlasherSpec
        {
            Images = new[] { Sparse("US0N", 256 * KiB, seed: 3) }, Revisions = new[] { "US0N" }, Version = "2.1.0", Method = 3, AndKey = 0x7F, ExKey = 0x3C,
        };

        [Fact]
        public void A_packed_flasher_really_hides_its_table_and_upx_alone_refuses_it()
        {
            var packed = TestPe.PackedFlasher(PlainSpec());
            Assert.Null(XFlashTable.Find(packed, packed.Length));
            Assert.True(UpxUnpacker.LooksPacked(packed, packed.Length));
            // Without the patches upx gives up on it; the patched copy unpacks.
            Assert.NotEqual(0, TestPe.RunUpx("-d", packed).ExitCode);
            var r = UpxUnpacker.Unpack(TestPe.Upx, packed, packed.Length, TimeSpan.FromMinutes(1), FirmwareAnalyzer.MaxExecutableSize);
            Assert.NotNull(r.Data);
            Assert.True(IndexOf(r.Data, "HOW_MANY_BIN=") > 0);
        }

        [Fact]
        public void With_upx_a_plain_packed_flasher_gives_back_both_images()
        {
            var spec = PlainSpec();
            var loaded = FirmwareAnalyzer.Load(TestPe.PackedFlasher(spec), "packed.exe");
            var r = loaded.Report;
            Assert.True(r.IsValid, string.Join("; ", r.Problems));
            Assert.Equal(FirmwareFormat.XFlashExe, r.Format);
            Assert.Equal("upx", r.Details.FlasherCompression);
            Assert.Equal(new[] { 0, 0 }, r.Details.Embedded.Select(e => e.Method.Value));
            Assert.Equal(spec.Images.Select(Sha256), loaded.Embedded.Select(Sha256));
        }

        [Fact]
        public void With_upx_a_packed_method_3_flasher_is_unpacked_then_unscrambled()
        {
            var spec = AndKeySpec();
            var loaded = FirmwareAnalyzer.Load(TestPe.PackedFlasher(spec), "packed3.exe");
            Assert.True(loaded.Report.IsValid, string.Join("; ", loaded.Report.Problems));
            var e = Assert.Single(loaded.Report.Details.Embedded);
            Assert.Equal(3, e.Method);
            Assert.Equal(0x3C, (int)e.MethodParameters["exKey"]);
            Assert.Equal(Sha256(spec.Images[0]), Sha256(Assert.Single(loaded.Embedded)));
        }

        [Fact]
        public void Without_upx_a_packed_flasher_is_XFlashCompressed_and_says_which_tool_unpacks_it()
        {
            var packed = TestPe.PackedFlasher(PlainSpec());
            bool asked = false;
            var options = new FirmwareAnalysisOptions { LocateUnpacker = () => { asked = true; return null; } };
            var loaded = FirmwareAnalyzer.Load(packed, "packed.exe", options);
            Assert.True(asked);
            var p = Assert.Single(loaded.Report.Problems, x => x.Code == FirmwareProblemCodes.XFlashCompressed);
            Assert.Equal(ProblemSeverity.Error, p.Severity);
            Assert.Contains("upx", p.Message);
            Assert.Empty(loaded.Embedded);
            Assert.False(loaded.Report.IsValid);
            Assert.Null(loaded.Report.Details.FlasherCompression);
        }

        [Fact]
        public void The_tool_lookup_reads_PATH_and_finds_nothing_where_there_is_no_upx()
        {
            using var home = new TempHome();
            Directory.CreateDirectory(home.Sub("bin"));
            Directory.CreateDirectory(home.Sub("empty"));
            File.WriteAllText(home.Sub("bin", "upx"), "#!/bin/sh\n");
            File.WriteAllText(home.Sub("bin", "upx.exe"), "MZ");
            Assert.Equal(home.Sub("bin", "upx"), UpxUnpacker.Find(home.Sub("empty") + ":" + home.Sub("bin"), windows: false));
            Assert.Equal(home.Sub("bin", "upx.exe"), UpxUnpacker.Find("\"" + home.Sub("empty") + "\";;" + home.Sub("bin"), windows: true));
            Assert.Null(UpxUnpacker.Find(home.Sub("empty"), windows: false));
            Assert.Null(UpxUnpacker.Find("", windows: false));
            Assert.Null(UpxUnpacker.Find(null, windows: false));
        }

        [Fact]
        public void With_upx_a_file_that_only_looks_packed_is_XFlashUnpackFailed_and_a_plain_exe_is_a_windows_executable()
        {
            var fake = new byte[0x800];
            fake[0] = (byte)'M'; fake[1] = (byte)'Z';
            System.Text.Encoding.ASCII.GetBytes("UPX!").CopyTo(fake, 0x3E0);
            var r = FirmwareAnalyzer.Analyze(fake, "fake.exe");
            Assert.Contains(FirmwareProblemCodes.XFlashUnpackFailed, Codes(r));
            Assert.Contains("upx", r.Problems.Single(p => p.Code == FirmwareProblemCodes.XFlashUnpackFailed).Message);

            var plainExe = TestPe.Build(new byte[0x400]);
            var w = FirmwareAnalyzer.Analyze(plainExe, "tool.exe");
            Assert.Equal(FirmwareFormat.WindowsExecutable, w.Format);
            Assert.Equal(new[] { FirmwareProblemCodes.WindowsExecutable }, Codes(w));
        }

        [Fact]
        public void An_unpacked_flasher_without_a_version_cannot_be_decoded()
        {
            var spec = PlainSpec();
            spec.Version = null;
            var r = FirmwareAnalyzer.Load(TestPe.PackedFlasher(spec), "nover.exe");
            Assert.Contains(FirmwareProblemCodes.XFlashVersionUnknown, Codes(r.Report));
            Assert.Equal(ProblemSeverity.Error, r.Report.Problems.First(p => p.Code == FirmwareProblemCodes.XFlashVersionUnknown).Severity);
            Assert.Empty(r.Embedded);
            Assert.Equal("upx", r.Report.Details.FlasherCompression);
        }
    }
}
