using System;
using System.Collections.Generic;
using System.Linq;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;

namespace MtkFlash.Tests.Support
{
    /// <summary>
    /// A drive platform of <see cref="ScriptedTransport"/>s for front-end tests: it handles "NAME:..." paths, opens the drive
    /// added under a path (the same transport every time) and records each open as "PATH ACCESS"; any other path does not
    /// respond. Nothing is enumerated but the added drives.
    /// </summary>
    public sealed class ScriptedPlatform : IDrivePlatform
    {
        readonly Dictionary<string, (ScriptedTransport Drive, DeviceEntry Entry)> _drives = new Dictionary<string, (ScriptedTransport, DeviceEntry)>(StringComparer.Ordinal);

        public ScriptedPlatform(string name = "fake") { Name = name; }

        public string Name { get; }
        public List<string> Opened { get; } = new List<string>();

        public ScriptedPlatform Add(ScriptedTransport drive, DeviceEntry entry = null)
        {
            _drives[drive.Path] = (drive, entry ?? new DeviceEntry { Path = drive.Path });
            return this;
        }

        /// <summary>A drive with this identity that answers INQUIRY, has no disc (TEST UNIT READY: 2/3A/00) and refuses every other command (5/20/00).</summary>
        public ScriptedPlatform Add(string path, string vendor, string product, string revision) =>
            Add(new ScriptedTransport(path)
            {
                Inquiry = InquiryData.Build(vendor, product, revision),
                Override = r => r.Opcode == Cdb.InquiryOpcode ? null : r.Opcode == Cdb.TestUnitReadyOpcode ? ScsiResponse.Check(0x02, 0x3A, 0x00) : ScsiResponse.Check(0x05, 0x20, 0x00),
            }, new DeviceEntry { Path = path, Vendor = vendor, Product = product, Revision = revision });

        public bool Handles(string path) => path != null && path.StartsWith(Name + ":", StringComparison.Ordinal);

        public IReadOnlyList<DeviceEntry> Enumerate() => _drives.Values.Select(d => d.Entry).ToList();

        public string MissingRawIoRights() => null;

        public IScsiTransport Open(string path, DriveAccess access)
        {
            if (!_drives.TryGetValue(path, out var d)) throw new DriveNotRespondingException(path, "no drive " + path + " on the scripted platform");
            Opened.Add(path + " " + access);
            return d.Drive;
        }
    }
}
