using System;
using System.IO;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Tests.Support
{
    /// <summary>
    /// A private MTKFLASH_HOME with a fake clock and only the virtual-drive platform: the environment most operation tests
    /// run in. Trace records go to <see cref="TracePath"/> when tracing is on.
    /// </summary>
    public sealed class VirtualRig : IDisposable
    {
        readonly TempHome _home = new TempHome();
        TraceWriter _trace;

        public VirtualRig(bool trace = true)
        {
            Clock = new FakeClock();
            Store = new VirtualDriveStore(_home.Path, Clock);
            if (trace)
            {
                TracePath = Path.Combine(_home.Path, "trace.jsonl");
                _trace = TraceWriter.ToFile(TracePath);
            }
            Context = new MtkFlashContext(_home.Path, Clock, new IDrivePlatform[] { new VirtualDrivePlatform(_home.Path, Clock) }, _trace);
        }

        public string Home => _home.Path;
        public FakeClock Clock { get; }
        public VirtualDriveStore Store { get; }
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
