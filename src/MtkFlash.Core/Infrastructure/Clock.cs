using System;
using System.Diagnostics;
using System.Threading;

namespace MtkFlash.Core.Infrastructure
{
    /// <summary>Time source. Real code sleeps; tests and virtual drives use a fake clock so nothing waits 50 s.</summary>
    public interface IClock
    {
        DateTimeOffset UtcNow { get; }
        /// <summary>Monotonic elapsed time since an arbitrary start.</summary>
        TimeSpan Elapsed { get; }
        void Sleep(TimeSpan duration, CancellationToken cancellation = default);
    }

    public sealed class SystemClock : IClock
    {
        public static readonly SystemClock Instance = new SystemClock();
        readonly Stopwatch _watch = Stopwatch.StartNew();

        public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;
        public TimeSpan Elapsed => _watch.Elapsed;

        public void Sleep(TimeSpan duration, CancellationToken cancellation = default)
        {
            if (duration <= TimeSpan.Zero) return;
            if (cancellation.CanBeCanceled) cancellation.WaitHandle.WaitOne(duration);
            else Thread.Sleep(duration);
        }
    }

    /// <summary>A clock that advances only when slept on. Thread-safe.</summary>
    public sealed class FakeClock : IClock
    {
        readonly object _gate = new object();
        DateTimeOffset _now;
        TimeSpan _elapsed;

        public FakeClock(DateTimeOffset? start = null) { _now = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero); }

        public DateTimeOffset UtcNow { get { lock (_gate) return _now; } }
        public TimeSpan Elapsed { get { lock (_gate) return _elapsed; } }

        public void Sleep(TimeSpan duration, CancellationToken cancellation = default) => Advance(duration);

        public void Advance(TimeSpan duration)
        {
            if (duration <= TimeSpan.Zero) return;
            lock (_gate) { _now += duration; _elapsed += duration; }
        }
    }
}
