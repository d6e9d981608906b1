using System;
using System.Threading;
using MtkFlash.Core.Families.Btc;
using MtkFlash.Core.Families.Mt1959;
using MtkFlash.Core.Families.Tsst;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;
using Xunit;
using static MtkFlash.Tests.Support.RawScsi;

namespace MtkFlash.Tests.Virtual
{
    /// <summary>
    /// Issue 15: a virtual drive spends its family's modelled time on the clock: latency and bus time per command, the short
    /// busy answer while it programs, the program stall, the reboot (2/04/01 until it is up, then the unit attention).
    /// </summary>
    public class DriveTimingModelTests
    {
        static readonly DriveTimingModel Mt1959 = Mt1959Timing.Model;

        static void FullMt1959Download(IScsiTransport drive)
        {
            var config = Read(drive, 0x20, 0x3C, 0x06, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00, 0x20, 0x00);
            var image = SyntheticImages.Build("lg-bh16ns40", "1.03");
            Array.Copy(config.Data, 0, image, 0x3000, 0x20);
            AssertGood(Send(drive, 0x3B, 0x01, 0, 0, 0, 0, 0, 0, 0, 0));
            for (int off = 0; off < image.Length; off += 0x4000)
                AssertGood(Write(drive, Slice(image, off, 0x4000), Buffer10(0x3B, 0x06, off, 0x4000)));
        }

        [Fact]
        public void A_transfer_of_n_bytes_advances_the_fake_clock_by_the_modelled_latency_and_bus_time()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("d", "lg-bh16ns40"))
            {
                var t0 = kit.Clock.Elapsed;
                AssertGood(Read(drive, 0x1000, Buffer10(0x3C, 0x06, 0, 0x1000)));            // 4 KiB in
                Assert.Equal(Mt1959.Command(0x1000), kit.Clock.Elapsed - t0);

                t0 = kit.Clock.Elapsed;
                AssertGood(Send(drive, 0x3B, 0x01, 0, 0, 0, 0, 0, 0, 0, 0));                 // no data
                Assert.Equal(Mt1959.CommandLatency, kit.Clock.Elapsed - t0);

                t0 = kit.Clock.Elapsed;
                AssertGood(Write(drive, new byte[0x4000], Buffer10(0x3B, 0x06, 0x10000, 0x4000)));   // 16 KiB out
                Assert.Equal(Mt1959.Command(0x4000), kit.Clock.Elapsed - t0);
                // 20 MiB/s: 16 KiB take 781.25 µs on the bus, on top of the command's half millisecond.
                Assert.Equal(TimeSpan.FromTicks(7813), Mt1959.Transfer(0x4000));
            }
        }

        [Fact]
        public void Every_family_spends_its_own_model_on_a_command()
        {
            foreach (var profile in VirtualProfiles.All)
                using (var kit = new VirtualRig(trace: false))
                using (var drive = kit.Create("d", profile.Name))
                {
                    var model = VirtualDriveTimer.For(profile.Family);
                    var t0 = kit.Clock.Elapsed;
                    Inquiry(drive);
                    Assert.True(model.Command(96) == kit.Clock.Elapsed - t0, profile.Name + ": " + (kit.Clock.Elapsed - t0) + " instead of " + model.Command(96));
                }
            Assert.Same(TsstTiming.Model, VirtualDriveTimer.For(MtkFlash.Core.Drives.DriveFamily.Tsst));
            Assert.Same(BtcTiming.Model, VirtualDriveTimer.For(MtkFlash.Core.Drives.DriveFamily.Btc));
        }

        [Fact]
        public void While_programming_test_unit_ready_answers_busy_at_once_then_the_drive_reboots_for_its_reboot_time()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("d", "lg-bh16ns40"))
            {
                FullMt1959Download(drive);
                var programmingFrom = kit.Clock.Elapsed;
                Assert.True(drive.IsProgramming);

                // Busy: the answer costs the model's busy-answer time, no data, no bus time.
                var t0 = kit.Clock.Elapsed;
                AssertSense(Tur(drive), 2, 0x04, 0x08);
                Assert.Equal(Mt1959.BusyAnswer, kit.Clock.Elapsed - t0);

                // Programming lasts the model's program time for the 2 MiB image (3 s per MiB).
                Assert.Equal(TimeSpan.FromSeconds(6), Mt1959.ProgramTime(0x200000));
                kit.Clock.Advance(programmingFrom + Mt1959.ProgramTime(0x200000) - kit.Clock.Elapsed - TimeSpan.FromMilliseconds(1) - Mt1959.BusyAnswer);
                AssertSense(Tur(drive), 2, 0x04, 0x08);
                kit.Clock.Advance(TimeSpan.FromMilliseconds(1));

                // Then the reboot: NOT READY, becoming ready, for the reboot time after the end of programming.
                AssertSense(Tur(drive), 2, 0x04, 0x01);
                Assert.False(drive.IsProgramming);
                var rebootEnd = programmingFrom + Mt1959.ProgramTime(0x200000) + Mt1959.RebootTime;
                kit.Clock.Advance(rebootEnd - kit.Clock.Elapsed - TimeSpan.FromMilliseconds(1) - Mt1959.BusyAnswer);
                AssertSense(Tur(drive), 2, 0x04, 0x01);
                kit.Clock.Advance(TimeSpan.FromMilliseconds(1));
                AssertSense(Tur(drive), 6, 0x29, 0x00);
                AssertSense(Tur(drive), 2, 0x3A, 0x01);   // up, no disc
                Assert.Equal("1.03", Inquiry(drive).Revision);
            }
        }

        [Fact]
        public void Faults_still_count_commands_answered_while_rebooting_and_a_power_loss_ends_the_reboot()
        {
            using (var kit = new VirtualRig(trace: false))
            {
                var drive = kit.Create("d", "lg-bh16ns40");
                FullMt1959Download(drive);
                kit.Clock.Advance(Mt1959.ProgramTime(0x200000));
                AssertSense(Tur(drive), 2, 0x04, 0x01);                   // rebooting
                drive.SetFaults(f => f.PowerLossAfter = 1);
                AssertSense(Tur(drive), 2, 0x04, 0x01);                   // counted although the drive is rebooting
                Assert.Throws<DriveNotRespondingException>(() => Tur(drive));
                drive.Dispose();
                using (drive = kit.Store.Open("d", DriveAccess.Shared))
                {
                    // Power returns: the programmed firmware boots, the unit attention of the power-on comes first.
                    AssertSense(Tur(drive), 6, 0x29, 0x00);
                    Assert.Equal("1.03", Inquiry(drive).Revision);
                }
            }
        }

        [Fact]
        public void The_tsst_stall_per_mib_is_the_models_and_the_drive_reboots_after_it()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("se", "tsst-se506cb"))
            {
                var image = SyntheticImages.Build("tsst-se506cb", "TS02");
                var model = TsstTiming.Model;
                var stalls = TimeSpan.Zero;
                for (int off = 0; off < image.Length; off += 0xF800)
                {
                    int len = Math.Min(0xF800, image.Length - off);
                    byte state = off == 0 ? (byte)0x00 : off + len >= image.Length ? (byte)0x02 : (byte)0xFF;
                    var t0 = kit.Clock.Elapsed;
                    AssertGood(Write(drive, Slice(image, off, len), 0xFF, 0x00, 0x01, 0x00, 0x00, state, 0, 0, 0, 0, 0, 0));
                    var spent = kit.Clock.Elapsed - t0;
                    if (spent > model.Command(len)) stalls += spent - model.Command(len);
                }
                Assert.Equal(model.ProgramTime(0x200000), stalls);   // 2 x 10 s
                AssertSense(Tur(drive), 2, 0x04, 0x01);
                kit.Clock.Advance(model.RebootTime);
                AssertSense(Tur(drive), 6, 0x29, 0x00);
            }
        }

        [Fact]
        public void A_scaled_clock_runs_faster_than_real_time_and_never_loses_the_short_sleeps()
        {
            var clock = new ScaledClock(50);
            var t0 = clock.Elapsed;
            // 2,000 sleeps of 0.5 ms of model time: 10 µs of wall time each, far below what the OS can sleep.
            for (int i = 0; i < 2000; i++) clock.Sleep(TimeSpan.FromMilliseconds(0.5));
            var passed = clock.Elapsed - t0;
            // Owed time is at most one OS tick (1 ms of wall time, 50 ms of model time) per thread.
            Assert.True(passed >= TimeSpan.FromSeconds(1) - TimeSpan.FromMilliseconds(50), "only " + passed + " passed");
            Assert.Throws<ArgumentOutOfRangeException>(() => new ScaledClock(0.5));
        }
    }
}
