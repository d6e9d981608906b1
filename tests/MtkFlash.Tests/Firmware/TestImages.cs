using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace MtkFlash.Tests.Firmware
{
    /// <summary>
    /// Test-side image builders, written from the documented layouts only (docs/reference/drive-protocols.md §2.1–§2.5, §3.3–§3.5;
    /// docs/reference/mt1959-notes.md §1.2), independently of the product's analyser and of the virtual-drive image generator.
    /// Filler is seeded pseudo-random "code" so that no accidental pattern depends on the test run.
    /// </summary>
    public static class TestImages
    {
        public const int KiB = 1024, MiB = 1024 * 1024;

        static byte[] Filler(int size, int seed)
        {
            var d = new byte[size];
            new Random(seed).NextBytes(d);
            return d;
        }

        /// <summary>Seeded pseudo-random bytes: the flash contents and images of the protocol tests.</summary>
        public static byte[] Random(int size, int seed) => Filler(size, seed);

        /// <summary>Writes <paramref name="text"/> as ASCII at <paramref name="offset"/> (no padding).</summary>
        public static void PutAscii(byte[] b, int offset, string text)
        {
            var bytes = Encoding.ASCII.GetBytes(text);
            Buffer.BlockCopy(bytes, 0, b, offset, bytes.Length);
        }

        static void Put(byte[] d, int offset, string ascii, int width)
        {
            var s = (ascii ?? string.Empty).PadRight(width).Substring(0, width);
            Encoding.ASCII.GetBytes(s, 0, width, d, offset);
        }

        static void Fill(byte[] d, int start, int endInclusive, byte value)
        {
            for (int i = start; i <= endInclusive; i++) d[i] = value;
        }

        public static string Sha256(byte[] d) => Convert.ToHexString(SHA256.HashData(d)).ToLowerInvariant();

        public static int Sum16(byte[] d, int start, int count)
        {
            int s = 0;
            for (int i = start; i < start + count; i++) s += d[i];
            return s & 0xFFFF;
        }

        /// <summary>MT1959-family 2 MiB image: boot ID @0x3000, integrity table @0x10400, identity block @0x1EC000, blank per-unit areas.</summary>
        public static byte[] Mt1959(string vendor = "HL-DT-ST", string product = "BD-RE BH16NS40", string revision = "1.05",
            string bootId = "MT1959 Boot JB8 ", string chip = "MT1959", bool downgradeEnabled = true, bool withCalibration = false, int seed = 1959)
        {
            var d = Filler(2 * MiB, seed);
            Put(d, 0x3000, bootId, 16);
            // Integrity table: two active entries, the rest unused (0xFFFFFFFF), 28 bytes each, little-endian.
            Fill(d, 0x10400, 0x10400 + 16 * 28 - 1, 0xFF);
            WriteEntry(d, 0, 0x10000, 0x1CFFFF);
            WriteEntry(d, 1, 0x10400, 0x105BF);
            // Per-unit and drive-written areas are blank in vendor images (docs/reference/mt1959-notes.md §2, MK-18895).
            Fill(d, 0x1D8000, 0x1FFFFF, 0xFF);
            Fill(d, 0x1EC000, 0x1EC0FF, 0x00);
            Put(d, 0x1EC000, vendor, 8);
            Put(d, 0x1EC008, product, 16);
            Put(d, 0x1EC018, revision, 4);
            Put(d, 0x1EC01C, "N003600", 8);
            Put(d, 0x1EC024, "UNIQUE2106281341", 16);
            if (chip != null) Put(d, 0x1EC034, "MTEK" + chip, 10);
            d[0x1EC050] = 0x78;
            d[0x1EC056] = downgradeEnabled ? (byte)0xDE : (byte)0x00;
            if (withCalibration)
            {
                var cal = Filler(0x10000, seed + 1);
                Array.Copy(cal, 0, d, 0x1F0000, cal.Length);
            }
            return d;
        }

        static void WriteEntry(byte[] d, int index, uint start, uint end)
        {
            int e = 0x10400 + index * 28;
            BitConverter.GetBytes(1u).CopyTo(d, e);
            BitConverter.GetBytes(start).CopyTo(d, e + 4);
            BitConverter.GetBytes(end).CopyTo(d, e + 8);
        }

        /// <summary>TSST MT1939 2 MiB image: infonub @0x1FFFD0, BE16 sum of 0x10000..0x1E1FFF @0x1FFFFE.</summary>
        public static byte[] Tsst(string vendor = "TSSTcorp", string product = "BDDVDW SE-506CB", string revision = "TS01", int seed = 1939)
        {
            var d = Filler(2 * MiB, seed);
            Fill(d, 0x1E2000, 0x1FFFFF, 0xFF);
            Put(d, 0x1FFFD0, vendor, 8);
            Put(d, 0x1FFFD8, product, 16);
            Put(d, 0x1FFFE8, revision, 4);
            int sum = Sum16(d, 0x10000, 0x1E2000 - 0x10000);
            d[0x1FFFFE] = (byte)(sum >> 8);
            d[0x1FFFFF] = (byte)sum;
            return d;
        }

        /// <summary>BTC 1 MiB image: 16 banks starting with LJMP 0x02, identity at 0x40BC/0x40C4/0x40D4.</summary>
        public static byte[] Btc(string vendor = "BTC", string product = "DVDRW DRW1008", string revision = "0059", int seed = 1008)
        {
            var d = Filler(MiB, seed);
            for (int b = 0; b < 16; b++) d[b * 0x10000] = 0x02;
            Put(d, 0x40BC, vendor, 8);
            Put(d, 0x40C4, product, 16);
            Put(d, 0x40D4, revision, 4);
            return d;
        }

        /// <summary>
        /// LiteOn 8051 image: banks start with 0x02, INQUIRY template (strict lead-in 05 80 00 32 5B 00 00 00) at 0x4100,
        /// word-swapped ATA IDENTIFY copy "%-8s%-8s%-16s" at 0x8000, and an internal revision as MOV R5,#c / MOV DPTR loads.
        /// </summary>
        public static byte[] LiteOn(string vendor = "LITE-ON", string product = "DVDRW SOHW-812S", string revision = "US0N", int size = MiB,
            string ataVendor = null, string ataProduct = null, string ataRevision = null, string timestamp = "2004/06/15", string internalRevision = "US0N1234", int seed = 812)
        {
            var d = Filler(size, seed);
            for (int b = 0; b < size / 0x10000; b++) d[b * 0x10000] = 0x02;
            new byte[] { 0x05, 0x80, 0x00, 0x32, 0x5B, 0x00, 0x00, 0x00 }.CopyTo(d, 0x4100);
            Put(d, 0x4108, vendor, 8);
            Put(d, 0x4110, product, 16);
            Put(d, 0x4120, revision, 4);
            Put(d, 0x4124, timestamp, 16);
            var ata = Encoding.ASCII.GetBytes((ataRevision ?? revision).PadRight(8) + (ataVendor ?? vendor).PadRight(8) + (ataProduct ?? product).PadRight(16));
            for (int i = 0; i < ata.Length; i += 2) { d[0x8000 + i] = ata[i + 1]; d[0x8000 + i + 1] = ata[i]; }
            if (internalRevision != null)
            {
                // 7D c 90 hi lo (MOV R5,#c; MOV DPTR,#addr) per character, 5 bytes apart.
                for (int i = 0; i < internalRevision.Length; i++)
                {
                    int at = 0x9000 + i * 5;
                    d[at] = 0x7D; d[at + 1] = (byte)internalRevision[i]; d[at + 2] = 0x90; d[at + 3] = 0x12; d[at + 4] = 0x34;
                }
                d[0x9000 + internalRevision.Length * 5] = 0x22; // RET: ends the run
            }
            return d;
        }

        /// <summary>Plextor image: "PLEXTOR " + product + revision, Σ bytes[0..crcOffs) stored BE16 at crcOffs.</summary>
        public static byte[] Plextor(string product = "DVDR   PX-716A", string revision = "1.11", int size = MiB, int crcOffset = 0xEFFFE, bool premiumSum = false, int seed = 716)
        {
            var d = Filler(size, seed);
            Put(d, 0x2000, "PLEXTOR ", 8);
            Put(d, 0x2008, product, 16);
            Put(d, 0x2018, revision, 4);
            int sum = (Sum16(d, 0, crcOffset) + (premiumSum ? 0x8000 : 0)) & 0xFFFF;
            d[crcOffset] = (byte)(sum >> 8);
            d[crcOffset + 1] = (byte)sum;
            return d;
        }

        /// <summary>Intel HEX of an image: per 64 KiB bank, 16-bit addresses; BTC bank switch :00000155AA between banks; 0xFF-only records skipped.</summary>
        public static string Hex(byte[] image, bool bankSwitch = true, int recordSize = 32)
        {
            var sb = new StringBuilder();
            int banks = (image.Length + 0xFFFF) / 0x10000;
            for (int b = 0; b < banks; b++)
            {
                if (b > 0)
                {
                    if (bankSwitch) sb.Append(":00000155AA\n");
                    else sb.Append(Record(0x0000, 0x04, new[] { (byte)(b >> 8), (byte)b })).Append('\n');
                }
                for (int a = 0; a < 0x10000 && b * 0x10000 + a < image.Length; a += recordSize)
                {
                    int n = Math.Min(recordSize, image.Length - (b * 0x10000 + a));
                    var chunk = new byte[n];
                    Array.Copy(image, b * 0x10000 + a, chunk, 0, n);
                    if (chunk.All(x => x == 0xFF)) continue;
                    sb.Append(Record(a, 0x00, chunk)).Append('\n');
                }
            }
            sb.Append(":00000001FF\n");
            return sb.ToString();
        }

        public static string Record(int address, int type, byte[] data)
        {
            var sb = new StringBuilder(":");
            int sum = data.Length + (address >> 8) + (address & 0xFF) + type;
            sb.Append(data.Length.ToString("X2")).Append(address.ToString("X4")).Append(type.ToString("X2"));
            foreach (var b in data) { sb.Append(b.ToString("X2")); sum += b; }
            sb.Append(((-sum) & 0xFF).ToString("X2"));
            return sb.ToString();
        }

        /// <summary>
        /// A plain LiteOn XFlash flasher EXE (docs/xflash-flashers.md): "MZ" stub, a version string, the descriptor table with all
        /// four BIN_STARTn/BIN_SIZEn/NEW_FWn entries, then each image at table end + BIN_START. See TestFlashers for the
        /// scrambled forms.
        /// </summary>
        public static byte[] XFlash(IList<byte[]> images, IList<string> revisions, long? startOverride = null, long? sizeOverride = null, string howMany = null) =>
            TestFlashers.Build(new FlasherSpec { Images = images, Revisions = revisions, StartOverride = startOverride, SizeOverride = sizeOverride, CountText = howMany });
    }
}
