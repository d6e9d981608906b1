using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MtkFlash.Bench.Harness;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Bench.Benchmarks
{
    /// <summary>
    /// Figure 5: inventory. GetDrivesOperation (the core of Get-OpticalDrive and `mtkflash list`) over 8 and over 64
    /// virtual drives of every profile, on the virtual clock: the time per drive at 64 against the time per drive at 8
    /// (target ≤ 1.1: listing scales linearly), as CPU time, best of N alternating runs. Then, without targets: the built
    /// CLI's `list` (an empty home, so no drive) and `--version` as new processes (process start to exit, best of N), and
    /// the module's import time (Import-Module timed inside a new pwsh -NoProfile).
    /// </summary>
    public sealed class InventoryBenchmark : IBenchmark
    {
        public string Number => "5";
        public string Title => "Inventory: 8 and 64 virtual drives, CLI start, module import";

        public IEnumerable<Figure> Run(BenchOptions options)
        {
            int runs = options.Quick ? 5 : 15;
            var small = Fill(new VirtualBench(Path.Combine(options.WorkFolder, "home8")), 8);
            var large = Fill(new VirtualBench(Path.Combine(options.WorkFolder, "home64")), 64);
            List(small, 8); List(large, 64);   // warm-up
            double best8 = double.MaxValue, best64 = double.MaxValue, wall8 = double.MaxValue, wall64 = double.MaxValue;
            for (int i = 0; i < runs; i++)
            {
                var (c8, w8) = List(small, 8);
                var (c64, w64) = List(large, 64);
                best8 = Math.Min(best8, c8); best64 = Math.Min(best64, c64);
                wall8 = Math.Min(wall8, w8); wall64 = Math.Min(wall64, w64);
            }
            yield return new Figure
            {
                Name = "5 inventory per-drive time 64/8", Value = (best64 / 64) / (best8 / 8), Unit = "ratio", Target = 1.1, Comparison = "<=",
                Note = $"CPU per drive {best8 / 8 * 1000:0.00} ms at 8, {best64 / 64 * 1000:0.00} ms at 64 (wall {wall8 / 8 * 1000:0.00} / {wall64 / 64 * 1000:0.00} ms), best of {runs}",
            };
            yield return new Figure { Name = "5 inventory per drive (64 drives)", Value = best64 / 64 * 1000, Unit = "ms CPU", Note = "virtual drives on the virtual clock" };

            int starts = options.Quick ? 3 : 10;
            var cli = Path.Combine(options.RepoRoot, "src", "MtkFlash.Cli", "bin", "Release", "net10.0", "mtkflash");
            var emptyHome = Path.Combine(options.WorkFolder, "empty-home");
            Directory.CreateDirectory(emptyHome);
            var env = new Dictionary<string, string> { ["MTKFLASH_HOME"] = emptyHome };
            if (!File.Exists(cli))
            {
                yield return NotMeasured("5 CLI list (new process)", "s", "the CLI is not built: " + cli);
                yield return NotMeasured("5 CLI --version (new process)", "s", "the CLI is not built: " + cli);
            }
            else
            {
                yield return new Figure { Name = "5 CLI list (new process)", Value = Processes.BestOf(starts, cli, new[] { "list" }, env), Unit = "s", Note = $"wall, best of {starts}, no drives" };
                yield return new Figure { Name = "5 CLI --version (new process)", Value = Processes.BestOf(starts, cli, new[] { "--version" }, env), Unit = "s", Note = $"wall, best of {starts}" };
            }

            var pwsh = Processes.FindPwsh();
            var module = Module(options);
            if (pwsh == null) yield return NotMeasured("5 module import", "s", "pwsh is not installed (PATH, ~/.dotnet/tools)");
            else if (module == null) yield return NotMeasured("5 module import", "s", "no built module (out/MtkFlash or src/MtkFlash.PowerShell/bin/Release)");
            else
            {
                // Timed inside each new pwsh process, around the Import-Module alone: pwsh's own start (1-3 s here, and noisy)
                // would drown a difference of two process times.
                double best = double.MaxValue;
                var script = "$w = [Diagnostics.Stopwatch]::StartNew(); Import-Module '" + module.Replace("'", "''") + "' -ErrorAction Stop; " +
                             "[Console]::Out.WriteLine('IMPORT ' + $w.Elapsed.TotalSeconds.ToString([Globalization.CultureInfo]::InvariantCulture))";
                for (int i = 0; i < starts; i++)
                {
                    var (code, output, _) = Processes.Run(pwsh, new[] { "-NoProfile", "-NonInteractive", "-Command", script }, env);
                    var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("IMPORT ", StringComparison.Ordinal));
                    if (code != 0 || line == null) throw new InvalidOperationException("Import-Module " + module + " failed (exit " + code + "): " + output);
                    best = Math.Min(best, double.Parse(line.Substring(7).Trim(), System.Globalization.CultureInfo.InvariantCulture));
                }
                yield return new Figure { Name = "5 module import", Value = best, Unit = "s", Note = $"Import-Module in a new pwsh -NoProfile, timed around the import, best of {starts}; module {module}" };
            }
        }

        static Figure NotMeasured(string name, string unit, string why) => new Figure { Name = name, Value = double.NaN, Unit = unit, Note = "not measured: " + why };

        static VirtualBench Fill(VirtualBench bench, int count)
        {
            for (int i = 0; i < count; i++) bench.NewDrive("inv" + i.ToString("00"), VirtualProfiles.All[i % VirtualProfiles.All.Count].Name);
            return bench;
        }

        static (double Cpu, double Wall) List(VirtualBench bench, int expected)
        {
            var host = new BenchHost();
            double c = CpuClock.ProcessSeconds(), w = CpuClock.WallSeconds();
            var drives = new GetDrivesOperation(bench.Context).Run(host);
            var result = (CpuClock.ProcessSeconds() - c, CpuClock.WallSeconds() - w);
            if (drives.Count != expected || host.Errors.Count > 0)
                throw new InvalidOperationException($"inventory listed {drives.Count} drives, expected {expected}: " + string.Join("; ", host.Errors.Select(e => e.Message)));
            return result;
        }

        /// <summary>The laid-out module (build.ps1's out/MtkFlash), or one laid out here from the Release build of the module project.</summary>
        static string Module(BenchOptions options)
        {
            var laidOut = Path.Combine(options.RepoRoot, "out", "MtkFlash", "MtkFlash.psd1");
            var bin = Path.Combine(options.RepoRoot, "src", "MtkFlash.PowerShell", "bin", "Release", "netstandard2.0");
            var dll = Path.Combine(bin, "MtkFlash.PowerShell.dll");
            if (File.Exists(laidOut) && (!File.Exists(dll) || File.GetLastWriteTimeUtc(laidOut.Replace("MtkFlash.psd1", "MtkFlash.PowerShell.dll")) >= File.GetLastWriteTimeUtc(dll)))
                return laidOut;
            if (!File.Exists(dll)) return null;
            // The same files build.ps1 lays out (help excluded: it is loaded on demand, not at import).
            var dir = Path.Combine(options.WorkFolder, "module", "MtkFlash");
            Directory.CreateDirectory(dir);
            foreach (var f in new[] { Path.Combine(bin, "MtkFlash.PowerShell.dll"), Path.Combine(bin, "MtkFlash.Core.dll"), Path.Combine(options.RepoRoot, "MtkFlash.psd1"),
                                      Path.Combine(options.RepoRoot, "src", "MtkFlash.PowerShell", "MtkFlash.format.ps1xml") })
                File.Copy(f, Path.Combine(dir, Path.GetFileName(f)), true);
            return Path.Combine(dir, "MtkFlash.psd1");
        }
    }
}
