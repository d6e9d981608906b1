using System.Collections.Generic;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.Spc
{
    /// <summary>
    /// A drive outside the catalogue that advertises the MMC Microcode Upgrade feature (0104h). It has no catalogue rows
    /// (DriveCatalog.Classify falls back to it), is inventoried and backed up identity-only, and never flashed.
    /// </summary>
    internal sealed class SpcFamily : DriveFamilyDescriptor
    {
        /// <summary>
        /// Why a drive that only advertises the MMC Microcode Upgrade feature is never flashed: no public source shows an optical
        /// drive accepting the standard mode-5 download (docs/reference/drive-protocols.md §4.3), and the same CDB means something else on
        /// drives whose flashers are public.
        /// </summary>
        public const string RefusalMessage =
            "The drive advertises the MMC Microcode Upgrade feature (0104h), but no public source shows an optical drive accepting the " +
            "standard WRITE BUFFER download: on LG Renesas drives mode 5 selects a memory location, on Plextor drives it marks the last block " +
            "of a vendor sequence. MtkFlash never sends guessed commands to a drive.";

        public override DriveFamily Id => DriveFamily.Spc;
        public override string DisplayName => "MMC Microcode Upgrade (generic)";
        public override IReadOnlyList<KnownDriveModel> Models { get; } = new KnownDriveModel[0];
        public override IFlashProtocol CreateProtocol(string model) => throw new FlashRefusedException(FlashRefusalIds.ProtocolNotPublic, RefusalMessage);
        /// <summary>Not a known MediaTek family, so no image can be shown to fit it.</summary>
        public override bool ImagesCanFit => false;
        public override IReadOnlyList<VirtualProfile> VirtualProfiles => SpcProfiles.All;
        public override DriveTimingModel Timing => SpcTiming.Model;

        public override bool CanReadBack(string model, out string reason)
        {
            reason = "Standard SCSI defines no firmware read-back; a backup holds the drive's identity only.";
            return false;
        }

        internal override Personality CreatePersonality(VirtualDriveUnit unit) => new SpcPersonality(unit);
        internal override SyntheticImageBuilder SyntheticImage { get; } = new InquiryTemplateImage();
    }
}
