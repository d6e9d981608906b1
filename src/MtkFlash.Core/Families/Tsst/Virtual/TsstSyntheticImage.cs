using System;
using System.Globalization;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Virtual;
using static MtkFlash.Core.Virtual.SyntheticImages;

namespace MtkFlash.Core.Families.Tsst
{
    /// <summary>
    /// TSST synthetic images: the MT1939 keeps its identity in the "infonub" trailer at 0x1FFFD0 and a checksum at 0x1FFFFE
    /// (docs/reference/drive-protocols.md §2.2, coastermelt checksum.py); the MT1339 DVD-ROMs are 8051-style images with an INQUIRY template.
    /// </summary>
    internal sealed class TsstSyntheticImage : SyntheticImageBuilder
    {
        static readonly InquiryTemplateImage Template = new InquiryTemplateImage();

        public override void WriteIdentity(VirtualProfile profile, byte[] image, FirmwareIdentity id, DateTime date)
        {
            if (profile.Layout != IdentityLayout.TsstInfonub) { Template.WriteIdentity(profile, image, id, date); return; }
            int t = TsstLayout.InfonubOffset;
            PutAscii(image, t, 8, id.Vendor);
            PutAscii(image, t + 8, 16, id.Product);
            PutAscii(image, t + 24, 4, id.Revision);
            // After the 28 bytes the fields are unknown (coastermelt): the emulator keeps the INQUIRY vendor-specific text
            // there, "TS01  " + YYMMDDhhmm, like the observed "TS01  0528      " [inferred].
            PutAscii(image, t + 28, 16, id.Revision.PadRight(4) + "  " + date.ToString("yyMMddHHmm", CultureInfo.InvariantCulture));
        }

        public override FirmwareIdentity ReadIdentity(VirtualProfile profile, byte[] flash)
        {
            if (profile.Layout != IdentityLayout.TsstInfonub) return Template.ReadIdentity(profile, flash);
            int t = TsstLayout.InfonubOffset;
            if (flash.Length < t + 44) return null;
            var vs = Ascii(flash, t + 28, 16);
            return Valid(new FirmwareIdentity
            {
                Vendor = Ascii(flash, t, 8), Product = Ascii(flash, t + 8, 16), Revision = Ascii(flash, t + 24, 4), VendorSpecific = vs,
                BuildDate = vs.Length >= 16 ? ParseDate(vs.Substring(6, 10), "yyMMddHHmm") : null,
            });
        }

        public override void Finish(VirtualProfile profile, byte[] image)
        {
            if (profile.Layout == IdentityLayout.TsstInfonub)
                Fill(image, TsstLayout.SignatureTableOffset, 16 * 0x1C, 0xFF);   // signature table: 0x1C-byte entries, 0xFFFFFFFF = empty
            if (profile.Model == TsstFamily.ModelMt1939) StoreMt1939Checksum(image);
        }

        /// <summary>MT1939: BE16 at 0x1FFFFE = Σ bytes[0x10000..0x1E1FFF] &amp; 0xFFFF (coastermelt flasher/checksum.py).</summary>
        public static int Mt1939Checksum(byte[] image) => Sum16(image, TsstLayout.Mt1939ChecksumStart, TsstLayout.Mt1939ChecksumEnd);

        public static void StoreMt1939Checksum(byte[] image) => BigEndian.Put16(image, TsstLayout.Mt1939ChecksumOffset, Mt1939Checksum(image));

        public static bool Mt1939ChecksumValid(byte[] image) =>
            image.Length == TsstLayout.Mt1939ImageSize && BigEndian.Get16(image, TsstLayout.Mt1939ChecksumOffset) == Mt1939Checksum(image);
    }
}
