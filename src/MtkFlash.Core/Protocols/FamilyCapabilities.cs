using System;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Families.Tsst;

namespace MtkFlash.Core.Protocols
{
    /// <summary>
    /// What MtkFlash can do with a family or model, from the public facts (drive-protocols.md §1–§3). CanFlash is exactly
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
            For(family, family == DriveFamily.Tsst ? TsstModel.Mt1939.Name : null);

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
            bool readFirmware, readRegions;
            string readReason = null;
            switch (family)
            {
                case DriveFamily.Mt1959:
                    // READ BUFFER mode 6 over flash-mapped space (mt1959-notes.md §3, freemkv mtk.rs).
                    readFirmware = readRegions = true;
                    break;
                case DriveFamily.Tsst:
                    // MT1939: READ BUFFER mode 6 "can read from flash" (coastermelt doc/bootloader.txt) [I] for full dumps.
                    readFirmware = readRegions = string.Equals(model, TsstModel.Mt1939.Name, StringComparison.OrdinalIgnoreCase);
                    if (!readFirmware) readReason = "No public command reads this TSST model's firmware back; a backup holds the drive's identity only.";
                    break;
                case DriveFamily.Btc:
                    readFirmware = readRegions = false;
                    readReason = "No public command reads BTC firmware back; a backup holds the drive's identity only.";
                    break;
                case DriveFamily.Plextor:
                    readFirmware = readRegions = false;
                    readReason = "No public command reads Plextor firmware back; a backup holds the drive's identity only.";
                    break;
                case DriveFamily.Spc:
                    readFirmware = readRegions = false;
                    readReason = "Standard SCSI defines no firmware read-back; a backup holds the drive's identity only.";
                    break;
                case DriveFamily.LiteOn8051:
                    readFirmware = readRegions = false;
                    readReason = "Its firmware images can still be analysed.";
                    break;
                default:
                    readFirmware = readRegions = false;
                    break;
            }
            string reason = refusal != null ? refusal.Message + (readReason != null ? " " + readReason : string.Empty) : readReason;
            return new FamilyCapabilities(family, model, readFirmware, readRegions, protocol != null, reason);
        }
    }
}
