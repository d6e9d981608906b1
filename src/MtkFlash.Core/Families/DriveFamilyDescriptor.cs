using System;
using System.Collections.Generic;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Firmware.Families;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families
{
    /// <summary>
    /// The shared half of every family descriptor: defaults for what most families do not have, and the internal hooks
    /// (image rules, emulator personality, synthetic images) that are not part of the public <see cref="IDriveFamily"/>.
    /// </summary>
    internal abstract class DriveFamilyDescriptor : IDriveFamily
    {
        static readonly FlashRegion[] NoRegions = new FlashRegion[0];

        public abstract DriveFamily Id { get; }
        public abstract string DisplayName { get; }
        public abstract IReadOnlyList<KnownDriveModel> Models { get; }
        public virtual string DefaultModel => null;
        public virtual string ListSource(string model) => "no public flasher";
        public abstract IFlashProtocol CreateProtocol(string model);
        public virtual void CheckDrive(OpticalDrive drive) { }
        public abstract bool CanReadBack(string model, out string reason);
        public IReadOnlyList<FlashRegion> ProtectedRegions(string model) => ProtocolOrNull(model)?.ProtectedRegions ?? NoRegions;
        public IReadOnlyList<FlashRegion> DriveUniqueRegions(string model) => ProtocolOrNull(model)?.DriveSpecificRegions ?? NoRegions;
        public virtual bool ImagesCanFit => true;
        public virtual bool HasBootLoader => false;
        public virtual void PrepareRecovery(IFlashProtocol protocol, string backupDirectory, OpticalDrive drive) { }
        public abstract IReadOnlyList<VirtualProfile> VirtualProfiles { get; }
        public abstract DriveTimingModel Timing { get; }

        /// <summary>Default rule: the catalogue model of image and drive (from the public flashers' tables) must be the same.</summary>
        public virtual bool? SameHardware(FirmwareImageReport image, OpticalDrive drive, DriveHardware hardware, List<string> reasons) =>
            SameModel(image.Model ?? DriveCatalog.Find(image.Vendor, image.Product)?.Model, drive.Model, reasons);

        public virtual DriveHardware ReadHardware(ScsiDevice device, OpticalDrive drive, bool recover) => null;

        // ---- internal hooks ----

        /// <summary>This family's own image rule (claims an image by its layout), or null when its images are found otherwise.</summary>
        internal virtual ImageRule ImageRule => null;
        /// <summary>Images of this family are classic 8051 MediaTek images (banked, identity in an INQUIRY template).</summary>
        internal virtual bool Has8051Images => false;
        /// <summary>An 8051 image whose identity the catalogue does not know belongs to this family (asked in registry order).</summary>
        internal virtual bool Claims8051Image(string vendor, IdentityCopy fixedIdentity, InquiryTemplateMatch template, int length) => false;
        /// <summary>The family part of the 8051 analysis; the default reads the INQUIRY template the LiteOn way.</summary>
        internal virtual void Analyze8051(byte[] d, FirmwareImageReport r, InquiryTemplateMatch template, IdentityCopy fixedIdentity) =>
            Mtk8051Image.AnalyzeTemplateImage(d, r, template);
        /// <summary>The 8051 bank sanity check is OmniPatcher's: only a warning for families that did not come from it.</summary>
        internal virtual bool BankSanityIsWarning => false;
        internal abstract Personality CreatePersonality(VirtualDriveUnit unit);
        internal abstract SyntheticImageBuilder SyntheticImage { get; }

        // ---- helpers ----

        protected IFlashProtocol ProtocolOrNull(string model)
        {
            try { return CreateProtocol(model); }
            catch (FlashRefusedException) { return null; }
        }

        protected static bool? SameModel(string imageModel, string driveModel, List<string> reasons)
        {
            if (imageModel == null || driveModel == null) return null;
            if (!string.Equals(imageModel, driveModel, StringComparison.OrdinalIgnoreCase))
            {
                reasons.Add("Another model: image " + imageModel + ", drive " + driveModel + ".");
                return false;
            }
            return true;
        }
    }

    /// <summary>One family's way of recognising its raw images: tried in <see cref="Order"/> (lower first) against every image.</summary>
    internal sealed class ImageRule
    {
        public ImageRule(int order, Func<byte[], FirmwareImageReport, bool> tryAnalyze)
        {
            Order = order; TryAnalyze = tryAnalyze;
        }

        public int Order { get; }
        /// <summary>Claims the image and analyses it (true), or leaves the report untouched (false).</summary>
        public Func<byte[], FirmwareImageReport, bool> TryAnalyze { get; }
    }
}
