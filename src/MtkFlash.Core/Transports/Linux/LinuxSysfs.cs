using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace MtkFlash.Core.Transports.Linux
{
    /// <summary>
    /// Optical drives as sysfs describes them, read from an injectable root (tests use a fake tree in a temp folder).
    /// docs/reference/drive-protocols.md §5.1: SCSI devices whose `type` is 5, their `scsi_generic/sgN` and `block/srN` nodes, and the
    /// INQUIRY strings the kernel prints into `vendor`, `model`, `rev` (padded with spaces, so trimmed).
    /// </summary>
    internal sealed class LinuxSysfs
    {
        const int TypeCdDvd = 5; // SPC peripheral device type 5: CD/DVD (docs/reference/drive-protocols.md §4.4)
        static readonly Regex ScsiAddressName = new Regex(@"^\d+:\d+:\d+:\d+$", RegexOptions.CultureInvariant);
        static readonly Regex AtaPortName = new Regex(@"^ata(\d+)$", RegexOptions.CultureInvariant);

        readonly string _root;
        readonly string _devRoot;

        /// <param name="sysfsRoot">Normally /sys.</param>
        /// <param name="devRoot">Where the device nodes are named (normally /dev); only used to build paths.</param>
        public LinuxSysfs(string sysfsRoot, string devRoot = "/dev")
        {
            _root = sysfsRoot;
            _devRoot = devRoot.TrimEnd('/');
        }

        sealed class Found
        {
            public string DeviceDir;   // canonical scsi_device directory (name H:C:T:L)
            public string Sr;
            public string Sg;
        }

        public IReadOnlyList<DeviceEntry> Enumerate()
        {
            if (!Directory.Exists(_root)) return new DeviceEntry[0];
            var byDevice = new Dictionary<string, Found>(StringComparer.Ordinal);

            Found For(string deviceLink)
            {
                var dir = Canonical(deviceLink);
                if (dir == null) return null;
                if (!byDevice.TryGetValue(dir, out var f)) byDevice[dir] = f = new Found { DeviceDir = dir };
                return f;
            }

            // The three views of the same scsi_device; any one of them may be missing (no sg module, no sr module).
            foreach (var sg in ListDirectories(Path.Combine(_root, "class", "scsi_generic")))
            {
                var f = For(Path.Combine(sg, "device"));
                if (f != null) f.Sg = Path.GetFileName(sg);
            }
            foreach (var sr in ListDirectories(Path.Combine(_root, "block")).Concat(ListDirectories(Path.Combine(_root, "class", "block")))
                                 .Where(d => Path.GetFileName(d).StartsWith("sr", StringComparison.Ordinal)))
            {
                var f = For(Path.Combine(sr, "device"));
                if (f != null && f.Sr == null) f.Sr = Path.GetFileName(sr);
            }
            foreach (var dev in ListDirectories(Path.Combine(_root, "bus", "scsi", "devices")).Where(d => ScsiAddressName.IsMatch(Path.GetFileName(d))))
                For(dev);

            var drives = byDevice.Values
                .Where(f => (f.Sr != null || f.Sg != null) && ReadInt(Path.Combine(f.DeviceDir, "type")) == TypeCdDvd)
                .OrderBy(f => f.Sr == null ? 1 : 0).ThenBy(f => NodeNumber(f.Sr)).ThenBy(f => NodeNumber(f.Sg))
                .ToList();

            var entries = new List<DeviceEntry>();
            var legacy = new Dictionary<DeviceEntry, string>();
            foreach (var f in drives)
            {
                var address = Path.GetFileName(f.DeviceDir);
                var entry = new DeviceEntry
                {
                    Path = _devRoot + "/" + (f.Sr ?? f.Sg),
                    AlternatePaths = f.Sr != null && f.Sg != null ? new[] { _devRoot + "/" + f.Sg } : new string[0],
                    Vendor = ReadTrimmed(Path.Combine(f.DeviceDir, "vendor")),
                    Product = ReadTrimmed(Path.Combine(f.DeviceDir, "model")),
                    Revision = ReadTrimmed(Path.Combine(f.DeviceDir, "rev")),
                    Location = ScsiAddressName.IsMatch(address) ? "scsi " + address : null,
                };
                var ide = LegacyIdeNumber(f.DeviceDir, address);
                if (ide != null) legacy[entry] = ide;
                entries.Add(entry);
            }

            // Two IDE controllers would both have a "primary master": the DOS numbering only fits one of them, and we
            // cannot tell which one sits at the legacy I/O ports, so conflicting drives keep their SCSI address. [I]
            foreach (var group in legacy.GroupBy(kv => kv.Value).Where(g => g.Count() == 1))
                group.Single().Key.Location = group.Key;
            return entries;
        }

        /// <summary>
        /// The legacy IDE number of the old DOS tools (1 primary master, 2 primary slave, 3 secondary master,
        /// 4 secondary slave), or null when the drive is not on a parallel/legacy ATA port.
        /// How libata exposes it (torvalds/linux drivers/ata):
        /// * the scsi_device sits below the port device "ataN" (libata-transport.c ata_tport_add: "ata%d", print_id);
        /// * the SCSI target id is the ATA device number, master 0 / slave 1, and the channel is 0 on a host link
        ///   (libata-scsi.c ata_scsi_scan_host: id = dev->devno; channel = link->pmp only behind a port multiplier);
        /// * ata_port/ataN/port_no is the port's index on its controller plus one (local_port_no = i + 1 in
        ///   libata-core.c ata_host_alloc); on a PCI IDE controller port i uses BARs 2i/2i+1, i.e. port 1 = primary
        ///   channel, port 2 = secondary (libata-sff.c ata_pci_sff_init_host);
        /// * ata_link/linkN/sata_spd prints "&lt;unknown&gt;" when the link has no SATA speed (sata_spd_string(0)),
        ///   which is the case for a parallel ATA link [I: a SATA port in IDE emulation without SCR access reads the same,
        ///   and is numbered like IDE, which matches what DOS saw].
        /// </summary>
        string LegacyIdeNumber(string deviceDir, string address)
        {
            if (!ScsiAddressName.IsMatch(address)) return null;
            var hctl = address.Split(':').Select(int.Parse).ToArray();
            if (hctl[1] != 0 || hctl[2] > 1 || hctl[3] != 0) return null;

            string port = deviceDir.Split('/').LastOrDefault(part => AtaPortName.IsMatch(part));
            if (port == null) return null;
            string printId = AtaPortName.Match(port).Groups[1].Value;
            var speed = ReadTrimmed(Path.Combine(_root, "class", "ata_link", "link" + printId, "sata_spd"));
            if (speed != "<unknown>") return null;
            int? portNo = ReadInt(Path.Combine(_root, "class", "ata_port", port, "port_no"));
            if (portNo != 1 && portNo != 2) return null;
            return ((portNo.Value - 1) * 2 + hctl[2] + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <summary>
        /// The SCSI address (H:C:T:L) behind a device node, for the drive lock: /dev/sr0 and /dev/sg0 of one drive give the
        /// same address. Null when sysfs does not know the node.
        /// </summary>
        public string ScsiAddressOf(string devicePath)
        {
            var node = Path.GetFileName(LinuxNative.RealPath(devicePath) ?? devicePath);
            foreach (var candidate in new[]
            {
                Path.Combine(_root, "class", "scsi_generic", node, "device"),
                Path.Combine(_root, "block", node, "device"),
                Path.Combine(_root, "class", "block", node, "device"),
            })
            {
                var dir = Canonical(candidate);
                var name = dir == null ? null : Path.GetFileName(dir);
                if (name != null && ScsiAddressName.IsMatch(name)) return name;
            }
            return null;
        }

        /// <summary>
        /// The sg node (/dev/sgN) of the drive behind a device node (/dev/srN or /dev/sgN), or null when the sg driver has no
        /// node for it (sg not loaded) or sysfs does not know the node.
        /// </summary>
        public string GenericNodeOf(string devicePath)
        {
            var address = ScsiAddressOf(devicePath);
            if (address == null) return null;
            foreach (var sg in ListDirectories(Path.Combine(_root, "class", "scsi_generic")))
            {
                var dir = Canonical(Path.Combine(sg, "device"));
                if (dir != null && Path.GetFileName(dir) == address) return _devRoot + "/" + Path.GetFileName(sg);
            }
            return null;
        }

        static string Canonical(string path)
        {
            try { return Directory.Exists(path) ? LinuxNative.RealPath(path)?.TrimEnd('/') : null; }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { return null; }
        }

        static IEnumerable<string> ListDirectories(string dir)
        {
            try { return Directory.Exists(dir) ? Directory.GetDirectories(dir) : new string[0]; }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { return new string[0]; }
        }

        static string ReadTrimmed(string file)
        {
            try { return File.Exists(file) ? File.ReadAllText(file).Trim() : null; }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { return null; }
        }

        static int? ReadInt(string file) => int.TryParse(ReadTrimmed(file), out var v) ? v : (int?)null;

        static int NodeNumber(string node)
        {
            if (node == null) return int.MaxValue;
            var digits = new string(node.SkipWhile(c => !char.IsDigit(c)).ToArray());
            return int.TryParse(digits, out var n) ? n : int.MaxValue;
        }
    }
}
