using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Firmware.Formats;
using Xunit;

namespace MtkFlash.Tests.Firmware
{
    /// <summary>
    /// The Intel HEX decoder's fast path (one table look-up per byte, whole-record lines decoded in place, the image sized
    /// from the text) must decode exactly what the line-by-line decoder it replaced decoded: same image, same counts, same
    /// problems with the same messages and line numbers. The replaced decoder is kept here, verbatim, as the oracle.
    /// </summary>
    public class IntelHexFastPathTests
    {
        static void AssertSame(string text, string why)
        {
            var bytes = Encoding.Latin1.GetBytes(text);
            var expected = ReferenceDecoder.Decode(bytes, bytes.Length, FirmwareAnalyzer.MaxImageSize);
            var actual = IntelHexDecoder.Decode(bytes, bytes.Length, FirmwareAnalyzer.MaxImageSize);
            Assert.True(expected.Image.SequenceEqual(actual.Image), why + ": image differs (" + expected.Image.Length + " vs " + actual.Image.Length + " bytes)");
            Assert.Equal(expected.DataRecords, actual.DataRecords);
            Assert.Equal(expected.Banks, actual.Banks);
            Assert.Equal(expected.SawEndOfFile, actual.SawEndOfFile);
            Assert.Equal(expected.UsedBankSwitch, actual.UsedBankSwitch);
            Assert.Equal(expected.Problems.Select(p => p.ToString()).ToArray(), actual.Problems.Select(p => p.ToString()).ToArray());
        }

        static IEnumerable<string> Lines(byte[] image, int recordSize, bool bankSwitch) =>
            TestImages.Hex(image, bankSwitch, recordSize).Split('\n').Where(l => l.Length > 0);

        [Theory]
        [InlineData(32, true, "\n")]
        [InlineData(16, false, "\r\n")]
        [InlineData(255, true, "\n")]
        [InlineData(7, false, "\n")]
        [InlineData(1, true, "\r\n")]
        public void Well_formed_files_decode_as_before(int recordSize, bool bankSwitch, string newline)
        {
            var image = TestImages.Btc(seed: recordSize);
            for (int i = 0x20000; i < 0x30000; i++) image[i] = 0xFF; // a gap: its records are left out
            var lines = Lines(image, recordSize, bankSwitch).ToList();
            AssertSame(string.Join(newline, lines) + newline, "dense");
            AssertSame(string.Join(newline, lines), "no newline after the last line");
            AssertSame("\u00EF\u00BB\u00BF" + string.Join(newline, lines.Select(l => l.ToLowerInvariant())), "lower case after a BOM");
            AssertSame(string.Join(newline, lines.Take(lines.Count / 3)) + newline + ":00000001FF" + newline, "a third of the image");
        }

        [Theory]
        [InlineData(":00000001FF\r")]
        [InlineData("\u00EF\u00BB\u00BF:00000001FF")]
        [InlineData("\u00EF\u00BB")]
        [InlineData(":00000001FF\r\r\n")]
        [InlineData(":00000001FF \n")]
        [InlineData(" :00000001FF\n")]
        [InlineData(":00000001FF\n:00000001FF\n")]
        [InlineData(":00000001FF\n\n  \n:00000001FF")]
        [InlineData(":0")]
        [InlineData(":")]
        [InlineData(":FF000000\n")]
        [InlineData(":0100000041BE\n:0100000042BD\n:00000001FF\n")]
        [InlineData(":0100000041BE:00000001FF\n")]
        [InlineData(":0100000041BF\n:00000001FF\n")]
        [InlineData(":01000000G1BE\n:00000001FF\n")]
        [InlineData(":0100000041BE\r\n:00000001FF\r\n")]
        [InlineData(":0100000041BE\r:00000001FF\r")]
        [InlineData(":0100000041BE \t\n:00000001FF\n")]
        [InlineData(":02000004FFFFFC\n:0100000041BE\n:00000001FF\n")]
        [InlineData(":00000155AA\n:0100000041BE\n:00000001FF\n")]
        [InlineData(":0100000041\nBE\n:00000001FF\n")]
        public void Edge_lines_decode_as_before(string text) => AssertSame(text, text);

        [Fact]
        public void Damaged_files_decode_as_before()
        {
            var rng = new Random(1515);
            var images = new[] { TestImages.Btc(seed: 3).Take(3 * 0x10000).ToArray(), TestImages.LiteOn(size: 0x20000, seed: 4) };
            for (int round = 0; round < 1500; round++)
            {
                var lines = Lines(images[round % 2], new[] { 32, 16, 8, 13, 255 }[rng.Next(5)], rng.Next(2) == 0).ToList();
                int ops = 1 + rng.Next(6);
                for (int k = 0; k < ops && lines.Count > 0; k++)
                {
                    int i = rng.Next(lines.Count);
                    var line = lines[i];
                    switch (rng.Next(12))
                    {
                        case 0: lines.RemoveAt(i); break;
                        case 1: lines.Insert(rng.Next(lines.Count + 1), line); break;
                        case 2: if (line.Length > 1) { var c = line.ToCharArray(); c[rng.Next(1, c.Length)] = "0123456789ABCDEFabcdefGx: \r\t\n"[rng.Next(28)]; lines[i] = new string(c); } break;
                        case 3: { int j = rng.Next(lines.Count); lines[i] = lines[j]; lines[j] = line; break; }
                        case 4: lines.Insert(i, ":00000155AA"); break;
                        case 5: lines.Insert(i, TestImages.Record(rng.Next(0x10000), new[] { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x55, 0x07 }[rng.Next(8)], Enumerable.Range(0, rng.Next(0, 40)).Select(_ => (byte)rng.Next(256)).ToArray())); break;
                        case 6: lines[i] = line.Substring(0, rng.Next(line.Length + 1)); break;
                        case 7: lines.Insert(i, TestImages.Record(0, 0x04, new[] { (byte)rng.Next(4), (byte)rng.Next(256) })); break;
                        case 8: lines[i] = (rng.Next(2) == 0 ? " " : "\t") + line; break;
                        case 9: lines[i] = line + line; break;
                        case 10: lines.Insert(i, string.Empty); break;
                        default: lines[i] = line + (rng.Next(2) == 0 ? "\r" : "  "); break;
                    }
                }
                var newline = rng.Next(3) == 0 ? "\r\n" : "\n";
                AssertSame(string.Join(newline, lines) + (rng.Next(2) == 0 ? newline : string.Empty), "round " + round);
            }
        }

        /// <summary>The decoder as it was before the fast path (commit d7325dd), unchanged: the oracle.</summary>
        static class ReferenceDecoder
        {
            const int Bank = 0x10000;
            const int MaxReportsPerCode = 3;

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
}
