using System.Collections.Generic;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;

namespace MtkFlash.Tests.Firmware
{
    /// <summary>A platform of scripted drives ("fake:NAME") that answer INQUIRY and TEST UNIT READY only.</summary>
    public sealed class FakeDrivePlatform : IDrivePlatform
    {
        readonly Dictionary<string, (string Vendor, string Product, string Revision)> _drives = new Dictionary<string, (string, string, string)>();

        public FakeDrivePlatform Add(string path, string vendor, string product, string revision)
        {
            _drives[path] = (vendor, product, revision);
            return this;
        }

        public string Name => "fake";
        public bool Handles(string path) => path != null && path.StartsWith("fake:");
        public IReadOnlyList<DeviceEntry> Enumerate()
        {
            var list = new List<DeviceEntry>();
            foreach (var kv in _drives) list.Add(new DeviceEntry { Path = kv.Key, Vendor = kv.Value.Vendor, Product = kv.Value.Product, Revision = kv.Value.Revision });
            return list;
        }

        public IScsiTransport Open(string path, DriveAccess access)
        {
            if (!_drives.TryGetValue(path, out var id)) throw new DriveNotRespondingException(path, "no such fake drive");
            return new Transport(path, id.Vendor, id.Product, id.Revision);
        }

        sealed class Transport : IScsiTransport
        {
            readonly byte[] _inquiry;
            public Transport(string path, string vendor, string product, string revision) { Path = path; _inquiry = InquiryData.Build(vendor, product, revision); }
            public string Path { get; }
            public ScsiResponse Execute(ScsiRequest request) =>
                request.Opcode == 0x12 ? ScsiResponse.Good(_inquiry)
                : request.Opcode == 0x00 ? ScsiResponse.Check(0x02, 0x3A, 0x00)
                : ScsiResponse.Check(0x05, 0x20, 0x00);
            public void Dispose() { }
        }
    }

    public static class Drives
    {
        public static OpticalDrive Make(string vendor, string product, string revision, string path = "/dev/sr0")
        {
            var family = DriveCatalog.Classify(vendor, product, false, out var model, out var listed);
            return new OpticalDrive { Path = path, Vendor = vendor, Product = product, Revision = revision, Family = family, Model = model, ListedModel = listed, State = DriveState.NoMedium };
        }
    }
}
