using System;
using System.Collections.Generic;

namespace MtkFlash.Core.Transports.Linux
{
    // PLACEHOLDER: replaced by the SG_IO transport and sysfs enumeration work in this session.
    public sealed class LinuxDrivePlatform : IDrivePlatform
    {
        public string Name => "Linux";
        public bool Handles(string path) => path != null && path.StartsWith("/dev/", StringComparison.Ordinal);
        public IReadOnlyList<DeviceEntry> Enumerate() => new DeviceEntry[0];
        public IScsiTransport Open(string path, DriveAccess access) => throw new NotSupportedException();
    }
}
