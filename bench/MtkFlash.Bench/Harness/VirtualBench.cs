using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Bench.Harness
{
    /// <summary>
    /// A home folder of virtual drives on the virtual clock (FakeClock: every modelled wait passes at once), with only the
    /// virtual-drive platform: what the core costs the host, without the drive's own time and without the machine's drives.
    /// </summary>
    public sealed class VirtualBench
    {
        public VirtualBench(string home)
        {
            Home = home;
            Directory.CreateDirectory(home);
            Clock = new FakeClock();
            Context = new MtkFlashContext(home, Clock, new IDrivePlatform[] { new VirtualDrivePlatform(home, Clock) });
        }

        public string Home { get; }
        public FakeClock Clock { get; }
        public MtkFlashContext Context { get; }

        /// <summary>Creates virtual:NAME of a profile; throws when the core refuses.</summary>
        public string NewDrive(string name, string profile)
        {
            var host = new BenchHost();
            if (new VirtualDriveOperations(Context).New(host, name, profile) == null)
                throw new InvalidOperationException("cannot create virtual:" + name + ": " + string.Join("; ", host.Errors.Select(e => e.Message)));
            return VirtualDrivePlatform.Prefix + name;
        }

        /// <summary>The first flashable profile of each family that has one (the families MtkFlash can flash).</summary>
        public static IEnumerable<VirtualProfile> FlashableProfiles() =>
            VirtualProfiles.All.Where(p => p.CanFlash).GroupBy(p => p.Family).Select(g => g.First());

        /// <summary>The n-th revision after a profile's own ("1.02" → "1.03", "TS01" → "TS02"): always newer, so no write is a downgrade.</summary>
        public static string NewerRevision(VirtualProfile profile, int n)
        {
            var r = profile.Revision;
            return r.Substring(0, r.Length - 2) + (int.Parse(r.Substring(r.Length - 2)) + n).ToString("00");
        }
    }
}
