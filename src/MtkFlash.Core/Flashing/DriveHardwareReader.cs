using MtkFlash.Core.Drives;
using MtkFlash.Core.Families;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Core.Flashing
{
    /// <summary>
    /// Reads what INQUIRY does not tell about a drive, for the compatibility check: the family decides what and how
    /// (<see cref="IDriveFamily.ReadHardware"/>; today only the MT1959 family reads its boot ID and chip).
    /// </summary>
    internal static class DriveHardwareReader
    {
        /// <summary>The drive's hardware facts; null when its family has none to read (or the family is not known).</summary>
        public static DriveHardware Read(ScsiDevice device, OpticalDrive drive, bool recover) =>
            FamilyRegistry.Find(drive.Family)?.ReadHardware(device, drive, recover);
    }
}
