using System;
using System.Collections.Generic;
using System.Threading;

namespace MtkFlash.Core.Operations
{
    /// <summary>
    /// Decides which progress reports a front end passes on, so a drive gives a few dozen records, not one per chunk read
    /// (a 2 MiB backup reads 1,024 chunks). Per activity: the first report, every completion, a percentage that moved by at
    /// least <see cref="PercentStep"/>, and otherwise at most one report per <see cref="Interval"/> (heartbeats while a
    /// drive is silent stay visible).
    /// </summary>
    public sealed class ProgressThrottle
    {
        readonly Func<TimeSpan> _now;
        readonly Dictionary<int, (int Percent, TimeSpan At)> _last = new Dictionary<int, (int, TimeSpan)>();

        public ProgressThrottle(Func<TimeSpan> now, int percentStep = 10, TimeSpan? interval = null)
        {
            _now = now ?? throw new ArgumentNullException(nameof(now));
            PercentStep = percentStep;
            Interval = interval ?? TimeSpan.FromSeconds(1);
        }

        public int PercentStep { get; }
        public TimeSpan Interval { get; }

        public bool ShouldPass(OperationProgress p)
        {
            var now = _now();
            if (p.Completed) { _last.Remove(p.ActivityId); return true; }
            if (_last.TryGetValue(p.ActivityId, out var last) &&
                !(p.PercentComplete >= 0 && Math.Abs(p.PercentComplete - last.Percent) >= PercentStep) &&
                now - last.At < Interval)
                return false;
            _last[p.ActivityId] = (p.PercentComplete, now);
            return true;
        }
    }

    /// <summary>Activity ids for progress: distinct for every drive an operation works on in this process.</summary>
    public static class ProgressActivities
    {
        static int _next = 1000;

        /// <summary>Reserves <paramref name="count"/> consecutive ids (a parent and its children) and returns the first.</summary>
        public static int Reserve(int count) => Interlocked.Add(ref _next, count) - count + 1;
    }
}

namespace MtkFlash.Core.Operations
{
    /// <summary>
    /// Progress of one drive: a parent activity ("Writing firmware to virtual:a") with a child activity per phase (backup,
    /// send, wait, verify). Ids are reserved per instance, so drives in one pipeline never share an activity.
    /// </summary>
    public sealed class DriveProgress
    {
        readonly IOperationHost _host;
        readonly string _activity;
        bool _started;

        public DriveProgress(IOperationHost host, string activity, int phases)
        {
            _host = host ?? throw new ArgumentNullException(nameof(host));
            _activity = activity;
            ParentId = ProgressActivities.Reserve(phases + 1);
        }

        public int ParentId { get; }

        /// <summary>The parent moves to a phase: its status names the phase.</summary>
        public void Enter(string status, int percent = -1)
        {
            _started = true;
            _host.WriteProgress(new OperationProgress(ParentId, _activity, status, percent));
        }

        /// <summary>Progress of phase <paramref name="phase"/> (1-based) as a child of the parent.</summary>
        public void Report(int phase, string activity, string status, int percent = -1, TimeSpan? remaining = null) =>
            _host.WriteProgress(new OperationProgress(ParentId + phase, activity, status, percent, ParentId, remaining: remaining));

        public void CompletePhase(int phase, string activity, string status) =>
            _host.WriteProgress(new OperationProgress(ParentId + phase, activity, status, 100, ParentId, completed: true));

        /// <summary>Ends the parent (once), when it was started.</summary>
        public void Complete(string status)
        {
            if (!_started) return;
            _started = false;
            _host.WriteProgress(new OperationProgress(ParentId, _activity, status, 100, completed: true));
        }
    }
}
