using System;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Families;

namespace MtkFlash.Core.Protocols
{
    /// <summary>
    /// Chooses the flash protocol of a drive from its identity alone, before any command is sent. Families and models
    /// without a public, precisely documented protocol are refused with <see cref="FlashRefusedException"/>.
    /// </summary>
    public static class ProtocolRegistry
    {
        public const string UnknownMessage =
            "MtkFlash does not know this drive's flash protocol and never sends guessed commands to a drive.";

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
            FamilyRegistry.Required(drive.Family).CheckDrive(drive);
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

        static string ListSource(DriveFamily family, string model) => FamilyRegistry.Find(family)?.ListSource(model) ?? "no public flasher";

        /// <summary>The protocol for a family and model (the model matters for tsst), or throws <see cref="FlashRefusedException"/>.</summary>
        public static IFlashProtocol For(DriveFamily family, string model) =>
            (FamilyRegistry.Find(family) ?? throw new FlashRefusedException(FlashRefusalIds.UnknownDrive, UnknownMessage)).CreateProtocol(model);

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
