using System;
using System.Text;

namespace MtkFlash.Core.Firmware.Formats
{
    /// <summary>
    /// The XFlash version of a flasher (docs/xflash-flashers.md; rpc1dev/omnipatcher common_xflash.pl): the first "Ver " or
    /// "rr?\0v" (? any byte) followed by d.d[d].d[d] and two NULs. Number = major·10000 + minor·100 + patch (2.0.5 → 20005).
    /// </summary>
    internal sealed class XFlashVersion
    {
        static readonly byte[] Ver = Encoding.ASCII.GetBytes("Ver ");
        static readonly byte[] NulV = { 0, (byte)'v' };

        public string Text;
        public int Number;
        /// <summary>Offset of the prefix ("Ver " or "rr?\0v").</summary>
        public int Offset;

        /// <summary>2.0.5: the first scrambled version (method 1 without skips).</summary>
        public const int FirstScrambled = 20005;
        /// <summary>2.1.0: methods are told apart by the flasher's code.</summary>
        public const int SignatureChosen = 20100;
        /// <summary>2.2.0: the count field is ignored and all four entries are processed.</summary>
        public const int AllFourEntries = 20200;

        public static XFlashVersion Find(byte[] d, int length)
        {
            // Candidates in file order, so the leftmost match wins whichever prefix it has. An "rr?\0v" prefix matters only
            // before the next "Ver ", so it is looked for only up to there.
            int from = 0;
            while (from < length)
            {
                int ver = ImageBytes.IndexOf(d, Ver, from, length);
                int rr = NextRr(d, ver < 0 ? length : Math.Min(length, ver + 5), from);
                if (rr >= 0 && (ver < 0 || rr < ver))
                {
                    var v = Digits(d, length, rr + 5);
                    if (v != null) { v.Offset = rr; return v; }
                    from = rr + 1;
                    continue;
                }
                if (ver < 0) return null;
                var w = Digits(d, length, ver + 4);
                if (w != null) { w.Offset = ver; return w; }
                from = ver + 1;
            }
            return null;
        }

        /// <summary>The next offset ≥ from of "r r ? NUL v" whose "NUL v" ends before to.</summary>
        static int NextRr(byte[] d, int to, int from)
        {
            for (int i = ImageBytes.IndexOf(d, NulV, from + 3, to); i >= 0; i = ImageBytes.IndexOf(d, NulV, i + 1, to))
                if (d[i - 3] == 'r' && d[i - 2] == 'r') return i - 3;
            return -1;
        }

        /// <summary>d "." 1–2 digits "." 1–2 digits NUL NUL at p, or null.</summary>
        static XFlashVersion Digits(byte[] d, int length, int p)
        {
            int start = p;
            if (p >= length || !IsDigit(d[p])) return null;
            int major = d[p++] - '0';
            if (p >= length || d[p++] != '.') return null;
            if (!Group(d, length, ref p, out int minor) || p >= length || d[p++] != '.') return null;
            if (!Group(d, length, ref p, out int patch)) return null;
            if (p + 1 >= length || d[p] != 0 || d[p + 1] != 0) return null;
            return new XFlashVersion { Text = Encoding.ASCII.GetString(d, start, p - start), Number = major * 10000 + minor * 100 + patch };
        }

        /// <summary>One or two digits; a third digit means no match (the next character must then be '.' or NUL).</summary>
        static bool Group(byte[] d, int length, ref int p, out int value)
        {
            value = 0;
            int n = 0;
            while (p < length && n < 2 && IsDigit(d[p])) { value = value * 10 + (d[p] - '0'); p++; n++; }
            return n > 0;
        }

        static bool IsDigit(byte c) => c >= '0' && c <= '9';
    }
}
