using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware.Families;
using MtkFlash.Core.Firmware;

namespace MtkFlash.Core.Families.Tsst
{
    /// <summary>
    /// TSST MT1939 BD images (2 MiB). docs/reference/drive-protocols.md §2.2 (rbdixon/coastermelt flasher/checksum.py, doc/bootloader.txt):
    /// infonub trailer at 0x1FFFD0 (vendor 8 + product 16 + revision 4); checksum BE16 at 0x1FFFFE =
    /// Σ bytes[0x10000..0x1E1FFF] &amp; 0xFFFF; 0x0–0xFFFF boot block (write-protected); 0x1E2000–0x1FFFFF info region.
    /// </summary>
    internal static class TsstImage
    {
        const int Size = TsstLayout.Mt1939ImageSize, Infonub = TsstLayout.InfonubOffset, ChecksumAt = TsstLayout.Mt1939ChecksumOffset,
            SumStart = TsstLayout.Mt1939ChecksumStart, SumEnd = TsstLayout.Mt1939ChecksumEnd - 1;

        public static bool Claims(byte[] d) =>
            d.Length >= Infonub + 28 && !string.IsNullOrEmpty(ImageBytes.Ascii(d, Infonub, 8)) && !string.IsNullOrEmpty(ImageBytes.Ascii(d, Infonub + 8, 16));

        public static void Analyze(byte[] d, FirmwareImageReport r)
        {
            r.Family = DriveFamily.Tsst;
            r.Model = TsstFamily.ModelMt1939;
            if (d.Length != Size)
                r.Error(FirmwareProblemCodes.UnexpectedSize, "A TSST MT1939 image is 0x200000 bytes; this one has " + d.Length + " bytes.");
            r.Vendor = ImageBytes.Ascii(d, Infonub, 8);
            r.Product = ImageBytes.Ascii(d, Infonub + 8, 16);
            r.Revision = ImageBytes.Ascii(d, Infonub + 24, 4);
            r.Details.IdentityCopies.Add(new IdentityCopy { Source = "infonub", Offset = Infonub, Vendor = r.Vendor, Product = r.Product, Revision = r.Revision });

            if (d.Length >= Size)
            {
                int actual = ImageBytes.Sum16(d, SumStart, SumEnd - SumStart + 1);
                int expected = d[ChecksumAt] << 8 | d[ChecksumAt + 1];
                r.Checksum = new FirmwareChecksum
                {
                    Algorithm = "sum16 bytes[0x10000..0x1E1FFF], stored BE16 at 0x1FFFFE",
                    Expected = ImageBytes.Hex4(expected), Actual = ImageBytes.Hex4(actual), Ok = expected == actual,
                };
                if (expected != actual)
                    r.Error(FirmwareProblemCodes.ChecksumMismatch, "Checksum mismatch: stored " + ImageBytes.Hex4(expected) + ", computed " + ImageBytes.Hex4(actual) + ": the image is damaged or was patched without fixing the sum.");
            }

            ImageRegions.Add(r, d, "bootBlock", 0x0, TsstLayout.Mt1939ProtectedSize - 1, "Write-protected: the drive ignores it (coastermelt update-ts01-notes.txt).", false);
            ImageRegions.Add(r, d, "loadableFirmware", SumStart, SumEnd, "Checksummed firmware.", false);
            ImageRegions.Add(r, d, "infoRegion", TsstLayout.Mt1939InfoOffset, Size - 1, "Not checksummed; drive-unique data is kept here [I] (docs/reference/drive-protocols.md §6).", false);
        }
    }
}
