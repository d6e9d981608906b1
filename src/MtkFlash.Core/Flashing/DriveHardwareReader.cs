using System;
using System.Text;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Core.Flashing
{
    /// <summary>
    /// Reads what INQUIRY does not tell about an MT1959-family drive, with READ BUFFER only: the boot ID at 0x3000
    /// (drive-protocols.md §2.3) and the chip tag MTEKMT19xx at identity block +0x34 (mt1959-notes.md §1.2). The chip
    /// decides compatibility: an MT1959 image on MT1939 silicon, or the reverse, bricks the drive.
    /// </summary>
    internal static class DriveHardwareReader
    {
        public static DriveHardware TryRead(ScsiDevice device, OpticalDrive drive)
        {
            if (drive.Family != DriveFamily.Mt1959) return null;
            var hw = new DriveHardware();
            try
            {
                var config = device.ReadBuffer(BufferMode.DownloadMicrocodeOffsets, 0, Mt1959Protocol.ConfigOffset, Mt1959Protocol.ConfigSize);
                hw.BootId = Encoding.ASCII.GetString(config, 0, Math.Min(config.Length, Mt1959Protocol.BootIdSize));
                var identity = device.ReadBuffer(BufferMode.DownloadMicrocodeOffsets, 0, Mt1959Protocol.IdentityOffset, Mt1959Protocol.IdentitySize);
                var tag = Encoding.ASCII.GetString(identity, 0x34, 10);
                if (tag.StartsWith("MTEK", StringComparison.Ordinal)) hw.Chip = tag.Substring(4);
            }
            catch (DriveCommunicationException) { }   // best effort: the protocol's own boot-ID check still runs
            return hw.BootId == null && hw.Chip == null ? null : hw;
        }
    }
}
