using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace MtkFlash.Tests.Firmware
{
    /// <summary>What a test flasher holds and how it is scrambled.</summary>
    public sealed class FlasherSpec
    {
        public IList<byte[]> Images = new List<byte[]>();
        public IList<string> Revisions = new List<string>();
        /// <summary>The XFlash version ("2.1.0"); null writes none.</summary>
        public string Version = "1.02.03";
        /// <summary>Write the version after "rr", one byte, NUL, "v" instead of after "Ver ".</summary>
        public bool RrPrefix;
        public string CountKey = "HOW_MANY_BIN";
        /// <summary>The count field's digits; null: the number of images.</summary>
        public string CountText;
        /// <summary>0 plain, 1 flip-n-swap, 2 Fibonacci, 3 and-key.</summary>
        public int Method;
        public int SkipPre, SkipLen;
        public int AndKey = 0x7F;
        /// <summary>Method 3's code in its "33 C0 8A 04 0A" form.</summary>
        public bool AltLoad;
        public byte ExKey = 0xA5;
        /// <summary>Put the method's evidence in the flasher's code: the method-2 or method-3 code, or a 0xFF run for method 1 from 2.1.0.</summary>
        public bool Evidence = true;
        public long? StartOverride, SizeOverride;
        public int Seed = 1;
        /// <summary>Bytes between stored images (methods 0 and 1).</summary>
        public int Gap = 0x100;
    }

    /// <summary>
    /// Test-side XFlash flashers, written from the format description only (docs/xflash-flashers.md: descriptor table,
    /// version string, methods 0–3), independently of the product's decoders. Methods 2 and 3 are their own inverse (the
    /// walk XORs bytes with values that do not depend on the data); method 1 is encoded by its inverse here.
    /// </summary>
    public static class TestFlashers
    {
        public const int KeyLength = 0x400, KeyArea = 0x1000;

        /// <summary>The x86 code the method-2 flashers carry: 30 02 EB 2B, 12 bytes, 80 34 02 FF, 25 bytes, 30 10.</summary>
        public static byte[] FibonacciCode(Random rng)
        {
            var code = new byte[47];
            rng.NextBytes(code);
            new byte[] { 0x30, 0x02, 0xEB, 0x2B }.CopyTo(code, 0);
            new byte[] { 0x80, 0x34, 0x02, 0xFF }.CopyTo(code, 16);
            code[45] = 0x30; code[46] = 0x10;
            return code;
        }

        /// <summary>The method-3 code: (0F B6 04 08 | 33 C0 8A 04 0A) 25 K 00 00 80 79 05 48 83 C8 x 40.</summary>
        public static byte[] AndKeyCode(int andKey, bool altLoad, byte x = 0xE0)
        {
            var load = altLoad ? new byte[] { 0x33, 0xC0, 0x8A, 0x04, 0x0A } : new byte[] { 0x0F, 0xB6, 0x04, 0x08 };
            return load.Concat(new byte[] { 0x25, (byte)andKey, 0x00, 0x00, 0x80, 0x79, 0x05, 0x48, 0x83, 0xC8, x, 0x40 }).ToArray();
        }

        public static byte RevisionKey(string revision) => (byte)revision.Sum(c => c);

        /// <summary>Method 2's walk over s with a 0x400-byte key (scrambles and unscrambles).</summary>
        public static void FibonacciWalk(byte[] s, byte[] key, string revision)
        {
            byte fw = RevisionKey(revision);
            long a = 0, b = 1;
            for (int c = 0; c < KeyLength; c++)
            {
                int k = key[c];
                int pick = (c + 1) % 3;
                int p = pick == 0 ? k & 7 : pick == 1 ? k % 7 : k % 5;
                p += (int)((long)c * s.Length / KeyLength);
                (a, b) = (b, a + b);
                s[p] ^= (b % 9) switch { 1 => fw, 2 => (byte)0xFF, _ => (byte)k };
                if (b > 0x2AF90C18) { a = 0; b = 1; }
            }
        }

        /// <summary>Method 3's walk over s: steps with (c+1) mod 7 in {1, 3} XOR fwkey ^ exkey, the others key[c].</summary>
        public static void AndKeyWalk(byte[] s, byte[] key, string revision, int andKey, byte exKey)
        {
            byte fw = RevisionKey(revision);
            for (int c = 0; c < KeyLength; c++)
            {
                int p = (key[c] & andKey) + (int)((long)c * s.Length / KeyLength);
                s[p] ^= ((c + 1) % 7 == 1 || (c + 1) % 7 == 3) ? (byte)(fw ^ exKey) : key[c];
            }
        }

        /// <summary>The positions method 3 XORs with fwkey ^ exkey, in walk order.</summary>
        public static List<int> AndKeyExPositions(int size, byte[] key, int andKey)
        {
            var r = new List<int>();
            for (int c = 0; c < KeyLength; c++)
                if ((c + 1) % 7 == 1 || (c + 1) % 7 == 3) r.Add((key[c] & andKey) + (int)((long)c * size / KeyLength));
            return r;
        }

        /// <summary>
        /// Method 1 encoded: the image's two 0x8000-byte ends exchanged and reversed, then the first skipPre bytes inverted
        /// and skipLen filler bytes put after them.
        /// </summary>
        public static byte[] FlipSwapEncode(byte[] image, int skipPre, int skipLen, Random rng)
        {
            int n = image.Length;
            var t = (byte[])image.Clone();
            var head = image.Take(0x8000).Reverse().ToArray();
            var tail = image.Skip(n - 0x8000).Reverse().ToArray();
            tail.CopyTo(t, 0);
            head.CopyTo(t, n - 0x8000);
            var filler = new byte[skipLen];
            rng.NextBytes(filler);
            return t.Take(skipPre).Select(b => (byte)~b).Concat(filler).Concat(t.Skip(skipPre)).ToArray();
        }

        public static byte[] Build(FlasherSpec spec)
        {
            var rng = new Random(spec.Seed);
            var head = new List<byte>();
            head.AddRange(new byte[] { (byte)'M', (byte)'Z' });
            head.AddRange(new byte[0x3E]);
            var code = new byte[0x400];
            rng.NextBytes(code);
            for (int i = 0; i < code.Length; i++) if (code[i] == 0xFF) code[i] = 0xFE; // no 0xFF run by accident
            if (spec.Evidence)
            {
                byte[] evidence = spec.Method == 2 ? FibonacciCode(rng)
                    : spec.Method == 3 ? AndKeyCode(spec.AndKey, spec.AltLoad)
                    : spec.Method == 1 && spec.SkipLen > 0 ? Enumerable.Repeat((byte)0xFF, 0x140).ToArray()
                    : Array.Empty<byte>();
                evidence.CopyTo(code, 0x80);
            }
            head.AddRange(code);
            if (spec.Version != null)
            {
                head.AddRange(Encoding.Latin1.GetBytes((spec.RrPrefix ? "LiteOn Flasherr:\0v" : "LiteOn XFlash Ver ") + spec.Version));
                head.AddRange(new byte[] { 0, 0 });
            }
            head.AddRange(new byte[0x20]);
            head.AddRange(Encoding.ASCII.GetBytes(spec.CountKey + "=" + (spec.CountText ?? spec.Images.Count.ToString()) + "\0\0\0\0"));
            head.AddRange(Encoding.ASCII.GetBytes("DRIVE_TYPE=DVDRW\0\0\0\0")); // other fields may sit between the count and the entries

            int n = spec.Images.Count;
            var stored = new byte[n][];
            var keys = new byte[4 * KeyLength];
            rng.NextBytes(keys);
            for (int i = 0; i < n; i++)
            {
                var img = (byte[])spec.Images[i].Clone();
                var key = keys.Skip(i * KeyLength).Take(KeyLength).ToArray();
                switch (spec.Method)
                {
                    case 1: stored[i] = FlipSwapEncode(img, spec.SkipPre, spec.SkipLen, rng); break;
                    case 2: FibonacciWalk(img, key, spec.Revisions[i]); stored[i] = img; break;
                    case 3: AndKeyWalk(img, key, spec.Revisions[i], spec.AndKey, spec.ExKey); stored[i] = img; break;
                    default: stored[i] = img; break;
                }
            }
            bool keyed = spec.Method == 2 || spec.Method == 3;
            var starts = new long[4];
            long at = 0;
            for (int i = 0; i < n; i++) { starts[i] = at; at += stored[i].Length + (keyed ? 0 : spec.Gap); }
            var table = new StringBuilder();
            for (int i = 0; i < 4; i++) table.Append("BIN_START" + (i + 1) + "=").Append((i < n ? spec.StartOverride ?? starts[i] : 0).ToString("D10")).Append('\0');
            for (int i = 0; i < 4; i++) table.Append("BIN_SIZE" + (i + 1) + "=").Append((i < n ? spec.SizeOverride ?? spec.Images[i].Length : 0).ToString("D10")).Append('\0');
            for (int i = 0; i < 4; i++) table.Append("NEW_FW" + (i + 1) + "=").Append((i < n ? spec.Revisions[i] : string.Empty).PadRight(7, '\0').Substring(0, 7)).Append('\0');
            head.AddRange(Encoding.Latin1.GetBytes(table.ToString()));
            int tableEnd = head.Count;
            int dataStart = tableEnd + (keyed ? KeyArea : 0);
            var exe = new byte[dataStart + at + 0x80];
            head.CopyTo(exe, 0);
            if (keyed) Array.Copy(keys, 0, exe, tableEnd, KeyArea);
            for (int i = 0; i < n; i++) Array.Copy(stored[i], 0, exe, dataStart + starts[i], stored[i].Length);
            return exe;
        }

        /// <summary>T: just after the NUL of NEW_FW4, found the way a reader of the format would.</summary>
        public static int TableEnd(byte[] exe)
        {
            int at = IndexOf(exe, "NEW_FW4=");
            return at + 8 + 7 + 1;
        }

        public static int IndexOf(byte[] d, string s, int from = 0)
        {
            var p = Encoding.Latin1.GetBytes(s);
            for (int i = from; i + p.Length <= d.Length; i++)
            {
                int k = 0;
                while (k < p.Length && d[i + k] == p[k]) k++;
                if (k == p.Length) return i;
            }
            return -1;
        }

        /// <summary>
        /// A LiteOn image that looks like 8051 code to method 3's exkey estimate: about 40 % of the filler bytes are zero.
        /// The documented structures (bank starts, INQUIRY template, ATA copy, internal revision) are kept.
        /// </summary>
        public static byte[] CodeLike(string revision = "US0N", int size = 128 * TestImages.KiB, int seed = 77)
        {
            var d = TestImages.LiteOn(revision: revision, size: size, seed: seed);
            var rng = new Random(seed);
            for (int i = 1; i < d.Length; i++)
                if (i % 0x10000 != 0 && !Structure(i) && rng.Next(10) < 4) d[i] = 0;
            return d;
        }

        /// <summary>A LiteOn image that compresses well (for UPX tests): all filler is fill, the structures are kept.</summary>
        public static byte[] Sparse(string revision = "US0N", int size = 128 * TestImages.KiB, byte fill = 0x00, int seed = 78)
        {
            var d = TestImages.LiteOn(revision: revision, size: size, seed: seed);
            for (int i = 1; i < d.Length; i++)
                if (i % 0x10000 != 0 && !Structure(i) && i % 97 != 0) d[i] = fill;
            return d;
        }

        static bool Structure(int i) => (i >= 0x4100 && i < 0x4140) || (i >= 0x8000 && i < 0x8020) || (i >= 0x9000 && i < 0x9030);
    }
}
