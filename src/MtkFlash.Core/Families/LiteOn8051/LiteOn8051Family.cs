using System.Collections.Generic;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Firmware.Families;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.LiteOn8051
{
    /// <summary>
    /// Classic 8051 LiteOn/Sony writers: identity and image analysis only. Their flash protocol is not public
    /// (docs/reference/drive-protocols.md §3), so every flash is refused with that reason and no protocol exists.
    /// </summary>
    internal sealed class LiteOn8051Family : DriveFamilyDescriptor
    {
        public const string ModelSohw812s = "sohw-812s";
        public const string ModelLiteOn = "liteon";
        public const string Omnipatcher = "rpc1dev/omnipatcher fw_specs.pl";
        public const string RefusalMessage =
            "The flash protocol of classic LiteOn/MediaTek 8051 drives is not public; MtkFlash never sends guessed commands to a drive.";

        static readonly KnownDriveModel[] Rows =
        {
            // omnipatcher fw_specs.pl: classic 8051 LiteOn writers (U = 812S/802S, V = 832S/822S, …). Flash protocol not public (§3).
            KnownDriveModel.Pattern("LITE-ON", @"^(DVDRW|DVD\+RW|DVD RW) SOHW-8[0-9]{2}S", DriveFamily.LiteOn8051, ModelSohw812s, Omnipatcher, true),
            KnownDriveModel.Pattern("LITE-ON", @"^(LTR|SOHW|SOHC|SHW|LDW)-", DriveFamily.LiteOn8051, ModelLiteOn, Omnipatcher, true),
            KnownDriveModel.Pattern("SONY", @"^DVD RW DW-U18A", DriveFamily.LiteOn8051, ModelSohw812s, Omnipatcher, true),
        };

        public override DriveFamily Id => DriveFamily.LiteOn8051;
        public override string DisplayName => "LiteOn 8051 (classic MediaTek)";
        public override IReadOnlyList<KnownDriveModel> Models => Rows;
        public override IFlashProtocol CreateProtocol(string model) => throw new FlashRefusedException(FlashRefusalIds.ProtocolNotPublic, RefusalMessage);
        public override IReadOnlyList<VirtualProfile> VirtualProfiles => LiteOn8051Profiles.All;
        public override DriveTimingModel Timing => LiteOn8051Timing.Model;

        public override bool CanReadBack(string model, out string reason)
        {
            reason = "Its firmware images can still be analysed.";
            return false;
        }

        public override bool? SameHardware(FirmwareImageReport image, OpticalDrive drive, DriveHardware hardware, List<string> reasons)
        {
            // The first letter of the revision names the hardware family (docs/reference/drive-protocols.md §3.3, omnipatcher fw_specs.pl):
            // U = SOHW-812S/802S and SONY DW-U18A, V = 832S/822S …
            var a = Letter(image.Revision);
            var b = Letter(drive.Revision);
            if (a == null || b == null) return null;
            if (a != b)
            {
                reasons.Add("Firmware family letter differs: image '" + a + "' (" + image.Revision + "), drive '" + b + "' (" + drive.Revision + "): another drive model.");
                return false;
            }
            reasons.Add("Same firmware family letter '" + a + "' (docs/reference/drive-protocols.md §3.3).");
            return true;
        }

        static string Letter(string revision) =>
            !string.IsNullOrEmpty(revision) && char.IsLetter(revision.Trim()[0]) ? char.ToUpperInvariant(revision.Trim()[0]).ToString() : null;

        internal override bool Has8051Images => true;
        /// <summary>Any 8051 image no other family claims is read as a classic LiteOn image (docs/reference/drive-protocols.md §3.3).</summary>
        internal override bool Claims8051Image(string vendor, IdentityCopy fixedIdentity, InquiryTemplateMatch template, int length) => true;
        internal override Personality CreatePersonality(VirtualDriveUnit unit) => new LiteOn8051Personality(unit);
        internal override SyntheticImageBuilder SyntheticImage { get; } = new InquiryTemplateImage();
    }
}
