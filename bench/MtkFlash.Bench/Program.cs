using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using MtkFlash.Core.Firmware;
using MtkFlash.Tests.Firmware;

namespace MtkFlash.Bench
{
    /// <summary>
    /// Firmware analysis throughput against plain SHA-256 over the same files in the same run (goal: ≥ 0.8).
    /// Both sides read each file from disk (page cache) and touch every byte once; rounds alternate so both see the same
    /// machine load, and the best round of each counts.
    ///   dotnet run -c Release --project bench/MtkFlash.Bench -- [folder] [--rounds N] [--cpu]
    /// --cpu times with the thread's CPU time (Linux), which a machine busy with other work disturbs far less.
    /// Without a folder it writes a mixed set of synthetic images (MT1959, TSST, BTC, LiteOn) to a temp folder first.
    /// </summary>
    public static class Program
    {
        /// <summary>--cpu: time with this thread's CPU time instead of the wall clock, for machines shared with other work.</summary>
        static bool cpuClock;
        static readonly Stopwatch Wall = Stopwatch.StartNew();

        [StructLayout(LayoutKind.Sequential)]
        struct TimeSpec { public long Seconds; public long Nanoseconds; }

        [DllImport("libc", EntryPoint = "clock_gettime")]
        static extern int ClockGetTime(int clock, out TimeSpec time);

        const int ClockThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID (Linux)

        static double Now()
        {
            if (!cpuClock) return Wall.Elapsed.TotalSeconds;
            if (ClockGetTime(ClockThreadCpuTime, out var t) != 0) throw new InvalidOperationException("clock_gettime failed");
            return t.Seconds + t.Nanoseconds / 1e9;
        }

        public static int Main(string[] args)
        {
            int rounds = 15;
            string folder = null;
            for (int i = 0; i < args.Length; i++)
            {
                if (args[i] == "--rounds" && i + 1 < args.Length) rounds = int.Parse(args[++i]);
                else if (args[i] == "--cpu") cpuClock = true;
                else folder = args[i];
            }
            bool generated = folder == null;
            if (generated) folder = Generate();
            var files = Directory.GetFiles(folder).OrderBy(f => f, StringComparer.Ordinal).ToArray();
            if (files.Length == 0) { Console.Error.WriteLine("no files in " + folder); return 2; }
            long bytes = files.Sum(f => new FileInfo(f).Length);
            Console.WriteLine($"{files.Length} files, {bytes / 1048576.0:0.0} MiB in {folder}; clock: " + (cpuClock ? "this thread's CPU time" : "wall time"));

            // Warm up (JIT, page cache) and check the analyser agrees with plain SHA-256 on raw files.
            foreach (var f in files)
            {
                var r = FirmwareAnalyzer.AnalyzeFile(f);
                if (Path.GetFileName(f).StartsWith("xf_", StringComparison.Ordinal) && !r.IsValid)
                    throw new InvalidOperationException("flasher not extracted: " + f + ": " + string.Join("; ", r.Problems));
                if (r.Format == FirmwareFormat.Raw && r.Sha256 != null && r.Sha256 != Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))).ToLowerInvariant())
                    throw new InvalidOperationException("sha256 differs for " + f);
            }

            double bestSha = double.MaxValue, bestAnalysis = double.MaxValue;
            int valid = 0;
            for (int round = 0; round < rounds; round++)
            {
                double t = Now();
                foreach (var f in files) SHA256.HashData(File.ReadAllBytes(f));
                bestSha = Math.Min(bestSha, Now() - t);

                t = Now();
                valid = 0;
                foreach (var f in files) if (FirmwareAnalyzer.AnalyzeFile(f).IsValid) valid++;
                bestAnalysis = Math.Min(bestAnalysis, Now() - t);
            }
            double mb = bytes / 1048576.0;
            Console.WriteLine($"plain SHA-256: {mb / bestSha,8:0.0} MiB/s");
            Console.WriteLine($"analysis:      {mb / bestAnalysis,8:0.0} MiB/s  ({valid}/{files.Length} valid)");
            Console.WriteLine($"ratio:         {bestSha / bestAnalysis:0.00} (goal >= 0.80)");
            // Per group of files (name up to the first '-' or '.'), to see which family costs what; all flashers together last.
            var groups = files.GroupBy(f => Path.GetFileName(f).StartsWith("xf_pe_", StringComparison.Ordinal) ? "xf_pe" : Path.GetFileName(f).Split('-', '.')[0]).Select(g => (Key: g.Key, Files: g.ToArray())).ToList();
            var flashers = files.Where(f => Path.GetFileName(f).StartsWith("xf_", StringComparison.Ordinal)).ToArray();
            if (flashers.Length > 0) groups.Add(("flashers", flashers));
            foreach (var group in groups)
            {
                var g = group.Files;
                double gs = double.MaxValue, ga = double.MaxValue;
                for (int round = 0; round < rounds; round++)
                {
                    double t = Now();
                    foreach (var f in g) SHA256.HashData(File.ReadAllBytes(f));
                    gs = Math.Min(gs, Now() - t);
                    t = Now();
                    foreach (var f in g) FirmwareAnalyzer.AnalyzeFile(f);
                    ga = Math.Min(ga, Now() - t);
                }
                Console.WriteLine($"  {group.Key,-12} {g.Length,3} files  ratio {gs / ga:0.00}  ({g.Sum(f => new FileInfo(f).Length) / 1048576.0 / ga:0.0} MiB/s)");
            }
            if (generated) Directory.Delete(folder, true);
            return 0;
        }

        /// <summary>Synthetic images after the documented layouts (drive-protocols.md §2.1–§3.3, mt1959-notes.md §1.2).</summary>
        static string Generate()
        {
            var dir = Path.Combine(Path.GetTempPath(), "mtkflash-bench-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(dir);
            var rng = new Random(42);
            for (int i = 0; i < 6; i++) File.WriteAllBytes(Path.Combine(dir, $"mt1959-{i}.bin"), Mt1959(rng));
            for (int i = 0; i < 4; i++) File.WriteAllBytes(Path.Combine(dir, $"tsst-{i}.bin"), Tsst(rng));
            for (int i = 0; i < 6; i++) File.WriteAllBytes(Path.Combine(dir, $"btc-{i}.bin"), Btc(rng));
            for (int i = 0; i < 8; i++) File.WriteAllBytes(Path.Combine(dir, $"liteon-{i}.bin"), LiteOn(rng, i % 2 == 0 ? 0x100000 : 0x80000));
            for (int i = 0; i < 4; i++) File.WriteAllBytes(Path.Combine(dir, $"plextor-{i}.bin"), i % 2 == 0
                ? TestImages.Plextor(seed: 700 + i) : TestImages.Plextor(product: "BD-R   PX-760A", size: 0x200000, crcOffset: 0x1EFFFE, seed: 700 + i));
            // Intel HEX (BTC bank switches and type 04 records), from the test suite's writer.
            for (int i = 0; i < 3; i++) File.WriteAllText(Path.Combine(dir, $"hex_btc-{i}.hex"), TestImages.Hex(TestImages.Btc(seed: 900 + i)));
            for (int i = 0; i < 3; i++) File.WriteAllText(Path.Combine(dir, $"hex_liteon-{i}.hex"), TestImages.Hex(TestImages.LiteOn(size: 0x80000, seed: 910 + i), bankSwitch: false));
            foreach (var (name, exe) in Flashers()) File.WriteAllBytes(Path.Combine(dir, name + ".exe"), exe);
            // Flashers inside a real PE (as vendors ship them), from the test suite's PE writer.
            foreach (var (name, exe) in Flashers().Where(f => f.Name.EndsWith("-0", StringComparison.Ordinal)))
                File.WriteAllBytes(Path.Combine(dir, "xf_pe_" + name.Substring(3) + ".exe"), TestPe.Build(exe));
            return dir;
        }

        /// <summary>XFlash flashers of every method, two 1 MiB images each (file names "xf_METHOD-n"), from the test suite's builders.</summary>
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
                yield return ($"xf_paraopt-{n}", TestFlashers.Build(new FlasherSpec { Images = Random2(), Revisions = revs, Version = "2.2.0", Method = 2, CountKey = "PARA_OPT", CountText = "1", Seed = n }));
            }
        }

        static byte[] Random(Random rng, int size) { var d = new byte[size]; rng.NextBytes(d); return d; }
        static void Put(byte[] d, int at, string s, int width) => Encoding.ASCII.GetBytes(s.PadRight(width).Substring(0, width)).CopyTo(d, at);

        static byte[] Mt1959(Random rng)
        {
            var d = Random(rng, 0x200000);
            Put(d, 0x3000, "MT1959 Boot JB8 ", 16);
            Array.Fill(d, (byte)0xFF, 0x10400, 16 * 28);
            Array.Fill(d, (byte)0xFF, 0x1D8000, 0x28000);
            Array.Fill(d, (byte)0x00, 0x1EC000, 0x100);
            Put(d, 0x1EC000, "HL-DT-ST", 8); Put(d, 0x1EC008, "BD-RE BH16NS40", 16); Put(d, 0x1EC018, "1.05", 4);
            Put(d, 0x1EC034, "MTEKMT1959", 10);
            d[0x1EC056] = 0xDE;
            return d;
        }

        static byte[] Tsst(Random rng)
        {
            var d = Random(rng, 0x200000);
            Array.Fill(d, (byte)0xFF, 0x1E2000, 0x1E000);
            Put(d, 0x1FFFD0, "TSSTcorp", 8); Put(d, 0x1FFFD8, "BDDVDW SE-506CB", 16); Put(d, 0x1FFFE8, "TS01", 4);
            int sum = 0;
            for (int i = 0x10000; i < 0x1E2000; i++) sum += d[i];
            d[0x1FFFFE] = (byte)(sum >> 8); d[0x1FFFFF] = (byte)sum;
            return d;
        }

        static byte[] Btc(Random rng)
        {
            var d = Random(rng, 0x100000);
            for (int b = 0; b < 16; b++) d[b * 0x10000] = 0x02;
            Put(d, 0x40BC, "BTC", 8); Put(d, 0x40C4, "DVDRW DRW1008", 16); Put(d, 0x40D4, "0059", 4);
            return d;
        }

        static byte[] LiteOn(Random rng, int size)
        {
            var d = Random(rng, size);
            for (int b = 0; b < size / 0x10000; b++) d[b * 0x10000] = 0x02;
            new byte[] { 0x05, 0x80, 0x00, 0x32, 0x5B, 0, 0, 0 }.CopyTo(d, 0x4100);
            Put(d, 0x4108, "LITE-ON", 8); Put(d, 0x4110, "DVDRW SOHW-812S", 16); Put(d, 0x4120, "US0N", 4); Put(d, 0x4124, "2004/06/15", 16);
            var ata = Encoding.ASCII.GetBytes("US0N    LITE-ON DVDRW SOHW-812S ");
            for (int i = 0; i < ata.Length; i += 2) { d[0x8000 + i] = ata[i + 1]; d[0x8000 + i + 1] = ata[i]; }
            return d;
        }
    }
}
