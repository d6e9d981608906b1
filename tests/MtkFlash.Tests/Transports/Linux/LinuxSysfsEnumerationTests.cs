using System.IO;
using System.Linq;
using MtkFlash.Core.Transports.Linux;
using Xunit;

namespace MtkFlash.Tests.Transports.Linux
{
    public class LinuxSysfsEnumerationTests
    {
        const string Piix = "pci0000:00/0000:00:01.1/";

        static FakeSysfs TwoIdeChannels()
        {
            var sys = new FakeSysfs();
            sys.AddAtaPort(1, 1, "<unknown>");
            sys.AddAtaPort(2, 2, "<unknown>");
            return sys;
        }

        [Fact]
        public void Ide_primary_master_and_slave_get_legacy_numbers_1_and_2()
        {
            using (var sys = TwoIdeChannels())
            {
                sys.AddDevice(Piix + "ata1/host0/target0:0:0/0:0:0:0", sr: "sr0", sg: "sg0");
                sys.AddDevice(Piix + "ata1/host0/target0:0:1/0:0:1:0", vendor: "LITE-ON ", model: "DVDRW SOHW-812S ", rev: "US0N", sr: "sr1", sg: "sg1");
                var list = new LinuxDrivePlatform(sys.Root).Enumerate();

                Assert.Equal(new[] { "/dev/sr0", "/dev/sr1" }, list.Select(e => e.Path));
                Assert.Equal(new[] { "1", "2" }, list.Select(e => e.Location));
                Assert.Equal(new[] { "/dev/sg1" }, list[1].AlternatePaths);
                Assert.Equal("LITE-ON", list[1].Vendor);
                Assert.Equal("DVDRW SOHW-812S", list[1].Product);
                Assert.Equal("US0N", list[1].Revision);
                Assert.False(list[1].IsVirtual);
            }
        }

        [Fact]
        public void Ide_secondary_master_and_slave_get_3_and_4()
        {
            using (var sys = TwoIdeChannels())
            {
                sys.AddDevice(Piix + "ata2/host1/target1:0:0/1:0:0:0", sr: "sr0", sg: "sg1");
                sys.AddDevice(Piix + "ata2/host1/target1:0:1/1:0:1:0", sr: "sr1", sg: "sg2");
                var list = new LinuxDrivePlatform(sys.Root).Enumerate();
                Assert.Equal(new[] { "3", "4" }, list.Select(e => e.Location));
            }
        }

        [Fact]
        public void Qemu_ide_identity_is_trimmed_of_the_kernel_padding()
        {
            using (var sys = TwoIdeChannels())
            {
                // docs/reference/kernel-e2e.md §10: vendor 'QEMU    ', model 'QEMU DVD-ROM    ', rev '2.5+'
                sys.AddDevice(Piix + "ata1/host0/target0:0:0/0:0:0:0", sr: "sr0", sg: "sg0");
                var e = new LinuxDrivePlatform(sys.Root).Enumerate().Single();
                Assert.Equal(("QEMU", "QEMU DVD-ROM", "2.5+"), (e.Vendor, e.Product, e.Revision));
                Assert.Equal(new[] { "/dev/sg0" }, e.AlternatePaths);
            }
        }

        [Fact]
        public void Sata_port_keeps_its_scsi_address()
        {
            using (var sys = new FakeSysfs())
            {
                sys.AddAtaPort(3, 1, "1.5 Gbps");
                sys.AddDevice("pci0000:00/0000:00:1f.2/ata3/host2/target2:0:0/2:0:0:0", sr: "sr0", sg: "sg0");
                Assert.Equal("scsi 2:0:0:0", new LinuxDrivePlatform(sys.Root).Enumerate().Single().Location);
            }
        }

        [Fact]
        public void Virtio_scsi_drive_has_a_scsi_address_and_its_custom_inquiry()
        {
            using (var sys = new FakeSysfs())
            {
                // docs/reference/kernel-e2e.md §7: scsi-cd with vendor=PLEXTOR,product=DVDR_PX-716A,ver=1.11
                sys.AddDevice("pci0000:00/0000:00:03.0/virtio0/host2/target2:0:0/2:0:0:0", vendor: "PLEXTOR ",
                    model: "DVDR_PX-716A    ", rev: "1.11", sr: "sr0", sg: "sg0");
                var e = new LinuxDrivePlatform(sys.Root).Enumerate().Single();
                Assert.Equal("scsi 2:0:0:0", e.Location);
                Assert.Equal(("PLEXTOR", "DVDR_PX-716A", "1.11"), (e.Vendor, e.Product, e.Revision));
            }
        }

        [Fact]
        public void Drive_without_sr_node_is_listed_by_its_sg_node()
        {
            using (var sys = new FakeSysfs())
            {
                sys.AddDevice("platform/host5/target5:0:0/5:0:0:0", sg: "sg3");
                var e = new LinuxDrivePlatform(sys.Root).Enumerate().Single();
                Assert.Equal("/dev/sg3", e.Path);
                Assert.Empty(e.AlternatePaths);
            }
        }

        [Fact]
        public void Disks_and_devices_without_a_node_are_ignored()
        {
            using (var sys = new FakeSysfs())
            {
                sys.AddDevice("pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0", type: "0", vendor: "ATA     ", sg: "sg0");
                sys.AddDevice("pci0000:00/0000:00:1f.2/ata2/host1/target1:0:0/1:0:0:0", sr: "sr0", sg: "sg1");
                sys.AddDevice("pci0000:00/0000:00:1f.2/ata3/host2/target2:0:0/2:0:0:0"); // type 5, no sr or sg
                var e = new LinuxDrivePlatform(sys.Root).Enumerate().Single();
                Assert.Equal("/dev/sr0", e.Path);
            }
        }

        [Fact]
        public void Missing_and_unreadable_files_are_tolerated()
        {
            using (var sys = new FakeSysfs())
            {
                var dir = sys.AddDevice("platform/host0/target0:0:0/0:0:0:0", vendor: null, model: null, rev: null, sr: "sr0", sg: "sg0");
                Directory.CreateDirectory(Path.Combine(dir, "rev"));                             // a directory where a file is expected
                File.CreateSymbolicLink(Path.Combine(dir, "model"), "/nonexistent/model");       // dangling link
                sys.AddDevice("platform/host1/target1:0:0/1:0:0:0", type: null, sr: "sr1");   // no type file: not listed
                sys.AddDevice("platform/host2/target2:0:0/2:0:0:0", type: "five", sr: "sr2");  // garbage type: not listed
                var e = new LinuxDrivePlatform(sys.Root).Enumerate().Single();
                Assert.Equal("/dev/sr0", e.Path);
                Assert.Null(e.Vendor);
                Assert.Null(e.Product);
                Assert.Null(e.Revision);
            }
        }

        [Fact]
        public void Missing_sysfs_gives_an_empty_list()
        {
            Assert.Empty(new LinuxDrivePlatform(Path.Combine(Path.GetTempPath(), "mtkflash-no-such-sysfs", "sys")).Enumerate());
        }

        [Fact]
        public void Nodes_sort_numerically_and_sr_drives_come_first()
        {
            using (var sys = new FakeSysfs())
            {
                sys.AddDevice("platform/host0/target0:0:0/0:0:0:0", sg: "sg0");
                sys.AddDevice("platform/host1/target1:0:0/1:0:0:0", sr: "sr10", sg: "sg1");
                sys.AddDevice("platform/host2/target2:0:0/2:0:0:0", sr: "sr2", sg: "sg2");
                var paths = new LinuxDrivePlatform(sys.Root).Enumerate().Select(e => e.Path);
                Assert.Equal(new[] { "/dev/sr2", "/dev/sr10", "/dev/sg0" }, paths);
            }
        }

        [Fact]
        public void Two_ide_controllers_claiming_the_same_number_keep_scsi_addresses()
        {
            using (var sys = TwoIdeChannels())
            {
                sys.AddAtaPort(3, 1, "<unknown>"); // primary channel of a second (add-in) IDE controller
                sys.AddDevice(Piix + "ata1/host0/target0:0:0/0:0:0:0", sr: "sr0", sg: "sg0");
                sys.AddDevice("pci0000:00/0000:00:0c.0/ata3/host2/target2:0:0/2:0:0:0", sr: "sr1", sg: "sg1");
                sys.AddDevice(Piix + "ata2/host1/target1:0:0/1:0:0:0", sr: "sr2", sg: "sg2");
                var list = new LinuxDrivePlatform(sys.Root).Enumerate();
                Assert.Equal(new[] { "scsi 0:0:0:0", "scsi 2:0:0:0", "3" }, list.Select(e => e.Location));
            }
        }

        [Fact]
        public void Port_multiplier_link_is_not_an_ide_position()
        {
            using (var sys = new FakeSysfs())
            {
                sys.AddAtaPort(1, 1, "<unknown>");
                sys.AddDevice(Piix + "ata1/host0/target0:1:0/0:1:0:0", sr: "sr0", sg: "sg0"); // channel 1 = PMP link
                Assert.Equal("scsi 0:1:0:0", new LinuxDrivePlatform(sys.Root).Enumerate().Single().Location);
            }
        }

        [Fact]
        public void Sr_and_sg_nodes_of_one_drive_resolve_to_the_same_lock_key()
        {
            using (var sys = new FakeSysfs())
            {
                sys.AddDevice(Piix + "ata2/host1/target1:0:1/1:0:1:0", sr: "sr0", sg: "sg4");
                var platform = new LinuxDrivePlatform(sys.Root);
                Assert.Equal("1:0:1:0", platform.LockKeyOf("/dev/sr0"));
                Assert.Equal("1:0:1:0", platform.LockKeyOf("/dev/sg4"));
                Assert.Equal("/dev/sg9", platform.LockKeyOf("/dev/sg9"));
            }
        }

        [Fact]
        public void An_exclusive_open_sends_through_the_sg_node_of_the_drive_where_the_sg_driver_has_one()
        {
            // Issue 9 §4: a write holds O_EXCL on the node it sends through, and that node is /dev/sgN when it exists.
            using (var sys = new FakeSysfs())
            {
                sys.AddDevice(Piix + "ata2/host1/target1:0:1/1:0:1:0", sr: "sr0", sg: "sg4");
                sys.AddDevice(Piix + "ata2/host1/target1:0:0/1:0:0:0", sr: "sr1");   // no sg module node for this one
                var sysfs = new LinuxSysfs(sys.Root);
                Assert.Equal("/dev/sg4", sysfs.GenericNodeOf("/dev/sr0"));
                Assert.Equal("/dev/sg4", sysfs.GenericNodeOf("/dev/sg4"));
                Assert.Null(sysfs.GenericNodeOf("/dev/sr1"));
                Assert.Null(sysfs.GenericNodeOf("/dev/sr7"));
                // The node must exist to be used: here /dev/sg4 is not a node of this machine, so the given node is kept.
                Assert.Equal(System.IO.File.Exists("/dev/sg4") ? "/dev/sg4" : "/dev/sr0", SgIoTransport.ExclusiveNode("/dev/sr0", sysfs));
                Assert.Equal("/dev/sr1", SgIoTransport.ExclusiveNode("/dev/sr1", sysfs));
            }
        }
    }
}
