using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Transports;

namespace MtkFlash.Cli
{
    /// <summary>
    /// Exit codes of every command (documented in the README), and the one place that derives them: commands report what
    /// happened (errors written to the host, failed or refused work) and <see cref="From(IEnumerable{OperationError}, bool, bool)"/>
    /// turns it into a code; parse errors and exceptions are mapped here too.
    /// </summary>
    public static class ExitCodes
    {
        public const int Success = 0;
        /// <summary>The work failed (or, for `test`, a file is not valid / does not fit).</summary>
        public const int Failure = 1;
        public const int Usage = 2;
        /// <summary>A safety check refused the work; the drive was not touched.</summary>
        public const int Refused = 3;

        /// <summary>Refused work 3; an error about an argument 2; any other error, or failed work, 1; else 0.</summary>
        public static int From(IEnumerable<OperationError> errors, bool failed = false, bool refused = false)
        {
            if (refused) return Refused;
            var list = errors?.ToList() ?? new List<OperationError>();
            if (list.Any(e => e.Category == OperationErrorCategory.InvalidArgument)) return Usage;
            return list.Count > 0 || failed ? Failure : Success;
        }

        public static int From(ConsoleHost host, bool failed = false, bool refused = false) => From(host.Errors, failed, refused);

        /// <summary>For commands that report no errors of their own (tables, the demo): failed work 1, else 0.</summary>
        public static int From(bool failed) => From((IEnumerable<OperationError>)null, failed);

        /// <summary>The command line did not parse or a value was refused by a validator.</summary>
        public static int ForParseErrors() => Usage;

        /// <summary>Stopped by the user (Ctrl+C) or an exception no command expected: the work did not complete.</summary>
        public static int ForException(Exception ex) => Failure;
    }

    /// <summary>What the CLI reads and writes; tests substitute every part and run the CLI in-process.</summary>
    public sealed class CliEnvironment
    {
        public TextWriter Out { get; set; } = Console.Out;
        /// <summary>stderr; on a terminal a <see cref="TerminalErrorWriter"/>, which lets progress show as live bars.</summary>
        public TextWriter Err { get; set; } = TerminalErrorWriter.ForStandardError();
        public TextReader In { get; set; } = Console.In;
        /// <summary>A person can answer prompts (stdin is a terminal).</summary>
        public bool IsInteractive { get; set; } = !Console.IsInputRedirected;
        public string HomeDirectory { get; set; } = MtkFlashContext.DefaultHomeDirectory();
        public IClock Clock { get; set; } = SystemClock.Instance;
        /// <summary>Drive platforms; null means the OS platform of this machine plus the virtual-drive store.</summary>
        public Func<string, IReadOnlyList<IDrivePlatform>> Platforms { get; set; }
        public CancellationToken Cancellation { get; set; }
        /// <summary>Minimum time between two progress lines on stderr.</summary>
        public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>
        /// Tests: let an exception the top-level guard would turn into an UnexpectedError line escape instead, so a bug fails
        /// the test. Defaults to the <see cref="RethrowVariable"/> environment variable being "1" (the test assembly sets it).
        /// </summary>
        public bool RethrowUnexpected { get; set; } = Environment.GetEnvironmentVariable(RethrowVariable) == "1";

        public const string RethrowVariable = "MTKFLASH_RETHROW_UNEXPECTED";

        public MtkFlashContext CreateContext(TraceWriter trace)
        {
            var platforms = Platforms != null ? Platforms(HomeDirectory) : PlatformFactory.ForThisMachine(HomeDirectory, Clock);
            return new MtkFlashContext(HomeDirectory, Clock, platforms, trace);
        }
    }
}
