using System;
using System.Collections.Generic;
using System.IO;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Tests.Support
{
    /// <summary>
    /// The tests' one rig: a private MTKFLASH_HOME with a fake clock and only the virtual-drive platform, the environment
    /// operation, emulator and CLI tests run in. Trace records go to <see cref="TracePath"/> when tracing is on. Emulator
    /// tests open drives directly (<see cref="Create"/>) and send raw CDBs with <see cref="RawScsi"/>.
    /// </summary>
    public sealed class VirtualRig : IDisposable
    {
        readonly TempHome _home = new TempHome();
        TraceWriter _trace;

        public VirtualRig(bool trace = true)
        {
            Clock = new FakeClock();
            Platform = new VirtualDrivePlatform(_home.Path, Clock);
            if (trace)
            {
                TracePath = Path.Combine(_home.Path, "trace.jsonl");
                _trace = TraceWriter.ToFile(TracePath);
            }
            Context = new MtkFlashContext(_home.Path, Clock, new IDrivePlatform[] { Platform }, _trace);
        }

        public string Home => _home.Path;
        public FakeClock Clock { get; }
        /// <summary>The platform of <see cref="Context"/>; <see cref="Store"/> is its store.</summary>
        public VirtualDrivePlatform Platform { get; }
        public VirtualDriveStore Store => Platform.Store;
        public MtkFlashContext Context { get; }
        public string TracePath { get; }

        public string Sub(string name)
        {
            var p = Path.Combine(_home.Path, name);
            Directory.CreateDirectory(p);
            return p;
        }

        /// <summary>Creates a virtual drive and returns its path (virtual:NAME).</summary>
        public string NewDrive(string name, string profile, string revision = null, bool withDisc = false) =>
            Store.Create(name, profile, revision, withDisc).Path;

        /// <summary>Creates a virtual drive and opens it (exclusively unless told otherwise), for raw commands.</summary>
        public VirtualDrive Create(string name, string profile, string revision = null, bool disc = false, DriveAccess access = DriveAccess.Exclusive)
        {
            Store.Create(name, profile, revision, disc);
            return Store.Open(name, access);
        }

        /// <summary>Polls TEST UNIT READY once per (fake) second until GOOD, as the documented sequences do; returns the senses seen.</summary>
        public List<string> PollUntilReady(IScsiTransport t, int maxSeconds)
        {
            var seen = new List<string>();
            for (int i = 0; i < maxSeconds; i++)
            {
                var r = RawScsi.Tur(t);
                if (r.IsGood) return seen;
                seen.Add(r.Sense?.Triple ?? ScsiStatus.Describe(r.Status));
                if (r.Sense != null && r.Sense.Is(2, 0x3A)) return seen;   // ready, tray empty
                Clock.Advance(TimeSpan.FromSeconds(1));
            }
            throw new Xunit.Sdk.XunitException("drive not ready after " + maxSeconds + " s: " + string.Join(",", seen));
        }

        /// <summary>Writes a synthetic image for a profile to a file and returns its path.</summary>
        public string Image(string profile, string revision, string fileName = null)
        {
            var path = Path.Combine(_home.Path, fileName ?? profile + "-" + revision + ".bin");
            File.WriteAllBytes(path, SyntheticImages.Build(profile, revision));
            return path;
        }

        public TraceRecordList Trace() => new TraceRecordList(TracePath);

        public void Dispose()
        {
            _trace?.Dispose();
            Store.ForgetLoadedDrives();   // the in-process drive registry is static: don't keep every test's 2 MiB flashes alive
            _home.Dispose();
        }
    }

    /// <summary>The commands a run sent, read back from its trace file.</summary>
    public sealed class TraceRecordList
    {
        public TraceRecordList(string path)
        {
            var lines = File.Exists(path) ? ReadShared(path) : new string[0];
            Records = Array.ConvertAll(Array.FindAll(lines, l => l.Trim().Length > 0), RecordingTransportExtensions.Parse);
        }

        public TraceRecord[] Records { get; }

        public bool AnyStateChanging => Array.Exists(Records, r => MtkFlash.Core.Scsi.Cdb.IsStateChanging(r.CdbBytes()));
        public int Count => Records.Length;

        static string[] ReadShared(string path)
        {
            using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            using (var r = new StreamReader(fs)) return r.ReadToEnd().Split('\n');
        }
    }

    static class RecordingTransportExtensions
    {
        public static TraceRecord Parse(string line) => TraceRecord.FromJson(line);
    }
}
