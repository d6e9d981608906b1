using System;
using System.Collections.Generic;
using MtkFlash.Core.Operations;

namespace MtkFlash.Cli
{
    /// <summary>How a command shows the progress Core reports (a parent activity per drive or file set, child phases).</summary>
    public interface IProgressView
    {
        void Show(OperationProgress progress);
    }

    /// <summary>The one place that picks the progress view of a command.</summary>
    public static class ProgressViews
    {
        /// <summary>
        /// A live Spectre.Console display when stderr is a terminal (<see cref="TerminalErrorWriter"/>, chosen at start-up) and
        /// the output is not JSON; otherwise plain lines, as a log or a script wants them.
        /// </summary>
        public static IProgressView For(CliEnvironment env, bool json) =>
            !json && env.Err is TerminalErrorWriter terminal
                ? new LiveProgressView(terminal, () => env.Clock.Elapsed, new ClockTimeProvider(env.Clock), new PlainProgressView(env))
                : new PlainProgressView(env);
    }

    /// <summary>
    /// Progress as lines on stderr ("progress: Backing up virtual:a 40% - read 819200 of 2097152 bytes", "done: …"), at most
    /// one per <see cref="CliEnvironment.ProgressInterval"/> per activity (the first and the last always).
    /// </summary>
    public sealed class PlainProgressView : IProgressView
    {
        readonly CliEnvironment _env;
        readonly Dictionary<int, TimeSpan> _lastProgress = new Dictionary<int, TimeSpan>();

        public PlainProgressView(CliEnvironment env) { _env = env; }

        public void Show(OperationProgress p)
        {
            var now = _env.Clock.Elapsed;
            bool due = p.Completed || !_lastProgress.TryGetValue(p.ActivityId, out var last) || now - last >= _env.ProgressInterval;
            if (!due) return;
            _lastProgress[p.ActivityId] = now;
            var pct = p.PercentComplete >= 0 ? " " + p.PercentComplete + "%" : string.Empty;
            _env.Err.WriteLine((p.Completed ? "done: " : "progress: ") + p.Activity + pct + (string.IsNullOrEmpty(p.Status) ? string.Empty : " - " + p.Status));
        }
    }
}
