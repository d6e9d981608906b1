using System;
using System.IO;
using System.Linq;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Firmware.Formats;
using MtkFlash.Core.Serialization;
using MtkFlash.Tests.Backup;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Firmware
{
    /// <summary>
    /// The shortcuts image analysis takes for speed (issue 15, figure 1) give what the plain code gave: byte helpers at
    /// every alignment and block boundary against one-byte-at-a-time loops, flip-n-swap against its per-byte formula, and a
    /// file path looked at once still tells bundles, archives, folders and missing files apart.
    /// </summary>
    public class AnalysisFastPathTests
    {
        [Fact]
        public void Sum_and_fill_agree_with_byte_loops_at_every_edge()
        {
            var rng = new Random(15);
            var d = new byte[5000];
            rng.NextBytes(d);
            // Around the 1 KiB blocks Sum folds and the 8-byte words both helpers use.
            int[] edges = { 0, 1, 7, 8, 9, 1023, 1024, 1025, 2047, 2048, 2049, 3071, 4096 };
            foreach (int offset in new[] { 0, 1, 3, 7, 8, 13 })
                foreach (int count in edges.Where(c => offset + c <= d.Length))
                {
                    ulong want = 0;
                    for (int i = offset; i < offset + count; i++) want += d[i];
                    Assert.Equal(want, ImageBytes.Sum(d, offset, count));
                    Assert.Equal((int)(want & 0xFFFF), ImageBytes.Sum16(d, offset, count));

                    var f = (byte[])d.Clone();
                    ImageBytes.Fill(f, offset, count, 0xA5);
                    for (int i = 0; i < f.Length; i++) Assert.Equal(i >= offset && i < offset + count ? (byte)0xA5 : d[i], f[i]);
                }
            // All 0xFF: the largest lane values, where a carry between lanes would show.
            var ff = Enumerable.Repeat((byte)0xFF, 4 * 1024 + 5).ToArray();
            Assert.Equal((ulong)ff.Length * 255, ImageBytes.Sum(ff, 0, ff.Length));
            Assert.Throws<ArgumentOutOfRangeException>(() => ImageBytes.Fill(d, 4999, 2, 0));
        }

        [Theory]
        [InlineData(0, 0, 0x20000)]
        [InlineData(0x400, 0x1000, 0x20000)]
        [InlineData(0x400, 0x1000, 0x8200)]   // the first end reaches into the inverted prefix
        [InlineData(0x400, 0x1000, 0x8400)]   // … and just no longer
        [InlineData(0x400, 0x1000, 0xC000)]   // the two ends overlap
        [InlineData(0x8000, 0, 0x8000)]
        [InlineData(0, 0x1000, 0x10001)]
        public void Flip_swap_agrees_with_its_per_byte_formula(int skipPre, int skipLen, int size)
        {
            var stored = new byte[size + skipLen + 64];
            new Random(size ^ skipPre).NextBytes(stored);
            const int offset = 17, swap = XFlashFlipSwap.SwapLength;
            int after = offset + skipLen;
            byte T(int j) => j < skipPre ? (byte)~stored[offset + j] : stored[after + j];
            var want = new byte[size];
            for (int j = 0; j < size; j++) want[j] = T(j);
            for (int i = 0; i < swap; i++) want[i] = T(size - 1 - i);
            for (int i = 0; i < swap; i++) want[size - swap + i] = T(swap - 1 - i);
            Assert.Equal(want, XFlashFlipSwap.Decode(stored, offset, size, skipPre, skipLen));
        }

        [Fact]
        public void A_path_is_still_told_apart_bundle_archive_folder_or_missing()
        {
            using (var rig = new VirtualRig())
            {
                var zip = BackupKit.Run(rig, rig.NewDrive("z", "lg-bh16ns40"), rig.Sub("zip"), BackupFormat.Zip).Result.Path;
                var folder = BackupKit.Run(rig, rig.NewDrive("f", "lg-bh16ns40"), rig.Sub("folder"), BackupFormat.Folder).Result.Path;
                var fromZip = FirmwareAnalyzer.AnalyzeFile(zip);
                Assert.Equal(FirmwareFormat.BackupBundle, fromZip.Format);
                Assert.True(fromZip.IsValid, string.Join("; ", fromZip.Problems));
                Assert.Equal(new FileInfo(zip).Length, fromZip.FileSize);
                Assert.Equal(FirmwareFormat.BackupBundle, FirmwareAnalyzer.AnalyzeFile(folder).Format);
                Assert.Equal(fromZip.Sha256, FirmwareAnalyzer.LoadFile(zip).Report.Sha256);

                // A zip that is not a bundle is an archive; a file that only starts like one is not.
                var other = Path.Combine(rig.Home, "other.zip");
                using (var z = System.IO.Compression.ZipFile.Open(other, System.IO.Compression.ZipArchiveMode.Create)) z.CreateEntry("readme.txt");
                Assert.Equal(FirmwareFormat.Archive, FirmwareAnalyzer.AnalyzeFile(other).Format);
                var pk = Path.Combine(rig.Home, "pk.bin");
                File.WriteAllBytes(pk, new byte[] { (byte)'P', (byte)'K', 3 });
                Assert.Equal(FirmwareFormat.Raw, FirmwareAnalyzer.AnalyzeFile(pk).Format);

                // A folder without a manifest, and a path that is not there.
                Assert.Equal(FirmwareFormat.Directory, FirmwareAnalyzer.AnalyzeFile(rig.Sub("zip")).Format);
                Assert.Equal(FirmwareFormat.NotFound, FirmwareAnalyzer.AnalyzeFile(Path.Combine(rig.Home, "nothing.bin")).Format);
            }
        }

        /// <summary>
        /// Analyze and AnalyzeFile read flashers and HEX files into reused buffers and decode images into reused arrays; the
        /// reports must be those of Load, which keeps everything, whatever an earlier, larger file left in the buffers.
        /// </summary>
        [Fact]
        public void Reused_buffers_give_the_reports_fresh_ones_give()
        {
            string[] revisions = { "US0N", "US0Q" };
            byte[][] Two(int size, int seed) => new[] { TestImages.LiteOn(revision: "US0N", size: size, seed: seed), TestImages.LiteOn(revision: "US0Q", size: size, seed: seed + 1) };
            var inputs = new[]
            {
                TestFlashers.Build(new FlasherSpec { Images = Two(0x100000, 1), Revisions = revisions, Version = "2.1.0", Method = 2, Seed = 1 }),
                TestFlashers.Build(new FlasherSpec { Images = Two(0x80000, 3), Revisions = revisions, Seed = 2 }),
                TestFlashers.Build(new FlasherSpec { Images = Two(0x80000, 5), Revisions = revisions, Version = "2.1.0", Method = 1, SkipPre = 0x400, SkipLen = 0x1000, Seed = 3 }),
                TestFlashers.Build(new FlasherSpec { Images = new[] { TestFlashers.CodeLike("US0N", 0x80000, 7), TestFlashers.CodeLike("US0Q", 0x80000, 8) }, Revisions = revisions, Version = "2.1.0", Method = 3, Seed = 4 }),
                TestPe.Build(TestFlashers.Build(new FlasherSpec { Images = Two(0x20000, 9), Revisions = revisions, Version = "2.0.5", Method = 1, Seed = 5 })),
                System.Text.Encoding.ASCII.GetBytes(TestImages.Hex(TestImages.Btc(seed: 11))),
                System.Text.Encoding.ASCII.GetBytes(TestImages.Hex(TestImages.LiteOn(size: 0x20000, seed: 12), bankSwitch: false)),
            };
            // Then every one cut short, so a shorter file follows a longer one in the same buffer.
            var all = inputs.Concat(inputs.Select(d => d.Take(d.Length * 2 / 3).ToArray())).Concat(inputs).ToArray();
            using (var home = new TempHome())
                for (int i = 0; i < all.Length; i++)
                {
                    var path = home.Sub("f" + i + ".bin");
                    File.WriteAllBytes(path, all[i]);
                    var kept = Json.Serialize(FirmwareAnalyzer.Load((byte[])all[i].Clone(), path).Report);
                    Assert.Equal(kept, Json.Serialize(FirmwareAnalyzer.AnalyzeFile(path)));
                    Assert.Equal(kept, Json.Serialize(FirmwareAnalyzer.Analyze(all[i], path)));
                    using (var s = new MemoryStream(all[i])) Assert.Equal(kept, Json.Serialize(FirmwareAnalyzer.Analyze(s, path)));
                    // Images handed out by Load are the caller's: a later analysis must not write into them.
                    var image = FirmwareAnalyzer.LoadFile(path);
                    var copies = image.Embedded.Select(b => (byte[])b.Clone()).ToArray();
                    FirmwareAnalyzer.AnalyzeFile(home.Sub("f0.bin"));
                    for (int k = 0; k < copies.Length; k++) Assert.Equal(copies[k], image.Embedded[k]);
                }
        }

        /// <summary>The one-pass search for the unscrambling code finds what the two searches it replaced found, in their order.</summary>
        [Fact]
        public void One_pass_code_search_agrees_with_the_two_searches()
        {
            var rng = new Random(1516);
            for (int round = 0; round < 400; round++)
            {
                var d = new byte[rng.Next(0, 3) == 0 ? rng.Next(0, 120) : 0x3000];
                // Bytes from a small alphabet make partial and overlapping signatures common.
                byte[] alphabet = { 0x00, 0x80, 0x30, 0x02, 0x25, 0x40, 0x79, 0xFF };
                for (int i = 0; i < d.Length; i++) d[i] = rng.Next(4) == 0 ? alphabet[rng.Next(alphabet.Length)] : (byte)rng.Next(256);
                int plants = rng.Next(4);
                for (int k = 0; k < plants; k++)
                {
                    var code = rng.Next(2) == 0 ? TestFlashers.FibonacciCode(rng) : TestFlashers.AndKeyCode(rng.Next(256), rng.Next(2) == 0);
                    if (rng.Next(3) == 0) code = code.Take(rng.Next(code.Length)).ToArray(); // cut short
                    if (code.Length <= d.Length) Array.Copy(code, 0, d, rng.Next(d.Length - code.Length + 1), code.Length);
                }
                int length = d.Length - (d.Length > 0 && rng.Next(3) == 0 ? rng.Next(Math.Min(d.Length, 60)) : 0);
                int fib = XFlashMethodChoice.FindFibonacciCode(d, length);
                int and = XFlashMethodChoice.FindAndKeyCode(d, length, out int andKey);
                int at = XFlashMethodChoice.FindCode(d, length, out int method, out int foundKey);
                Assert.Equal(fib >= 0 ? fib : and, at);
                Assert.Equal(fib >= 0 ? 2 : and >= 0 ? 3 : -1, method);
                if (fib < 0 && and >= 0) Assert.Equal(andKey, foundKey);
            }
        }

        [Fact]
        public void Contains_either_agrees_with_two_searches()
        {
            var rng = new Random(1517);
            string[][] pairs = { new[] { "VIDEO_TS", "NOSMARTX" }, new[] { "AB", "CD" }, new[] { "OO", "O" }, new[] { "X", "XY" } };
            for (int round = 0; round < 600; round++)
            {
                var pair = pairs[round % pairs.Length];
                var d = new byte[rng.Next(0, 40)];
                for (int i = 0; i < d.Length; i++) d[i] = (byte)"VIDEO_TSNMARXABCDY"[rng.Next(18)];
                if (rng.Next(3) == 0)
                {
                    var text = System.Text.Encoding.ASCII.GetBytes(pair[rng.Next(2)]);
                    if (text.Length <= d.Length) Array.Copy(text, 0, d, rng.Next(2) == 0 ? 0 : d.Length - text.Length, text.Length);
                }
                bool want = ImageBytes.IndexOf(d, pair[0]) >= 0 || ImageBytes.IndexOf(d, pair[1]) >= 0;
                Assert.Equal(want, ImageBytes.ContainsEither(d, pair[0], pair[1]));
            }
        }
    }
}
