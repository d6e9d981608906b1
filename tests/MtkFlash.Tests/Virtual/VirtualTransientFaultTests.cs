using System;
using System.Linq;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;
using Xunit;
using static MtkFlash.Tests.Support.RawScsi;

namespace MtkFlash.Tests.Virtual
{
    /// <summary>
    /// Issue 9 §1: the emulator answers transient faults the way a real drive would. A unit attention after a reset throws
    /// away what the drive had received of a download; BUSY and NOT READY reject the command without executing it. Faults can
    /// be placed on a chosen command (`--after N`). Commands are sent raw here, not through the protocol classes.
    /// </summary>
    public class VirtualTransientFaultTests
    {
        static readonly byte[] Arm = { 0x3B, 0x01, 0, 0, 0, 0, 0, 0, 0, 0 };

        [Fact]
        public void A_transient_placed_with_after_answers_the_command_after_n_more_and_then_stops()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("d", "lg-bh16ns40"))
            {
                drive.SetFaults(f => f.Transients.Add(new TransientFault(TransientKind.Busy, 2, after: 3)));
                for (int i = 0; i < 3; i++) AssertSense(Tur(drive), 2, 0x3A, 0x01);
                Assert.Equal(ScsiStatus.Busy, Tur(drive).Status);
                Assert.Equal(ScsiStatus.Busy, Tur(drive).Status);
                AssertSense(Tur(drive), 2, 0x3A, 0x01);
                Assert.True(drive.Faults.IsEmpty);
            }
        }

        [Fact]
        public void Placed_transients_count_down_together_and_the_first_due_answers_first()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("d", "lg-bh16ns40"))
            {
                drive.SetFaults(f =>
                {
                    f.Transients.Add(new TransientFault(TransientKind.NotReady, 1, after: 2));
                    f.Transients.Add(new TransientFault(TransientKind.UnitAttention, 1, after: 1));
                });
                AssertSense(Tur(drive), 2, 0x3A, 0x01);
                AssertSense(Tur(drive), 6, 0x29, 0x00);   // the second fault is due first
                AssertSense(Tur(drive), 2, 0x04, 0x01);
                AssertSense(Tur(drive), 2, 0x3A, 0x01);
            }
        }

        [Fact]
        public void A_placed_fault_survives_the_process_like_the_other_faults()
        {
            using (var kit = new VirtualRig(trace: false))
            {
                kit.Store.Create("d", "lg-bh16ns40");
                kit.Store.SetFaults("d", f => f.Transients.Add(new TransientFault(TransientKind.MicrocodeChanged, 1, after: 4)));
                var info = new VirtualDriveStore(kit.Home, kit.Clock).Get("d");
                var t = Assert.Single(info.Faults.Transients);
                Assert.Equal(4, t.After);
                Assert.Contains("after 4", info.Faults.ToString());
            }
        }

        [Fact]
        public void Mt1959_a_reset_mid_download_throws_away_the_chunks_received_so_later_chunks_are_refused_and_nothing_is_programmed()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("d", "lg-bh16ns40"))
            {
                var before = drive.ReadFlash();
                var image = SyntheticImages.Build("lg-bh16ns40", "1.03");
                AssertGood(Send(drive, Arm));
                for (int off = 0; off < 0x8000; off += 0x4000) AssertGood(Write(drive, Slice(image, off, 0x4000), Buffer10(0x3B, 0x06, off, 0x4000)));
                drive.SetFaults(f => f.Transients.Add(new TransientFault(TransientKind.UnitAttention, 1)));
                AssertSense(Write(drive, Slice(image, 0x8000, 0x4000), Buffer10(0x3B, 0x06, 0x8000, 0x4000)), 6, 0x29, 0x00);
                // A host that went on would find the download gone: every further chunk is a sequence error.
                AssertSense(Write(drive, Slice(image, 0xC000, 0x4000), Buffer10(0x3B, 0x06, 0xC000, 0x4000)), 5, 0x2C, 0x00);
                Assert.False(drive.IsProgramming);
                Assert.Equal(before, drive.ReadFlash());
                Assert.Equal("1.02", Inquiry(drive).Revision);
            }
        }

        [Theory]
        [InlineData(TransientKind.Busy)]
        [InlineData(TransientKind.NotReady)]
        public void Mt1959_busy_or_not_ready_rejects_the_chunk_without_executing_it_so_the_image_never_completes(TransientKind kind)
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("d", "lg-bh16ns40"))
            {
                var before = drive.ReadFlash();
                var image = SyntheticImages.Build("lg-bh16ns40", "1.03");
                AssertGood(Send(drive, Arm));
                // The rejected command is the 11th chunk (after 1 arm + 10 chunks); the rest is sent as a naive host would.
                drive.SetFaults(f => f.Transients.Add(new TransientFault(kind, 1, after: 10)));
                int rejected = 0;
                for (int off = 0; off < image.Length; off += 0x4000)
                {
                    var r = Write(drive, Slice(image, off, 0x4000), Buffer10(0x3B, 0x06, off, 0x4000));
                    if (!r.IsGood) { rejected++; Assert.Equal(10 * 0x4000, off); }
                }
                Assert.Equal(1, rejected);
                Assert.False(drive.IsProgramming);            // 0x28000-0x2BFFF never landed: no programming
                Assert.Equal(before, drive.ReadFlash());
            }
        }

        [Fact]
        public void Mt1959_the_download_state_survives_a_busy_so_the_same_chunk_can_land_later()
        {
            // The counterpart of the test above: BUSY keeps the drive's state (only the host must not resend on its own).
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("d", "lg-bh16ns40"))
            {
                var image = SyntheticImages.Build("lg-bh16ns40", "1.03");
                AssertGood(Send(drive, Arm));
                drive.SetFaults(f => f.Transients.Add(new TransientFault(TransientKind.Busy, 1)));
                Assert.Equal(ScsiStatus.Busy, Write(drive, Slice(image, 0, 0x4000), Buffer10(0x3B, 0x06, 0, 0x4000)).Status);
                AssertGood(Write(drive, Slice(image, 0, 0x4000), Buffer10(0x3B, 0x06, 0, 0x4000)));
            }
        }

        static byte[] TsstCdb(byte state) => new byte[] { 0xFF, 0x00, 0x01, 0x00, 0x00, state, 0, 0, 0, 0, 0, 0 };

        [Fact]
        public void Tsst_a_reset_mid_stream_forgets_the_position_so_a_continuation_block_is_a_sequence_error()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("d", "tsst-se506cb"))
            {
                var image = SyntheticImages.Build("tsst-se506cb", "TS02");
                AssertGood(Write(drive, Slice(image, 0, 0xF800), TsstCdb(0x00)));
                drive.SetFaults(f => f.Transients.Add(new TransientFault(TransientKind.UnitAttention, 1)));
                AssertSense(Write(drive, Slice(image, 0xF800, 0xF800), TsstCdb(0xFF)), 6, 0x29, 0x00);
                AssertSense(Write(drive, Slice(image, 0xF800, 0xF800), TsstCdb(0xFF)), 5, 0x2C, 0x00);
            }
        }

        [Fact]
        public void Btc_a_reset_between_chunks_and_commit_loses_the_chunks_so_the_commit_is_refused_and_flash_is_untouched()
        {
            using (var kit = new VirtualRig(trace: false))
            using (var drive = kit.Create("d", "btc-drw1008"))
            {
                var before = drive.ReadFlash();
                var image = SyntheticImages.Build("btc-drw1008", "B231");
                for (int off = 0; off < 0x100000; off += 0x1000)
                    AssertGood(Write(drive, Slice(image, off, 0x1000), Buffer10(0x3B, 0x06, off + 0x20, 0x1000)));
                drive.SetFaults(f => f.Transients.Add(new TransientFault(TransientKind.MicrocodeChanged, 1)));
                var sum = MtkFlash.Core.Families.Btc.BtcSyntheticImage.Checksum(image);
                var block = new byte[0x20];
                block[30] = (byte)(sum >> 8); block[31] = (byte)sum;
                AssertSense(Write(drive, block, Buffer10(0x3B, 0x06, 0, 0x20)), 6, 0x3F, 0x01);
                AssertGood(Write(drive, block, Buffer10(0x3B, 0x06, 0, 0x20)));
                AssertSense(Send(drive, 0x3B, 0x07, 0, 0, 0, 0, 0, 0, 0, 0), 5, 0x2C, 0x00);
                Assert.Equal(before, drive.ReadFlash());
            }
        }

        [Fact]
        public void Cli_fault_after_places_the_transient_and_after_alone_is_a_usage_error()
        {
            using (var rig = new VirtualRig(trace: false))
            {
                rig.NewDrive("d", "lg-bh16ns40");
                var r = CliRunner.Run(rig, "virtual", "fault", "d", "--transient", "unit-attention:1", "--after", "7");
                Assert.True(r.Exit == 0, r.ToString());
                Assert.Contains("unit-attention:1 after 7", r.Out);
                var t = Assert.Single(rig.Store.Get("d").Faults.Transients);
                Assert.Equal(7, t.After);
                Assert.Equal(TransientKind.UnitAttention, t.Kind);

                r = CliRunner.Run(rig, "virtual", "fault", "d", "--after", "3");
                Assert.Equal(2, r.Exit);
                Assert.Contains("--after", r.Err);
                r = CliRunner.Run(rig, "virtual", "fault", "d", "--transient", "busy", "--after", "-1");
                Assert.Equal(2, r.Exit);
            }
        }
    }
}
