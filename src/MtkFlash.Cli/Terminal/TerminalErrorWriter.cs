using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace MtkFlash.Cli
{
    /// <summary>
    /// stderr when it is a terminal that understands ANSI. Text passes straight through, except while a live progress
    /// display is on screen: then whole lines go through the Spectre.Console console, which prints them above the bars (the
    /// bars stay at the bottom), and a partial line that is flushed (a prompt) first ends the display. Chosen once per
    /// process (<see cref="ForStandardError"/>) as <see cref="CliEnvironment.Err"/>; a redirected stderr stays the plain
    /// <see cref="Console.Error"/>. Thread-safe: a line from another thread (the Ctrl+C notice) waits for a redraw to end.
    /// </summary>
    public sealed class TerminalErrorWriter : TextWriter
    {
        static readonly Lazy<TextWriter> StandardError = new Lazy<TextWriter>(CreateForStandardError);

        readonly TextWriter _raw;
        readonly StringBuilder _pending = new StringBuilder();
        LiveProgressView _live;

        public TerminalErrorWriter(IAnsiConsole console)
        {
            Console = console ?? throw new ArgumentNullException(nameof(console));
            _raw = console.Profile.Out.Writer;
        }

        /// <summary>The console the live display renders to; its output is the terminal's stderr.</summary>
        public IAnsiConsole Console { get; }

        /// <summary>Held while the display draws and while text is written, so the two never interleave.</summary>
        internal object Sync { get; } = new object();

        public override Encoding Encoding => _raw.Encoding;

        /// <summary>
        /// This process's stderr: a <see cref="TerminalErrorWriter"/> when stderr is a terminal with ANSI support (TERM=dumb
        /// has none), else <see cref="System.Console.Error"/> itself. The terminal writer also becomes Console.Error, so text
        /// written there directly (the Ctrl+C notice) goes above the bars as well.
        /// </summary>
        public static TextWriter ForStandardError() => StandardError.Value;

        static TextWriter CreateForStandardError()
        {
            var stderr = System.Console.Error;
            if (System.Console.IsErrorRedirected) return stderr;
            IAnsiConsole console;
            try
            {
                console = AnsiConsole.Create(new AnsiConsoleSettings
                {
                    Out = new StandardErrorOutput(stderr),
                    Ansi = AnsiSupport.Detect,
                    ColorSystem = ColorSystemSupport.Detect,
                    Interactive = InteractionSupport.Yes,
                });
            }
            catch (Exception ex) when (ex is IOException || ex is InvalidOperationException || ex is PlatformNotSupportedException)
            {
                return stderr;
            }
            if (!console.Profile.Capabilities.Ansi) return stderr;
            var writer = new TerminalErrorWriter(console);
            System.Console.SetError(writer);
            // Whatever way the process ends (an error, Ctrl+C, SIGTERM), the last display is closed and the cursor shown again.
            AppDomain.CurrentDomain.ProcessExit += (_, __) =>
            {
                try { writer.EndLive(); }
                catch (Exception) { /* the terminal is gone: nothing left to tidy */ }
            };
            return writer;
        }

        /// <summary>True while a live display is on screen.</summary>
        public bool IsLive { get { lock (Sync) return _live != null; } }

        /// <summary>Makes <paramref name="view"/> the display on screen; one that is still open (from an earlier command) is closed first.</summary>
        internal void BeginLive(LiveProgressView view)
        {
            lock (Sync)
            {
                if (_live != null && _live != view) EndLive();
                _live = view;
            }
        }

        /// <summary>Closes the display on screen (its last state stays visible) and writes any partial line held back.</summary>
        public void EndLive()
        {
            lock (Sync)
            {
                var live = _live;
                _live = null;
                live?.Close();
                if (_pending.Length > 0) { _raw.Write(_pending.ToString()); _pending.Clear(); }
                _raw.Flush();
            }
        }

        /// <summary>Called by the view when it closed itself.</summary>
        internal void Ended(LiveProgressView view)
        {
            lock (Sync) if (_live == view) _live = null;
        }

        public override void Write(char value)
        {
            lock (Sync)
            {
                if (_live == null) { _raw.Write(value); return; }
                _pending.Append(value);
                if (value == '\n') EmitLines();
            }
        }

        public override void Write(string value)
        {
            if (string.IsNullOrEmpty(value)) return;
            lock (Sync)
            {
                if (_live == null) { _raw.Write(value); return; }
                _pending.Append(value);
                if (value.IndexOf('\n') >= 0) EmitLines();
            }
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void WriteLine(string value) => Write((value ?? string.Empty) + NewLine);

        /// <summary>A flush with a partial line held back is a question waiting for an answer: the display ends first.</summary>
        public override void Flush()
        {
            lock (Sync)
            {
                if (_live != null && _pending.Length > 0) EndLive();
                _raw.Flush();
            }
        }

        /// <summary>Complete lines go above the live display; a partial line waits for its end.</summary>
        void EmitLines()
        {
            var text = _pending.ToString();
            int end = text.LastIndexOf('\n');
            _pending.Remove(0, end + 1);
            Console.Write(new LinesAbove(text.Substring(0, end + 1).Replace("\r\n", "\n")));
        }

        /// <summary>
        /// Lines written while the display is on screen. Spectre puts the cursor back at the top of the display and draws
        /// it again after them, but does not blank what was there: the lines first erase the old display to the end of the
        /// screen (ED 0), so no piece of a bar stays after a short line.
        /// </summary>
        sealed class LinesAbove : Renderable
        {
            readonly Text _text;

            public LinesAbove(string text) { _text = new Text(text); }

            protected override Measurement Measure(RenderOptions options, int maxWidth) => ((IRenderable)_text).Measure(options, maxWidth);

            protected override IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
            {
                yield return Segment.Control("\u001b[0J");
                foreach (var segment in ((IRenderable)_text).Render(options, maxWidth)) yield return segment;
            }
        }

        /// <summary>
        /// The terminal's stderr as Spectre's output. Spectre's own output class recognises stderr by comparing with
        /// Console.Error, which this writer replaces; this one holds the original writer and asks the console for its size.
        /// </summary>
        sealed class StandardErrorOutput : IAnsiConsoleOutput
        {
            public StandardErrorOutput(TextWriter writer) { Writer = writer; }

            public TextWriter Writer { get; }
            public bool IsTerminal => true;
            public int Width => Safe(() => System.Console.WindowWidth, 80);
            public int Height => Safe(() => System.Console.WindowHeight, 24);

            public void SetEncoding(Encoding encoding)
            {
                try { System.Console.OutputEncoding = encoding; }
                catch (Exception ex) when (ex is IOException || ex is PlatformNotSupportedException || ex is InvalidOperationException) { }
            }

            static int Safe(Func<int> size, int fallback)
            {
                try { var n = size(); return n > 0 ? n : fallback; }
                catch (Exception ex) when (ex is IOException || ex is PlatformNotSupportedException || ex is InvalidOperationException) { return fallback; }
            }
        }
    }
}
