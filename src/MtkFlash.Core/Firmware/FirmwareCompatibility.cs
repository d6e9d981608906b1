using System;
using System.Collections.Generic;
using System.Linq;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware.Families;
using MtkFlash.Core.Serialization;
using MtkFlash.Core.Families.Plextor;

namespace MtkFlash.Core.Firmware
{
    /// <summary>
    /// Facts read from the drive itself that INQUIRY does not give: the MT1959 boot ID (READ BUFFER 0x3000, drive-protocols
    /// §2.3) and chip (identity block 0x1EC034, mt1959-notes §1.2). The write operation reads them and passes them in.
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
            if (drive.Family == DriveFamily.Unknown || drive.Family == DriveFamily.Spc)
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
            bool? sameHardware = SameHardware(image, drive, hardware, reasons);

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

        /// <summary>True = shown to be the same hardware, false = shown to differ, null = cannot tell.</summary>
        static bool? SameHardware(FirmwareImageReport image, OpticalDrive drive, DriveHardware hw, List<string> reasons)
        {
            switch (image.Family)
            {
                case DriveFamily.Mt1959:
                {
                    // Chip by MTEKMT19xx: an MT1959 image on MT1939 silicon or the reverse bricks the drive (mt1959-notes §1.2, FM crossflash.rs).
                    var imageChip = image.Details.Chip;
                    if (hw?.Chip != null && imageChip != null && !string.Equals(hw.Chip.Trim(), imageChip, StringComparison.OrdinalIgnoreCase))
                    {
                        reasons.Add("The image is built for " + imageChip + " silicon, the drive has " + hw.Chip + ": flashing it bricks the drive (mt1959-notes §1.2).");
                        return false;
                    }
                    // Boot ID: redumper refuses when image 0x3000 differs from the drive's (drive-protocols §2.3); slim (BU5/BU51/BUP5)
                    // and desktop (JB8) boards differ here, and slim drives flashed with desktop firmware have burned (§2.3 [O]).
                    var imageBoot = Norm(image.Details.BootId);
                    // The svc code can change the board (mt1959-notes §5), so a boot ID read from the drive wins over the table.
                    var driveBoot = Norm(hw?.BootId) ?? Norm(DriveCatalog.Mt1959BootId(drive.Vendor, drive.Product));
                    if (imageBoot != null && driveBoot != null && !string.Equals(imageBoot, driveBoot, StringComparison.Ordinal))
                    {
                        reasons.Add("Boot ID differs: image '" + imageBoot + "', drive '" + driveBoot + "' (another board: e.g. slim vs desktop). Flashing it fails silently or damages the drive (mt1959-notes §4.3, §5).");
                        return false;
                    }
                    if (imageBoot == null || driveBoot == null)
                    {
                        reasons.Add("The drive's boot ID is not known here; the flasher must compare it with the image's (READ BUFFER 0x3000) before writing.");
                        return null;
                    }
                    if (hw?.Chip == null && imageChip != null)
                        reasons.Add("Image chip " + imageChip + "; the drive's chip (identity block 0x1EC034) must match before writing.");
                    return true;
                }
                case DriveFamily.LiteOn8051:
                {
                    // The first letter of the revision names the hardware family (drive-protocols §3.3, omnipatcher fw_specs.pl):
                    // U = SOHW-812S/802S and SONY DW-U18A, V = 832S/822S …
                    var a = Letter(image.Revision);
                    var b = Letter(drive.Revision);
                    if (a == null || b == null) return null;
                    if (a != b)
                    {
                        reasons.Add("Firmware family letter differs: image '" + a + "' (" + image.Revision + "), drive '" + b + "' (" + drive.Revision + "): another drive model.");
                        return false;
                    }
                    reasons.Add("Same firmware family letter '" + a + "' (drive-protocols §3.3).");
                    return true;
                }
                default:
                {
                    // BTC, TSST, Plextor: the catalogue model (DriveCatalog, from the public flashers' tables).
                    var imageModel = image.Model ?? DriveCatalog.Find(image.Vendor, image.Product)?.Model;
                    if (image.Family == DriveFamily.Plextor) imageModel = PlextorImage.ChecksumOffset(image.Product)?.ToString("X") ?? imageModel;
                    // The drive side reads the Plextor table (a PX-714A takes the image with the PX-716A checksum, qpxtool pxfw.cpp).
                    var driveModel = image.Family == DriveFamily.Plextor
                        ? (PlextorModel.Find(drive.Product)?.ChecksumOffset?.ToString("X") ?? PlextorImage.ChecksumOffset(drive.Product)?.ToString("X") ?? drive.Model)
                        : drive.Model;
                    if (imageModel == null || driveModel == null) return null;
                    if (!string.Equals(imageModel, driveModel, StringComparison.OrdinalIgnoreCase))
                    {
                        reasons.Add("Another model: image " + imageModel + ", drive " + driveModel + ".");
                        return false;
                    }
                    return true;
                }
            }
        }

        static string Letter(string revision) =>
            !string.IsNullOrEmpty(revision) && char.IsLetter(revision.Trim()[0]) ? char.ToUpperInvariant(revision.Trim()[0]).ToString() : null;

        static string Norm(string bootId) => string.IsNullOrWhiteSpace(bootId) ? null : bootId.Replace('\0', ' ').Trim();
    }
}
