using System.Collections.Generic;

namespace MtkFlash.Core.Transports
{
    /// <summary>A device node the OS (or the virtual-drive store) reports, before any command is sent.</summary>
    public sealed class DeviceEntry
    {
        public string Path { get; set; }
        /// <summary>Legacy IDE location ("1".."4") or a bus address ("scsi 2:0:0:0").</summary>
        public string Location { get; set; }
        public string[] AlternatePaths { get; set; }
        /// <summary>Identity the OS already knows without a command (Linux sysfs), used when the drive does not answer.</summary>
        public string Vendor { get; set; }
        public string Product { get; set; }
        public string Revision { get; set; }
        public bool IsVirtual { get; set; }

        /// <summary>An entry for a path given by the user that no platform listed (opened directly by path).</summary>
        public static DeviceEntry ForPath(string path) => new DeviceEntry
        {
            Path = path,
            IsVirtual = path != null && path.StartsWith(Virtual.VirtualDrivePlatform.Prefix, System.StringComparison.OrdinalIgnoreCase),
        };
    }

    /// <summary>How a drive is opened.</summary>
    public enum DriveAccess
    {
        /// <summary>Inventory and reads: shared access, no exclusive lock.</summary>
        Shared,
        /// <summary>Backup and flash: an OS-level exclusive lock, so a second MtkFlash process is refused.</summary>
        Exclusive,
    }

    /// <summary>
    /// One source of drives: the Linux SG_IO stack, the Windows CD-ROM class driver, or the virtual-drive store.
    /// </summary>
    public interface IDrivePlatform
    {
        string Name { get; }
        /// <summary>True when this platform owns the path syntax (/dev/…, \\.\CdRomN, virtual:NAME).</summary>
        bool Handles(string path);
        IReadOnlyList<DeviceEntry> Enumerate();
        IScsiTransport Open(string path, DriveAccess access);
        /// <summary>
        /// Null when this process may send firmware and vendor commands (WRITE BUFFER, vendor opcodes) to this platform's
        /// drives; otherwise why it may not and how to get the right. A write asks before it even opens the drive, so a user
        /// without the right sends nothing at all.
        /// </summary>
        string MissingRawIoRights();
    }
}
