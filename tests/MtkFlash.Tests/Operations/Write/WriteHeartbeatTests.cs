using System;
using System.IO;
using System.Linq;
using System.Threading;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Operations
{
    /// <summary>
    /// While an MT1939 block stalls (~10 s per MiB, docs/reference/drive-protocols.md §2.2) the drive says nothing; the write must keep
    /// reporting elapsed and expected time ("writing flash, do not power off: 12 s of about 35 s") instead of going silent.
    /// </summary>
    public class WriteHeartbeatTests
    {
        /// <summary>Simulated time runs 40 times faster than real time, so a 10 s stall really blocks for 0.25 s.</summary>
        sealed class FastClock : IClock
        {
            readonly System.Diagnostics.Stopwatch _watch = System.Diagnostics.Stopwatch.StartNew();
            const int Speed = 40;
            public DateTimeOffset UtcNow => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) + Elapsed;
            public TimeSpan Elapsed => TimeSpan.FromTicks(_watch.Elapsed.Ticks * Speed);
            public void Sleep(TimeSpan duration, CancellationToken cancellation = default) => Thread.Sleep(TimeSpan.FromTicks(duration.Ticks / Speed));
        }

        [Fact]
        public void Progress_keeps_coming_while_the_drive_is_silent_inside_a_stalled_block()
        {
            using (var home = new TempHome())
            {
                var clock = new FastClock();
                var store = new VirtualDriveStore(home.Path, clock);
                var drive = store.Create("d", "tsst-se506cb").Path;
                var image = Path.Combine(home.Path, "ts02.bin");
                File.WriteAllBytes(image, SyntheticImages.Build("tsst-se506cb", "TS02"));
                var context = new MtkFlashContext(home.Path, clock, new IDrivePlatform[] { new VirtualDrivePlatform(home.Path, clock) });
                var host = new RecordingHost();
                var op = new WriteOperation(context) { HeartbeatInterval = TimeSpan.FromMilliseconds(40) };
                var result = op.Run(host, drive, new WriteOptions { ImagePath = image, SkipBackup = true, Force = true });
                Assert.True(result.Outcome == WriteOutcome.Succeeded, result.Message);

                var beats = host.Progress.Where(p => p.Status != null && p.Status.StartsWith("writing flash, do not power off: ", StringComparison.Ordinal)).ToList();
                Assert.True(beats.Count >= 3, beats.Count + " heartbeat(s)");
                Assert.All(beats, b => Assert.Matches(@"^writing flash, do not power off: \d+ s of about 35 s$", b.Status));
                var seconds = beats.Select(b => int.Parse(b.Status.Split(':')[1].Trim().Split(' ')[0])).ToList();
                Assert.True(seconds.Last() > seconds.First(), "elapsed time must grow during the stall");
            }
        }
    }
}
