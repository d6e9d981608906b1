using System.Collections.Generic;
using System.Linq;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.Plextor
{
    /// <summary>Plextor PX-7xx and CD-R writers: redumper drive/flash_plextor.ixx, checksums from qpxtool pxfw.cpp (docs/reference/drive-protocols.md §2.5).</summary>
    internal sealed class PlextorFamily : DriveFamilyDescriptor
    {
        public const string RedumperPlextor = "superg/redumper drive/flash_plextor.ixx PLEXTOR_SUPPORTED_DRIVES";

        /// <summary>
        /// Plextor: every model of redumper's PLEXTOR_SUPPORTED_DRIVES (block size per model there). Which of them MtkFlash can
        /// check an image for is the protocol's business (PlextorModel); the catalogue lists them all.
        /// </summary>
        static readonly KnownDriveModel[] Rows =
            PlextorModel.All.Select(m => KnownDriveModel.Exact("PLEXTOR", m.Product, DriveFamily.Plextor, ModelName(m.Product), RedumperPlextor)).ToArray();

        /// <summary>"DVDR PX-716A" → "px-716a", "CD-R PREMIUM2" → "premium2".</summary>
        internal static string ModelName(string product) => product.Substring(product.IndexOf(' ') + 1).ToLowerInvariant();

        public override DriveFamily Id => DriveFamily.Plextor;
        public override string DisplayName => "Plextor";
        public override IReadOnlyList<KnownDriveModel> Models => Rows;
        public override string ListSource(string model) => RedumperPlextor;
        public override IFlashProtocol CreateProtocol(string model) => new PlextorProtocol();
        public override IReadOnlyList<VirtualProfile> VirtualProfiles => PlextorProfiles.All;
        public override DriveTimingModel Timing => PlextorTiming.Model;

        /// <summary>A listed model without a public checksum cannot have its image checked, so it is not flashed.</summary>
        public override void CheckDrive(OpticalDrive drive)
        {
            var plextor = PlextorModel.Find(drive.Product);
            if (plextor == null || plextor.ChecksumOffset == null)
                throw new FlashRefusedException(FlashRefusalIds.ModelNotSupported, PlextorProtocol.NoChecksumMessage(drive.Product));
        }

        public override bool CanReadBack(string model, out string reason)
        {
            reason = "No public command reads Plextor firmware back; a backup holds the drive's identity only.";
            return false;
        }

        /// <summary>Same checksum offset = same image (a PX-714A takes the image with the PX-716A checksum, qpxtool pxfw.cpp).</summary>
        public override bool? SameHardware(FirmwareImageReport image, OpticalDrive drive, DriveHardware hardware, List<string> reasons)
        {
            var imageModel = PlextorImage.ChecksumOffset(image.Product)?.ToString("X") ?? image.Model ?? DriveCatalog.Find(image.Vendor, image.Product)?.Model;
            // The drive side reads the Plextor table.
            var driveModel = PlextorModel.Find(drive.Product)?.ChecksumOffset?.ToString("X") ?? PlextorImage.ChecksumOffset(drive.Product)?.ToString("X") ?? drive.Model;
            return SameModel(imageModel, driveModel, reasons);
        }

        internal override ImageRule ImageRule { get; } = new ImageRule(40, (d, r) =>
        {
            if (!PlextorImage.Claims(d, out var at)) return false;
            PlextorImage.Analyze(d, r, at);
            return true;
        });
        internal override Personality CreatePersonality(VirtualDriveUnit unit) => new PlextorPersonality(unit);
        internal override SyntheticImageBuilder SyntheticImage { get; } = new PlextorSyntheticImage();
    }
}
