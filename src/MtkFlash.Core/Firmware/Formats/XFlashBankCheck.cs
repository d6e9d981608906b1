namespace MtkFlash.Core.Firmware.Formats
{
    /// <summary>
    /// The check after every XFlash extraction (docs/xflash-flashers.md; rpc1dev/omnipatcher common_xflash.pl): every
    /// 64 KiB bank starts with 0x02 (8051 LJMP); failing that, a rebanked LiteOn image is accepted when byte 0 and byte
    /// 0x4000 are 0x02 and bytes 0xFFF8–0xFFFF read "LITEONIT". Anything else is a failed extraction.
    /// </summary>
    internal static class XFlashBankCheck
    {
        const int Bank = 0x10000;

        public static bool Passes(byte[] image, out bool rebanked)
        {
            rebanked = false;
            bool banks = image.Length > 0;
            for (int b = 0; b < image.Length && banks; b += Bank) banks = image[b] == 0x02;
            if (banks) return true;
            rebanked = image.Length >= Bank && image[0] == 0x02 && image[0x4000] == 0x02 && ImageBytes.Matches(image, 0xFFF8, "LITEONIT");
            return rebanked;
        }

        /// <summary>The banks that do not start with 0x02, for the message.</summary>
        public static string BadBanks(byte[] image)
        {
            var bad = new System.Collections.Generic.List<string>();
            for (int b = 0; b < image.Length; b += Bank) if (image[b] != 0x02) bad.Add((b / Bank).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return string.Join(", ", bad);
        }
    }
}
