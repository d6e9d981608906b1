using System;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Families.Mt1959;
using MtkFlash.Core.Families.Tsst;
using MtkFlash.Core.Families.Btc;
using MtkFlash.Core.Families.Plextor;

namespace MtkFlash.Core.Protocols
{
    /// <summary>
    /// Chooses the flash protocol of a drive from its identity alone, before any command is sent. Families and models
    /// without a public, precisely documented protocol are refused with <see cref="FlashRefusedException"/>.
    /// </summary>
    public static class ProtocolRegistry
    {
        public const string NotPublicMessage =
            "The flash protocol of classic LiteOn/MediaTek 8051 drives is not public; MtkFlash never sends guessed commands to a drive.";
        public const string UnknownMessage =
            "MtkFlash does not know this drive's flash protocol and never sends guessed commands to a drive.";
        /// <summary>
        /// Why a drive that only advertises the MMC Microcode Upgrade feature is never flashed: no public source shows an optical
        /// drive accepting the standard mode-5 download (drive-protocols.md §4.3), and the same CDB means something else on
        /// drives whose flashers are public.
        /// </summary>
        public const string SpcMessage =
            "The drive advertises the MMC Microcode Upgrade feature (0104h), but no public source shows an optical drive accepting the " +
            "standard WRITE BUFFER download: on LG Renesas drives mode 5 selects a memory location, on Plextor drives it marks the last block " +
            "of a vendor sequence. MtkFlash never sends guessed commands to a drive.";
        public const string Sd616fMessage =
            "Samsung SD-616F flashing remaps the 128 KiB file into a 0x30000 image (redumper drive/flash_sd616.ixx), and the reference " +
            "documentation does not state that remap precisely; MtkFlash never sends a guessed image to a drive.";

        /// <summary>
        /// The protocol for an identified drive, or throws <see cref="FlashRefusedException"/>. A drive of a known chipset whose
        /// model the cited flasher does not list is refused (<see cref="FlashRefusalIds.ModelNotListed"/>) unless
        /// allowUnlistedModel; that override lifts only the list check, never a family's own checks.
        /// </summary>
        public static IFlashProtocol For(OpticalDrive drive, bool allowUnlistedModel = false)
        {
            if (drive == null) throw new ArgumentNullException(nameof(drive));
            var protocol = For(drive.Family, drive.Model);
            if (!drive.ListedModel && !allowUnlistedModel)
                throw new FlashRefusedException(FlashRefusalIds.ModelNotListed, UnlistedMessage(drive), remedy: Operations.Remedies.UnlistedModel);
            if (drive.Family == DriveFamily.Plextor)
            {
                var plextor = PlextorModel.Find(drive.Product);
                if (plextor == null || plextor.ChecksumOffset == null)
                    throw new FlashRefusedException(FlashRefusalIds.ModelNotSupported, PlextorProtocol.NoChecksumMessage(drive.Product));
            }
            return protocol;
        }

        /// <summary>Why an unlisted model is refused, naming the list it is missing from.</summary>
        public static string UnlistedMessage(OpticalDrive drive) =>
            UnlistedFact(drive) + ", and that flasher refuses models outside its list. Only the explicit unlisted-model override lifts this " +
            "check (not the force switch), and the write history records it.";

        /// <summary>"VENDOR PRODUCT looks like a FAMILY drive, but SOURCE does not list this model".</summary>
        public static string UnlistedFact(OpticalDrive drive)
        {
            var family = Serialization.Json.EnumName(drive.Family);
            return drive.Vendor + " " + DriveCatalog.NormaliseProduct(drive.Product) + " looks like a " + family +
                   (drive.Model != null && !string.Equals(drive.Model, family, StringComparison.OrdinalIgnoreCase) ? " (" + drive.Model + ")" : string.Empty) +
                   " drive, but " + ListSource(drive.Family, drive.Model) + " does not list this model";
        }

        static string ListSource(DriveFamily family, string model)
        {
            switch (family)
            {
                case DriveFamily.Mt1959: return DriveCatalog.RedumperMt1959;
                case DriveFamily.Plextor: return DriveCatalog.RedumperPlextor;
                case DriveFamily.Tsst:
                    return string.Equals(model, "mt1939", StringComparison.OrdinalIgnoreCase) ? DriveCatalog.CoastermeltMt1939 : DriveCatalog.RedumperTsst;
                default: return "no public flasher";
            }
        }

        /// <summary>The protocol for a family and model (the model matters for tsst), or throws <see cref="FlashRefusedException"/>.</summary>
        public static IFlashProtocol For(DriveFamily family, string model)
        {
            switch (family)
            {
                case DriveFamily.Mt1959:
                    return new Mt1959Protocol();
                case DriveFamily.Tsst:
                    if (string.Equals(model, "sd616f", StringComparison.OrdinalIgnoreCase))
                        throw new FlashRefusedException(FlashRefusalIds.ModelNotSupported, Sd616fMessage);
                    var tsst = TsstModel.Find(model);
                    if (tsst == null)
                        throw new FlashRefusedException(FlashRefusalIds.ModelNotSupported,
                            "The TSST model \"" + model + "\" has no documented block size and final state (drive-protocols.md §2.2); " +
                            "MtkFlash never sends guessed commands to a drive.");
                    return new TsstProtocol(tsst);
                case DriveFamily.Btc:
                    return new BtcProtocol();
                case DriveFamily.Plextor:
                    return new PlextorProtocol();
                case DriveFamily.Spc:
                    throw new FlashRefusedException(FlashRefusalIds.ProtocolNotPublic, SpcMessage);
                case DriveFamily.LiteOn8051:
                    throw new FlashRefusedException(FlashRefusalIds.ProtocolNotPublic, NotPublicMessage);
                default:
                    throw new FlashRefusedException(FlashRefusalIds.UnknownDrive, UnknownMessage);
            }
        }

        /// <summary>Like <see cref="For(OpticalDrive, bool)"/> without throwing: the refusal is returned instead.</summary>
        public static IFlashProtocol TryFor(OpticalDrive drive, out FlashRefusedException refusal)
        {
            try { refusal = null; return For(drive); }
            catch (FlashRefusedException ex) { refusal = ex; return null; }
        }

        public static IFlashProtocol TryFor(DriveFamily family, string model, out FlashRefusedException refusal)
        {
            try { refusal = null; return For(family, model); }
            catch (FlashRefusedException ex) { refusal = ex; return null; }
        }
    }
}
