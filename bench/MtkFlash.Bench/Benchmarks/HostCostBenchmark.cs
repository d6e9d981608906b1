using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MtkFlash.Bench.Harness;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Bench.Benchmarks
{
    /// <summary>
    /// Figure 3: what a backup and a flash cost the host per MiB of flash, per flashable family: CPU time and allocated
    /// bytes, through the core API (BackupOperation, WriteOperation without its automatic backup) on a virtual drive on the
    /// virtual clock (no modelled latency costs wall time). The virtual drive runs in this process, so its own work (the
    /// emulator answering each command) is part of the figure; it is the same in every run, so a regression still shows.
    /// No target: tracked so regressions show. Best of N runs after one warm-up run.
    /// </summary>
    public sealed class HostCostBenchmark : IBenchmark
    {
        public string Number => "3";
        public string Title => "Host cost per MiB flashed and backed up (virtual clock)";

        public IEnumerable<Figure> Run(BenchOptions options)
        {
            int runs = options.Quick ? 3 : 10;
            var bench = new VirtualBench(Path.Combine(options.WorkFolder, "home"));
            var figures = new List<Figure>();
            foreach (var profile in VirtualBench.FlashableProfiles())
            {
                var family = profile.Family.ToString().ToLowerInvariant();
                var drive = bench.NewDrive("cost-" + family, profile.Name);
                double mib = profile.FlashSize / 1048576.0;
                var backups = Path.Combine(options.WorkFolder, "backups-" + family);
                Directory.CreateDirectory(backups);

                string completeness = null;
                var backup = Best(runs + 1, () =>
                {
                    var host = new BenchHost();
                    var result = new BackupOperation(bench.Context).Run(host, drive, new BackupOptions { Destination = backups });
                    if (result == null || host.Errors.Count > 0)
                        throw new InvalidOperationException("backup of " + drive + " failed: " + string.Join("; ", host.Errors.Select(e => e.Message)));
                    completeness = result.Completeness.ToString();
                    Directory.Delete(result.Path, true);
                });

                // Each write flashes a newer revision (never a downgrade); images are made before the clock starts.
                var images = Enumerable.Range(1, runs + 1).Select(i =>
                {
                    var path = Path.Combine(options.WorkFolder, family + "-" + i + ".bin");
                    File.WriteAllBytes(path, SyntheticImages.Build(profile, VirtualBench.NewerRevision(profile, i)));
                    return path;
                }).ToList();
                int next = 0;
                var write = Best(runs + 1, () =>
                {
                    var host = new BenchHost();
                    var result = new WriteOperation(bench.Context).Run(host, drive, new WriteOptions { ImagePath = images[next++], SkipBackup = true, Force = true });
                    if (result?.Outcome != WriteOutcome.Succeeded)
                        throw new InvalidOperationException("write to " + drive + " did not succeed: " + result?.Outcome + " " + result?.Message + " " + string.Join("; ", host.Errors.Select(e => e.Message)));
                });

                figures.Add(new Figure { Name = "3 flash CPU per MiB " + family, Value = write.Cpu / mib * 1000, Unit = "ms/MiB", Note = $"{mib:0.#} MiB image, best of {runs}" });
                figures.Add(new Figure { Name = "3 flash allocated per MiB " + family, Value = write.Allocated / mib / 1048576.0, Unit = "MiB/MiB", Note = $"best of {runs}" });
                figures.Add(new Figure { Name = "3 backup CPU per MiB " + family, Value = backup.Cpu / mib * 1000, Unit = "ms/MiB", Note = $"{mib:0.#} MiB flash, backup {completeness}, best of {runs}" });
                figures.Add(new Figure { Name = "3 backup allocated per MiB " + family, Value = backup.Allocated / mib / 1048576.0, Unit = "MiB/MiB", Note = $"best of {runs}" });
            }
            return figures;
        }

        /// <summary>Runs work n times (the first one is a warm-up: JIT, caches) and returns the least CPU time and allocation.</summary>
        static (double Cpu, double Allocated) Best(int n, Action work)
        {
            double cpu = double.MaxValue, allocated = double.MaxValue;
            for (int i = 0; i < n; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                long a = GC.GetTotalAllocatedBytes(precise: true);
                double t = CpuClock.ProcessSeconds();
                work();
                double dt = CpuClock.ProcessSeconds() - t;
                long da = GC.GetTotalAllocatedBytes(precise: true) - a;
                if (i == 0) continue;
                cpu = Math.Min(cpu, dt);
                allocated = Math.Min(allocated, da);
            }
            return (cpu, allocated);
        }
    }
}
