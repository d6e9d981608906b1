using System;
using MtkFlash.Bench.Harness;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Families;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;

namespace MtkFlash.Bench.Benchmarks
{
    /// <summary>One flashable family as figures 2 and 4 flash it: a profile and an image of another revision.</summary>
    sealed class FlashCase
    {
        public FlashCase(string family, DriveFamily kind, string profile, string revision)
        {
            Family = family; Kind = kind; Profile = profile; Revision = revision;
        }
        public string Family { get; }
        public DriveFamily Kind { get; }
        /// <summary>The family's timing model, the one its virtual drives spend.</summary>
        public DriveTimingModel Model => FamilyRegistry.Find(Kind).Timing;
        public string Profile { get; }
        public string Revision { get; }

        /// <summary>One drive of every family MtkFlash flashes (Spc and LiteOn8051 are never flashed).</summary>
        public static readonly FlashCase[] All =
        {
            new FlashCase("mt1959", DriveFamily.Mt1959, "lg-bh16ns40", "1.03"),
            new FlashCase("tsst", DriveFamily.Tsst, "tsst-se506cb", "TS02"),
            new FlashCase("btc", DriveFamily.Btc, "btc-drw1008", "B231"),
            new FlashCase("plextor", DriveFamily.Plextor, "plextor-px716a", "1.12"),
        };
    }

    /// <summary>An MtkFlash home with virtual drives on a given clock, and the writes the core API does on them.</summary>
    sealed class FlashRig
    {
        public FlashRig(string home, IClock clock)
        {
            Home = home;
            Directory.CreateDirectory(home);
            Clock = clock;
            Platform = new TimedPlatform(new VirtualDrivePlatform(home, clock), clock);
            Context = new MtkFlashContext(home, clock, new IDrivePlatform[] { Platform });
        }

        public string Home { get; }
        public IClock Clock { get; }
        public TimedPlatform Platform { get; }
        public MtkFlashContext Context { get; }

        public string NewDrive(string name, FlashCase c) => Platform.Inner.Store.Create(name, c.Profile).Path;

        public string Image(FlashCase c)
        {
            var path = Path.Combine(Home, c.Profile + "-" + c.Revision + ".bin");
            if (!File.Exists(path)) File.WriteAllBytes(path, SyntheticImages.Build(c.Profile, c.Revision));
            return path;
        }

        /// <summary>A write as a user runs it (-Force, no prompt); throws unless it succeeded and was verified.</summary>
        public WriteResult Write(string drive, FlashCase c, bool backup)
        {
            var options = new WriteOptions { ImagePath = Image(c), Force = true, SkipBackup = !backup };
            var result = new WriteOperation(Context).Run(new BenchHost { KeepObjects = false }, drive, options);
            if (result.Outcome != WriteOutcome.Succeeded || !result.Verified)
                throw new InvalidOperationException("The benchmark's write to " + drive + " (" + c.Family + ") did not succeed: " + result.Outcome + " " + result.ErrorId + " " + result.Message);
            return result;
        }
    }

    /// <summary>Notes, per drive, the clock when its first state-changing command went out.</summary>
    sealed class TimedPlatform : InterceptingPlatform
    {
        readonly IClock _clock;
        readonly Dictionary<string, TimeSpan> _first = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);

        public TimedPlatform(VirtualDrivePlatform inner, IClock clock) : base(inner) { Inner = inner; _clock = clock; }

        public VirtualDrivePlatform Inner { get; }

        public TimeSpan? FirstStateChange(string path) { lock (_first) return _first.TryGetValue(path, out var t) ? t : (TimeSpan?)null; }

        protected override ScsiResponse Execute(string path, ScsiRequest request, IScsiTransport drive)
        {
            if (Cdb.IsStateChanging(request.Cdb))
                lock (_first) if (!_first.ContainsKey(drive.Path)) _first[drive.Path] = _clock.Elapsed;
            return drive.Execute(request);
        }
    }
}
