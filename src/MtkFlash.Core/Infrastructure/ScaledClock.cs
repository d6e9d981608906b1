using System;
using System.Diagnostics;
using System.Threading;

namespace MtkFlash.Core.Infrastructure
{
    /// <summary>
    /// The real clock, running a given number of times faster: a drive's 6 s of programming takes 6 s / speed of wall time,
    /// and so does every wait of the operations. Used to run many virtual drives at once on real threads (the rack figure
    /// of issue 15) without waiting minutes. Sleeps shorter than the OS can sleep (1 ms of wall time) are not lost: each
    /// thread carries them over and sleeps once they add up to a whole millisecond.
    /// </summary>
    public sealed class ScaledClock : IClock
    {
        static readonly TimeSpan OsTick = TimeSpan.FromMilliseconds(1);
        readonly Stopwatch _watch = Stopwatch.StartNew();
        readonly DateTimeOffset _start = DateTimeOffset.UtcNow;
        readonly ThreadLocal<long> _owedTicks = new ThreadLocal<long>();

        public ScaledClock(double speed)
        {
            if (!(speed >= 1)) throw new ArgumentOutOfRangeException(nameof(speed), "The clock can only run faster than real time (speed >= 1).");
            Speed = speed;
        }

        public double Speed { get; }

        public TimeSpan Elapsed => TimeSpan.FromTicks((long)(_watch.Elapsed.Ticks * Speed));
        public DateTimeOffset UtcNow => _start + Elapsed;

        public void Sleep(TimeSpan duration, CancellationToken cancellation = default)
        {
            if (duration <= TimeSpan.Zero) return;
            long wall = _owedTicks.Value + (long)(duration.Ticks / Speed);
            // The OS sleeps whole milliseconds: sleep those, owe the rest.
            _owedTicks.Value = wall % OsTick.Ticks;
            if (wall >= OsTick.Ticks) SystemClock.Instance.Sleep(TimeSpan.FromTicks(wall - wall % OsTick.Ticks), cancellation);
        }
    }
}
