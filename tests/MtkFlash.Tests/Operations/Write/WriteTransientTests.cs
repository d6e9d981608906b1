using System;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Operations
{
    /// <summary>Transient conditions are retried with limits; a hang becomes a timeout error, never a hang (issue 5).</summary>
    public class WriteTransientTests
    {
        static WriteResult Write(VirtualRig rig, string drive, string image, RecordingHost host) =>
            new WriteOperation(rig.Context).Run(host, drive, new WriteOptions { ImagePath = image, BackupDirectory = rig.Sub("b"), Force = true });

        [Theory]
        [InlineData("unit-attention:2")]
        [InlineData("microcode-changed:1")]
        [InlineData("not-ready:3")]
        [InlineData("busy:3")]
        public void Transient_conditions_at_the_start_are_retried_and_the_flash_succeeds(string fault)
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "tsst-se506cb");
                rig.Store.SetFaults("d", f => f.Transients.Add(TransientFault.Parse(fault)));
                var host = new RecordingHost();
                var result = Write(rig, drive, rig.Image("tsst-se506cb", "TS02"), host);
                Assert.True(result.Outcome == WriteOutcome.Succeeded, result.Message);
                Assert.Equal("TS02", result.NewRevision);
            }
        }

        [Fact]
        public void Retries_are_limited_a_drive_that_stays_busy_is_refused_not_retried_forever()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "tsst-se506cb");
                var before = rig.Store.ReadFlash("d");
                rig.Store.SetFaults("d", f => f.Transients.Add(TransientFault.Parse("busy:100000")));
                var start = rig.Clock.Elapsed;
                var result = Write(rig, drive, rig.Image("tsst-se506cb", "TS02"), new RecordingHost());
                Assert.NotEqual(WriteOutcome.Succeeded, result.Outcome);
                Assert.Equal(0, result.CommandsSent);
                Assert.Equal(before, rig.Store.ReadFlash("d"));
                Assert.True(rig.Clock.Elapsed - start < TimeSpan.FromMinutes(2), "gave up after " + (rig.Clock.Elapsed - start));
                Assert.Contains("BUSY", result.Message);
            }
        }

        [Fact]
        public void A_hang_mid_flash_becomes_a_timeout_error_with_the_drive_path()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "btc-drw1008");
                var image = rig.Image("btc-drw1008", "B231");
                // Hang after the identification and backup, in the middle of the chunks.
                rig.Store.SetFaults("d", f => f.HangAfter = 40);
                var host = new RecordingHost();
                var result = Write(rig, drive, image, host);
                Assert.Equal(WriteOutcome.Failed, result.Outcome);
                var error = Assert.Single(host.Errors);
                Assert.Equal("FlashFailed", error.ErrorId);
                Assert.Equal(Core.Operations.OperationErrorCategory.OperationTimeout, error.Category);
                Assert.Contains("timed out", error.Message);
                Assert.Contains(drive, error.Message);
            }
        }

        [Fact]
        public void A_hang_before_any_write_is_a_refusal_with_a_timeout_and_nothing_sent()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "lg-bh16ns40");
                var before = rig.Store.ReadFlash("d");
                rig.Store.SetFaults("d", f => f.HangAfter = 2);
                var host = new RecordingHost();
                var result = Write(rig, drive, rig.Image("lg-bh16ns40", "1.03"), host);
                Assert.Equal(WriteOutcome.Refused, result.Outcome);
                Assert.Equal("DriveTimeout", result.ErrorId);
                Assert.Equal(0, result.CommandsSent);
                Assert.Equal(before, rig.Store.ReadFlash("d"));
            }
        }
    }
}
