using System;
using System.Collections.Generic;
using System.Linq;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;

namespace MtkFlash.Core.Virtual
{
    /// <summary>The virtual-drive store as a drive platform: paths "virtual:NAME", every drive listed with IsVirtual = true.</summary>
    public sealed class VirtualDrivePlatform : IDrivePlatform
    {
        public const string Prefix = "virtual:";

        public VirtualDrivePlatform(string homeDirectory, IClock clock)
        {
            Store = new VirtualDriveStore(homeDirectory, clock);
        }

        public VirtualDriveStore Store { get; }
        public string Name => "virtual";

        public bool Handles(string path) => path != null && path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

        public IReadOnlyList<DeviceEntry> Enumerate() =>
            Store.List().Select(d => new DeviceEntry
            {
                Path = d.Path, Location = "virtual", Vendor = d.Vendor, Product = d.Product, Revision = d.Revision, IsVirtual = true,
            }).ToList();

        public IScsiTransport Open(string path, DriveAccess access) => OpenDrive(path, access);

        /// <summary>A virtual drive takes every command from whoever may open its folder.</summary>
        public string MissingRawIoRights() => null;

        /// <summary>Like <see cref="Open"/>, typed: tests use it to reach the flash and the faults.</summary>
        public VirtualDrive OpenDrive(string path, DriveAccess access)
        {
            var name = VirtualDriveStore.NameFromPath(path);
            if (!VirtualDriveStore.IsValidName(name))
                throw new NoSuchDriveException(path, "No virtual drive named '" + name + "'.", Operations.Remedies.VirtualDriveNotFound(name));
            try { return Store.Open(name, access); }
            catch (VirtualDriveNotFoundException)
            {
                throw new NoSuchDriveException(path, "No virtual drive named '" + name + "'.", Operations.Remedies.VirtualDriveNotFound(name));
            }
        }
    }
}
