using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Infrastructure;

namespace MtkFlash.Bench.Benchmarks
{
    /// <summary>
    /// Figure 4 (issue 15): flash 16 virtual MT1959 drives at once through the core API (one task per drive, each a
    /// WriteOperation with its automatic backup), on the real clock running faster (<see cref="ScaledClock"/>: the drives'
    /// timing model scaled down), against one drive alone in the same run. Target: 16-drive wall / 1-drive wall &lt;= 1.15.
    /// Reports the peak working set and managed heap. Every result must have succeeded and been verified, and the history
    /// must hold one succeeded entry per attempt: anything else throws, which fails the benchmark loudly.
    /// </summary>
    public sealed class RackBenchmark : IBenchmark
    {
        public const int Drives = 16;

        public string Number => "4";
        public string Title => "Rack concurrency (16 virtual drives, real clock, scaled timing model)";

        public IEnumerable<Figure> Run(BenchOptions options)
        {
            // Quick: the clock runs 5x (a 9 s MT1959 flash with its backup takes about two seconds of wall time); full: 2x, one
            // round more. The faster the clock, the larger the host's share: at 10x the 16 flashes' 1 s of CPU on 2 cores is
            // already a tenth of the wall time, which says more about the speed-up than about the tool (at 1x, a real rack,
            // it is about 1%).
            double speed = options.Quick ? 5 : 2;
            int rounds = options.Quick ? 1 : 2;
            var c = FlashCase.All.First(f => f.Family == "mt1959");
            var clock = new ScaledClock(speed);
            var rig = new FlashRig(Path.Combine(options.WorkFolder, "fig4"), clock);
            var image = rig.Image(c);

            // Warm-up (JIT, file cache): one flash, not counted.
            Flash(rig, c, new[] { rig.NewDrive("warm", c) });

            double best1 = double.MaxValue, best16 = double.MaxValue;
            long peakHeap = 0;
            TimeSpan cpu1 = TimeSpan.Zero, cpu16 = TimeSpan.Zero;
            int serial = 0;
            for (int round = 0; round < rounds; round++)
            {
                var one = new[] { rig.NewDrive("one-" + round, c) };
                best1 = Math.Min(best1, Flash(rig, c, one).TotalSeconds);
                cpu1 = LastCpu;
                var many = Enumerable.Range(0, Drives).Select(i => rig.NewDrive("rack-" + round + "-" + (serial++), c)).ToArray();
                using (var sampler = new HeapSampler())
                {
                    best16 = Math.Min(best16, Flash(rig, c, many).TotalSeconds);
                    cpu16 = LastCpu;
                    peakHeap = Math.Max(peakHeap, sampler.Peak);
                }
            }
            long peakWorkingSet = Process.GetCurrentProcess().PeakWorkingSet64;
            return new[]
            {
                new Figure
                {
                    Name = "rack: 16-drive wall / 1-drive wall", Value = Math.Round(best16 / best1, 4), Unit = "ratio", Target = 1.15, Comparison = "<=",
                    Note = "16 drives " + best16.ToString("0.000") + " s, 1 drive " + best1.ToString("0.000") + " s of wall time (MT1959 with automatic backup, clock x" + speed + ", " +
                           Environment.ProcessorCount + " CPUs, best of " + rounds + "; CPU time " +
                           cpu16.TotalSeconds.ToString("0.00") + " s for 16, " + cpu1.TotalSeconds.ToString("0.00") + " s for 1)",
                },
                new Figure { Name = "rack: peak working set", Value = Math.Round(peakWorkingSet / 1048576.0, 1), Unit = "MiB", Note = "Process.PeakWorkingSet64 of the whole bench process" },
                new Figure { Name = "rack: peak managed heap", Value = Math.Round(peakHeap / 1048576.0, 1), Unit = "MiB", Note = "GC.GetTotalMemory sampled every 10 ms during the 16-drive flash" },
            };
        }

        /// <summary>CPU time of the whole process during the last <see cref="Flash"/>.</summary>
        static TimeSpan LastCpu;

        /// <summary>Flashes the drives at once, one task each; checks every result and its history entry; returns the wall time.</summary>
        static TimeSpan Flash(FlashRig rig, FlashCase c, string[] drives)
        {
            var results = new WriteResult[drives.Length];
            var start = new ManualResetEventSlim(false);
            var tasks = drives.Select((d, i) => Task.Factory.StartNew(() =>
            {
                start.Wait();
                results[i] = rig.Write(d, c, backup: true);
            }, TaskCreationOptions.LongRunning)).ToArray();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            start.Set();
            Task.WaitAll(tasks);   // a failed write throws here, with its message
            wall.Stop();
            LastCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

            var entries = HistoryLog.ReadEntries(rig.Context.HistoryFile, warning => throw new InvalidOperationException("history: " + warning));
            for (int i = 0; i < drives.Length; i++)
            {
                var r = results[i];
                if (r == null || r.Outcome != WriteOutcome.Succeeded || !r.Verified || r.ReadBackVerified != true || r.NewRevision != c.Revision || r.BackupPath == null)
                    throw new InvalidOperationException("Rack write " + drives[i] + " did not succeed as it should: " + r?.Outcome + " " + r?.Message);
                var mine = entries.Where(e => e.AttemptId == r.AttemptId).ToList();
                if (mine.Count != 1 || mine[0].Outcome != "succeeded" || mine[0].Drive != drives[i] || mine[0].NewRevision != c.Revision)
                    throw new InvalidOperationException("History has " + mine.Count + " entries for the write to " + drives[i] + " (attempt " + r.AttemptId + ")" +
                        (mine.Count == 1 ? ", outcome " + mine[0].Outcome : string.Empty) + "; expected one succeeded entry.");
                if (!File.Exists(r.BackupPath) && !Directory.Exists(r.BackupPath))
                    throw new InvalidOperationException("The automatic backup of " + drives[i] + " is missing: " + r.BackupPath);
            }
            return wall.Elapsed;
        }

        /// <summary>Samples the managed heap every 10 ms until disposed.</summary>
        sealed class HeapSampler : IDisposable
        {
            readonly Timer _timer;
            long _peak;
            public HeapSampler() { _timer = new Timer(_ => Sample(), null, 0, 10); }
            void Sample() { long now = GC.GetTotalMemory(false); long seen; while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen) { } }
            public long Peak { get { Sample(); return Interlocked.Read(ref _peak); } }
            public void Dispose() => _timer.Dispose();
        }
    }
}
