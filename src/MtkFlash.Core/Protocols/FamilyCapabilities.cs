using MtkFlash.Core.Drives;

namespace MtkFlash.Core.Protocols
{
    /// <summary>What MtkFlash can do with a family, from the public facts (drive-protocols.md §1–§3).</summary>
    public sealed class FamilyCapabilities
    {
        FamilyCapabilities(DriveFamily family, bool readFirmware, bool readRegions, bool flash, string reason)
        {
            Family = family; CanReadFirmware = readFirmware; CanReadRegions = readRegions; CanFlash = flash; Reason = reason;
        }

        public DriveFamily Family { get; }
        /// <summary>A public command reads the whole firmware image back.</summary>
        public bool CanReadFirmware { get; }
        /// <summary>A public command reads the drive-specific regions (config, calibration).</summary>
        public bool CanReadRegions { get; }
        public bool CanFlash { get; }
        /// <summary>Why something is not possible; null when everything is.</summary>
        public string Reason { get; }

        public static FamilyCapabilities For(DriveFamily family)
        {
            switch (family)
            {
                case DriveFamily.Mt1959:
                    // READ BUFFER mode 6 over flash-mapped space (mt1959-notes.md §3, freemkv mtk.rs); WB 1 + 6 (redumper).
                    return new FamilyCapabilities(family, true, true, true, null);
                case DriveFamily.Tsst:
                    // MT1939: READ BUFFER mode 6 "can read from flash" (coastermelt doc/bootloader.txt); FF 00 01 flash (§2.2).
                    return new FamilyCapabilities(family, true, true, true, null);
                case DriveFamily.Btc:
                    return new FamilyCapabilities(family, false, false, true,
                        "No public command reads BTC firmware back; a backup holds the drive's identity only.");
                case DriveFamily.Plextor:
                    return new FamilyCapabilities(family, false, false, true,
                        "No public command reads Plextor firmware back; a backup holds the drive's identity only.");
                case DriveFamily.Spc:
                    return new FamilyCapabilities(family, false, false, true,
                        "Standard SCSI defines no firmware read-back; a backup holds the drive's identity only.");
                case DriveFamily.LiteOn8051:
                    return new FamilyCapabilities(family, false, false, false,
                        "The flash and read protocol of classic LiteOn/MediaTek 8051 drives is not public; MtkFlash never sends guessed commands to a drive. Images can still be analysed with Test-FirmwareImage.");
                default:
                    return new FamilyCapabilities(family, false, false, false,
                        "MtkFlash does not know this drive's flash protocol and never sends guessed commands to a drive.");
            }
        }
    }
}
