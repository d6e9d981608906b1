using System;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Families;

namespace MtkFlash.Core.Protocols
{
    /// <summary>
    /// What MtkFlash can do with a family or model, from the public facts (docs/reference/drive-protocols.md §1–§3). CanFlash is exactly
    /// "<see cref="ProtocolRegistry"/> returns a protocol", so the inventory and the write operation never disagree.
    /// </summary>
    public sealed class FamilyCapabilities
    {
        FamilyCapabilities(DriveFamily family, string model, bool readFirmware, bool readRegions, bool flash, string reason)
        {
            Family = family; Model = model; CanReadFirmware = readFirmware; CanReadRegions = readRegions; CanFlash = flash; Reason = reason;
        }

        public DriveFamily Family { get; }
        public string Model { get; }
        /// <summary>A public command reads the whole firmware image back.</summary>
        public bool CanReadFirmware { get; }
        /// <summary>A public command reads the drive-specific regions (config, calibration).</summary>
        public bool CanReadRegions { get; }
        public bool CanFlash { get; }
        /// <summary>Why something is not possible; null when everything is.</summary>
        public string Reason { get; }

        /// <summary>Family level: what the family's best-documented model allows (tsst: the MT1939).</summary>
        public static FamilyCapabilities For(DriveFamily family) =>
            For(family, FamilyRegistry.Find(family)?.DefaultModel);

        /// <summary>Model level (the model matters for tsst: only the MT1939 has a read path; the SD-616F is refused).</summary>
        public static FamilyCapabilities For(DriveFamily family, string model) =>
            Build(family, model, ProtocolRegistry.TryFor(family, model, out var refusal), refusal);

        /// <summary>For an identified drive (also checks the Plextor model).</summary>
        public static FamilyCapabilities For(OpticalDrive drive)
        {
            if (drive == null) throw new ArgumentNullException(nameof(drive));
            return Build(drive.Family, drive.Model, ProtocolRegistry.TryFor(drive, out var refusal), refusal);
        }

        static FamilyCapabilities Build(DriveFamily family, string model, IFlashProtocol protocol, FlashRefusedException refusal)
        {
            // What a public command reads back is the family's business; an unknown family reads nothing.
            string readReason = null;
            bool readFirmware = FamilyRegistry.Find(family)?.CanReadBack(model, out readReason) ?? false, readRegions = readFirmware;
            string reason = refusal != null ? refusal.Message + (readReason != null ? " " + readReason : string.Empty) : readReason;
            return new FamilyCapabilities(family, model, readFirmware, readRegions, protocol != null, reason);
        }
    }
}
