using System;
using System.IO;
using System.Linq;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Serialization;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;
using Xunit;
using static MtkFlash.Tests.Support.RawScsi;

namespace MtkFlash.Tests.Virtual
{
    public class VirtualStoreAndFaultTests
    {
        [Fact]
        public void Transient_faults_answer_the_next_commands_in_order_then_the_drive_behaves_normally()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("d", "lg-bh16ns40"))
            {
                drive.SetFaults(f =>
                {
                    f.Transients.Add(new TransientFault(TransientKind.UnitAttention, 1));
                    f.Transients.Add(TransientFault.Parse("busy:2"));
                    f.Transients.Add(TransientFault.Parse("not-ready"));
                    f.Transients.Add(TransientFault.Parse("microcode-changed:1"));
                });
                AssertSense(Tur(drive), 6, 0x29, 0x00);
                Assert.Equal(ScsiStatus.Busy, Tur(drive).Status);
                Assert.Equal(ScsiStatus.Busy, Inquiry_raw(drive).Status);
                AssertSense(Tur(drive), 2, 0x04, 0x01);
                AssertSense(Tur(drive), 6, 0x3F, 0x01);
                AssertSense(Tur(drive), 2, 0x3A, 0x01);
                Assert.True(drive.Faults.IsEmpty);
            }
        }

        static ScsiResponse Inquiry_raw(IScsiTransport t) => Read(t, 96, 0x12, 0, 0, 0, 96, 0);

        [Fact]
        public void Scsi_device_retries_transients_so_protocols_see_them_as_delays()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("d", "lg-bh16ns40"))
            {
                drive.SetFaults(f => { f.Transients.Add(TransientFault.Parse("unit-attention")); f.Transients.Add(TransientFault.Parse("not-ready:2")); });
                var device = new ScsiDevice(drive, kit.Clock);
                Assert.Equal("1.02", device.Inquiry().Revision);
            }
        }

        [Fact]
        public void A_hang_waits_for_the_request_timeout_on_the_clock_and_throws_a_timeout_until_cleared()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("d", "lg-bh16ns40"))
            {
                drive.SetFaults(f => f.HangAfter = 1);
                AssertSense(Tur(drive), 2, 0x3A, 0x01);
                var t0 = kit.Clock.Elapsed;
                var e = Assert.Throws<ScsiTimeoutException>(() => drive.Execute(ScsiRequest.NoData(Cdb.TestUnitReady(), TimeSpan.FromSeconds(7))));
                Assert.Equal(TimeSpan.FromSeconds(7), kit.Clock.Elapsed - t0);
                Assert.Equal("virtual:d", e.DrivePath);
                Assert.Throws<ScsiTimeoutException>(() => Tur(drive));
                drive.SetFaults(f => f.HangAfter = null);
                AssertSense(Tur(drive), 2, 0x3A, 0x01);
            }
        }

        [Fact]
        public void Power_loss_drops_the_download_state_and_reopening_brings_the_drive_back_with_a_unit_attention()
        {
            using (var kit = new VirtualRig(trace: false))
            {
                var drive = kit.Create("d", "lg-bh16ns40");
                var before = drive.ReadFlash();
                AssertGood(Send(drive, 0x3B, 0x01, 0, 0, 0, 0, 0, 0, 0, 0));                     // armed (RAM only)
                kit.Store.SetFaults("d", f => f.PowerLossAfter = 1);
                AssertGood(Write(drive, new byte[0x4000], Buffer10(0x3B, 0x06, 0x10000, 0x4000)));
                Assert.Throws<DriveNotRespondingException>(() => Tur(drive));
                Assert.Throws<DriveNotRespondingException>(() => Tur(drive));
                drive.Dispose();
                using (drive = kit.Store.Open("d", DriveAccess.Exclusive))
                {
                    Assert.Equal(VirtualDriveMode.Normal, drive.Mode);
                    AssertSense(Tur(drive), 6, 0x29, 0x00);
                    AssertSense(Write(drive, new byte[0x4000], Buffer10(0x3B, 0x06, 0x14000, 0x4000)), 5, 0x2C, 0x00);  // arm lost
                    Assert.Equal(before, drive.ReadFlash());
                    Assert.Null(drive.Faults.PowerLossAfter);
                }
            }
        }

        [Fact]
        public void Faults_tray_flash_and_mode_persist_in_the_drive_folder_across_processes()
        {
            using (var kit = new VirtualRig(trace: false))
            {
                using (var drive = kit.Create("keep", "btc-drw1008"))
                {
                    var image = SyntheticImages.Build("btc-drw1008", "B231");
                    for (int off = 0; off < image.Length; off += 0x1000)
                        AssertGood(Write(drive, Slice(image, off, 0x1000), Buffer10(0x3B, 0x06, off + 0x20, 0x1000)));
                    var block = new byte[32];
                    int sum = MtkFlash.Core.Families.Btc.BtcSyntheticImage.Checksum(image);
                    block[30] = (byte)(sum >> 8); block[31] = (byte)sum;
                    AssertGood(Write(drive, block, Buffer10(0x3B, 0x06, 0, 0x20)));
                    AssertGood(Send(drive, 0x3B, 0x07, 0, 0, 0, 0, 0, 0, 0, 0));
                    drive.SetFaults(f => f.HangAfter = 5);
                    drive.SetTray(TrayState.Disc);
                }
                var folder = kit.Store.FolderOf("keep");
                var record = Json.ParseObject(File.ReadAllText(Path.Combine(folder, "drive.json")));
                Assert.Equal("btc-drw1008", record.GetString("profile"));
                Assert.Equal("normal", record.GetString("state"));
                Assert.Equal("disc", record.GetString("tray"));
                Assert.Equal(5, record.GetObject("faults").GetInt64("hangAfter"));
                Assert.Empty(Directory.GetFiles(folder, "*.tmp-*"));

                kit.Store.ForgetLoadedDrives();
                var other = new VirtualDriveStore(kit.Home, new FakeClock());   // another process
                using (var again = other.Open("keep", DriveAccess.Shared))
                {
                    Assert.Equal("B231", Inquiry(again).Revision);
                    AssertGood(Tur(again));
                    Assert.Equal(3, again.Faults.HangAfter);   // INQUIRY and TUR counted down
                }
            }
        }

        [Fact]
        public void Two_opens_in_one_process_share_one_state()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var a = kit.Create("d", "lg-bh16ns40"))
            using (var b = kit.Store.Open("d", DriveAccess.Shared))
            {
                AssertGood(Send(a, 0x3B, 0x01, 0, 0, 0, 0, 0, 0, 0, 0));
                AssertGood(Write(b, new byte[0x4000], Buffer10(0x3B, 0x06, 0, 0x4000)));   // armed through a, accepted through b
                a.SetTray(TrayState.Disc);
                AssertGood(Tur(b));
            }
        }

        [Fact]
        public void Exclusive_open_takes_an_os_lock_a_second_exclusive_open_is_busy_and_remove_is_refused()
        {
            using (var kit = new VirtualRig(trace: false))
            {
                var first = kit.Create("d", "lg-bh16ns40", access: DriveAccess.Exclusive);
                Assert.Throws<DriveBusyException>(() => kit.Store.Open("d", DriveAccess.Exclusive));
                // Another process's store (its own registry state is simulated by a second folder handle): the lock file refuses it.
                var lockPath = Path.Combine(kit.Store.FolderOf("d"), "lock");
                Assert.Throws<IOException>(() => new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None).Dispose());
                using (var shared = kit.Store.Open("d", DriveAccess.Shared)) Assert.Equal("1.02", Inquiry(shared).Revision);
                Assert.Throws<DriveBusyException>(() => kit.Store.Remove("d"));
                first.Dispose();
                using (kit.Store.Open("d", DriveAccess.Exclusive)) { }
                kit.Store.Remove("d");
                Assert.False(kit.Store.Exists("d"));
                Assert.Throws<VirtualDriveNotFoundException>(() => kit.Store.Open("d", DriveAccess.Shared));
            }
        }

        [Theory]
        [InlineData("")]
        [InlineData("a b")]
        [InlineData("../x")]
        [InlineData("..")]
        [InlineData("x/y")]
        public void Bad_names_are_refused_with_a_clear_error(string name)
        {
            using (var kit = new VirtualRig(trace: false))
            {
                var e = Assert.Throws<ArgumentException>(() => kit.Store.Create(name, "lg-bh16ns40"));
                Assert.Contains("not a valid virtual drive name", e.Message);
            }
        }

        [Fact]
        public void Create_refuses_duplicates_and_unknown_profiles()
        {
            using (var kit = new VirtualRig(trace: false))
            {
                kit.Store.Create("d", "lg-bh16ns40");
                Assert.Throws<InvalidOperationException>(() => kit.Store.Create("d", "lg-bh16ns40"));
                Assert.Throws<ArgumentException>(() => kit.Store.Create("e", "no-such-profile"));
                Assert.Equal(new[] { "d" }, kit.Store.List().Select(i => i.Name).ToArray());
            }
        }

        [Fact]
        public void Drive_unique_regions_differ_between_drives_of_the_same_profile()
        {
            using (var kit = new VirtualRig(trace: false))
            {
                kit.Store.Create("one", "lg-bh16ns40");
                kit.Store.Create("two", "lg-bh16ns40");
                var a = kit.Store.ReadFlash("one");
                var b = kit.Store.ReadFlash("two");
                Assert.NotEqual(Slice(a, 0x1F0000, 0x10000), Slice(b, 0x1F0000, 0x10000));
                Assert.Equal(Slice(a, 0x10000, 0x100000), Slice(b, 0x10000, 0x100000));
                Assert.NotEqual(kit.Store.Get("one").Serial, kit.Store.Get("two").Serial);
            }
        }

        [Fact]
        public void Drives_of_the_same_name_on_two_machines_have_their_own_serial_numbers()
        {
            // Two MTKFLASH_HOMEs stand for two machines of a fleet: virtual:bd1 on each is another physical drive, so its
            // backups and its drive-specific regions must never pass for the other's (serial numbers tell drives apart).
            using (var here = new VirtualRig(trace: false))
            using (var there = new VirtualRig(trace: false))
            {
                here.Store.Create("bd1", "lg-bh16ns40");
                there.Store.Create("bd1", "lg-bh16ns40");
                Assert.NotEqual(here.Store.Get("bd1").Serial, there.Store.Get("bd1").Serial);

                // The same drive folder made again is the same drive (reproducible runs).
                var serial = here.Store.Get("bd1").Serial;
                here.Store.Remove("bd1");
                here.Store.Create("bd1", "lg-bh16ns40");
                Assert.Equal(serial, here.Store.Get("bd1").Serial);
            }
        }

        [Fact]
        public void Inventory_lists_virtual_drives_with_family_and_a_hung_drive_as_not_responding_with_a_warning()
        {
            using (var kit = new VirtualRig(trace: false))
            {
                kit.Store.Create("bd", "lg-bh16ns40");
                kit.Store.Create("lo", "liteon-sohw812s", withDisc: true);
                kit.Store.Create("se", "tsst-se506cb");
                kit.Store.Create("stuck", "btc-drw1008");
                kit.Store.SetFaults("stuck", f => f.HangAfter = 0);
                var context = new MtkFlashContext(kit.Home, kit.Clock, new IDrivePlatform[] { kit.Platform });
                var host = new RecordingHost();
                var drives = new GetDrivesOperation(context).Run(host);
                Assert.Equal(new[] { "virtual:bd", "virtual:lo", "virtual:se", "virtual:stuck" }, drives.Select(d => d.Path).ToArray());
                Assert.All(drives, d => Assert.True(d.IsVirtual));
                var bd = drives[0];
                Assert.Equal(DriveFamily.Mt1959, bd.Family);
                Assert.Equal(DriveState.NoMedium, bd.State);
                Assert.True(bd.CanFlash);
                Assert.Equal(DriveFamily.LiteOn8051, drives[1].Family);
                Assert.Equal(DriveState.MediumPresent, drives[1].State);
                Assert.False(drives[1].CanFlash);
                Assert.Equal("mt1939", drives[2].Model);
                Assert.Equal(DriveState.NotResponding, drives[3].State);
                Assert.Equal(DriveFamily.Btc, drives[3].Family);   // from the store's identity, without a command
                Assert.Single(host.Warnings);
                Assert.Contains("virtual:stuck", host.Warnings[0]);
                Assert.Contains("\"isVirtual\":true", Json.Serialize(bd));
            }
        }
    }
}
