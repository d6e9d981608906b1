using System;
using System.Linq;
using System.Threading;
using MtkFlash.Core.Operations;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Operations
{
    /// <summary>
    /// Issue 9 §5: once the first state-changing command is sent, nothing stops the operation before the drive has been
    /// waited for and the outcome recorded. A stopped PowerShell pipeline throws PipelineStoppedException from every
    /// WriteProgress/WriteError; the host here throws the same way (any exception type will do: the core does not know
    /// PowerShell's types) once "stopped".
    /// </summary>
    public class WriteStopTests
    {
        /// <summary>A host that behaves like a cmdlet after StopProcessing: the token is cancelled and every output call throws.</summary>
        sealed class StoppingHost : IOperationHost
        {
            readonly CancellationTokenSource _stop = new CancellationTokenSource();
            readonly Func<OperationProgress, bool> _stopWhen;
            public StoppingHost(Func<OperationProgress, bool> stopWhen) { _stopWhen = stopWhen; }

            public bool Stopped => _stop.IsCancellationRequested;
            public int Thrown;
            public CancellationToken Cancellation => _stop.Token;

            void ThrowIfStopped()
            {
                if (!Stopped) return;
                Thrown++;
                throw new InvalidOperationException("The pipeline has been stopped.");   // stands for PipelineStoppedException
            }

            public void WriteObject(object item) => ThrowIfStopped();
            public void WriteError(OperationError error) => ThrowIfStopped();
            public void WriteWarning(string text) => ThrowIfStopped();
            public void WriteVerbose(string text) => ThrowIfStopped();
            public void WriteProgress(OperationProgress progress)
            {
                ThrowIfStopped();
                if (_stopWhen(progress)) _stop.Cancel();
            }
            public bool ShouldProcess(string target, string action) { ThrowIfStopped(); return true; }
            public bool ShouldContinue(string query, string caption) { ThrowIfStopped(); return true; }
        }

        [Theory]
        [InlineData("lg-bh16ns40", "1.03", "Sending the firmware", 3)]             // in the middle of the chunks
        [InlineData("tsst-se506cb", "TS02", "Sending the firmware", 20)]           // between programmed MiBs
        [InlineData("btc-drw1008", "B231", "is programming its flash", 1)]     // in BTC's 50 s of silence after the commit
        public void A_stop_after_the_point_of_no_return_cannot_abort_the_flash_and_the_outcome_is_recorded(string profile, string revision, string activity, int after)
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", profile);
                int seen = 0;
                var host = new StoppingHost(p => p.Activity.Contains(activity) && ++seen == after);
                var result = new WriteOperation(rig.Context).Run(host, drive, new WriteOptions { ImagePath = rig.Image(profile, revision), BackupDirectory = rig.Sub("b"), Force = true });

                Assert.True(host.Stopped, "the stop was never requested");
                Assert.True(host.Thrown > 0, "the host never threw after the stop");
                Assert.True(result.Outcome == WriteOutcome.Succeeded, result.ErrorId + " " + result.Message);
                Assert.Null(result.ErrorId);
                Assert.Equal(revision, rig.Store.Get("d").Revision);
                Assert.Equal(result.PlannedCommands, result.CommandsSent);
                var entry = Assert.Single(HistoryLog.ReadEntries(rig.Context.HistoryFile));
                Assert.Equal("succeeded", entry.Outcome);
                Assert.True(entry.AttemptStarted);
            }
        }

        [Fact]
        public void A_failed_flash_whose_error_report_throws_still_records_its_outcome()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "lg-bh16ns40");
                // A BUSY on the first chunk (placed after the read-only part of the write), and the host is stopped when the
                // sending begins: the final WriteError throws.
                rig.Store.SetFaults("d", f => f.Transients.Add(new Core.Virtual.TransientFault(Core.Virtual.TransientKind.Busy, 1, after: CommandsBeforeFirstWrite("lg-bh16ns40", "1.03") + 1)));
                var host = new StoppingHost(p => p.Activity.StartsWith("Sending the firmware", StringComparison.Ordinal));
                var result = new WriteOperation(rig.Context).Run(host, drive, new WriteOptions { ImagePath = rig.Image("lg-bh16ns40", "1.03"), BackupDirectory = rig.Sub("b"), Force = true });
                Assert.Equal(WriteOutcome.Failed, result.Outcome);
                Assert.Equal("FlashInterrupted", result.ErrorId);
                Assert.True(host.Thrown > 0);
                var entry = Assert.Single(HistoryLog.ReadEntries(rig.Context.HistoryFile));
                Assert.Equal("failed", entry.Outcome);
                Assert.Equal("FlashInterrupted", entry.ErrorId);
            }
        }

        [Fact]
        public void A_host_that_throws_before_the_point_of_no_return_stops_the_write_with_nothing_sent_and_it_is_recorded()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "lg-bh16ns40");
                var before = rig.Store.ReadFlash("d");
                var host = new StoppingHost(p => p.Activity.StartsWith("Backing up", StringComparison.Ordinal));
                Assert.ThrowsAny<Exception>(() => new WriteOperation(rig.Context).Run(host, drive,
                    new WriteOptions { ImagePath = rig.Image("lg-bh16ns40", "1.03"), BackupDirectory = rig.Sub("b"), Force = true }));
                Assert.False(rig.Trace().AnyStateChanging);
                Assert.Equal(before, rig.Store.ReadFlash("d"));
                var entry = Assert.Single(HistoryLog.ReadEntries(rig.Context.HistoryFile));
                Assert.False(entry.AttemptStarted);
                Assert.NotEqual("succeeded", entry.Outcome);
            }
        }

        static int CommandsBeforeFirstWrite(string profile, string revision)
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", profile);
                new WriteOperation(rig.Context).Run(new RecordingHost(), drive, new WriteOptions { ImagePath = rig.Image(profile, revision), BackupDirectory = rig.Sub("b"), Force = true });
                var records = rig.Trace().Records;
                return Array.FindIndex(records, r => Core.Scsi.Cdb.IsStateChanging(r.CdbBytes()));
            }
        }
    }
}
