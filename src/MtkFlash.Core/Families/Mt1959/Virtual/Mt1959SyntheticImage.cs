using System;
using System.Globalization;
using MtkFlash.Core.Virtual;
using static MtkFlash.Core.Virtual.SyntheticImages;

namespace MtkFlash.Core.Families.Mt1959
{
    /// <summary>
    /// MT1959 synthetic images (docs/reference/mt1959-notes.md §1.2; freemkv detect.rs): descriptor at 0x1EC000 laid out like INQUIRY,
    /// boot ID at 0x3000, an integrity table that claims no tags.
    /// </summary>
    internal sealed class Mt1959SyntheticImage : SyntheticImageBuilder
    {
        public override void WriteIdentity(VirtualProfile profile, byte[] image, FirmwareIdentity id, DateTime date)
        {
            int d = Mt1959Layout.IdentityOffset;
            Fill(image, d, 0x60, 0x00);
            PutAscii(image, d + 0x00, 8, id.Vendor);
            PutAscii(image, d + 0x08, 16, id.Product);
            PutAscii(image, d + 0x18, 4, id.Revision);
            PutAscii(image, d + 0x1C, 8, profile.DescriptorCode);
            PutAscii(image, d + 0x24, 16, "UNIQUE" + date.ToString("yyMMddHHmm", CultureInfo.InvariantCulture));
            PutAscii(image, d + 0x34, 10, profile.ChipTag);
            image[d + 0x50] = 0x78;   // marker byte (freemkv detect.rs)
            image[d + 0x56] = 0xDE;   // downgrade enabled (freemkv crossflash.rs)
        }

        public override FirmwareIdentity ReadIdentity(VirtualProfile profile, byte[] flash)
        {
            int d = Mt1959Layout.IdentityOffset;
            if (flash.Length < d + 0x60) return null;
            var stamp = Ascii(flash, d + 0x24, 16);
            return Valid(new FirmwareIdentity
            {
                Vendor = Ascii(flash, d, 8), Product = Ascii(flash, d + 0x08, 16), Revision = Ascii(flash, d + 0x18, 4),
                VendorSpecific = Ascii(flash, d + 0x1C, 8),
                BuildDate = stamp.StartsWith("UNIQUE", StringComparison.Ordinal) ? ParseDate(stamp.Substring(6), "yyMMddHHmm") : null,
            });
        }

        public override void Finish(VirtualProfile profile, byte[] image)
        {
            PutAscii(image, Mt1959Layout.ConfigOffset, Mt1959Layout.BootIdSize, profile.BootId);
            Fill(image, Mt1959Layout.ConfigOffset + Mt1959Layout.BootIdSize, 16, 0xFF);
            // AES-CMAC table: 16 entries × 28 bytes, all "unused" (0xFFFFFFFF): the synthetic image claims no tags.
            Fill(image, Mt1959Layout.IntegrityTableOffset, 16 * 28, 0xFF);
        }
    }
}
