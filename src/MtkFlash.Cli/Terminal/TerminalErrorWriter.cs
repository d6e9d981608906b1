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
    /// bars stay at the bottom), and a partial line that is flushed (a prompt) first ends the display. Chosen once at
    /// start-up as <see cref="CliEnvironment.Err"/>; a redirected stderr stays the plain <see cref="Console.Error"/>.
    /// </summary>
    public sealed class TerminalErrorWriter : TextWriter
    {
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

        public override Encoding Encoding => _raw.Encoding;

        /// <summary>
        /// The writer for this process's stderr: a <see cref="TerminalErrorWriter"/> when stderr is a terminal with ANSI
        /// support (TERM=dumb has none), else <see cref="System.Console.Error"/> itself.
        /// </summary>
        public static TextWriter ForStandardError()
        {
            if (System.Console.IsErrorRedirected) return System.Console.Error;
            IAnsiConsole console;
            try
            {
                console = AnsiConsole.Create(new AnsiConsoleSettings
                {
                    Out = new AnsiConsoleOutput(System.Console.Error),
                    Ansi = AnsiSupport.Detect,
                    ColorSystem = ColorSystemSupport.Detect,
                    Interactive = InteractionSupport.Yes,
                });
            }
            catch (Exception ex) when (ex is IOException || ex is InvalidOperationException || ex is PlatformNotSupportedException)
            {
                return System.Console.Error;
            }
            if (!console.Profile.Capabilities.Ansi) return System.Console.Error;
            var writer = new TerminalErrorWriter(console);
            // Whatever way the process ends (an error, Ctrl+C, SIGTERM), the last display is closed and the cursor shown again.
            AppDomain.CurrentDomain.ProcessExit += (_, __) => writer.EndLive();
            return writer;
        }

        /// <summary>True while a live display is on screen.</summary>
        public bool IsLive => _live != null;

        /// <summary>Makes <paramref name="view"/> the display on screen; one that is still open (from an earlier command) is closed first.</summary>
        internal void BeginLive(LiveProgressView view)
        {
            if (_live != null && _live != view) EndLive();
            _live = view;
        }

        /// <summary>Closes the display on screen (its last state stays visible) and writes any partial line held back.</summary>
        public void EndLive()
        {
            var live = _live;
            _live = null;
            live?.Close();
            if (_pending.Length > 0) { _raw.Write(_pending.ToString()); _pending.Clear(); }
            _raw.Flush();
        }

        /// <summary>Called by the view when it closed itself.</summary>
        internal void Ended(LiveProgressView view)
        {
            if (_live == view) _live = null;
        }

        public override void Write(char value)
        {
            if (_live == null) { _raw.Write(value); return; }
            _pending.Append(value);
            if (value == '\n') EmitLines();
        }

        public override void Write(string value)
        {
            if (string.IsNullOrEmpty(value)) return;
            if (_live == null) { _raw.Write(value); return; }
            _pending.Append(value);
            if (value.IndexOf('\n') >= 0) EmitLines();
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void WriteLine(string value) => Write((value ?? string.Empty) + NewLine);

        /// <summary>A flush with a partial line held back is a question waiting for an answer: the display ends first.</summary>
        public override void Flush()
        {
            if (_live != null && _pending.Length > 0) EndLive();
            _raw.Flush();
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
    }
}
