using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Transports;

namespace MtkFlash.Cli
{
    /// <summary>Exit codes of every command (documented in the README).</summary>
    public static class ExitCodes
    {
        public const int Success = 0;
        /// <summary>The work failed (or, for `test`, a file is not valid / does not fit).</summary>
        public const int Failure = 1;
        public const int Usage = 2;
        /// <summary>A safety check refused the work; the drive was not touched.</summary>
        public const int Refused = 3;
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

        public MtkFlashContext CreateContext(TraceWriter trace)
        {
            var platforms = Platforms != null ? Platforms(HomeDirectory) : PlatformFactory.ForThisMachine(HomeDirectory, Clock);
            return new MtkFlashContext(HomeDirectory, Clock, platforms, trace);
        }
    }
}
