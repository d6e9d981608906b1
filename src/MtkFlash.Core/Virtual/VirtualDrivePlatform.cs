using System;
using System.Collections.Generic;

namespace MtkFlash.Core.Virtual
{
    // PLACEHOLDER: replaced by the virtual-drive emulator work in this session.
    public sealed class VirtualDrivePlatform : Transports.IDrivePlatform
    {
        public const string Prefix = "virtual:";
        readonly string _home;
        public VirtualDrivePlatform(string homeDirectory, Infrastructure.IClock clock) { _home = homeDirectory; }
        public string Name => "virtual";
        public bool Handles(string path) => path != null && path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);
        public IReadOnlyList<Transports.DeviceEntry> Enumerate() => new Transports.DeviceEntry[0];
        public Transports.IScsiTransport Open(string path, Transports.DriveAccess access) => throw new NotSupportedException();
    }
}
