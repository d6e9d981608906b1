using System;
using System.IO;
using MtkFlash.Tests.Support;

namespace MtkFlash.Tests.Transports.Linux
{
    /// <summary>
    /// A sysfs tree in a temp folder with the kernel's shape: the scsi_device directory under /sys/devices, reached
    /// through symlinks from /sys/class/scsi_generic, /sys/block and /sys/bus/scsi/devices (docs/reference/drive-protocols.md §5.1).
    /// </summary>
    sealed class FakeSysfs : IDisposable
    {
        readonly TempHome _temp = new TempHome();

        public FakeSysfs() { Root = _temp.Sub("sys"); Directory.CreateDirectory(Root); }

        public string Root { get; }

        /// <param name="devicePath">Below /sys/devices, ending with the H:C:T:L directory.</param>
        public string AddDevice(string devicePath, string type = "5", string vendor = "QEMU    ", string model = "QEMU DVD-ROM    ",
            string rev = "2.5+", string sr = null, string sg = null)
        {
            var dir = Path.Combine(Root, "devices", devicePath);
            Directory.CreateDirectory(dir);
            if (type != null) File.WriteAllText(Path.Combine(dir, "type"), type + "\n");
            if (vendor != null) File.WriteAllText(Path.Combine(dir, "vendor"), vendor + "\n");
            if (model != null) File.WriteAllText(Path.Combine(dir, "model"), model + "\n");
            if (rev != null) File.WriteAllText(Path.Combine(dir, "rev"), rev + "\n");
            var address = Path.GetFileName(devicePath);
            Link(Path.Combine(Root, "bus", "scsi", "devices", address), "../../../devices/" + devicePath);
            if (sg != null)
            {
                var sgDir = Path.Combine(dir, "scsi_generic", sg);
                Directory.CreateDirectory(sgDir);
                Link(Path.Combine(sgDir, "device"), "../..");
                Link(Path.Combine(Root, "class", "scsi_generic", sg), "../../devices/" + devicePath + "/scsi_generic/" + sg);
            }
            if (sr != null)
            {
                var srDir = Path.Combine(dir, "block", sr);
                Directory.CreateDirectory(srDir);
                Link(Path.Combine(srDir, "device"), "../..");
                Link(Path.Combine(Root, "block", sr), "../devices/" + devicePath + "/block/" + sr);
                Link(Path.Combine(Root, "class", "block", sr), "../../devices/" + devicePath + "/block/" + sr);
            }
            return dir;
        }

        /// <summary>libata's transport-class attributes of port ataN (libata-transport.c).</summary>
        public void AddAtaPort(int printId, int portNo, string sataSpeed)
        {
            var port = Path.Combine(Root, "class", "ata_port", "ata" + printId);
            Directory.CreateDirectory(port);
            File.WriteAllText(Path.Combine(port, "port_no"), portNo + "\n");
            var link = Path.Combine(Root, "class", "ata_link", "link" + printId);
            Directory.CreateDirectory(link);
            File.WriteAllText(Path.Combine(link, "sata_spd"), sataSpeed + "\n");
        }

        static void Link(string path, string target)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path));
            Directory.CreateSymbolicLink(path, target);
        }

        public void Dispose() => _temp.Dispose();
    }
}
