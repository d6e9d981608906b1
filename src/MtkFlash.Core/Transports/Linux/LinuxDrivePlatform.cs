using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace MtkFlash.Core.Transports.Linux
{
    /// <summary>
    /// Optical drives of a Linux machine: sysfs for the inventory, SG_IO for commands, flock + O_EXCL for exclusive access.
    /// </summary>
    public sealed class LinuxDrivePlatform : IDrivePlatform
    {
        readonly LinuxSysfs _sysfs;
        readonly string _lockDirectory;

        /// <param name="sysfsRoot">sysfs mount point; tests pass a fake tree.</param>
        /// <param name="lockDirectory">Folder of the drive lock files; default /run/lock, else /tmp. Every MtkFlash
        /// process must use the same folder for the lock to work, so only tests change it.</param>
        public LinuxDrivePlatform(string sysfsRoot = "/sys", string lockDirectory = null)
        {
            _sysfs = new LinuxSysfs(sysfsRoot ?? "/sys");
            _lockDirectory = lockDirectory;
        }

        public string Name => "Linux";

        public bool Handles(string path) => path != null && path.StartsWith("/dev/", StringComparison.Ordinal);

        /// <summary>SG_IO lets firmware and vendor commands through only with CAP_SYS_RAWIO (<see cref="RawIoRights"/>).</summary>
        public string MissingRawIoRights() => RawIoRights.HasRawIo() ? null : RawIoRights.Message;

        /// <summary>One entry per drive; an empty list when sysfs is missing (no SCSI stack).</summary>
        public IReadOnlyList<DeviceEntry> Enumerate() => _sysfs.Enumerate();

        public IScsiTransport Open(string path, DriveAccess access)
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
                throw new PlatformNotSupportedException("The SG_IO transport runs on Linux only.");
            return SgIoTransport.Open(path, access, _sysfs, _lockDirectory ?? DriveLockFile.DefaultDirectory());
        }

        /// <summary>The key of the exclusive drive lock for a device node: its SCSI address (H:C:T:L) when sysfs knows it.</summary>
        public string LockKeyOf(string path) => _sysfs.ScsiAddressOf(path) ?? path;

        /// <summary>
        /// The node an exclusive open (backup, flash) sends through: the drive's /dev/sgN where the sg driver has one, else
        /// the node given. Opening sg sends the drive nothing (the sr driver's open may check the medium), and its O_EXCL
        /// keeps every other sg user (burning tools, udev helpers) off the drive for the whole flash (issue 9 §4).
        /// </summary>
        public string ExclusiveNodeOf(string path) => SgIoTransport.ExclusiveNode(path, _sysfs);
    }
}
