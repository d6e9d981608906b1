using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Operations;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace MtkFlash.Cli
{
    /// <summary>
    /// Progress as live Spectre.Console bars on a terminal, one format for every long operation: a row per activity (the
    /// parent in bold, its phases indented under it) with the status, a bar, the percentage and the elapsed time. The
    /// display starts with the first report and closes itself when every activity is done; it leaves its last state on
    /// screen: 100% for work that finished, the bar where it stopped for work that failed. It is driven synchronously on
    /// the caller's thread (no refresh thread), so it never races the warnings and errors written meanwhile.
    /// </summary>
    public sealed class LiveProgressView : IProgressView
    {
        /// <summary>
        /// Which reports redraw (Core's throttle, per activity): the first, every completion, a percentage that moved by 2,
        /// and otherwise one per 100 ms. Every report still updates its row; the next redraw shows the latest.
        /// </summary>
        readonly ProgressThrottle _redraw;

        /// <summary>The bar: 24 cells, narrower on a narrow terminal so the description keeps room.</summary>
        static int BarWidth(int consoleWidth) => Math.Max(8, Math.Min(24, consoleWidth / 5));

        readonly TerminalErrorWriter _terminal;
        readonly TimeProvider _time;
        readonly IProgressView _fallback;
        readonly Dictionary<int, Row> _rows = new Dictionary<int, Row>();
        TaskCompletionSource<bool> _done;
        Task _display;
        ProgressContext _context;
        bool _broken;

        public LiveProgressView(TerminalErrorWriter terminal, Func<TimeSpan> now, TimeProvider time, IProgressView fallback)
        {
            _fallback = fallback ?? throw new ArgumentNullException(nameof(fallback));
            _terminal = terminal ?? throw new ArgumentNullException(nameof(terminal));
            if (now == null) throw new ArgumentNullException(nameof(now));
            _time = time ?? TimeProvider.System;
            _redraw = new ProgressThrottle(now, percentStep: 2, interval: TimeSpan.FromMilliseconds(100));
        }

        sealed class Row
        {
            public ProgressTask Task;
            public int Parent;
            public bool Done;
        }

        /// <summary>
        /// Shows a report. A display that fails (a terminal that went away, a rendering bug) never fails the work it shows:
        /// it is closed and the rest of the progress goes to the plain fallback.
        /// </summary>
        public void Show(OperationProgress p)
        {
            if (_broken) { _fallback.Show(p); return; }
            try { lock (_terminal.Sync) Update(p); }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                _broken = true;
                try { _terminal.EndLive(); } catch (Exception) { /* the display is already gone; the plain lines follow */ }
                _fallback.Show(p);
            }
        }

        void Update(OperationProgress p)
        {
            if (_context == null) Open();
            bool redraw = false;
            bool isPhase = p.ParentActivityId >= 0 && _rows.ContainsKey(p.ParentActivityId);
            if (!_rows.TryGetValue(p.ActivityId, out var row))
            {
                row = new Row { Parent = p.ParentActivityId, Task = AddTask(p.ParentActivityId, p.Activity) };
                _rows[p.ActivityId] = row;
                redraw = true;
            }
            Describe(row.Task, p, isPhase);
            // A completion always says 100; Finish decides whether the bar really is full.
            if (p.PercentComplete >= 0 && !p.Completed) { row.Task.IsIndeterminate = false; row.Task.Value = Math.Min(p.PercentComplete, 100); }
            else if (p.PercentComplete < 0 && !row.Done && row.Task.Value <= 0) row.Task.IsIndeterminate = true;

            if (p.Completed)
            {
                redraw = true;
                var children = _rows.Values.Where(r => r.Parent == p.ActivityId).ToList();
                // A parent that ends with a phase still open failed in that phase: its bars stay where they stopped.
                bool finished = children.All(c => c.Done);
                foreach (var c in children.Where(c => !c.Done)) Finish(c, complete: false);
                Finish(row, finished);
            }
            if (_redraw.ShouldPass(p) || redraw) _context.Refresh();
            if (_rows.Values.All(r => r.Done)) _terminal.EndLive();
        }

        ProgressTask AddTask(int parent, string description)
        {
            if (string.IsNullOrWhiteSpace(description)) description = "…";
            // A phase goes under its parent, after the parent's other phases.
            if (parent >= 0 && _rows.TryGetValue(parent, out var parentRow))
            {
                var last = _rows.Where(r => r.Value.Parent == parent).Select(r => r.Value.Task).LastOrDefault() ?? parentRow.Task;
                return _context.AddTaskAfter(description, last);
            }
            return _context.AddTask(description);
        }

        static void Finish(Row row, bool complete)
        {
            row.Done = true;
            if (complete) { row.Task.IsIndeterminate = false; row.Task.Value = row.Task.MaxValue; }
            row.Task.StopTask();
        }

        /// <summary>What a row says: plain text (Spectre needs one) and, in the tag, the parts the description column lays out.</summary>
        static void Describe(ProgressTask task, OperationProgress p, bool isPhase)
        {
            var line = new RowText(p.Activity, p.Status, isPhase);
            task.Tag = line;
            task.Description = line.Plain.Trim().Length > 0 ? line.Plain : "…";
        }

        void Open()
        {
            _terminal.BeginLive(this);
            var progress = new Progress(_terminal.Console, _time) { AutoRefresh = false, AutoClear = false, HideCompleted = false }
                .ExcludeVerticalPadding()
                .Columns(new DescriptionColumn(), new ProgressBarColumn { Width = BarWidth(_terminal.Console.Profile.Width) }, new PercentColumn(), new ElapsedTimeColumn());
            _done = new TaskCompletionSource<bool>();
            // Without auto refresh, Spectre runs this on the caller's thread up to the await of _done; Close() completes it.
            _display = progress.StartAsync(context => { _context = context; return _done.Task; });
            if (_context == null) throw new InvalidOperationException("The progress display did not start.");
        }

        /// <summary>Ends the display: a last redraw, a new line, the cursor shown again. The next report opens a new one.</summary>
        internal void Close()
        {
            if (_context == null) return;
            _context = null;
            _rows.Clear();
            _done.TrySetResult(true);
            _display.GetAwaiter().GetResult();
            _terminal.Ended(this);
        }

        /// <summary>
        /// The activity and status of a row on one line: the parent in bold, a phase indented, the status dimmed, cut with
        /// "…" so a row never wraps; the column takes the width the bar, percentage and time leave.
        /// </summary>
        sealed class DescriptionColumn : ProgressColumn
        {
            protected override bool NoWrap => true;

            /// <summary>
            /// What the bar, percentage and elapsed time leave (one space after each column), less two cells: a row never
            /// reaches the last column, so the terminal's own echo of ^C after it cannot push the display down a line.
            /// </summary>
            public override int? GetColumnWidth(RenderOptions options) =>
                Math.Max(16, options.ConsoleSize.Width - (BarWidth(options.ConsoleSize.Width) + 1 + 4 + 1 + 8 + 1) - 2);

            public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
            {
                var width = GetColumnWidth(options).Value;
                var more = options.Unicode ? "…" : "...";
                if (!(task.Tag is RowText row)) return new Text(Fit(task.Description, width, more));
                var head = Fit((row.IsPhase ? "  " : string.Empty) + row.Activity, width, more);
                var markup = row.IsPhase ? Markup.Escape(head) : "[bold]" + Markup.Escape(head) + "[/]";
                int room = width - head.Length - 3;
                if (!string.IsNullOrEmpty(row.Status) && room >= 4) markup += " [grey]- " + Markup.Escape(Fit(row.Status, room, more)) + "[/]";
                return new Markup(markup);
            }

            static string Fit(string text, int width, string more) =>
                text == null ? string.Empty : text.Length <= width ? text : text.Substring(0, Math.Max(0, width - more.Length)) + more;
        }

        sealed class RowText
        {
            public RowText(string activity, string status, bool isPhase) { Activity = activity ?? string.Empty; Status = status; IsPhase = isPhase; }
            public string Activity { get; }
            public string Status { get; }
            public bool IsPhase { get; }
            public string Plain => string.IsNullOrEmpty(Status) ? Activity : Activity + " - " + Status;
        }

        /// <summary>"42%", or nothing while the amount of work is unknown (the bar pulses instead).</summary>
        sealed class PercentColumn : ProgressColumn
        {
            protected override bool NoWrap => true;

            public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
                task.IsIndeterminate
                    ? new Text(string.Empty)
                    : new Text(((int)task.Percentage).ToString(System.Globalization.CultureInfo.InvariantCulture) + "%",
                        task.IsFinished && task.Percentage >= 100 ? new Style(Color.Green) : Style.Plain).RightJustified();

            public override int? GetColumnWidth(RenderOptions options) => 4;
        }
    }

    /// <summary>Spectre's clock (the elapsed-time column) read from the CLI's clock, so tests on a fake clock see fake time.</summary>
    public sealed class ClockTimeProvider : TimeProvider
    {
        readonly IClock _clock;

        public ClockTimeProvider(IClock clock) { _clock = clock ?? throw new ArgumentNullException(nameof(clock)); }

        public override DateTimeOffset GetUtcNow() => _clock.UtcNow;
        public override long GetTimestamp() => _clock.Elapsed.Ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    }
}
