using System;
using System.Collections.Generic;
using System.IO;
using MtkFlash.Core.Transports;

namespace MtkFlash.Core.Infrastructure
{
    /// <summary>
    /// Everything an operation needs from its surroundings: the home folder (virtual drives, history), the clock, the
    /// drive platforms and an optional trace. Passed explicitly, never read from globals, so tests run in parallel.
    /// </summary>
    public sealed class MtkFlashContext
    {
        public MtkFlashContext(string homeDirectory, IClock clock, IReadOnlyList<IDrivePlatform> platforms, TraceWriter trace = null)
        {
            HomeDirectory = homeDirectory ?? throw new ArgumentNullException(nameof(homeDirectory));
            Clock = clock ?? SystemClock.Instance;
            Platforms = platforms ?? Array.Empty<IDrivePlatform>();
            Trace = trace;
        }

        /// <summary>MTKFLASH_HOME, or the user's local data folder + "MtkFlash".</summary>
        public string HomeDirectory { get; }
        public IClock Clock { get; }
        public IReadOnlyList<IDrivePlatform> Platforms { get; }
        public TraceWriter Trace { get; }

        public string VirtualDrivesDirectory => Path.Combine(HomeDirectory, "virtual");
        public string HistoryFile => Path.Combine(HomeDirectory, "history.jsonl");
        public string DefaultBackupDirectory => Path.Combine(HomeDirectory, "backups");

        public const string HomeVariable = "MTKFLASH_HOME";

        public static string DefaultHomeDirectory()
        {
            var fromEnv = Environment.GetEnvironmentVariable(HomeVariable);
            if (!string.IsNullOrWhiteSpace(fromEnv)) return Path.GetFullPath(fromEnv);
            var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            if (string.IsNullOrEmpty(local))
                local = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
            return Path.Combine(local, "MtkFlash");
        }

        public MtkFlashContext WithTrace(TraceWriter trace) => new MtkFlashContext(HomeDirectory, Clock, Platforms, trace);
    }
}
