using System;
using System.IO;
using System.Runtime.InteropServices;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Transports.Linux;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Transports.Linux
{
    /// <summary>Real open(2)/ioctl(2)/flock(2) calls on nodes every Linux machine has; no SCSI device needed.</summary>
    public class SgIoOpenAndLockTests
    {
        static bool OnLinux => RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

        [Fact]
        public void A_node_that_is_not_a_scsi_device_is_refused_before_any_command()
        {
            if (!OnLinux) return;
            using (var temp = new TempHome())
            {
                var platform = new LinuxDrivePlatform(temp.Sub("sys"), temp.Path);
                var ex = Assert.Throws<NoSuchDriveException>(() => platform.Open("/dev/null", DriveAccess.Shared));
                Assert.Equal(string.Format(LinuxTransportMessages.NotAScsiDevice, "/dev/null"), ex.Message);
            }
        }

        [Fact]
        public void A_failed_exclusive_open_releases_its_lock()
        {
            if (!OnLinux) return;
            using (var temp = new TempHome())
            {
                var platform = new LinuxDrivePlatform(temp.Sub("sys"), temp.Path);
                Assert.Throws<NoSuchDriveException>(() => platform.Open("/dev/null", DriveAccess.Exclusive));
                Assert.True(File.Exists(DriveLockFile.FileFor(temp.Path, "/dev/null")));
                using (DriveLockFile.Acquire(temp.Path, "/dev/null", "/dev/null")) { }
            }
        }

        [Fact]
        public void A_missing_node_is_not_found()
        {
            if (!OnLinux) return;
            using (var temp = new TempHome())
            {
                var ex = Assert.Throws<NoSuchDriveException>(() =>
                    new LinuxDrivePlatform(temp.Sub("sys"), temp.Path).Open("/dev/mtkflash-no-such-node", DriveAccess.Shared));
                Assert.Contains("does not exist", ex.Message);
            }
        }

        [Fact]
        public void Second_exclusive_lock_on_one_key_is_refused_until_the_first_is_released()
        {
            if (!OnLinux) return;
            using (var temp = new TempHome())
            {
                var first = DriveLockFile.Acquire(temp.Path, "0:0:0:0", "/dev/sr0");
                Assert.Equal(Path.Combine(temp.Path, "mtkflash-drive-0_0_0_0.lock"), first.File);
                var ex = Assert.Throws<DriveBusyException>(() => DriveLockFile.Acquire(temp.Path, "0:0:0:0", "/dev/sg0"));
                Assert.Contains(LinuxTransportMessages.BusyMarker, ex.Message);
                Assert.Contains("0:0:0:0", ex.Message);
                Assert.Equal("/dev/sg0", ex.DrivePath);
                using (DriveLockFile.Acquire(temp.Path, "1:0:0:0", "/dev/sr1")) { } // another drive is free
                first.Dispose();
                using (DriveLockFile.Acquire(temp.Path, "0:0:0:0", "/dev/sg0")) { }
            }
        }

        [Fact]
        public void Inventory_takes_a_shared_lock_that_only_conflicts_with_a_flasher()
        {
            if (!OnLinux) return;
            using (var temp = new TempHome())
            {
                // Two inventories at once are fine; a flasher is refused while they look.
                var a = DriveLockFile.AcquireShared(temp.Path, "0:0:0:0", "/dev/sr0");
                var b = DriveLockFile.AcquireShared(temp.Path, "0:0:0:0", "/dev/sg0");
                Assert.NotNull(a);
                Assert.NotNull(b);
                Assert.Throws<DriveBusyException>(() => DriveLockFile.Acquire(temp.Path, "0:0:0:0", "/dev/sg0"));
                a.Dispose();
                b.Dispose();

                // While a flasher holds the drive, an inventory is told it is busy instead of probing it mid-flash.
                using (DriveLockFile.Acquire(temp.Path, "0:0:0:0", "/dev/sg0"))
                {
                    var ex = Assert.Throws<DriveBusyException>(() => DriveLockFile.AcquireShared(temp.Path, "0:0:0:0", "/dev/sr0"));
                    Assert.Contains(LinuxTransportMessages.BusyMarker, ex.Message);
                }
                using (DriveLockFile.AcquireShared(temp.Path, "0:0:0:0", "/dev/sr0")) { }
            }
        }

        [Fact]
        public void Exclusive_open_of_the_sg_node_is_refused_while_the_sr_node_of_the_same_drive_is_locked()
        {
            if (!OnLinux) return;
            using (var sys = new FakeSysfs())
            using (var locks = new TempHome())
            {
                sys.AddDevice("pci0000:00/0000:00:01.1/ata1/host0/target0:0:0/0:0:0:0", sr: "sr0", sg: "sg0");
                var platform = new LinuxDrivePlatform(sys.Root, locks.Path);
                using (DriveLockFile.Acquire(locks.Path, platform.LockKeyOf("/dev/sr0"), "/dev/sr0"))
                {
                    var ex = Assert.Throws<DriveBusyException>(() => platform.Open("/dev/sg0", DriveAccess.Exclusive));
                    Assert.Contains("0:0:0:0", ex.Message);
                }
            }
        }

        [DllImport("libc")]
        static extern uint getegid();

        [DllImport("libc")]
        static extern int chown(string path, int owner, int group);

        [Fact]
        public void Owner_group_of_a_new_file_is_our_effective_group()
        {
            if (!OnLinux || RuntimeInformation.ProcessArchitecture != Architecture.X64) return;
            using (var temp = new TempHome())
            {
                var file = temp.Sub("owned");
                File.WriteAllText(file, "x");
                int expected = (int)getegid();
                // As root, give the file a group that differs from every uid/gid field nearby, so a wrong offset shows.
                if (expected == 0 && chown(file, -1, 4242) == 0) expected = 4242;
                Assert.Equal(expected, LinuxNative.OwnerGroupId(file));
                Assert.Null(LinuxNative.OwnerGroupId(temp.Sub("missing")));
            }
        }

        [Fact]
        public void Lock_file_names_are_plain_file_names()
        {
            Assert.Equal("/run/lock/mtkflash-drive-dev_sr0.lock", DriveLockFile.FileFor("/run/lock", "/dev/sr0"));
            Assert.Equal("/tmp/mtkflash-drive-12_0_3_0.lock", DriveLockFile.FileFor("/tmp", "12:0:3:0"));
        }
    }
}
