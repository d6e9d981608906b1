using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace MtkFlash.Core.Firmware.Formats
{
    /// <summary>The binary an Intel HEX file describes, and what was wrong with the text.</summary>
    internal sealed class HexDecodeResult
    {
        public byte[] Image;
        public int DataRecords;
        public int Banks;
        public bool SawEndOfFile;
        public bool UsedBankSwitch;
        public readonly List<FirmwareProblem> Problems = new List<FirmwareProblem>();
    }

    /// <summary>
    /// Intel HEX as the MediaTek DOS/BTC flashers read it. docs/reference/drive-protocols.md §2.1 (schilytools btcflash.c): 16-bit
    /// addresses inside a 64 KiB bank; the nonstandard record <c>:00000155AA</c> (length 0, address 0001, type 0x55)
    /// switches to the next bank; EOF is <c>:00000001FF</c>; the buffer is pre-filled with 0xFF. Record types 02/04
    /// (extended segment/linear address) and 03/05 (start address) are the standard Intel HEX ones.
    /// </summary>
    internal static class IntelHexDecoder
    {
        const int Bank = 0x10000;
        /// <summary>Report the first few lines of each kind of fault, then a count (fuzzed files can have thousands).</summary>
        const int MaxReportsPerCode = 3;

        /// <summary>True when the text starts (after whitespace / a UTF-8 BOM) with ':' and a hex digit.</summary>
        public static bool LooksLikeHex(byte[] data, int length)
        {
            int i = 0;
            if (length >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) i = 3;
            while (i < length && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) i++;
            return i + 1 < length && data[i] == ':' && HexValue(data[i + 1]) >= 0;
        }

        public static unsafe HexDecodeResult Decode(byte[] text, int length, int maxImageSize)
        {
            var r = new HexDecodeResult();
            var counts = new Dictionary<string, int>();
            byte[] image = new byte[0];
            byte[] written = new byte[0]; // one bit per image byte, for overlap detection
            int bank = 0, maxEnd = 0;
            long upperBase = 0; // from type 02/04 records
            int lineNo = 0, pos = 0;
            if (length >= 3 && text[0] == 0xEF && text[1] == 0xBB && text[2] == 0xBF) pos = 3;
            var record = new byte[260];

            void Report(string code, string message)
            {
                counts.TryGetValue(code, out var n);
                counts[code] = n + 1;
                if (n < MaxReportsPerCode) r.Problems.Add(new FirmwareProblem(code, ProblemSeverity.Error, message));
            }

            void Ensure(int size)
            {
                if (size <= image.Length) return;
                int newSize = Math.Max(size, Math.Min(maxImageSize, Math.Max(image.Length * 2, 4 * Bank)));
                newSize = (newSize + Bank - 1) / Bank * Bank;
                int old = image.Length;
                Array.Resize(ref image, newSize);
                ImageBytes.Fill(image, old, newSize - old, 0xFF); // btcflash pre-fills with 0xFF (§2.1)
                Array.Resize(ref written, newSize / 8);
            }

            // Sized from the text up front, so that a dense file is decoded without growing (and copying) the image.
            Ensure(GuessImageSize(text, pos, length, maxImageSize));

            fixed (byte* t = text)
            fixed (byte* rec = record)
            fixed (ushort* pairs = HexPairs)
            while (pos < length)
            {
                int start = pos, end, n, sum;
                // Fast path: a record line ":LLAAAATT…CC" whose length byte says where it ends, followed by LF, CRLF or the
                // end of the text, and holding only hex digits, is the whole (trimmed) line; it is decoded in the same pass.
                // Anything else takes the general path below, which finds, trims and decodes the line as text.
                if ((n = WholeRecordLine(t, pos, length, rec, pairs, out sum)) > 0)
                {
                    end = pos + 1 + 2 * n;
                    pos = end == length ? length + 1 : t[end] == '\n' ? end + 1 : end + 2;
                    lineNo++;
                    if (r.SawEndOfFile)
                    {
                        Report(FirmwareProblemCodes.HexDataAfterEndOfFile, "Line " + lineNo + ": text after the end-of-file record is ignored by the flashers.");
                        break;
                    }
                }
                else
                {
                    int nl = Array.IndexOf(text, (byte)'\n', pos, length - pos);
                    end = nl < 0 ? length : nl;
                    pos = end + 1;
                    lineNo++;
                    while (start < end && IsSpace(t[start])) start++;
                    while (end > start && IsSpace(t[end - 1])) end--;
                    if (start == end) continue;

                    if (r.SawEndOfFile)
                    {
                        // btcflash stops reading at EOF; anything after it is not flashed.
                        Report(FirmwareProblemCodes.HexDataAfterEndOfFile, "Line " + lineNo + ": text after the end-of-file record is ignored by the flashers.");
                        break;
                    }
                    if (t[start] != ':' || ((end - start - 1) & 1) != 0 || end - start < 11)
                    {
                        Report(FirmwareProblemCodes.HexSyntax, "Line " + lineNo + " is not an Intel HEX record.");
                        continue;
                    }
                    n = (end - start - 1) / 2;
                    if (n > record.Length) { Report(FirmwareProblemCodes.HexSyntax, "Line " + lineNo + " is longer than any Intel HEX record."); continue; }
                    if (DecodePairs(t + start + 1, rec, n, pairs, out sum) != n) { Report(FirmwareProblemCodes.HexSyntax, "Line " + lineNo + " has characters that are not hex digits."); continue; }
                }
                int len = record[0], addr = record[1] << 8 | record[2], type = record[3];
                if (n != len + 5) { Report(FirmwareProblemCodes.HexSyntax, "Line " + lineNo + ": the record length byte (" + len + ") does not match the line."); continue; }
                if ((sum & 0xFF) != 0)
                {
                    Report(FirmwareProblemCodes.HexBadChecksum, "Line " + lineNo + ": record checksum is wrong (the line is damaged).");
                    continue;
                }

                switch (type)
                {
                    case 0x00:
                    {
                        long offset = (long)bank * Bank + upperBase + addr;
                        if (offset + len > maxImageSize)
                        {
                            Report(FirmwareProblemCodes.TooLarge, "Line " + lineNo + ": data at 0x" + offset.ToString("X") + " lies beyond the largest firmware image (0x" + maxImageSize.ToString("X") + " bytes).");
                            continue;
                        }
                        int o = (int)offset;
                        if (o + len > image.Length) Ensure(o + len);
                        fixed (byte* dst = image) Copy(rec + 4, dst + o, len);
                        if (MarkWritten(written, o, len)) Report(FirmwareProblemCodes.HexOverlap, "Line " + lineNo + ": data at 0x" + o.ToString("X") + " overwrites bytes an earlier record set.");
                        r.DataRecords++;
                        if (o + len > maxEnd) maxEnd = o + len;
                        break;
                    }
                    case 0x01:
                        // EOF must be exactly :00000001FF (§2.1).
                        if (len != 0 || addr != 0) Report(FirmwareProblemCodes.HexSyntax, "Line " + lineNo + ": malformed end-of-file record.");
                        r.SawEndOfFile = true;
                        break;
                    case 0x55:
                        // BTC bank switch: exactly :00000155AA (length 0, address 0001); btcflash.c, §2.1.
                        if (len != 0 || addr != 0x0001)
                        {
                            Report(FirmwareProblemCodes.HexBadBankSwitch, "Line " + lineNo + ": bank-switch record (type 55) must be :00000155AA.");
                            continue;
                        }
                        if ((long)(bank + 2) * Bank > maxImageSize)
                        {
                            Report(FirmwareProblemCodes.HexBadBankSwitch, "Line " + lineNo + ": bank switch beyond bank " + (maxImageSize / Bank - 1) + " (larger than any firmware image).");
                            continue;
                        }
                        bank++;
                        r.UsedBankSwitch = true;
                        break;
                    case 0x02:
                    case 0x04:
                        if (len != 2) { Report(FirmwareProblemCodes.HexSyntax, "Line " + lineNo + ": extended address record must carry 2 bytes."); continue; }
                        upperBase = type == 0x04 ? (long)(record[4] << 8 | record[5]) << 16 : (long)(record[4] << 8 | record[5]) << 4;
                        break;
                    case 0x03:
                    case 0x05:
                        break; // start address: no data
                    default:
                        Report(FirmwareProblemCodes.HexUnsupportedRecord, "Line " + lineNo + ": record type 0x" + type.ToString("X2") + " is not Intel HEX or BTC bank switch.");
                        break;
                }
            }

            foreach (var kv in counts)
                if (kv.Value > MaxReportsPerCode)
                    r.Problems.Add(new FirmwareProblem(kv.Key, ProblemSeverity.Error, (kv.Value - MaxReportsPerCode) + " more lines with the same fault (" + kv.Key + ")."));
            if (!r.SawEndOfFile)
                r.Problems.Add(new FirmwareProblem(FirmwareProblemCodes.HexNoEndOfFile, ProblemSeverity.Error, "No end-of-file record (:00000001FF): the file is probably truncated."));
            if (r.DataRecords == 0)
                r.Problems.Add(new FirmwareProblem(FirmwareProblemCodes.HexNoData, ProblemSeverity.Error, "The HEX file holds no data records."));

            // The image spans every bank the file switched to (btcflash sizes its buffer by banks) and every byte written.
            long size = Math.Max((long)(bank + (r.UsedBankSwitch ? 1 : 0)) * Bank, ((long)maxEnd + Bank - 1) / Bank * Bank);
            if (r.DataRecords == 0) size = 0;
            size = Math.Min(size, maxImageSize);
            Ensure((int)size);
            if (image.Length != size) Array.Resize(ref image, (int)size);
            r.Image = image;
            r.Banks = (int)(size / Bank);
            return r;
        }

        /// <summary>
        /// Every pair of characters (first in the low byte) to its byte value, or 0x100 when either is not a hex digit: one
        /// table look-up per record byte instead of two digit conversions.
        /// </summary>
        static readonly ushort[] HexPairs = BuildPairs();

        static ushort[] BuildPairs()
        {
            var pairs = new ushort[0x10000];
            for (int i = 0; i < pairs.Length; i++)
            {
                // Indexed by the two characters read as one 16-bit word in the machine's byte order.
                int first = BitConverter.IsLittleEndian ? i & 0xFF : i >> 8, second = BitConverter.IsLittleEndian ? i >> 8 : i & 0xFF;
                int hi = HexValue((byte)first), lo = HexValue((byte)second);
                pairs[i] = hi < 0 || lo < 0 ? (ushort)0x100 : (ushort)(hi << 4 | lo);
            }
            return pairs;
        }

        /// <summary>
        /// When the line at pos is exactly one record ':' + 2 × (length byte + 5) hex digits, ended by LF, CRLF or the end of
        /// the text, decodes it into record and returns its byte count; otherwise 0 (the caller then reads the line as text).
        /// </summary>
        static unsafe int WholeRecordLine(byte* t, int pos, int length, byte* record, ushort* pairs, out int sum)
        {
            sum = 0;
            if (t[pos] != ':' || pos + 2 >= length) return 0;
            int first = pairs[*(ushort*)(t + pos + 1)];
            if (first > 0xFF) return 0;
            int n = first + 5, end = pos + 1 + 2 * n;
            if (end > length) return 0;
            if (end < length && t[end] != '\n' && !(t[end] == '\r' && (end + 1 == length || t[end + 1] == '\n'))) return 0;
            return DecodePairs(t + pos + 1, record, n, pairs, out sum) == n ? n : 0;
        }

        /// <summary>
        /// Decodes count character pairs from p into record; returns count, or −1 when a character is not a hex digit. sum is
        /// the sum of the decoded bytes (the record checksum when the whole line is decoded).
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)] // kept small so its loop stays in registers
        static unsafe int DecodePairs(byte* p, byte* record, int count, ushort* pairs, out int sum)
        {
            int bad = 0, total = 0, i = 0;
            ushort* chars = (ushort*)p;
            for (; i + 1 < count; i += 2)
            {
                int a = pairs[chars[i]], b = pairs[chars[i + 1]];
                bad |= a | b;
                total += a + b;
                record[i] = (byte)a;
                record[i + 1] = (byte)b;
            }
            if (i < count)
            {
                int v = pairs[chars[i]];
                bad |= v;
                total += v;
                record[i] = (byte)v;
            }
            sum = total;
            return (bad & 0x100) != 0 ? -1 : count;
        }

        /// <summary>
        /// The image size a dense file of this length describes, from its first line: text length × data bytes per line ÷
        /// characters per line, to the nearest bank (at least one, at most maxImageSize). Only a first allocation: the
        /// image grows or is cut to what the records say.
        /// </summary>
        static int GuessImageSize(byte[] text, int pos, int length, int maxImageSize)
        {
            int nl = pos < length ? Array.IndexOf(text, (byte)'\n', pos, length - pos) : -1;
            if (nl < 0 || nl - pos < 3 || text[pos] != ':') return Math.Min(Bank, maxImageSize);
            int hi = HexValue(text[pos + 1]), lo = HexValue(text[pos + 2]);
            if (hi < 0 || lo < 0 || (hi | lo) == 0) return Math.Min(Bank, maxImageSize);
            long estimate = (long)length * (hi << 4 | lo) / (nl - pos + 1);
            long banks = Math.Max(1, (estimate + Bank / 2) / Bank);
            return (int)Math.Min(banks * Bank, maxImageSize);
        }

        static unsafe void Copy(byte* from, byte* to, int count)
        {
            int i = 0;
            for (; i + 8 <= count; i += 8) *(ulong*)(to + i) = *(ulong*)(from + i);
            for (; i < count; i++) to[i] = from[i];
        }

        /// <summary>Sets the bits of bytes [offset, offset + count) in the one-bit-per-byte map; true when any was set already.</summary>
        static bool MarkWritten(byte[] written, int offset, int count)
        {
            bool overlap = false;
            int at = offset, end = offset + count;
            if (((offset | count) & 7) == 0)
            {
                // Whole bytes of the map (records of 8, 16, 32 … bytes at such addresses).
                int bits = 0;
                for (int k = offset >> 3, last = end >> 3; k < last; k++) { bits |= written[k]; written[k] = 0xFF; }
                return bits != 0;
            }
            while (at < end && (at & 7) != 0) { overlap |= Mark(written, at); at++; }
            for (; at + 8 <= end; at += 8)
            {
                overlap |= written[at >> 3] != 0;
                written[at >> 3] = 0xFF;
            }
            for (; at < end; at++) overlap |= Mark(written, at);
            return overlap;
        }

        static bool Mark(byte[] written, int at)
        {
            int bit = 1 << (at & 7);
            bool was = (written[at >> 3] & bit) != 0;
            written[at >> 3] |= (byte)bit;
            return was;
        }

        static bool IsSpace(byte b) => b == ' ' || b == '\t' || b == '\r' || b == '\n';

        static int HexValue(byte c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            return -1;
        }
    }
}
