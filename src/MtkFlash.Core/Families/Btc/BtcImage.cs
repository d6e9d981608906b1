using MtkFlash.Core.Firmware;

namespace MtkFlash.Core.Families.Btc
{
    /// <summary>
    /// The BTC part of an 8051 image analysis (docs/reference/drive-protocols.md §2.1, schilytools btcflash.c): size, the identity btcflash
    /// compares with INQUIRY, and the checksum the flasher sends in its own block.
    /// </summary>
    internal static class BtcImage
    {
        public static void Analyze(byte[] d, FirmwareImageReport r, IdentityCopy btc)
        {
            if (d.Length != BtcLayout.ImageSize)
                r.Error(FirmwareProblemCodes.UnexpectedSize, "A BTC image must be exactly 0x100000 bytes (16 banks; btcflash refuses others); this one has " + d.Length + " bytes" + (d.Length < BtcLayout.ImageSize ? ": too small, probably truncated." : "."));
            if (btc == null)
                r.Warn(FirmwareProblemCodes.IdentityMissing, "No identity at 0x40BC/0x40C4/0x40D4, where btcflash compares the drive's INQUIRY (a mismatch there is only a warning).");
            // §2.1: sum16 over all 0x100000 bytes, not stored in the image; the flasher sends it in a separate block.
            r.Checksum = new FirmwareChecksum
            {
                Algorithm = "sum16 of the whole image (sent separately by the flasher, not stored)",
                Actual = ImageBytes.Hex4(ImageBytes.Sum16(d, 0, d.Length)),
            };
        }
    }
}
