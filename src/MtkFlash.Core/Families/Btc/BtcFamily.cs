using System;
using System.Collections.Generic;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Firmware.Families;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.Btc
{
    /// <summary>BTC DRW1008, flashed as clausecker/schilytools btcflash/btcflash.c does (docs/reference/drive-protocols.md §2.1).</summary>
    internal sealed class BtcFamily : DriveFamilyDescriptor
    {
        public const string ModelName = "drw1008";
        public const string Btcflash = "clausecker/schilytools btcflash/btcflash.c";

        static readonly KnownDriveModel[] Rows =
        {
            // schilytools btcflash/btcflash.c: BTC DRW1008; the flasher itself compares the image's identity with INQUIRY.
            KnownDriveModel.Pattern("BTC", @"^DVD(RW|-RW|\+-RW)? ?DRW1008", DriveFamily.Btc, ModelName, Btcflash, true),
        };

        public override DriveFamily Id => DriveFamily.Btc;
        public override string DisplayName => "BTC";
        public override IReadOnlyList<KnownDriveModel> Models => Rows;
        public override IFlashProtocol CreateProtocol(string model) => new BtcProtocol();
        public override IReadOnlyList<VirtualProfile> VirtualProfiles => BtcProfiles.All;
        public override DriveTimingModel Timing => BtcTiming.Model;

        public override bool CanReadBack(string model, out string reason)
        {
            reason = "No public command reads BTC firmware back; a backup holds the drive's identity only.";
            return false;
        }

        internal override bool Has8051Images => true;
        internal override bool Claims8051Image(string vendor, IdentityCopy fixedIdentity, InquiryTemplateMatch template, int length) =>
            string.Equals(vendor, "BTC", StringComparison.OrdinalIgnoreCase)
            // [I] An identity at exactly the btcflash offsets with no LiteOn-style template is read as a BTC image.
            || fixedIdentity != null && template == null && length == BtcLayout.ImageSize;
        internal override void Analyze8051(byte[] d, FirmwareImageReport r, InquiryTemplateMatch template, IdentityCopy fixedIdentity) =>
            BtcImage.Analyze(d, r, fixedIdentity);
        // [I] BTC images are MediaTek 8051 code too (flashed with MTKFLASH, §2.1 [O]); the check is OmniPatcher's, so a warning there.
        internal override bool BankSanityIsWarning => true;
        internal override Personality CreatePersonality(VirtualDriveUnit unit) => new BtcPersonality(unit);
        internal override SyntheticImageBuilder SyntheticImage { get; } = new BtcSyntheticImage();
    }
}
