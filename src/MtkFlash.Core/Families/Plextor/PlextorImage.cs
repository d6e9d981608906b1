using System.Text.RegularExpressions;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;

namespace MtkFlash.Core.Families.Plextor
{
    /// <summary>
    /// Plextor PX-7xx images. docs/reference/drive-protocols.md §2.5 (superg/redumper drive/flash_plextor.ixx; speed47/qpxtool pxfw.cpp):
    /// checksum Σ bytes[0 .. crc_offs) &amp; 0xFFFF (initial value 0x8000 for PREMIUM and older), stored BE16 at crc_offs;
    /// crc_offs by model 0x79FFE (4824/5224), 0xEFFFE (708/712/716), 0x1EFFFE (755/760).
    /// [I] Where the image keeps its model name is not documented: the analyser looks for the INQUIRY-style strings
    /// "PLEXTOR " + product (16) + revision (4).
    /// </summary>
    internal static class PlextorImage
    {
        public static bool Claims(byte[] d, out int at)
        {
            at = ImageBytes.IndexOf(d, "PLEXTOR ");
            while (at >= 0)
            {
                var product = ImageBytes.Ascii(d, at + 8, 16);
                if (product != null && product.Contains("PX-")) return true;
                at = ImageBytes.IndexOf(d, "PLEXTOR ", at + 1);
            }
            return false;
        }

        public static long? ChecksumOffset(string product)
        {
            var m = Regex.Match(product ?? string.Empty, @"PX-(\d{3,4})");
            if (!m.Success) return null;
            switch (m.Groups[1].Value)
            {
                case "4824": case "5224": return 0x79FFE;
                case "708": case "712": case "716": return 0xEFFFE;
                case "755": case "760": return 0x1EFFFE;
                default: return null;
            }
        }

        public static void Analyze(byte[] d, FirmwareImageReport r, int at)
        {
            r.Family = DriveFamily.Plextor;
            r.Vendor = "PLEXTOR";
            r.Product = ImageBytes.Ascii(d, at + 8, 16);
            r.Revision = ImageBytes.Ascii(d, at + 24, 4);
            r.Model = DriveCatalog.Find(r.Vendor, r.Product)?.Model;
            r.Details.IdentityCopies.Add(new IdentityCopy { Source = "plextorId", Offset = at, Vendor = r.Vendor, Product = r.Product, Revision = r.Revision });
            var crc = ChecksumOffset(r.Product);
            r.Details.ChecksumOffset = crc;
            if (crc == null)
            {
                r.Warn(FirmwareProblemCodes.UnknownFamily, "Plextor model '" + r.Product + "' has no known checksum offset (only PX-4824/5224/708/712/716/755/760 are documented).");
                return;
            }
            int offs = (int)crc.Value;
            if (d.Length < offs + 2)
            {
                r.Error(FirmwareProblemCodes.UnexpectedSize, "The image ends before its checksum at " + ImageBytes.HexOffset(offs) + " (" + d.Length + " bytes): it is truncated.");
                return;
            }
            int sum = ImageBytes.Sum16(d, 0, offs);
            int stored = d[offs] << 8 | d[offs + 1];
            int premium = (sum + 0x8000) & 0xFFFF;
            bool ok = stored == sum || stored == premium;
            r.Checksum = new FirmwareChecksum
            {
                Algorithm = "sum16 bytes[0.." + ImageBytes.HexOffset(offs) + ") (initial 0x8000 on PREMIUM and older), stored BE16 at " + ImageBytes.HexOffset(offs),
                Expected = ImageBytes.Hex4(stored), Actual = ImageBytes.Hex4(stored == premium ? premium : sum), Ok = ok,
            };
            if (!ok) r.Error(FirmwareProblemCodes.ChecksumMismatch, "Checksum mismatch at " + ImageBytes.HexOffset(offs) + ": stored " + ImageBytes.Hex4(stored) + ", computed " + ImageBytes.Hex4(sum) + ".");
        }
    }
}
