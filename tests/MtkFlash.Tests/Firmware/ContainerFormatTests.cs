using System.Collections.Generic;
using System.Linq;
using System.Text;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;
using Xunit;
using static MtkFlash.Tests.Firmware.TestImages;

namespace MtkFlash.Tests.Firmware
{
    /// <summary>Intel HEX (BTC bank switch) and XFlash EXE containers: the report describes the binary they carry.</summary>
    public class ContainerFormatTests
    {
        static string[] Codes(FirmwareImageReport r) => r.Problems.Select(p => p.Code).ToArray();
        static FirmwareImageReport Hex(string text) => FirmwareAnalyzer.Analyze(Encoding.ASCII.GetBytes(text), "x.hex");

        [Fact]
        public void Btc_hex_with_bank_switches_decodes_to_the_same_image_as_the_binary()
        {
            var image = Btc();
            var r = Hex(TestImages.Hex(image));
            Assert.Equal(FirmwareFormat.IntelHex, r.Format);
            Assert.True(r.IsValid, string.Join("; ", r.Problems));
            Assert.Equal(DriveFamily.Btc, r.Family);
            Assert.Equal(Sha256(image), r.Sha256);
            Assert.Equal(MiB, r.Size);
            Assert.Equal(16, r.Details.HexBanks);
            Assert.Equal(FirmwareAnalyzer.Analyze(image).Checksum.Actual, r.Checksum.Actual);
        }

        [Fact]
        public void Hex_gaps_are_prefilled_with_FF_and_extended_linear_records_work()
        {
            var image = LiteOn(size: 128 * KiB);
            for (int i = 0x12000; i < 0x13000; i++) image[i] = 0xFF; // skipped records
            var r = Hex(TestImages.Hex(image, bankSwitch: false));
            Assert.True(r.IsValid, string.Join("; ", r.Problems));
            Assert.Equal(Sha256(image), r.Sha256);
        }

        [Fact]
        public void Btc_hex_with_too_few_banks_is_too_small()
        {
            var half = Btc().Take(8 * 0x10000).ToArray();
            var r = Hex(TestImages.Hex(half));
            Assert.Equal(DriveFamily.Btc, r.Family);
            Assert.Contains(FirmwareProblemCodes.UnexpectedSize, Codes(r));
        }

        [Fact]
        public void Damaged_hex_lines_are_reported_by_kind()
        {
            var good = TestImages.Hex(LiteOn(size: 128 * KiB)).Split('\n').Where(l => l.Length > 0).ToList();

            var badSum = new List<string>(good);
            badSum[5] = badSum[5].Substring(0, badSum[5].Length - 2) + (badSum[5].EndsWith("00") ? "01" : "00");
            Assert.Contains(FirmwareProblemCodes.HexBadChecksum, Codes(Hex(string.Join("\n", badSum))));

            var overlap = new List<string>(good);
            overlap.Insert(7, good[3]);
            var o = Hex(string.Join("\n", overlap));
            Assert.Contains(FirmwareProblemCodes.HexOverlap, Codes(o));
            Assert.False(o.IsValid);

            var badSwitch = new List<string>(good);
            badSwitch.Insert(4, Record(0x0002, 0x55, new byte[0]));
            Assert.Contains(FirmwareProblemCodes.HexBadBankSwitch, Codes(Hex(string.Join("\n", badSwitch))));

            var noEof = good.Take(good.Count - 1);
            Assert.Contains(FirmwareProblemCodes.HexNoEndOfFile, Codes(Hex(string.Join("\n", noEof))));

            var weird = new List<string>(good);
            weird.Insert(2, Record(0x0000, 0x07, new byte[] { 1 }));
            Assert.Contains(FirmwareProblemCodes.HexUnsupportedRecord, Codes(Hex(string.Join("\n", weird))));

            var syntax = new List<string>(good);
            syntax[3] = syntax[3].Replace('A', 'G');
            syntax[4] = syntax[4].Substring(0, 20);
            Assert.Contains(FirmwareProblemCodes.HexSyntax, Codes(Hex(string.Join("\n", syntax))));

            var after = new List<string>(good) { good[2] };
            Assert.Contains(FirmwareProblemCodes.HexDataAfterEndOfFile, Codes(Hex(string.Join("\n", after))));
        }

        [Fact]
        public void Too_many_bank_switches_are_a_bad_bank_switch()
        {
            var text = ":020000000280" + "7C\n" + string.Concat(Enumerable.Repeat(":00000155AA\n", 70)) + ":00000001FF\n";
            Assert.Contains(FirmwareProblemCodes.HexBadBankSwitch, Codes(Hex(text)));
        }

        [Fact]
        public void XFlash_exe_method_0_yields_the_embedded_image()
        {
            var image = LiteOn(size: 256 * KiB);
            var r = FirmwareAnalyzer.Analyze(XFlash(new[] { image }, new[] { "US0N" }), "flash.exe");
            Assert.Equal(FirmwareFormat.XFlashExe, r.Format);
            Assert.True(r.IsValid, string.Join("; ", r.Problems));
            Assert.Equal(DriveFamily.LiteOn8051, r.Family);
            Assert.Equal("US0N", r.Revision);
            Assert.Equal(Sha256(image), r.Sha256);
            Assert.Equal(256 * KiB, r.Size);
            var e = Assert.Single(r.Details.Embedded);
            Assert.Equal(0, e.Method);
            Assert.True(e.Extracted);
            Assert.Equal("US0N", e.Revision);
            Assert.Contains("1.02.03", r.Details.FlasherVersion);
        }
    }
}
