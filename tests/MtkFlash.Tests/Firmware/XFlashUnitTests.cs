using System;
using System.Linq;
using System.Text;
using MtkFlash.Core.Firmware.Formats;
using Xunit;
using static MtkFlash.Tests.Firmware.TestFlashers;
using static MtkFlash.Tests.Firmware.TestImages;

namespace MtkFlash.Tests.Firmware
{
    /// <summary>Each XFlash unit on its own: descriptor table, version, method choice, the three decoders, the bank check.</summary>
    public class XFlashUnitTests
    {
        static byte[] Bytes(string latin1) => Encoding.Latin1.GetBytes(latin1);

        static string Block(params (long Start, long Size, string Name)[] entries)
        {
            var sb = new StringBuilder();
            for (int i = 0; i < 4; i++) sb.Append("BIN_START" + (i + 1) + "=").Append((i < entries.Length ? entries[i].Start : 0).ToString("D10")).Append('\0');
            for (int i = 0; i < 4; i++) sb.Append("BIN_SIZE" + (i + 1) + "=").Append((i < entries.Length ? entries[i].Size : 0).ToString("D10")).Append('\0');
            for (int i = 0; i < 4; i++) sb.Append("NEW_FW" + (i + 1) + "=").Append((i < entries.Length ? entries[i].Name : string.Empty).PadRight(7, '\0')).Append('\0');
            return sb.ToString();
        }

        [Fact]
        public void Table_holds_four_entries_whatever_the_count_and_ends_after_NEW_FW4()
        {
            var text = "MZ junk HOW_MANY_BIN=1\0\0\0OTHER=7\0" + Block((0, 0x20000, "US0N")) + "after";
            var d = Bytes(text);
            var t = XFlashTable.Find(d, d.Length);
            Assert.NotNull(t);
            Assert.Equal(1, t.Count);
            Assert.Equal("HOW_MANY_BIN", t.CountKey);
            Assert.Equal(text.IndexOf("after", StringComparison.Ordinal), t.End);
            Assert.Equal(t.BlockOffset + XFlashTable.BlockLength, t.End);
            Assert.Equal(0x20000, t.Items[0].Size);
            Assert.Equal("US0N", t.Items[0].Revision);
            Assert.All(t.Items.Skip(1), e => Assert.Equal(0, e.Size));

            // The layout with only the counted entries is not an XFlash table at all.
            var partial = Bytes("HOW_MANY_BIN=1\0BIN_START1=0000000000\0BIN_SIZE1=0000131072\0NEW_FW1=US0N\0\0\0\0 tail");
            Assert.Null(XFlashTable.Find(partial, partial.Length));
        }

        [Fact]
        public void Table_search_takes_the_first_count_field_with_digits_and_the_first_whole_block_after_it()
        {
            var text = "HOW_MANY_BIN=x\0 PARA_OPT=3\0\0 BIN_START1=12\0 " + Block((0x10, 0x20000, "AB_1")) + "|" + Block((0x99, 0x40000, "ZZZZ"));
            var d = Bytes(text);
            var t = XFlashTable.Find(d, d.Length);
            Assert.Equal("PARA_OPT", t.CountKey);
            Assert.Equal(3, t.Count);
            Assert.Equal(0x10, t.Items[0].Start);
            Assert.Equal(text.IndexOf('|'), t.End);

            // NEW_FWn must start with a word character or NUL; the 7th character must be followed by NUL.
            var bad = Bytes("HOW_MANY_BIN=1\0" + Block((0, 1, "-US0N")));
            Assert.Null(XFlashTable.Find(bad, bad.Length));
            Assert.Null(XFlashTable.Find(Bytes("no table here"), 13));
            // Only the first four characters name the revision; trailing NULs go, inner ones stay.
            var names = Bytes("HOW_MANY_BIN=2\0" + Block((0, 1, "US0NXYZ"), (0, 1, "A\0B\0")));
            var n = XFlashTable.Find(names, names.Length);
            Assert.Equal("US0N", n.Items[0].Revision);
            Assert.Equal("A\0B", n.Items[1].Revision);
            // A truncated block is not a table.
            var cut = Bytes("HOW_MANY_BIN=1\0" + Block((0, 1, "US0N")));
            Assert.Null(XFlashTable.Find(cut, cut.Length - 1));
        }

        [Theory]
        [InlineData("xx LiteOn XFlash Ver 2.1.0\0\0", "2.1.0", 20100)]
        [InlineData("Flasherr\u0001\0v2.0.5\0\0", "2.0.5", 20005)]
        [InlineData("Ver 2.10.15\0\0", "2.10.15", 21015)]
        [InlineData("Ver 1.2.3\0x Ver 2.2.0\0\0", "2.2.0", 20200)]
        [InlineData("Ver 2.100.0\0\0 rr.\0v2.0.9\0\0", "2.0.9", 20009)]
        public void Version_is_the_first_full_match_of_either_prefix(string text, string version, int number)
        {
            var d = Bytes(text);
            var v = XFlashVersion.Find(d, d.Length);
            Assert.Equal(version, v.Text);
            Assert.Equal(number, v.Number);
        }

        [Theory]
        [InlineData("Ver 2.1.0\0")]
        [InlineData("Ver 12.0.0\0\0")]
        [InlineData("Ver 2.1.123\0\0")]
        [InlineData("Ver .1.0\0\0")]
        [InlineData("r\0v2.1.0\0\0")]
        public void Version_needs_its_exact_shape(string text)
        {
            var d = Bytes(text);
            Assert.Null(XFlashVersion.Find(d, d.Length));
        }

        [Fact]
        public void Method_choice_follows_version_then_code_then_0xFF_run()
        {
            var rng = new Random(5);
            byte[] Body(params byte[][] parts)
            {
                var d = new byte[0x2000];
                rng.NextBytes(d);
                for (int i = 0; i < d.Length; i++) if (d[i] == 0xFF) d[i] = 0;
                int at = 0x100;
                foreach (var p in parts) { p.CopyTo(d, at); at += p.Length + 0x100; }
                return d;
            }
            var plain = Body();
            var c = XFlashMethodChoice.Choose(plain, plain.Length, 20005);
            Assert.Equal((1, 0, 0), (c.Method, c.SkipPre, c.SkipLen));
            Assert.Equal(-1, XFlashMethodChoice.Choose(plain, plain.Length, 20007).Method);
            Assert.Equal(-1, XFlashMethodChoice.Choose(plain, plain.Length, 20100).Method);

            var fib = Body(FibonacciCode(rng), AndKeyCode(0x7F, false));
            c = XFlashMethodChoice.Choose(fib, fib.Length, 20100);
            Assert.Equal(2, c.Method);
            Assert.Equal(0x100, c.EvidenceOffset);

            foreach (var alt in new[] { false, true })
            {
                var and = Body(Enumerable.Repeat((byte)0xFF, 300).ToArray(), AndKeyCode(0x3F, alt));
                c = XFlashMethodChoice.Choose(and, and.Length, 20200);
                Assert.Equal(3, c.Method);
                Assert.Equal(0x3F, c.AndKey);
                Assert.Equal(0x100 + 300 + 0x100, c.EvidenceOffset);
            }

            var ff = Body(Enumerable.Repeat((byte)0xFF, 256).ToArray());
            c = XFlashMethodChoice.Choose(ff, ff.Length, 20100);
            Assert.Equal((1, 0x400, 0x1000, 0x100), (c.Method, c.SkipPre, c.SkipLen, c.EvidenceOffset));
            var short255 = Body(Enumerable.Repeat((byte)0xFF, 255).ToArray());
            Assert.Equal(-1, XFlashMethodChoice.Choose(short255, short255.Length, 20100).Method);
            // A version below 2.1.0 other than 2.0.5 never looks at the code.
            Assert.Equal(-1, XFlashMethodChoice.Choose(fib, fib.Length, 20009).Method);
        }

        [Fact]
        public void Ff_run_search_agrees_with_a_plain_scan()
        {
            var rng = new Random(11);
            for (int round = 0; round < 400; round++)
            {
                var d = new byte[rng.Next(0, 3000)];
                for (int i = 0; i < d.Length; i++) d[i] = rng.Next(4) == 0 ? (byte)rng.Next(256) : (byte)0xFF;
                int runs = rng.Next(3);
                for (int k = 0; k < runs && d.Length > 0; k++) { int at = rng.Next(d.Length); d[at] = 0; }
                int length = rng.Next(d.Length + 1);
                int want = -1, run = 0;
                for (int i = 0; i < length; i++) { run = d[i] == 0xFF ? run + 1 : 0; if (run == 16) { want = i - 15; break; } }
                Assert.Equal(want, XFlashMethodChoice.FindFfRun(d, length, 16));
            }
        }

        [Theory]
        [InlineData(0, 0, 0x20000)]
        [InlineData(0x400, 0x1000, 0x20000)]
        [InlineData(0x400, 0x1000, 0x40000)]
        [InlineData(0, 0, 0xC000)] // under 64 KiB the two ends overlap
        public void Flip_swap_undoes_the_test_encoder(int skipPre, int skipLen, int size)
        {
            var image = new byte[size];
            new Random(size + skipPre).NextBytes(image);
            var stored = FlipSwapEncode(image, skipPre, skipLen, new Random(3));
            if (size >= 0x10000)
            {
                var withMargin = new byte[stored.Length + 100];
                stored.CopyTo(withMargin, 50);
                Assert.Equal(image, XFlashFlipSwap.Decode(withMargin, 50, size, skipPre, skipLen));
            }
            else
            {
                // Overlapping ends: the last 0x8000 bytes are the reversed first 0x8000 stored bytes, as the source writes them.
                var decoded = XFlashFlipSwap.Decode(stored, 0, size, skipPre, skipLen);
                for (int i = 0; i < 0x8000; i++) Assert.Equal(stored[0x7FFF - i], decoded[size - 0x8000 + i]);
            }
        }

        [Fact]
        public void Flip_swap_by_hand()
        {
            // A 0x18000-byte image; stored bytes 0, 1, 2 …; skipPre 2 inverts the first two, skipLen 4 drops 4 bytes after them.
            int size = 0x18000;
            var stored = new byte[size + 4];
            for (int i = 0; i < stored.Length; i++) stored[i] = (byte)i;
            var image = XFlashFlipSwap.Decode(stored, 0, size, 2, 4);
            // t = ~0, ~1, then stored[6..]; image[0] = t[size-1] = stored[size+3]; image[size-1] = t[0] = ~stored[0].
            Assert.Equal(stored[size + 3], image[0]);
            Assert.Equal((byte)~stored[0], image[size - 1]);
            Assert.Equal((byte)~stored[1], image[size - 2]);
            Assert.Equal(stored[6], image[size - 3]);
            Assert.Equal(stored[0x8000 + 4], image[0x8000]); // the middle is t unchanged: t[0x8000] = stored[0x8000 + 4]
        }

        [Fact]
        public void Fibonacci_walk_is_its_own_inverse_and_matches_the_test_walk()
        {
            var rng = new Random(21);
            foreach (int size in new[] { 0x20000, 0x100000, 0x12345 })
            {
                var image = new byte[size];
                rng.NextBytes(image);
                var key = new byte[KeyLength + 10];
                rng.NextBytes(key);
                var scrambled = (byte[])image.Clone();
                FibonacciWalk(scrambled, key, "US0N");
                Assert.NotEqual(image, scrambled);
                var mine = (byte[])scrambled.Clone();
                XFlashFibonacci.Walk(mine, key, 0, "US0N");
                Assert.Equal(image, mine);
                // Independent implementations agree step for step, key taken from an offset.
                var shifted = new byte[key.Length + 7];
                Array.Copy(key, 0, shifted, 7, KeyLength);
                var a = (byte[])image.Clone();
                XFlashFibonacci.Walk(a, shifted, 7, "XY12");
                var b = (byte[])image.Clone();
                FibonacciWalk(b, key, "XY12");
                Assert.Equal(b, a);
            }
        }

        [Fact]
        public void Fibonacci_walk_by_hand_with_a_zero_key()
        {
            // k = 0 everywhere: p = c·step. Fibonacci 1, 2, 3, 5, 8, 13 … mod 9 = 1, 2, 3, 5, 8, 4 …: step 0 XORs fwkey,
            // step 1 XORs 0xFF, step 2 XORs k = 0.
            var image = new byte[0x400 * 4];
            XFlashFibonacci.Walk(image, new byte[0x400], 0, "AB");
            Assert.Equal((byte)('A' + 'B'), image[0]);
            Assert.Equal(0xFF, image[4]);
            Assert.Equal(0, image[8]);
        }

        [Fact]
        public void And_key_estimate_finds_the_exkey_and_the_walk_undoes_the_test_walk()
        {
            var rng = new Random(31);
            var image = CodeLike(size: 256 * KiB);
            var key = new byte[KeyLength];
            rng.NextBytes(key);
            foreach (var (andKey, exKey) in new[] { (0x7F, (byte)0xA5), (0x3F, (byte)0x00), (0xFF, (byte)0x17) })
            {
                var s = (byte[])image.Clone();
                AndKeyWalk(s, key, "US0N", andKey, exKey);
                var est = XFlashAndKey.EstimateExKey(s, key, 0, "US0N", andKey);
                Assert.Equal(exKey, est.ExKey);
                Assert.False(est.Tied);
                Assert.True(est.Votes > est.RunnerUpVotes);
                XFlashAndKey.Walk(s, key, 0, "US0N", andKey, est.ExKey);
                Assert.Equal(image, s);
            }
        }

        [Fact]
        public void And_key_estimate_counts_the_zero_neighbour_bonus_and_reports_a_tie()
        {
            int size = 0x40000;
            var key = new byte[KeyLength]; // k = 0: every position is c·step, never next to another walk position
            var positions = AndKeyExPositions(size, key, 0x7F);
            byte fw = RevisionKey("US0N");
            var s = new byte[size];
            for (int i = 0; i < s.Length; i++) s[i] = 0x11; // no zero neighbours at first
            // Half the positions hold fw^0x20, half fw^0x30, one fw^0x40: a tie between 0x20 and 0x30.
            for (int i = 0; i < positions.Count; i++) s[positions[i]] = (byte)(fw ^ (i == 0 ? 0x40 : i % 2 == 1 ? 0x20 : 0x30));
            var est = XFlashAndKey.EstimateExKey(s, key, 0, "US0N", 0x7F);
            Assert.Equal((0x20, 0x30), (est.ExKey, est.RunnerUp));
            Assert.True(est.Tied);
            Assert.Equal(positions.Count / 2, est.Votes);
            // A zero before one 0x30 position adds 2 votes: 0x30 wins.
            s[positions[2] - 1] = 0;
            est = XFlashAndKey.EstimateExKey(s, key, 0, "US0N", 0x7F);
            Assert.Equal(0x30, est.ExKey);
            Assert.Equal(positions.Count / 2 + 2, est.Votes);
            Assert.False(est.Tied);
        }

        [Fact]
        public void Bank_check_accepts_banks_of_0x02_or_the_rebanked_LITEONIT_form_only()
        {
            var ok = LiteOn(size: 256 * KiB);
            Assert.True(XFlashBankCheck.Passes(ok, out bool rebanked));
            Assert.False(rebanked);

            var bad = (byte[])ok.Clone();
            bad[0x20000] = 0x80; // 0x80 passes the analyser's own sanity check, but not the extraction check
            Assert.False(XFlashBankCheck.Passes(bad, out _));
            Assert.Equal("2", XFlashBankCheck.BadBanks(bad));

            var reb = (byte[])bad.Clone();
            reb[0x4000] = 0x02;
            Encoding.ASCII.GetBytes("LITEONIT").CopyTo(reb, 0xFFF8);
            Assert.True(XFlashBankCheck.Passes(reb, out rebanked));
            Assert.True(rebanked);
            reb[0x4000] = 0x03;
            Assert.False(XFlashBankCheck.Passes(reb, out _));
            Assert.False(XFlashBankCheck.Passes(new byte[0x8000], out _));
        }
    }
}
