using System;
using System.Text;

namespace MtkFlash.Core.Firmware.Formats
{
    /// <summary>One BIN_STARTn/BIN_SIZEn/NEW_FWn entry of an XFlash descriptor table.</summary>
    internal sealed class XFlashEntry
    {
        /// <summary>1 to 4, as in the field names.</summary>
        public int Index;
        /// <summary>BIN_STARTn: relative to the end of the table.</summary>
        public long Start;
        /// <summary>BIN_SIZEn.</summary>
        public long Size;
        /// <summary>The first 4 characters of NEW_FWn, trailing NULs removed (one character per byte).</summary>
        public string Revision;
    }

    /// <summary>
    /// The descriptor table of an XFlash flasher (docs/xflash-flashers.md; rpc1dev/omnipatcher common_xflash.pl). A count field
    /// (HOW_MANY_BIN= or PARA_OPT=, digits, one or more NULs), any bytes, then one fixed block: BIN_START1..4 (10 digits
    /// each), BIN_SIZE1..4 (10 digits each), NEW_FW1..4 (7 characters, the first a word character or NUL), every field
    /// ending in a NUL. The block always holds all four entries whatever the count says; the table ends after the NUL of
    /// NEW_FW4, and every start is relative to that end.
    /// </summary>
    internal sealed class XFlashTable
    {
        public const int Entries = 4;
        const int StartField = 11 + 10 + 1;   // BIN_STARTn= dddddddddd NUL
        const int SizeField = 10 + 10 + 1;    // BIN_SIZEn= dddddddddd NUL
        const int NameField = 8 + 7 + 1;      // NEW_FWn= ccccccc NUL
        /// <summary>Bytes from BIN_START1 to the end of the table.</summary>
        public const int BlockLength = Entries * (StartField + SizeField + NameField);

        static readonly byte[] HowMany = Encoding.ASCII.GetBytes("HOW_MANY_BIN=");
        static readonly byte[] ParaOpt = Encoding.ASCII.GetBytes("PARA_OPT=");
        static readonly byte[] Start1 = Encoding.ASCII.GetBytes("BIN_START1=");

        /// <summary>Offset of the count field's key.</summary>
        public int CountOffset;
        /// <summary>"HOW_MANY_BIN" or "PARA_OPT".</summary>
        public string CountKey;
        /// <summary>The count's digits as written (up to 18 kept).</summary>
        public string CountText;
        /// <summary>The count as a number; -1 when it has more digits than any count could need.</summary>
        public long Count;
        /// <summary>Offset of BIN_START1.</summary>
        public int BlockOffset;
        /// <summary>T: the offset just after the NUL of NEW_FW4. Starts are relative to it.</summary>
        public int End;
        public readonly XFlashEntry[] Items = new XFlashEntry[Entries];

        /// <summary>
        /// The table the way a regular-expression search for it finds it: the leftmost count field that has a complete block
        /// anywhere after it, with the first such block. Null when there is none.
        /// </summary>
        public static XFlashTable Find(byte[] d, int length)
        {
            int countAt = -1, countKeyLength = 0, digitsEnd = 0;
            foreach (var key in new[] { HowMany, ParaOpt })
            {
                // A second key only matters before the first one found, so it is looked for only there.
                int at = FirstCountField(d, length, countAt < 0 ? length : Math.Min(length, countAt + key.Length), key, out int end);
                if (at >= 0 && (countAt < 0 || at < countAt)) { countAt = at; countKeyLength = key.Length; digitsEnd = end; }
            }
            if (countAt < 0) return null;

            // Any block after the leftmost count field will do for it, so no later count field needs to be tried.
            for (int b = ImageBytes.IndexOf(d, Start1, digitsEnd, length); b >= 0; b = ImageBytes.IndexOf(d, Start1, b + 1, length))
            {
                var t = new XFlashTable();
                if (!t.ReadBlock(d, length, b)) continue;
                t.CountOffset = countAt;
                t.CountKey = countKeyLength == HowMany.Length ? "HOW_MANY_BIN" : "PARA_OPT";
                int digits = digitsEnd - (countAt + countKeyLength);
                t.CountText = Encoding.ASCII.GetString(d, countAt + countKeyLength, digits > 18 ? 18 : digits);
                t.Count = digits > 18 ? -1 : long.Parse(t.CountText, System.Globalization.CultureInfo.InvariantCulture);
                return t;
            }
            return null;
        }

        /// <summary>The first "KEY=" (wholly before searchTo) followed by at least one digit and at least one NUL; end = just after the digits.</summary>
        static int FirstCountField(byte[] d, int length, int searchTo, byte[] key, out int end)
        {
            end = 0;
            for (int at = ImageBytes.IndexOf(d, key, 0, searchTo); at >= 0; at = ImageBytes.IndexOf(d, key, at + 1, searchTo))
            {
                int p = at + key.Length;
                while (p < length && IsDigit(d[p])) p++;
                if (p > at + key.Length && p < length && d[p] == 0) { end = p; return at; }
            }
            return -1;
        }

        bool ReadBlock(byte[] d, int length, int at)
        {
            if (at > length - BlockLength) return false;
            int p = at;
            var starts = new long[Entries];
            var sizes = new long[Entries];
            for (int i = 0; i < Entries; i++) if (!Number(d, ref p, "BIN_START" + (i + 1) + "=", out starts[i])) return false;
            for (int i = 0; i < Entries; i++) if (!Number(d, ref p, "BIN_SIZE" + (i + 1) + "=", out sizes[i])) return false;
            var names = new string[Entries];
            for (int i = 0; i < Entries; i++)
            {
                if (!ImageBytes.Matches(d, p, "NEW_FW" + (i + 1) + "=")) return false;
                p += 8;
                byte first = d[p];
                if (first != 0 && !IsWordCharacter(first)) return false;
                if (d[p + 7] != 0) return false;
                // The revision is the first 4 of the 7 characters, trailing NULs removed.
                int n = 4;
                while (n > 0 && d[p + n - 1] == 0) n--;
                var chars = new char[n];
                for (int k = 0; k < n; k++) chars[k] = (char)d[p + k];
                names[i] = new string(chars);
                p += 8;
            }
            BlockOffset = at;
            End = p;
            for (int i = 0; i < Entries; i++) Items[i] = new XFlashEntry { Index = i + 1, Start = starts[i], Size = sizes[i], Revision = names[i] };
            return true;
        }

        static bool Number(byte[] d, ref int p, string key, out long value)
        {
            value = 0;
            if (!ImageBytes.Matches(d, p, key)) return false;
            int v = p + key.Length;
            for (int k = 0; k < 10; k++)
            {
                byte c = d[v + k];
                if (!IsDigit(c)) return false;
                value = value * 10 + (c - '0');
            }
            if (d[v + 10] != 0) return false;
            p = v + 11;
            return true;
        }

        static bool IsDigit(byte c) => c >= '0' && c <= '9';

        /// <summary>A regular-expression word character in a byte string: ASCII letter, digit or underscore.</summary>
        static bool IsWordCharacter(byte c) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || IsDigit(c) || c == '_';
    }
}
