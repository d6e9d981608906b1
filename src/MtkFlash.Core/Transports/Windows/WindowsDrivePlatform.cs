using System;
using System.Collections.Generic;

namespace MtkFlash.Core.Transports.Windows
{
    // PLACEHOLDER: replaced by the SCSI pass-through transport work in this session.
    public sealed class WindowsDrivePlatform : IDrivePlatform
    {
        public string Name => "Windows";
        public bool Handles(string path) => path != null && path.StartsWith(@"\\.\", StringComparison.Ordinal);
        public IReadOnlyList<DeviceEntry> Enumerate() => new DeviceEntry[0];
        public IScsiTransport Open(string path, DriveAccess access) => throw new NotSupportedException();
    }
}
