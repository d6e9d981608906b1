using System;
using MtkFlash.Core.Virtual;
using static MtkFlash.Core.Virtual.SyntheticImages;

namespace MtkFlash.Core.Families.Btc
{
    /// <summary>
    /// BTC synthetic images: btcflash compares INQUIRY 8-31 with 0x40BC/0x40C4 and the revision with 0x40D4; 8 bytes before the
    /// vendor the emulator keeps the template lead-in and after the revision a timestamp, as in LiteOn images [inferred].
    /// </summary>
    internal sealed class BtcSyntheticImage : SyntheticImageBuilder
    {
        const int TemplateAt = BtcLayout.IdentityOffset - 8;

        public override void WriteIdentity(VirtualProfile profile, byte[] image, FirmwareIdentity id, DateTime date) => WriteTemplate(image, TemplateAt, id, date);

        public override FirmwareIdentity ReadIdentity(VirtualProfile profile, byte[] flash) => ReadTemplateAt(flash, TemplateAt);

        /// <summary>BTC: Σ of the whole 1 MiB image &amp; 0xFFFF, sent in the checksum block (btcflash.c).</summary>
        public static int Checksum(byte[] image) => Sum16(image, 0, image.Length);
    }
}
