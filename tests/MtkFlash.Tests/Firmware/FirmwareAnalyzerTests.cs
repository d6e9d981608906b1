using System;
using System.IO;
using System.Linq;
using System.Text;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Serialization;
using MtkFlash.Tests.Support;
using Xunit;
using static MtkFlash.Tests.Firmware.TestImages;

namespace MtkFlash.Tests.Firmware
{
    public class FirmwareAnalyzerTests
    {
        static string[] Codes(FirmwareImageReport r) => r.Problems.Select(p => p.Code).ToArray();

        [Fact]
        public void Mt1959_desktop_image_is_read_from_its_identity_block_and_boot_id()
        {
            var image = Mt1959();
            var r = FirmwareAnalyzer.Analyze(image, "BH16NS40-1.05.bin");
            Assert.True(r.IsValid, string.Join("; ", r.Problems));
            Assert.Equal(FirmwareFormat.Raw, r.Format);
            Assert.Equal(DriveFamily.Mt1959, r.Family);
            Assert.Equal(("HL-DT-ST", "BD-RE BH16NS40", "1.05"), (r.Vendor, r.Product, r.Revision));
            Assert.Equal("MT1959 Boot JB8 ", r.Details.BootId);
            Assert.Equal("MT1959", r.Details.Chip);
            Assert.Equal("mt1959", r.Model);
            Assert.True(r.Details.DowngradeEnabled);
            Assert.Equal(2, r.Details.IntegrityEntries);
            Assert.False(r.Details.RawDump);
            Assert.Null(r.Checksum); // no host-visible sum for MT1959 (docs/reference/mt1959-notes.md §1.2)
            Assert.Equal(Sha256(image), r.Sha256);
            Assert.Equal(2 * MiB, r.Size);
            Assert.Contains(r.Details.Regions, x => x.Name == "calibration" && !x.HasData);
            Assert.Contains(r.Details.Regions, x => x.Name == "identity" && x.HasData);
        }

        [Fact]
        public void Mt1959_image_on_MT1939_silicon_reports_the_chip_from_MTEK_not_the_banner()
        {
            var r = FirmwareAnalyzer.Analyze(Mt1959(vendor: "ASUS", product: "BW-16D1HT", revision: "3.02", chip: "MT1939"));
            Assert.Equal("MT1939", r.Details.Chip);
            Assert.Equal("mt1939", r.Model);
            Assert.StartsWith("MT1959 Boot JB8", r.Details.BootId);
        }

        [Fact]
        public void Mt1959_dump_with_calibration_is_flagged_as_carrying_drive_data()
        {
            var r = FirmwareAnalyzer.Analyze(Mt1959(withCalibration: true));
            Assert.Contains(FirmwareProblemCodes.CarriesDriveData, Codes(r));
            Assert.True(r.Details.Regions.Single(x => x.Name == "calibration").HasData);
            Assert.True(r.IsValid); // a warning: still an image, but not one to give to another drive
        }

        [Fact]
        public void Mt1959_raw_read_back_dump_is_not_flashable()
        {
            var d = Mt1959();
            Array.Copy(d, 0x10000, d, 0, 0x400); // decrypted boot page mirrors 0x10000 (FM CHANGELOG)
            var r = FirmwareAnalyzer.Analyze(d);
            Assert.Contains(FirmwareProblemCodes.RawDump, Codes(r));
            Assert.False(r.IsValid);
        }

        [Fact]
        public void Mt1959_problems_non_DE_truncated_damaged_table_missing_boot_id()
        {
            Assert.Contains(FirmwareProblemCodes.NotDowngradeEnabled, Codes(FirmwareAnalyzer.Analyze(Mt1959(downgradeEnabled: false))));

            var truncated = Mt1959().Take(0x1F0000).ToArray();
            var t = FirmwareAnalyzer.Analyze(truncated);
            Assert.Equal(DriveFamily.Mt1959, t.Family);
            Assert.Contains(FirmwareProblemCodes.UnexpectedSize, Codes(t));
            Assert.False(t.IsValid);

            var damaged = Mt1959();
            BitConverter.GetBytes(7u).CopyTo(damaged, 0x10400 + 28 * 3);
            Assert.Contains(FirmwareProblemCodes.IntegrityTableDamaged, Codes(FirmwareAnalyzer.Analyze(damaged)));

            var noBoot = Mt1959(bootId: "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff");
            for (int i = 0; i < 16; i++) noBoot[0x3000 + i] = 0xFF;
            Assert.Contains(FirmwareProblemCodes.BootIdMissing, Codes(FirmwareAnalyzer.Analyze(noBoot)));
        }

        [Fact]
        public void Tsst_checksum_covers_the_loadable_firmware_only()
        {
            var d = Tsst();
            var ok = FirmwareAnalyzer.Analyze(d);
            Assert.True(ok.IsValid, string.Join("; ", ok.Problems));
            Assert.Equal(DriveFamily.Tsst, ok.Family);
            Assert.Equal(("TSSTcorp", "BDDVDW SE-506CB", "TS01"), (ok.Vendor, ok.Product, ok.Revision));
            Assert.True(ok.Checksum.Ok);
            Assert.Equal(ok.Checksum.Expected, ok.Checksum.Actual);
            Assert.Equal(Sum16(d, 0x10000, 0x1D2000).ToString("X4"), ok.Checksum.Actual);

            d[0x1E2100] ^= 0x55; // info region: not checksummed
            Assert.True(FirmwareAnalyzer.Analyze(d).Checksum.Ok);
            d[0x123456] ^= 0x01;
            var bad = FirmwareAnalyzer.Analyze(d);
            Assert.False(bad.Checksum.Ok);
            Assert.Contains(FirmwareProblemCodes.ChecksumMismatch, Codes(bad));
            Assert.False(bad.IsValid);
        }

        [Fact]
        public void Btc_image_has_its_identity_at_0x40BC_and_a_whole_image_sum_that_is_not_stored()
        {
            var d = Btc();
            var r = FirmwareAnalyzer.Analyze(d);
            Assert.True(r.IsValid, string.Join("; ", r.Problems));
            Assert.Equal(DriveFamily.Btc, r.Family);
            Assert.Equal(("BTC", "DVDRW DRW1008", "0059"), (r.Vendor, r.Product, r.Revision));
            Assert.Equal("drw1008", r.Model);
            Assert.Null(r.Checksum.Expected);
            Assert.Null(r.Checksum.Ok);
            Assert.Equal(Sum16(d, 0, d.Length).ToString("X4"), r.Checksum.Actual);
            Assert.Equal(16, r.Details.BankCount);
            Assert.True(r.Details.BankSanityOk);
        }

        [Fact]
        public void LiteOn_image_identity_copies_internal_revision_and_no_checksum()
        {
            var r = FirmwareAnalyzer.Analyze(LiteOn());
            Assert.True(r.IsValid, string.Join("; ", r.Problems));
            Assert.Equal(DriveFamily.LiteOn8051, r.Family);
            Assert.Equal(("LITE-ON", "DVDRW SOHW-812S", "US0N"), (r.Vendor, r.Product, r.Revision));
            Assert.Equal("sohw-812s", r.Model);
            Assert.Null(r.Checksum);
            Assert.Equal("U", r.Details.FamilyLetter);
            Assert.Equal("dvdWriter", r.Details.DriveKind);
            Assert.Equal(new[] { "inquiryTemplate", "ataIdentify" }, r.Details.IdentityCopies.Select(c => c.Source));
            Assert.Equal(0x8000, r.Details.IdentityCopies[1].Offset);
            Assert.True(r.Details.IdentityCopiesAgree);
            Assert.Equal("US0N-1234", r.Details.InternalRevision);
            Assert.StartsWith("2004/06/15", r.Details.Timestamp);
        }

        [Fact]
        public void LiteOn_renamed_in_one_copy_only_is_an_identity_mismatch()
        {
            var r = FirmwareAnalyzer.Analyze(LiteOn(vendor: "SONY", product: "DVD RW DW-U18A", ataVendor: "LITE-ON", ataProduct: "DVDRW SOHW-812S"));
            Assert.False(r.Details.IdentityCopiesAgree);
            Assert.Contains(FirmwareProblemCodes.IdentityMismatch, Codes(r));
            Assert.Equal("LITE-ON", r.Details.IdentityCopies.Single(c => c.Source == "ataIdentify").Vendor);
            Assert.False(r.IsValid);
        }

        [Fact]
        public void LiteOn_bank_sanity_and_rebanked_sanity()
        {
            var bad = LiteOn();
            bad[3 * 0x10000] = 0x41;
            var r = FirmwareAnalyzer.Analyze(bad);
            Assert.Contains(FirmwareProblemCodes.BankSanity, Codes(r));
            Assert.Equal(new[] { 3 }, r.Details.BadBanks);

            // Rebanked: byte 0 and 0x4000 are 0x02 and 0xFFF8–0xFFFF spell LITEONIT: passes even with odd bank starts.
            bad[0x4000] = 0x02;
            Encoding.ASCII.GetBytes("LITEONIT").CopyTo(bad, 0xFFF8);
            var rebanked = FirmwareAnalyzer.Analyze(bad);
            Assert.True(rebanked.Details.BankSanityOk);
            Assert.True(rebanked.Details.Rebanked);
            Assert.DoesNotContain(FirmwareProblemCodes.BankSanity, Codes(rebanked));
        }

        [Fact]
        public void Letter_O_where_zero_belongs_is_reported()
        {
            Assert.Contains(FirmwareProblemCodes.RevisionLetterO, Codes(FirmwareAnalyzer.Analyze(LiteOn(revision: "USON", internalRevision: null))));
            Assert.Contains(FirmwareProblemCodes.RevisionLetterO, Codes(FirmwareAnalyzer.Analyze(Mt1959(revision: "1.O5"))));
            Assert.DoesNotContain(FirmwareProblemCodes.RevisionLetterO, Codes(FirmwareAnalyzer.Analyze(LiteOn())));
        }

        [Theory]
        [InlineData(MiB - 4096)]
        [InlineData(0x30000)]
        public void Truncated_LiteOn_image_has_an_unexpected_size(int size)
        {
            var r = FirmwareAnalyzer.Analyze(LiteOn().Take(size).ToArray());
            Assert.Equal(DriveFamily.LiteOn8051, r.Family);
            Assert.Contains(FirmwareProblemCodes.UnexpectedSize, Codes(r));
            Assert.False(r.IsValid);
        }

        [Fact]
        public void Small_LiteOn_sizes_are_accepted()
        {
            Assert.True(FirmwareAnalyzer.Analyze(LiteOn(size: 128 * KiB)).IsValid);
            Assert.True(FirmwareAnalyzer.Analyze(LiteOn(size: 256 * KiB)).IsValid);
        }

        [Fact]
        public void Plextor_sum_at_the_model_offset()
        {
            var d = Plextor();
            var r = FirmwareAnalyzer.Analyze(d);
            Assert.True(r.IsValid, string.Join("; ", r.Problems));
            Assert.Equal(DriveFamily.Plextor, r.Family);
            Assert.Equal(0xEFFFE, r.Details.ChecksumOffset);
            Assert.True(r.Checksum.Ok);
            Assert.True(FirmwareAnalyzer.Analyze(Plextor(premiumSum: true)).Checksum.Ok);
            d[0x5000] ^= 0x80;
            Assert.Contains(FirmwareProblemCodes.ChecksumMismatch, Codes(FirmwareAnalyzer.Analyze(d)));
            var small = Plextor(product: "DVDR   PX-760A", size: MiB, crcOffset: 0x79FFE);
            Assert.Contains(FirmwareProblemCodes.UnexpectedSize, Codes(FirmwareAnalyzer.Analyze(small))); // 760 keeps its sum at 0x1EFFFE
        }

        [Theory]
        [InlineData(0xFF, MiB)]
        [InlineData(0x00, MiB)]
        [InlineData(0xFF, 2 * MiB)]
        [InlineData(0x00, 128 * KiB)]
        public void Blank_images_of_the_right_size_are_reported(byte value, int size)
        {
            var d = new byte[size];
            Array.Fill(d, value);
            var r = FirmwareAnalyzer.Analyze(d);
            Assert.Equal(new[] { FirmwareProblemCodes.BlankImage }, Codes(r));
            Assert.False(r.IsValid);
            Assert.Equal(DriveFamily.Unknown, r.Family);
        }

        [Fact]
        public void Random_bytes_are_an_unknown_family()
        {
            var d = new byte[MiB];
            new Random(5).NextBytes(d);
            d[0] = 0x41;
            var r = FirmwareAnalyzer.Analyze(d);
            Assert.Contains(FirmwareProblemCodes.UnknownFamily, Codes(r));
            Assert.False(r.IsValid);
        }

        [Theory]
        [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 1, 2, 3 }, FirmwareFormat.Archive, "Archive")]
        [InlineData(new byte[] { 0x1F, 0x8B, 8, 0, 0 }, FirmwareFormat.Archive, "Archive")]
        [InlineData(new byte[] { 0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0 }, FirmwareFormat.Archive, "Archive")]
        [InlineData(new byte[] { 0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C, 0 }, FirmwareFormat.Archive, "Archive")]
        [InlineData(new byte[] { (byte)'M', (byte)'Z', 0x90, 0 }, FirmwareFormat.WindowsExecutable, "WindowsExecutable")]
        [InlineData(new byte[0], FirmwareFormat.Empty, "Empty")]
        public void Other_files_are_named_as_what_they_are(byte[] data, FirmwareFormat format, string code)
        {
            var r = FirmwareAnalyzer.Analyze(data, "x");
            Assert.Equal(format, r.Format);
            Assert.Contains(code, Codes(r));
            Assert.False(r.IsValid);
            Assert.Null(r.Sha256);
        }

        [Fact]
        public void A_saved_web_page_is_text_and_an_exe_message_says_so()
        {
            var html = FirmwareAnalyzer.Analyze(Encoding.UTF8.GetBytes("<html><body>Download US0N.bin – Übersicht</body></html>\n"));
            Assert.Equal(FirmwareFormat.Text, html.Format);
            Assert.Contains(FirmwareProblemCodes.TextFile, Codes(html));

            var exe = FirmwareAnalyzer.Analyze(new byte[] { (byte)'M', (byte)'Z', 0, 0 });
            Assert.Contains("a Windows executable, not a firmware image", exe.Problems[0].Message, StringComparison.OrdinalIgnoreCase);
            var upx = new byte[0x400];
            upx[0] = (byte)'M'; upx[1] = (byte)'Z';
            Encoding.ASCII.GetBytes("UPX!").CopyTo(upx, 0x200);
            var packed = FirmwareAnalyzer.Analyze(upx, null, FirmwareAnalysisOptions.WithoutUnpacker());
            Assert.Contains(FirmwareProblemCodes.XFlashCompressed, Codes(packed));
            Assert.Contains("upx", packed.Problems.Single(p => p.Code == FirmwareProblemCodes.XFlashCompressed).Message);
        }

        [Fact]
        public void Files_empty_missing_directories_and_huge_files_are_reports_not_exceptions()
        {
            using var home = new TempHome();
            var empty = home.Sub("empty.bin");
            File.WriteAllBytes(empty, new byte[0]);
            Assert.Equal(FirmwareFormat.Empty, FirmwareAnalyzer.AnalyzeFile(empty).Format);

            var missing = FirmwareAnalyzer.AnalyzeFile(home.Sub("nope.bin"));
            Assert.Equal(FirmwareFormat.NotFound, missing.Format);
            Assert.Contains(FirmwareProblemCodes.NotFound, Codes(missing));

            var dir = FirmwareAnalyzer.AnalyzeFile(home.Path);
            Assert.Equal(FirmwareFormat.Directory, dir.Format);
            Assert.Contains(FirmwareProblemCodes.IsDirectory, Codes(dir));

            // 3 GiB sparse file: must be named from its header and never read whole.
            var huge = home.Sub("disk.img");
            using (var fs = new FileStream(huge, FileMode.CreateNew)) { fs.WriteByte(0x02); fs.SetLength(3L * 1024 * MiB); }
            var before = GC.GetAllocatedBytesForCurrentThread();
            var r = FirmwareAnalyzer.AnalyzeFile(huge);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 8 * MiB); // read only the header, never the 3 GiB
            Assert.Equal(FirmwareFormat.Raw, r.Format);
            Assert.Equal(new[] { FirmwareProblemCodes.TooLarge }, Codes(r));
            Assert.Equal(3L * 1024 * MiB, r.FileSize);
            Assert.Null(r.Sha256);

            Assert.Contains(FirmwareProblemCodes.NotFound, Codes(FirmwareAnalyzer.AnalyzeFile("")));
            Assert.Contains(FirmwareProblemCodes.NotFound, Codes(FirmwareAnalyzer.AnalyzeFile(null)));
        }

        [Fact]
        public void Endless_and_failing_streams_stay_bounded_and_report()
        {
            var endless = FirmwareAnalyzer.Analyze(new EndlessStream(0x02), "pipe");
            Assert.Contains(FirmwareProblemCodes.TooLarge, Codes(endless));
            var failing = FirmwareAnalyzer.Analyze(new FailingStream(), "locked.bin");
            Assert.Equal(FirmwareFormat.Unreadable, failing.Format);
            Assert.Contains(FirmwareProblemCodes.Unreadable, Codes(failing));
            var viaStream = FirmwareAnalyzer.Analyze(new MemoryStream(LiteOn()), "s.bin");
            Assert.True(viaStream.IsValid);
            Assert.Equal(Sha256(LiteOn()), viaStream.Sha256);
        }

        [Fact]
        public void Unreadable_file_is_a_report()
        {
            if (OperatingSystem.IsWindows() || Environment.UserName == "root") return; // root reads anything; the stream test covers it
            using var home = new TempHome();
            var f = home.Sub("locked.bin");
            File.WriteAllBytes(f, LiteOn());
            File.SetUnixFileMode(f, UnixFileMode.None);
            var r = FirmwareAnalyzer.AnalyzeFile(f);
            Assert.Equal(FirmwareFormat.Unreadable, r.Format);
        }

        [Fact]
        public void Json_uses_the_documented_field_names()
        {
            var json = Json.Serialize(FirmwareAnalyzer.Analyze(Btc(), "btc.bin"));
            var o = Json.ParseObject(json);
            foreach (var key in new[] { "path", "isValid", "format", "family", "model", "vendor", "product", "revision", "size", "sha256", "checksum", "problems", "details", "compatibility" })
                Assert.True(o.ContainsKey(key), key);
            Assert.Equal("raw", o["format"]);
            Assert.Equal("btc", o["family"]);
            var checksum = o.GetObject("checksum");
            Assert.Null(checksum["expected"]);
            Assert.Null(checksum["ok"]);
            Assert.Equal("liteon-8051", Json.ParseObject(Json.Serialize(FirmwareAnalyzer.Analyze(LiteOn())))["family"]);
            var bad = Json.ParseObject(Json.Serialize(FirmwareAnalyzer.Analyze(new byte[0])));
            var problem = (System.Collections.Generic.Dictionary<string, object>)bad.GetArray("problems")[0];
            Assert.Equal("Empty", problem["code"]);
            Assert.Equal("error", problem["severity"]);
        }

        sealed class EndlessStream : Stream
        {
            readonly byte _value;
            public long Served;
            public EndlessStream(byte value) { _value = value; }
            public override int Read(byte[] buffer, int offset, int count) { Array.Fill(buffer, _value, offset, count); Served += count; return count; }
            public override bool CanRead => true; public override bool CanSeek => false; public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long o, SeekOrigin s) => throw new NotSupportedException();
            public override void SetLength(long v) => throw new NotSupportedException();
            public override void Write(byte[] b, int o, int c) => throw new NotSupportedException();
        }

        sealed class FailingStream : Stream
        {
            public override int Read(byte[] buffer, int offset, int count) => throw new IOException("The process cannot access the file because another process has locked a portion of the file.");
            public override bool CanRead => true; public override bool CanSeek => false; public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long o, SeekOrigin s) => throw new NotSupportedException();
            public override void SetLength(long v) => throw new NotSupportedException();
            public override void Write(byte[] b, int o, int c) => throw new NotSupportedException();
        }
    }
}
