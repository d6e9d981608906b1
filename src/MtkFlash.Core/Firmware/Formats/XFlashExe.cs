using System;
using System.Collections.Generic;
using System.Text;

namespace MtkFlash.Core.Firmware.Formats
{
    /// <summary>One BIN_STARTn/BIN_SIZEn/NEW_FWn entry of an XFlash descriptor table.</summary>
    internal sealed class XFlashEntry
    {
        public int Index;
        public long Start;
        public long Size;
        public string Revision;
        /// <summary>Absolute offset of the data in the EXE.</summary>
        public long DataOffset;
        public bool InsideFile;
    }

    internal sealed class XFlashDescriptor
    {
        public int TableOffset;
        public int TableEnd;
        public int Count;
        public bool IsXfb;
        public string Version;
        public readonly List<XFlashEntry> Entries = new List<XFlashEntry>();
        public readonly List<FirmwareProblem> Problems = new List<FirmwareProblem>();
    }

    /// <summary>
    /// LiteOn/Sony XFlash flasher EXEs with an embedded BIN. drive-protocols.md §3.5 (rpc1dev/omnipatcher common_xflash.pl):
    /// ASCII KEY=value fields, each NUL-terminated: HOW_MANY_BIN (or PARA_OPT) = digits with NUL padding, BIN_START1..4 =
    /// 10 digits, BIN_SIZE1..4 = 10 digits, NEW_FW1..4 = 7 characters; start offsets are relative to the end of the table.
    /// Method 0 is a plain copy (start + 0x1000 for XFB flashers). Methods 1–3 (flip-n-swap, Fibonacci XOR, and-key) need
    /// parameters the reference does not give (skip_pre/skip_len, the key-stream recurrence, the and-key), so they are
    /// reported, not guessed.
    /// </summary>
    internal static class XFlashExe
    {
        static readonly byte[] HowMany = Encoding.ASCII.GetBytes("HOW_MANY_BIN=");
        static readonly byte[] ParaOpt = Encoding.ASCII.GetBytes("PARA_OPT=");
        /// <summary>How far after HOW_MANY_BIN the other fields are looked for. [I] 12 fields of ≤ 24 bytes plus padding.</summary>
        const int TableWindow = 0x400;

        public static bool IsExecutable(byte[] data, int length) => length >= 2 && data[0] == (byte)'M' && data[1] == (byte)'Z';

        /// <summary>The descriptor table, or null when the EXE has none (an unknown or packed flasher).</summary>
        public static XFlashDescriptor Find(byte[] data, int length)
        {
            int at = ImageBytes.IndexOf(data, HowMany, 0, length);
            int keyLen = HowMany.Length;
            if (at < 0) { at = ImageBytes.IndexOf(data, ParaOpt, 0, length); keyLen = ParaOpt.Length; }
            if (at < 0) return null;

            var d = new XFlashDescriptor { TableOffset = at };
            int p = at + keyLen;
            int count = 0, digits = 0;
            while (p < length && data[p] >= '0' && data[p] <= '9' && digits < 9) { count = count * 10 + (data[p] - '0'); p++; digits++; }
            int tableEnd = p;
            if (digits == 0 || count < 1 || count > 4)
            {
                d.Problems.Add(new FirmwareProblem(FirmwareProblemCodes.XFlashDescriptorInvalid, ProblemSeverity.Error,
                    "The flasher's HOW_MANY_BIN field is not a count from 1 to 4."));
                return d;
            }
            d.Count = count;
            int window = Math.Min(length, at + TableWindow);

            for (int i = 1; i <= count; i++)
            {
                var e = new XFlashEntry { Index = i };
                bool ok = Field(data, at, window, "BIN_START" + i + "=", 10, true, out var start, ref tableEnd)
                        & Field(data, at, window, "BIN_SIZE" + i + "=", 10, true, out var size, ref tableEnd);
                // NEW_FWn: 7 characters (e.g. "US0N" padded); the revision is the trimmed text.
                string rev = null;
                int f = ImageBytes.IndexOf(data, "NEW_FW" + i + "=", at, window);
                if (f >= 0)
                {
                    int v = f + ("NEW_FW" + i + "=").Length;
                    rev = ImageBytes.Ascii(data, v, Math.Min(7, Math.Max(0, length - v)));
                    tableEnd = Math.Max(tableEnd, FieldEnd(data, v + 7, length));
                }
                if (!ok)
                {
                    d.Problems.Add(new FirmwareProblem(FirmwareProblemCodes.XFlashDescriptorInvalid, ProblemSeverity.Error,
                        "The flasher's descriptor has no valid BIN_START" + i + "/BIN_SIZE" + i + " (10 digits each)."));
                    continue;
                }
                e.Start = start; e.Size = size; e.Revision = rev == null ? null : rev.Trim();
                d.Entries.Add(e);
            }
            d.TableEnd = tableEnd;

            int ver = ImageBytes.IndexOf(data, "XFB-", 0, length);
            d.IsXfb = ver >= 0;
            if (ver < 0) ver = ImageBytes.IndexOf(data, "Ver ", 0, length);
            if (ver >= 0) d.Version = ReadToken(data, ver, length);

            foreach (var e in d.Entries)
            {
                // §3.5: offsets are relative to the end of the table; XFB flashers add 0x1000 (method 0).
                e.DataOffset = d.TableEnd + e.Start + (d.IsXfb ? 0x1000 : 0);
                e.InsideFile = e.Size > 0 && e.DataOffset + e.Size <= length;
                if (!e.InsideFile)
                    d.Problems.Add(new FirmwareProblem(FirmwareProblemCodes.XFlashOutsideFile, ProblemSeverity.Error,
                        "Embedded image " + e.Index + " (offset 0x" + e.DataOffset.ToString("X") + ", size 0x" + e.Size.ToString("X") +
                        ") lies outside the file (" + length + " bytes): the EXE is truncated or its descriptor is damaged."));
            }
            return d;
        }

        /// <summary>Reads KEY=dddddddddd (NUL-terminated); extends tableEnd past its terminator.</summary>
        static bool Field(byte[] data, int from, int to, string key, int digits, bool numeric, out long value, ref int tableEnd)
        {
            value = 0;
            int f = ImageBytes.IndexOf(data, key, from, to);
            if (f < 0) return false;
            int v = f + key.Length;
            if (v + digits > data.Length) return false;
            for (int k = 0; k < digits; k++)
            {
                byte c = data[v + k];
                if (c < '0' || c > '9') return false;
                value = value * 10 + (c - '0');
            }
            tableEnd = Math.Max(tableEnd, FieldEnd(data, v + digits, data.Length));
            return true;
        }

        /// <summary>[I] The table ends after the NUL that terminates its last field.</summary>
        static int FieldEnd(byte[] data, int p, int length) => p < length && data[p] == 0 ? p + 1 : p;

        static string ReadToken(byte[] data, int at, int length)
        {
            int e = at;
            while (e < length && e - at < 32 && data[e] >= 0x20 && data[e] < 0x7F && data[e] != ']') e++;
            return Encoding.ASCII.GetString(data, at, e - at).Trim();
        }
    }
}
