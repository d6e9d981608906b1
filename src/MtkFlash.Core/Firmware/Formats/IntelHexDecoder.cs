using System;
using System.Collections.Generic;

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
    /// Intel HEX as the MediaTek DOS/BTC flashers read it. drive-protocols.md §2.1 (schilytools btcflash.c): 16-bit
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

        public static HexDecodeResult Decode(byte[] text, int length, int maxImageSize)
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
                for (int i = old; i < newSize; i++) image[i] = 0xFF; // btcflash pre-fills with 0xFF (§2.1)
                Array.Resize(ref written, newSize / 8);
            }

            while (pos < length)
            {
                int start = pos;
                while (pos < length && text[pos] != '\n') pos++;
                int end = pos;
                pos++;
                lineNo++;
                while (start < end && IsSpace(text[start])) start++;
                while (end > start && IsSpace(text[end - 1])) end--;
                if (start == end) continue;

                if (r.SawEndOfFile)
                {
                    // btcflash stops reading at EOF; anything after it is not flashed.
                    Report(FirmwareProblemCodes.HexDataAfterEndOfFile, "Line " + lineNo + ": text after the end-of-file record is ignored by the flashers.");
                    break;
                }
                if (text[start] != ':' || ((end - start - 1) & 1) != 0 || end - start < 11)
                {
                    Report(FirmwareProblemCodes.HexSyntax, "Line " + lineNo + " is not an Intel HEX record.");
                    continue;
                }
                int n = (end - start - 1) / 2;
                if (n > record.Length) { Report(FirmwareProblemCodes.HexSyntax, "Line " + lineNo + " is longer than any Intel HEX record."); continue; }
                bool bad = false;
                for (int i = 0; i < n; i++)
                {
                    int hi = HexValue(text[start + 1 + 2 * i]), lo = HexValue(text[start + 2 + 2 * i]);
                    if (hi < 0 || lo < 0) { bad = true; break; }
                    record[i] = (byte)(hi << 4 | lo);
                }
                if (bad) { Report(FirmwareProblemCodes.HexSyntax, "Line " + lineNo + " has characters that are not hex digits."); continue; }
                int len = record[0], addr = record[1] << 8 | record[2], type = record[3];
                if (n != len + 5) { Report(FirmwareProblemCodes.HexSyntax, "Line " + lineNo + ": the record length byte (" + len + ") does not match the line."); continue; }
                int sum = 0;
                for (int i = 0; i < n; i++) sum += record[i];
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
                        Ensure(o + len);
                        bool overlap = false;
                        for (int i = 0; i < len; i++)
                        {
                            int at = o + i;
                            int bit = 1 << (at & 7);
                            if ((written[at >> 3] & bit) != 0) overlap = true;
                            written[at >> 3] |= (byte)bit;
                            image[at] = record[4 + i];
                        }
                        if (overlap) Report(FirmwareProblemCodes.HexOverlap, "Line " + lineNo + ": data at 0x" + o.ToString("X") + " overwrites bytes an earlier record set.");
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
