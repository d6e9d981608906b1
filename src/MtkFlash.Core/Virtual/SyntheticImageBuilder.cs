using System;
using System.Text;

namespace MtkFlash.Core.Virtual
{
    /// <summary>
    /// The family half of a synthetic image (<see cref="SyntheticImages"/> does the shared half: size, filler, banks): where
    /// the identity is kept, and the family's boot IDs, tables and checksums. One per family, in Families/&lt;F&gt;/Virtual/.
    /// </summary>
    internal abstract class SyntheticImageBuilder
    {
        /// <summary>Writes the identity where the family keeps it.</summary>
        public abstract void WriteIdentity(VirtualProfile profile, byte[] image, FirmwareIdentity id, DateTime date);

        /// <summary>The identity the firmware in this flash would report, or null when the image holds none.</summary>
        public abstract FirmwareIdentity ReadIdentity(VirtualProfile profile, byte[] flash);

        /// <summary>After the identity: the family's boot IDs, tables and checksums.</summary>
        public virtual void Finish(VirtualProfile profile, byte[] image) { }
    }

    /// <summary>
    /// LiteOn-style INQUIRY template (lead-in 05 80 00 32 5B 00 00 00) with the ATA IDENTIFY copy after it, found by
    /// scanning (docs/reference/drive-protocols.md §3.3): the layout of every family whose images keep their identity that way.
    /// </summary>
    internal class InquiryTemplateImage : SyntheticImageBuilder
    {
        public override void WriteIdentity(VirtualProfile profile, byte[] image, FirmwareIdentity id, DateTime date)
        {
            SyntheticImages.WriteTemplate(image, SyntheticImages.TemplateOffset, id, date);
            // ATA IDENTIFY copy: "%-8s%-8s%-16s" (fwrev, vendor, product), byte-swapped per 16-bit word (§3.3).
            var ata = Encoding.ASCII.GetBytes(SyntheticImages.Pad(id.Revision, 8) + SyntheticImages.Pad(id.Vendor, 8) + SyntheticImages.Pad(id.Product, 16));
            for (int i = 0; i < ata.Length; i += 2) { var x = ata[i]; ata[i] = ata[i + 1]; ata[i + 1] = x; }
            SyntheticImages.Put(image, SyntheticImages.AtaIdentifyCopyOffset, ata);
        }

        public override FirmwareIdentity ReadIdentity(VirtualProfile profile, byte[] flash)
        {
            int at = SyntheticImages.FindTemplate(flash);
            return at < 0 ? null : SyntheticImages.ReadTemplateAt(flash, at);
        }
    }
}
