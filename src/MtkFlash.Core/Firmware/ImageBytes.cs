using System;
using System.Text;

namespace MtkFlash.Core.Firmware
{
    /// <summary>
    /// Byte helpers tuned for whole-image passes: analysis must stay close to SHA-256 speed (issue 6), so sums and fill
    /// checks read 8 bytes at a time and searches start with the runtime's vectorised Array.IndexOf.
    /// </summary>
    internal static class ImageBytes
    {
        const ulong LowBytes = 0x00FF00FF00FF00FFUL;

        /// <summary>Σ bytes[offset .. offset+count) (full 64-bit sum; callers mask to 16 bits).</summary>
        public static unsafe ulong Sum(byte[] data, int offset, int count)
        {
            if (offset < 0 || count < 0 || offset > data.Length - count) throw new ArgumentOutOfRangeException(nameof(count));
            ulong total = 0;
            fixed (byte* start = data)
            {
                byte* p = start + offset;
                byte* end = p + count;
                // Each 64-bit word adds its bytes into four 16-bit lanes; a lane gains at most 2 × 255 per word,
                // so 128 words (1 KiB) cannot overflow it before the lanes are folded into the total.
                while (end - p >= 1024)
                {
                    ulong lanes = 0;
                    ulong* w = (ulong*)p;
                    for (int i = 0; i < 128; i += 4)
                    {
                        ulong a = w[i], b = w[i + 1], c = w[i + 2], d = w[i + 3];
                        lanes += (a & LowBytes) + ((a >> 8) & LowBytes) + (b & LowBytes) + ((b >> 8) & LowBytes)
                               + (c & LowBytes) + ((c >> 8) & LowBytes) + (d & LowBytes) + ((d >> 8) & LowBytes);
                    }
                    total += (lanes & 0xFFFF) + ((lanes >> 16) & 0xFFFF) + ((lanes >> 32) & 0xFFFF) + (lanes >> 48);
                    p += 1024;
                }
                while (p < end) total += *p++;
            }
            return total;
        }

        public static int Sum16(byte[] data, int offset, int count) => (int)(Sum(data, offset, count) & 0xFFFF);

        /// <summary>True when every byte of the range equals value.</summary>
        public static unsafe bool IsFilled(byte[] data, int offset, int count, byte value)
        {
            if (offset < 0 || count < 0 || offset > data.Length - count) return false;
            ulong pattern = value * 0x0101010101010101UL;
            fixed (byte* start = data)
            {
                byte* p = start + offset;
                byte* end = p + count;
                while (end - p >= 8) { if (*(ulong*)p != pattern) return false; p += 8; }
                while (p < end) { if (*p != value) return false; p++; }
            }
            return true;
        }

        /// <summary>Sets every byte of the range to value, 8 bytes at a time.</summary>
        public static unsafe void Fill(byte[] data, int offset, int count, byte value)
        {
            if (offset < 0 || count < 0 || offset > data.Length - count) throw new ArgumentOutOfRangeException(nameof(count));
            ulong pattern = value * 0x0101010101010101UL;
            fixed (byte* start = data)
            {
                byte* p = start + offset;
                byte* end = p + count;
                while (end - p >= 8) { *(ulong*)p = pattern; p += 8; }
                while (p < end) *p++ = value;
            }
        }

        /// <summary>The range holds only 0x00 and 0xFF bytes in runs (erased or zeroed): "no data" for a region.</summary>
        public static bool IsBlank(byte[] data, int offset, int count) =>
            IsFilled(data, offset, count, 0xFF) || IsFilled(data, offset, count, 0x00) || IsOnlyZeroOrFf(data, offset, count);

        static unsafe bool IsOnlyZeroOrFf(byte[] data, int offset, int count)
        {
            if (offset < 0 || count < 0 || offset > data.Length - count) return false;
            for (int i = offset; i < offset + count; i++) if (data[i] != 0 && data[i] != 0xFF) return false;
            return true;
        }

        public static bool Matches(byte[] data, int offset, byte[] pattern)
        {
            if (offset < 0 || offset > data.Length - pattern.Length) return false;
            for (int i = 0; i < pattern.Length; i++) if (data[offset + i] != pattern[i]) return false;
            return true;
        }

        public static bool Matches(byte[] data, int offset, string ascii)
        {
            if (offset < 0 || offset > data.Length - ascii.Length) return false;
            for (int i = 0; i < ascii.Length; i++) if (data[offset + i] != (byte)ascii[i]) return false;
            return true;
        }

        /// <summary>
        /// First offset ≥ from where pattern occurs (wholly before to), or −1. Array.IndexOf is vectorised on .NET Core; it
        /// looks for the pattern's first byte that is neither 0x00 nor 0xFF, since images and EXEs are full of those two.
        /// </summary>
        public static int IndexOf(byte[] data, byte[] pattern, int from = 0, int to = -1)
        {
            if (to < 0 || to > data.Length) to = data.Length;
            if (pattern.Length == 0 || from < 0) return -1;
            int last = to - pattern.Length;
            int anchor = 0;
            while (anchor < pattern.Length - 1 && (pattern[anchor] == 0x00 || pattern[anchor] == 0xFF)) anchor++;
            byte a = pattern[anchor];
            int i = from;
            while (i <= last)
            {
                int hit = Array.IndexOf(data, a, i + anchor, last - i + 1);
                if (hit < 0) return -1;
                i = hit - anchor;
                int k = 0;
                while (k < pattern.Length && data[i + k] == pattern[k]) k++;
                if (k == pattern.Length) return i;
                i++;
            }
            return -1;
        }

        public static int IndexOf(byte[] data, string ascii, int from = 0, int to = -1) => IndexOf(data, Encoding.ASCII.GetBytes(ascii), from, to);

        /// <summary>
        /// True when either text occurs anywhere in data: IndexOf(first) ≥ 0 || IndexOf(second) ≥ 0, in one pass when the two
        /// share a character (each hit of it is tried as a place in both).
        /// </summary>
        public static bool ContainsEither(byte[] data, string first, string second)
        {
            byte[] a = Encoding.ASCII.GetBytes(first), b = Encoding.ASCII.GetBytes(second);
            int ia = -1, ib = -1;
            for (int i = 0; i < a.Length && ia < 0; i++)
            {
                int j = Array.IndexOf(b, a[i]);
                if (j >= 0 && a[i] != 0x00 && a[i] != 0xFF) { ia = i; ib = j; }
            }
            if (ia < 0) return IndexOf(data, a) >= 0 || IndexOf(data, b) >= 0;
            byte anchor = a[ia];
            for (int h = Array.IndexOf(data, anchor); h >= 0; h = h + 1 < data.Length ? Array.IndexOf(data, anchor, h + 1) : -1)
                if (Matches(data, h - ia, a) || Matches(data, h - ib, b)) return true;
            return false;
        }

        /// <summary>A printable ASCII field (NULs count as spaces, OmniPatcher fw_mtk.pl), trimmed at the end; null if not printable.</summary>
        public static string Ascii(byte[] data, int offset, int length)
        {
            if (offset < 0 || length < 0 || offset > data.Length - length) return null;
            var chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                byte b = data[offset + i];
                if (b == 0) b = 0x20;
                if (b < 0x20 || b > 0x7E) return null;
                chars[i] = (char)b;
            }
            return new string(chars).TrimEnd();
        }

        /// <summary>The same field stored byte-swapped per 16-bit word (ATA IDENTIFY strings).</summary>
        public static byte[] SwapWords(byte[] ascii)
        {
            var r = (byte[])ascii.Clone();
            for (int i = 0; i + 1 < r.Length; i += 2) { var t = r[i]; r[i] = r[i + 1]; r[i + 1] = t; }
            return r;
        }

        public static string Hex4(int value) => (value & 0xFFFF).ToString("X4");

        public static string HexOffset(long offset) => "0x" + offset.ToString("X");
    }

    /// <summary>
    /// Image-sized arrays reused by the analysis when only a report is wanted (a folder of flashers yields images of a few
    /// sizes over and over; fresh arrays cost page faults and zeroing as large as the hash). A few per thread, held weakly
    /// so that a collection can take them back. Contents of a rented array are undefined: the renter writes every byte.
    /// </summary>
    internal static class ImageArrays
    {
        const int Held = 4;
        [ThreadStatic] static WeakReference<byte[]>[] free;

        public static byte[] Rent(int size)
        {
            var slots = free;
            if (slots != null)
                for (int i = 0; i < slots.Length; i++)
                    if (slots[i] != null && slots[i].TryGetTarget(out var a) && a.Length == size) { slots[i] = null; return a; }
            return new byte[size];
        }

        public static void Return(byte[] array)
        {
            var slots = free ?? (free = new WeakReference<byte[]>[Held]);
            int at = -1;
            for (int i = 0; i < slots.Length && at < 0; i++)
                if (slots[i] == null || !slots[i].TryGetTarget(out _)) at = i;
            slots[at < 0 ? Environment.TickCount & (Held - 1) : at] = new WeakReference<byte[]>(array); // all held: replace one
        }
    }
}
