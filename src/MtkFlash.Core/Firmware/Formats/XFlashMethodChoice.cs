using System;

namespace MtkFlash.Core.Firmware.Formats
{
    /// <summary>
    /// Which unscrambling method a scrambled XFlash flasher needs (docs/xflash-flashers.md; rpc1dev/omnipatcher
    /// common_xflash.pl), tried in this order: version 2.0.5 → method 1 without skips; from 2.1.0 the flasher's own
    /// unscrambling code names the method (method 2 or method 3 with its and-key), and a run of 256 0xFF bytes means
    /// method 1 with skips 0x400/0x1000. Anything else is unknown: reported, never guessed.
    /// </summary>
    internal sealed class XFlashMethodChoice
    {
        /// <summary>1, 2, 3, or -1 when no method can be chosen.</summary>
        public int Method = -1;
        public int SkipPre, SkipLen;
        public int AndKey;
        /// <summary>Where the code signature (methods 2, 3) or the 0xFF run (method 1 with skips) was found; -1 otherwise.</summary>
        public int EvidenceOffset = -1;

        public const int FfRun = 256;

        public static XFlashMethodChoice Choose(byte[] d, int length, int version)
        {
            var c = new XFlashMethodChoice();
            if (version == XFlashVersion.FirstScrambled) { c.Method = 1; return c; }
            if (version < XFlashVersion.SignatureChosen) return c;
            int at = FindCode(d, length, out int method, out int andKey);
            if (at >= 0) { c.Method = method; c.AndKey = andKey; c.EvidenceOffset = at; return c; }
            at = FindFfRun(d, length, FfRun);
            if (at >= 0) { c.Method = 1; c.SkipPre = 0x400; c.SkipLen = 0x1000; c.EvidenceOffset = at; }
            return c;
        }

        static readonly byte[] FibHead = { 0x30, 0x02, 0xEB, 0x2B };
        static readonly byte[] FibMiddle = { 0x80, 0x34, 0x02, 0xFF };

        /// <summary>30 02 EB 2B, 12 any bytes, 80 34 02 FF, 25 any bytes, 30 10: the first offset, or -1.</summary>
        internal static int FindFibonacciCode(byte[] d, int length)
        {
            const int total = 4 + 12 + 4 + 25 + 2;
            for (int i = ImageBytes.IndexOf(d, FibHead, 0, length); i >= 0 && i <= length - total; i = ImageBytes.IndexOf(d, FibHead, i + 1, length))
                if (ImageBytes.Matches(d, i + 16, FibMiddle) && d[i + 45] == 0x30 && d[i + 46] == 0x10) return i;
            return -1;
        }

        static readonly byte[] AndTail = { 0x00, 0x00, 0x80, 0x79, 0x05, 0x48, 0x83, 0xC8 };
        static readonly byte[] LoadA = { 0x0F, 0xB6, 0x04, 0x08 };
        static readonly byte[] LoadB = { 0x33, 0xC0, 0x8A, 0x04, 0x0A };

        /// <summary>
        /// (0F B6 04 08 | 33 C0 8A 04 0A) 25 K 00 00 80 79 05 48 83 C8 ? 40: the first offset, or -1; K is the and-key.
        /// Found by its fixed middle (00 00 80 79 05 48 83 C8), then checked on both sides.
        /// </summary>
        internal static int FindAndKeyCode(byte[] d, int length, out int andKey)
        {
            andKey = 0;
            for (int i = ImageBytes.IndexOf(d, AndTail, 0, length); i >= 0; i = ImageBytes.IndexOf(d, AndTail, i + 1, length))
            {
                int start = AndKeyStart(d, length, i);
                if (start < 0) continue;
                andKey = d[i - 1];
                return start;
            }
            return -1;
        }

        /// <summary>
        /// FindFibonacciCode, and failing that FindAndKeyCode, in one pass (speed: each alone reads the whole flasher when it
        /// finds nothing). Both signatures hold 0x80 at a fixed place (80 34 02 FF at +16; 00 00 80 79 … at +2), so every
        /// 0x80 in file order is tried as either. The first Fibonacci match wins (method 2), else the first and-key match
        /// (method 3, with its and-key); -1 when there is neither.
        /// </summary>
        internal static int FindCode(byte[] d, int length, out int method, out int andKey)
        {
            method = -1; andKey = 0;
            const int fibTotal = 4 + 12 + 4 + 25 + 2;
            int andAt = -1, andValue = 0;
            for (int h = length > 0 ? Array.IndexOf(d, (byte)0x80, 0, length) : -1; h >= 0; h = h + 1 < length ? Array.IndexOf(d, (byte)0x80, h + 1, length - h - 1) : -1)
            {
                int i = h - 16;
                if (i >= 0 && i <= length - fibTotal && ImageBytes.Matches(d, i, FibHead) && ImageBytes.Matches(d, h, FibMiddle) && d[i + 45] == 0x30 && d[i + 46] == 0x10)
                {
                    method = 2;
                    return i;
                }
                if (andAt < 0 && h >= 2 && h - 2 <= length - AndTail.Length)
                {
                    int start = AndKeyStart(d, length, h - 2);
                    if (start >= 0) { andAt = start; andValue = d[h - 3]; }
                }
            }
            if (andAt < 0) return -1;
            method = 3;
            andKey = andValue;
            return andAt;
        }

        /// <summary>The start of the and-key code whose fixed middle (AndTail) is at i, or -1.</summary>
        static int AndKeyStart(byte[] d, int length, int i)
        {
            if (!ImageBytes.Matches(d, i, AndTail)) return -1;
            if (i + 9 >= length || d[i + 9] != 0x40 || i < 2 + LoadA.Length || d[i - 2] != 0x25) return -1;
            if (ImageBytes.Matches(d, i - 2 - LoadA.Length, LoadA)) return i - 2 - LoadA.Length;
            if (i >= 2 + LoadB.Length && ImageBytes.Matches(d, i - 2 - LoadB.Length, LoadB)) return i - 2 - LoadB.Length;
            return -1;
        }

        /// <summary>The first offset of run consecutive 0xFF bytes, or -1. Looks at one byte in run until it finds an 0xFF.</summary>
        internal static int FindFfRun(byte[] d, int length, int run)
        {
            int i = run - 1; // the last byte of the first possible run
            while (i < length)
            {
                if (d[i] != 0xFF) { i += run; continue; }
                // Every run that could start before i - (run - 1) is already ruled out.
                int s = i;
                while (s > i - (run - 1) && d[s - 1] == 0xFF) s--;
                int e = i + 1;
                while (e < length && e - s < run && d[e] == 0xFF) e++;
                if (e - s >= run) return s;
                i = e + run; // d[e] is not 0xFF (or the file ends): no run starts at or before e
            }
            return -1;
        }
    }
}
