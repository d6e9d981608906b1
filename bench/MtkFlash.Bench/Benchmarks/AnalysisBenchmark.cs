using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using MtkFlash.Bench.Harness;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Firmware.Formats;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Firmware;

namespace MtkFlash.Bench.Benchmarks
{
    /// <summary>
    /// Figure 1: firmware analysis throughput against plain SHA-256 over the same files in the same run. A folder of at
    /// least 200 synthetic images: raw images of every family (the virtual drives' own image builder, every profile),
    /// Intel HEX files, and XFlash flasher EXEs of every method (bare and inside a Windows PE), from the test suite's
    /// builders. Both sides read each file from disk (page cache) and touch every byte once. Rounds alternate (SHA-256
    /// pass, analysis pass) so both see the same machine load; each file is timed on its own, and for the overall figure
    /// and each kind the best round counts. Times are this process's CPU time, which other work on a shared machine
    /// disturbs far less than the wall clock (the wall-clock ratio is given in the note).
    /// </summary>
    public sealed class AnalysisBenchmark : IBenchmark
    {
        public string Number => "1";
        public string Title => "Image analysis throughput against plain SHA-256";

        public IEnumerable<Figure> Run(BenchOptions options)
        {
            var folder = Path.Combine(options.WorkFolder, "images");
            var files = Generate(folder);                      // (path, kind)
            int rounds = options.Quick ? 3 : 9;
            long bytes = files.Sum(f => new FileInfo(f.Path).Length);
            Console.WriteLine($"   {files.Count} files, {bytes / 1048576.0:0} MiB, {rounds} rounds; clock: process CPU time");

            // Warm up (JIT, page cache) and check the analyser did its work: flashers extracted, raw files hashed like SHA-256.
            foreach (var (f, kind) in files)
            {
                var r = FirmwareAnalyzer.AnalyzeFile(f);
                if (kind.StartsWith("exe", StringComparison.Ordinal) && !r.IsValid)
                    throw new InvalidOperationException("flasher not extracted: " + f + ": " + string.Join("; ", r.Problems));
                if (r.Format == FirmwareFormat.Raw && r.Sha256 != null && r.Sha256 != Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))).ToLowerInvariant())
                    throw new InvalidOperationException("sha256 differs for " + f);
            }

            var kinds = files.Select(f => f.Kind).Distinct().ToList();
            var bestSha = kinds.ToDictionary(k => k, _ => double.MaxValue);
            var bestAnalysis = kinds.ToDictionary(k => k, _ => double.MaxValue);
            double overallSha = double.MaxValue, overallAnalysis = double.MaxValue, wallSha = double.MaxValue, wallAnalysis = double.MaxValue;
            for (int round = 0; round < rounds; round++)
            {
                var sha = kinds.ToDictionary(k => k, _ => 0.0);
                var analysis = kinds.ToDictionary(k => k, _ => 0.0);
                double w = CpuClock.WallSeconds();
                foreach (var (f, kind) in files)
                {
                    double t = CpuClock.ProcessSeconds();
                    SHA256.HashData(File.ReadAllBytes(f));
                    sha[kind] += CpuClock.ProcessSeconds() - t;
                }
                wallSha = Math.Min(wallSha, CpuClock.WallSeconds() - w);
                w = CpuClock.WallSeconds();
                foreach (var (f, kind) in files)
                {
                    double t = CpuClock.ProcessSeconds();
                    FirmwareAnalyzer.AnalyzeFile(f);
                    analysis[kind] += CpuClock.ProcessSeconds() - t;
                }
                wallAnalysis = Math.Min(wallAnalysis, CpuClock.WallSeconds() - w);
                foreach (var k in kinds)
                {
                    bestSha[k] = Math.Min(bestSha[k], sha[k]);
                    bestAnalysis[k] = Math.Min(bestAnalysis[k], analysis[k]);
                }
                overallSha = Math.Min(overallSha, sha.Values.Sum());
                overallAnalysis = Math.Min(overallAnalysis, analysis.Values.Sum());
            }

            double mib = bytes / 1048576.0;
            yield return new Figure
            {
                Name = "1 analysis/SHA-256 overall", Value = overallSha / overallAnalysis, Unit = "ratio", Target = 0.9, Comparison = ">=",
                Note = $"{files.Count} files, {mib:0} MiB; analysis {mib / overallAnalysis:0} MiB/s, SHA-256 {mib / overallSha:0} MiB/s (CPU); wall-clock ratio {wallSha / wallAnalysis:0.00}",
            };
            foreach (var k in kinds)
            {
                var group = files.Where(f => f.Kind == k).ToList();
                double groupMib = group.Sum(f => new FileInfo(f.Path).Length) / 1048576.0;
                yield return new Figure
                {
                    Name = "1 analysis/SHA-256 " + k, Value = bestSha[k] / bestAnalysis[k], Unit = "ratio", Target = 0.8, Comparison = ">=",
                    Note = $"{group.Count} files, {groupMib:0} MiB, analysis {groupMib / bestAnalysis[k]:0} MiB/s",
                };
            }
        }

        /// <summary>The image folder: (file, kind), kind = the family of a raw image, "hex" or "exe".</summary>
        static List<(string Path, string Kind)> Generate(string dir)
        {
            Directory.CreateDirectory(dir);
            var files = new List<(string, string)>();
            void Add(string name, string kind, byte[] data)
            {
                var path = Path.Combine(dir, name);
                File.WriteAllBytes(path, data);
                files.Add((path, kind));
            }
            // Raw images: every virtual-drive profile (so every family, Spc and LiteOn 8051 included), 30 per family.
            foreach (var family in VirtualProfiles.All.GroupBy(p => p.Family))
            {
                var profiles = family.ToList();
                for (int i = 0; i < 30; i++)
                {
                    var p = profiles[i % profiles.Count];
                    Add($"{p.Name}-{i:00}.bin", family.Key.ToString().ToLowerInvariant(), SyntheticImages.Build(p, "B" + i.ToString("000")));
                }
            }
            // Intel HEX: the 1 MiB 8051 families' images (BTC with its bank switch records, the others with type-04 records).
            var banked = VirtualProfiles.All.Where(p => p.FlashSize == 0x100000).ToList();
            for (int i = 0; i < 20; i++)
            {
                var p = banked[i % banked.Count];
                var hex = TestImages.Hex(SyntheticImages.Build(p, "H" + i.ToString("000")), bankSwitch: p.Family == Core.Drives.DriveFamily.Btc);
                Add($"{p.Name}-{i:00}.hex", "hex", Encoding.ASCII.GetBytes(hex));
            }
            // XFlash flashers of every method, bare and wrapped in a Windows PE, two 1 MiB images each.
            foreach (var (name, exe) in Flashers())
            {
                Add(name + ".exe", "exe", exe);
                Add(name + "-pe.exe", "exe", TestPe.Build(exe));
            }
            return files;
        }

        /// <summary>XFlash flashers of every method, two 1 MiB images each, from the test suite's builders.</summary>
        static IEnumerable<(string Name, byte[] Exe)> Flashers()
        {
            for (int n = 0; n < 2; n++)
            {
                byte[][] Random2() => new[] { TestImages.LiteOn(revision: "US0N", seed: 10 * n + 1), TestImages.LiteOn(revision: "US0Q", seed: 10 * n + 2) };
                byte[][] Code2() => new[] { TestFlashers.CodeLike("US0N", 0x100000, 10 * n + 3), TestFlashers.CodeLike("US0Q", 0x100000, 10 * n + 4) };
                var revs = new[] { "US0N", "US0Q" };
                yield return ($"xf_plain-{n}", TestFlashers.Build(new FlasherSpec { Images = Random2(), Revisions = revs, Seed = n }));
                yield return ($"xf_1a-{n}", TestFlashers.Build(new FlasherSpec { Images = Random2(), Revisions = revs, Version = "2.0.5", Method = 1, Seed = n }));
                yield return ($"xf_1b-{n}", TestFlashers.Build(new FlasherSpec { Images = Random2(), Revisions = revs, Version = "2.1.0", Method = 1, SkipPre = 0x400, SkipLen = 0x1000, Seed = n }));
                yield return ($"xf_2-{n}", TestFlashers.Build(new FlasherSpec { Images = Random2(), Revisions = revs, Version = "2.1.0", Method = 2, Seed = n }));
                yield return ($"xf_3-{n}", TestFlashers.Build(new FlasherSpec { Images = Code2(), Revisions = revs, Version = "2.1.0", Method = 3, Seed = n }));
            }
        }
    }
}
