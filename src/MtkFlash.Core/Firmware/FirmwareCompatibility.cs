using System;
using System.Collections.Generic;
using System.Linq;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware.Families;
using MtkFlash.Core.Serialization;

namespace MtkFlash.Core.Firmware
{
    /// <summary>
    /// Facts read from the drive itself that INQUIRY does not give: the MT1959 boot ID (READ BUFFER 0x3000, docs/reference/drive-protocols.md
    /// §2.3) and chip (identity block 0x1EC034, docs/reference/mt1959-notes.md §1.2). The write operation reads them and passes them in.
    /// </summary>
    public sealed class DriveHardware
    {
        /// <summary>16-byte boot ID, e.g. "MT1959 Boot JB8 ".</summary>
        public string BootId { get; set; }
        /// <summary>"MT1959" or "MT1939".</summary>
        public string Chip { get; set; }
    }

    /// <summary>
    /// Does an image fit a drive? Pure function of the report and the drive (no I/O). Fits = same family, same vendor and
    /// product, same hardware; crossFlash = same hardware but another vendor's or product's firmware; incompatible =
    /// another family, model, chip or boot loader, or an image that is not valid.
    /// </summary>
    public static class FirmwareCompatibility
    {
        public static CompatibilityResult Check(FirmwareImageReport image, OpticalDrive drive, DriveHardware hardware = null)
        {
            if (image == null) throw new ArgumentNullException(nameof(image));
            if (drive == null) throw new ArgumentNullException(nameof(drive));
            var result = new CompatibilityResult
            {
                Drive = drive.Path, DriveRevision = drive.Revision, ImageRevision = image.Revision,
                Newer = RevisionRules.Compare(image.Revision, drive.Revision),
            };
            var reasons = result.Reasons;
            CompatibilityVerdict Verdict(CompatibilityVerdict v, string reason) { if (reason != null) reasons.Add(reason); result.Verdict = v; return v; }

            if (!image.IsValid)
            {
                var first = image.Problems.FirstOrDefault(p => p.Severity == ProblemSeverity.Error);
                Verdict(CompatibilityVerdict.Incompatible, "The image is not valid" + (first != null ? ": " + first.Message : "."));
                return result;
            }
            if (string.Equals(drive.Revision, "BOOT", StringComparison.OrdinalIgnoreCase))
                reasons.Add("The drive runs its boot loader (revision BOOT): its own revision is unknown.");
            var family = MtkFlash.Core.Families.FamilyRegistry.Find(drive.Family);
            if (family == null || !family.ImagesCanFit)
            {
                Verdict(CompatibilityVerdict.Incompatible, "The drive (" + drive.Vendor + " " + drive.Product + ") is not a known MediaTek family, so no image can be shown to fit it.");
                return result;
            }
            if (image.Family != drive.Family)
            {
                Verdict(CompatibilityVerdict.Incompatible, "The image is for the " + Json.EnumName(image.Family) + " family; the drive is " + Json.EnumName(drive.Family) + ".");
                return result;
            }
            // Said here too, so that Test-FirmwareImage tells what Write-DriveFirmware will answer (issue 9 §2).
            if (Protocols.ProtocolRegistry.TryFor(drive, out var refusal) == null && refusal.ErrorId == Protocols.FlashRefusalIds.ModelNotListed)
                reasons.Add(refusal.Message);

            bool sameProduct = string.Equals((image.Vendor ?? "").Trim(), (drive.Vendor ?? "").Trim(), StringComparison.OrdinalIgnoreCase) &&
                               string.Equals(DriveCatalog.NormaliseProduct(image.Product), DriveCatalog.NormaliseProduct(drive.Product), StringComparison.OrdinalIgnoreCase);
            bool? sameHardware = family.SameHardware(image, drive, hardware, reasons);

            if (sameHardware == false) Verdict(CompatibilityVerdict.Incompatible, null);
            else if (sameProduct) Verdict(CompatibilityVerdict.Fits, "Same family, vendor and product (" + drive.Vendor + " " + DriveCatalog.NormaliseProduct(drive.Product) + ").");
            else if (sameHardware == true)
                Verdict(CompatibilityVerdict.CrossFlash, "Same hardware, another vendor's or product's firmware (" + image.Vendor + " " + image.Product + " on " + drive.Vendor + " " + drive.Product +
                    "): a cross-flash, allowed only on request. The drive will then report the image's identity.");
            else Verdict(CompatibilityVerdict.Incompatible, "Another product (" + image.Vendor + " " + image.Product + ") and nothing shows it is the same hardware as " + drive.Vendor + " " + drive.Product + ".");

            switch (result.Newer)
            {
                case RevisionComparison.Newer: reasons.Add("The image (" + image.Revision + ") is newer than the drive's firmware (" + drive.Revision + ")."); break;
                case RevisionComparison.Older: reasons.Add("The image (" + image.Revision + ") is older than the drive's firmware (" + drive.Revision + "): a downgrade."); break;
                case RevisionComparison.Same: reasons.Add("The drive already runs revision " + drive.Revision + "."); break;
            }
            return result;
        }
    }
}
