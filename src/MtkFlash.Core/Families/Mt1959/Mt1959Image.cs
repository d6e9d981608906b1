using System;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Firmware.Families;
using static MtkFlash.Core.Families.Mt1959.Mt1959Layout;

namespace MtkFlash.Core.Families.Mt1959
{
    /// <summary>
    /// LG/HLDS and ASUS MT1959-family BD images (2 MiB). Layout: docs/reference/mt1959-notes.md §1.2; boot ID check: docs/reference/drive-protocols.md
    /// §2.3 (superg/redumper drive/flash_mt1959.ixx).
    /// </summary>
    internal static class Mt1959Image
    {
        const int Size = ImageSize;                   // docs/reference/mt1959-notes.md §1.1 (FM mtk.rs IMAGE_SIZE)
        const int BootIdOffset = ConfigOffset;        // §1.2: 16-byte ASCII boot ID
        const int IntegrityTable = IntegrityTableOffset;   // §1.2: 16 × 28-byte AES-CMAC entries, little-endian

        public static bool Claims(byte[] d)
        {
            // The boot banner "MT19x9 Boot" at 0x3000, or the identity block with MTEKMT19xx at +0x34 (§1.2).
            return ImageBytes.Matches(d, BootIdOffset, "MT19") && ImageBytes.Matches(d, BootIdOffset + 6, " Boot")
                || ImageBytes.Matches(d, IdentityOffset + 0x34, "MTEKMT19");
        }

        public static void Analyze(byte[] d, FirmwareImageReport r)
        {
            var x = r.Details;
            r.Family = DriveFamily.Mt1959;
            if (d.Length != Size)
                r.Error(FirmwareProblemCodes.UnexpectedSize, "An MT1959-family image is 0x200000 bytes (2 MiB); this one has " + d.Length + " bytes" +
                    (d.Length < Size ? ": it is truncated." : "."));

            // Boot ID (§1.2, redumper refuses when it differs from the drive's).
            var bootId = ImageBytes.Ascii(d, BootIdOffset, 16);
            if (bootId != null && bootId.StartsWith("MT19", StringComparison.Ordinal)) x.BootId = RawAscii(d, BootIdOffset, 16);
            else r.Error(FirmwareProblemCodes.BootIdMissing, "No boot ID at 0x3000 (expected e.g. 'MT1959 Boot JB8 '): the flasher cannot match the image to a drive.");

            // Identity descriptor at 0x1EC000 (§1.2): vendor +0, product +8, revision +0x18, vendor-specific +0x1C,
            // UNIQUE + stamp +0x24, MTEKMT19xx +0x34, downgrade-enable byte +0x56 (0xDE).
            int id = IdentityOffset;
            var vendor = ImageBytes.Ascii(d, id, 8);
            var product = ImageBytes.Ascii(d, id + 8, 16);
            var revision = ImageBytes.Ascii(d, id + 0x18, 4);
            if (!string.IsNullOrEmpty(vendor) && !string.IsNullOrEmpty(product) && revision != null)
            {
                r.Vendor = vendor; r.Product = product; r.Revision = revision;
                x.IdentityCopies.Add(new IdentityCopy { Source = "identityBlock", Offset = id, Vendor = vendor, Product = product, Revision = revision });
                x.VendorSpecific = ImageBytes.Ascii(d, id + 0x1C, 8);
                if (ImageBytes.Matches(d, id + 0x24, "UNIQUE")) x.Timestamp = ImageBytes.Ascii(d, id + 0x2A, 10);
            }
            else r.Error(FirmwareProblemCodes.IdentityMissing, "No identity descriptor at 0x1EC000 (vendor, product, revision).");

            // Chip by MTEKMT19xx, not by the banner: JB8 boot loaders run on MT1939 silicon too (§1.2, FM detect.rs).
            int mtek = ImageBytes.Matches(d, id + 0x34, "MTEKMT19") ? id + 0x34 : ImageBytes.IndexOf(d, "MTEKMT19");
            var chip = mtek >= 0 ? ImageBytes.Ascii(d, mtek + 4, 6) : null;
            if (chip == ChipMt1959 || chip == ChipMt1939) { x.Chip = chip; r.Model = chip.ToLowerInvariant(); }
            else r.Warn(FirmwareProblemCodes.ChipUnknown, "No MTEKMT1959/MTEKMT1939 marker: the chip the image is built for is unknown. An MT1959 image on MT1939 silicon (or the reverse) bricks the drive.");

            if (d.Length > id + 0x56)
            {
                x.DowngradeEnabled = d[id + 0x56] == 0xDE;
                if (x.DowngradeEnabled == false && vendor != null)
                    r.Warn(FirmwareProblemCodes.NotDowngradeEnabled, "Not a downgrade-enabled image (byte 0x1EC056 is not 0xDE): a drive with newer firmware will likely reject it (docs/reference/mt1959-notes.md §1.2, FM crossflash.rs).");
            }

            CheckIntegrityTable(d, r);

            // A raw READ BUFFER dump has the decrypted boot page, which mirrors the page at 0x10000 (§1.2, FM CHANGELOG);
            // it cannot be flashed as it is (§6).
            if (d.Length >= 0x10400 && !ImageBytes.IsBlank(d, 0, 0x400) && ImageBytes.Matches(d, 0, Slice(d, 0x10000, 0x400)))
            {
                x.RawDump = true;
                r.Error(FirmwareProblemCodes.RawDump, "This is a raw read-back dump (its boot page is the decrypted copy): it cannot be written as it is. Use the vendor image, or restore only the per-drive regions.");
            }
            else x.RawDump = false;

            // Regions (§1.2, §2). Drive-specific ones holding data mean the file is one drive's dump.
            ImageRegions.Add(r, d, "bootBlock", 0x0, BootBlockSize - 1, "Never rewritten by the update path (redumper fills it with 0xFF).", false);
            ImageRegions.Add(r, d, "driveConfig", ConfigOffset, ConfigOffset + ConfigSize - 1, "Per-drive 0x20-byte config: the flasher copies the drive's own back (docs/reference/drive-protocols.md §2.3).", false);
            ImageRegions.Add(r, d, "uhdRevocationList", 0x1D8000, 0x1DFFFF, "Written by the drive.", false);
            ImageRegions.Add(r, d, "bdRevocationList", 0x1E0000, 0x1E7FFF, "Written by the drive.", false);
            ImageRegions.Add(r, d, "nvram", NvramOffset, NvramOffset + NvramSize - 1, "NVRAM settings incl. the 'signature' 0x1E8000–0x1E84FF and region record 0x1EA4B0: per drive.", true);
            ImageRegions.Add(r, d, "identity", IdentityOffset, IdentityOffset + IdentitySize - 1, "Identity descriptor; official images carry it.", false);
            ImageRegions.Add(r, d, "calibration", CalibrationOffset, CalibrationOffset + CalibrationSize - 1, "Per-unit calibration (VENDOR_INFO): never write another drive's.", true);
        }

        static void CheckIntegrityTable(byte[] d, FirmwareImageReport r)
        {
            // §1.2: 16 entries of 28 bytes: u32 enabled (1 active, 0xFFFFFFFF unused), u32 start, u32 end (inclusive), 16-byte tag.
            const int entries = 16, size = 28;
            if (d.Length < IntegrityTable + entries * size) return;
            if (ImageBytes.IsFilled(d, IntegrityTable, entries * size, 0xFF) || ImageBytes.IsFilled(d, IntegrityTable, entries * size, 0x00))
            {
                r.Details.IntegrityEntries = 0;
                return;
            }
            int active = 0;
            bool damaged = false;
            for (int i = 0; i < entries; i++)
            {
                int e = IntegrityTable + i * size;
                uint enabled = BitConverter.ToUInt32(d, e), start = BitConverter.ToUInt32(d, e + 4), end = BitConverter.ToUInt32(d, e + 8);
                if (!BitConverter.IsLittleEndian) { enabled = Swap(enabled); start = Swap(start); end = Swap(end); }
                if (enabled == 0xFFFFFFFF) continue;
                if (enabled != 1 || start > end || end >= Size) { damaged = true; continue; }
                active++;
            }
            r.Details.IntegrityEntries = active;
            if (damaged) r.Error(FirmwareProblemCodes.IntegrityTableDamaged, "The integrity table at 0x10400 has entries that are neither active (1) nor unused (0xFFFFFFFF) or that point outside the image: the drive's boot authenticator would reject it.");
        }

        static uint Swap(uint v) => (v >> 24) | ((v >> 8) & 0xFF00) | ((v << 8) & 0xFF0000) | (v << 24);

        static byte[] Slice(byte[] d, int offset, int count) { var s = new byte[count]; Array.Copy(d, offset, s, 0, count); return s; }

        static string RawAscii(byte[] d, int offset, int count) => System.Text.Encoding.ASCII.GetString(d, offset, count).Replace('\0', ' ');
    }
}
