using System;
using System.Text;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Families.Mt1959;

namespace MtkFlash.Core.Flashing
{
    /// <summary>
    /// Reads what INQUIRY does not tell about an MT1959-family drive, with READ BUFFER only: the boot ID at 0x3000
    /// (drive-protocols.md §2.3) and the chip tag MTEKMT19xx at identity block +0x34 (mt1959-notes.md §1.2), for the
    /// compatibility check. A failed read is not "unknown, so allowed": outside recovery it refuses the write here, and the
    /// protocol's own mandatory chip check (Mt1959Protocol.Prepare) reads again in any case.
    /// </summary>
    internal static class DriveHardwareReader
    {
        /// <summary>The drive's boot ID and chip; null for other families. In recovery an unreadable field stays null (the protocol decides).</summary>
        public static DriveHardware Read(ScsiDevice device, OpticalDrive drive, bool recover)
        {
            if (drive.Family != DriveFamily.Mt1959) return null;
            var hw = new DriveHardware();
            try
            {
                var config = device.ReadBuffer(BufferMode.DownloadMicrocodeOffsets, 0, Mt1959Protocol.ConfigOffset, Mt1959Protocol.ConfigSize);
                hw.BootId = Encoding.ASCII.GetString(config, 0, Math.Min(config.Length, Mt1959Protocol.BootIdSize));
                hw.Chip = Mt1959Protocol.ReadDriveChip(device);
            }
            catch (ScsiCommandException ex) when (!recover)
            {
                throw new WriteRefusedException(FlashRefusalIds.DriveConfigUnreadable,
                    "The drive did not return its boot ID at 0x3000 (READ BUFFER mode 6): " + ex.Message + " Without it the image cannot be matched to the drive.");
            }
            catch (FlashRefusedException ex) when (!recover)
            {
                throw new WriteRefusedException(ex.ErrorId, ex.Message);
            }
            catch (Exception ex) when (recover && (ex is ScsiCommandException || ex is FlashRefusedException)) { }
            return hw;
        }
    }
}
