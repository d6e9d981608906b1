using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Operations
{
    /// <summary>
    /// Issue 15: every wait of the write goes through the injectable clock, and none is longer than one polling interval:
    /// the write notices a drive that is back within a poll or two instead of sleeping a fixed second (or 50 s) past it.
    /// BTC keeps btcflash's 50 s without any command, in slices of one polling interval.
    /// </summary>
    public class WritePollingTests
    {
        /// <summary>The operation's view of a shared fake clock: records every sleep the operation asks for.</summary>
        sealed class RecordingClock : IClock
        {
            readonly FakeClock _inner;
            public RecordingClock(FakeClock inner) { _inner = inner; }
            public List<TimeSpan> Sleeps { get; } = new List<TimeSpan>();
            public DateTimeOffset UtcNow => _inner.UtcNow;
            public TimeSpan Elapsed => _inner.Elapsed;
            public void Sleep(TimeSpan duration, CancellationToken cancellation = default)
            {
                lock (Sleeps) Sleeps.Add(duration);
                _inner.Sleep(duration, cancellation);
            }
        }

        /// <summary>Notes when each TEST UNIT READY was answered and what, and when the last state-changing command went out.</summary>
        sealed class TurLog : InterceptingPlatform
        {
            readonly IClock _clock;
            public TurLog(VirtualDrivePlatform inner, IClock clock) : base(inner) { _clock = clock; }
            public List<(TimeSpan At, string Answer)> Turs { get; } = new List<(TimeSpan, string)>();
            public TimeSpan LastStateChange;

            protected override ScsiResponse Execute(string path, ScsiRequest request, IScsiTransport drive)
            {
                var r = drive.Execute(request);
                if (Cdb.IsStateChanging(request.Cdb)) LastStateChange = _clock.Elapsed;
                if (request.Opcode == Cdb.TestUnitReadyOpcode) Turs.Add((_clock.Elapsed, r.IsGood ? "GOOD" : r.Sense?.Triple ?? ScsiStatus.Describe(r.Status)));
                return r;
            }
        }

        static (WriteResult Result, RecordingClock Clock, TurLog Log) Flash(string profile, string revision, bool backup = false)
        {
            using (var home = new TempHome())
            {
                var fake = new FakeClock();
                var opClock = new RecordingClock(fake);
                var store = new VirtualDriveStore(home.Path, fake);   // the drive spends its own time on the fake clock itself
                var drive = store.Create("d", profile).Path;
                var log = new TurLog(new VirtualDrivePlatform(home.Path, fake), fake);
                var image = System.IO.Path.Combine(home.Path, "image.bin");
                System.IO.File.WriteAllBytes(image, SyntheticImages.Build(profile, revision));
                var context = new MtkFlashContext(home.Path, opClock, new IDrivePlatform[] { log });
                var result = new WriteOperation(context).Run(new RecordingHost(), drive, new WriteOptions { ImagePath = image, SkipBackup = !backup, Force = true });
                return (result, opClock, log);
            }
        }

        [Theory]
        [InlineData("lg-bh16ns40", "1.03")]
        [InlineData("tsst-se506cb", "TS02")]
        [InlineData("btc-drw1008", "B231")]
        [InlineData("plextor-px716a", "1.12")]
        public void The_write_never_sleeps_longer_than_one_polling_interval(string profile, string revision)
        {
            var (result, clock, _) = Flash(profile, revision, backup: true);
            Assert.True(result.Outcome == WriteOutcome.Succeeded, result.ErrorId + " " + result.Message);
            Assert.NotEmpty(clock.Sleeps);
            Assert.True(clock.Sleeps.Max() <= FlashExecutor.WaitPollInterval, "longest sleep " + clock.Sleeps.Max() + " (" + clock.Sleeps.Count + " sleeps)");
            Assert.Equal(TimeSpan.FromMilliseconds(100), FlashExecutor.WaitPollInterval);
        }

        [Fact]
        public void Btc_keeps_btcflashs_50_s_without_a_command_and_then_polls()
        {
            var (result, clock, log) = Flash("btc-drw1008", "B231");
            Assert.True(result.Outcome == WriteOutcome.Succeeded, result.ErrorId + " " + result.Message);
            var first = log.Turs.First(t => t.At > log.LastStateChange);
            Assert.True(first.At - log.LastStateChange >= TimeSpan.FromSeconds(50), "first TEST UNIT READY " + (first.At - log.LastStateChange) + " after the commit");
            // The slices of the silence add up to the 50 s; no single one is longer than a poll.
            Assert.True(clock.Sleeps.Count(s => s == FlashExecutor.WaitPollInterval) >= 500);
        }

        [Fact]
        public void Mt1959_write_notices_the_drive_within_a_few_polls_of_its_return()
        {
            var (result, _, log) = Flash("lg-bh16ns40", "1.03");
            Assert.True(result.Outcome == WriteOutcome.Succeeded, result.ErrorId + " " + result.Message);
            var model = MtkFlash.Core.Families.Mt1959.Mt1959Timing.Model;
            var driveUp = log.LastStateChange + model.ProgramTime(0x200000) + model.RebootTime;
            var after = log.Turs.Where(t => t.At > log.LastStateChange).ToList();
            Assert.Contains(after, t => t.Answer == "2/04/08");
            Assert.Contains(after, t => t.Answer == "2/04/01");
            var last = after.Last();
            // The drive is up at driveUp: its unit attention, then "no disc" twice in a row (redumper's "ready twice"), the two
            // a second apart as redumper's loop asks them: the first comes within two polls of the drive's return, the wait ends
            // one family interval after it.
            var interval = new MtkFlash.Core.Families.Mt1959.Mt1959Protocol().Timing.PollInterval;
            var readyAnswers = after.Where(t => t.Answer == "GOOD" || t.Answer.StartsWith("2/3A/", StringComparison.Ordinal)).ToList();
            Assert.True(readyAnswers.Count >= 2, "ready answers after the commit: " + readyAnswers.Count);
            var first = readyAnswers[0];
            var second = readyAnswers[1];
            Assert.True(last.At >= driveUp, "ended before the drive was back: " + last.At + " < " + driveUp);
            Assert.True(first.At >= driveUp, "a ready answer before the drive was back: " + first.At + " < " + driveUp);
            Assert.True(second.At - first.At >= interval, "the two ready answers were " + (second.At - first.At) + " apart");
            Assert.True(first.At - driveUp <= TimeSpan.FromTicks(FlashExecutor.WaitPollInterval.Ticks * 2) + TimeSpan.FromMilliseconds(5),
                "the first ready answer came " + (first.At - driveUp) + " after the drive was back");
            Assert.True(second.At - driveUp <= interval + TimeSpan.FromTicks(FlashExecutor.WaitPollInterval.Ticks * 2) + TimeSpan.FromMilliseconds(5),
                "the wait ended " + (second.At - driveUp) + " after the drive was back");
        }
    }
}
