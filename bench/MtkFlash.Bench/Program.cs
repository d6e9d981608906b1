using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using MtkFlash.Core.Firmware;

namespace MtkFlash.Bench
{
    /// <summary>
    /// Firmware analysis throughput against plain SHA-256 over the same files in the same run (goal: ≥ 0.8).
    /// Both sides read each file from disk (page cache) and touch every byte once; rounds alternate so both see the same
    /// machine load, and the best round of each counts.
    ///   dotnet run -c Release --project bench/MtkFlash.Bench -- [folder] [--rounds N]
    /// Without a folder it writes a mixed set of synthetic images (MT1959, TSST, BTC, LiteOn) to a temp folder first.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            int rounds = 15;
            string folder = null;
            for (int i = 0; i < args.Length; i++)
            {
                if (args[i] == "--rounds" && i + 1 < args.Length) rounds = int.Parse(args[++i]);
                else folder = args[i];
            }
            bool generated = folder == null;
            if (generated) folder = Generate();
            var files = Directory.GetFiles(folder).OrderBy(f => f, StringComparer.Ordinal).ToArray();
            if (files.Length == 0) { Console.Error.WriteLine("no files in " + folder); return 2; }
            long bytes = files.Sum(f => new FileInfo(f).Length);
            Console.WriteLine($"{files.Length} files, {bytes / 1048576.0:0.0} MiB in {folder}");

            // Warm up (JIT, page cache) and check the analyser agrees with plain SHA-256 on raw files.
            foreach (var f in files)
            {
                var r = FirmwareAnalyzer.AnalyzeFile(f);
                if (r.Format == FirmwareFormat.Raw && r.Sha256 != null && r.Sha256 != Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))).ToLowerInvariant())
                    throw new InvalidOperationException("sha256 differs for " + f);
            }

            double bestSha = double.MaxValue, bestAnalysis = double.MaxValue;
            int valid = 0;
            for (int round = 0; round < rounds; round++)
            {
                var sw = Stopwatch.StartNew();
                foreach (var f in files) SHA256.HashData(File.ReadAllBytes(f));
                bestSha = Math.Min(bestSha, sw.Elapsed.TotalSeconds);

                sw.Restart();
                valid = 0;
                foreach (var f in files) if (FirmwareAnalyzer.AnalyzeFile(f).IsValid) valid++;
                bestAnalysis = Math.Min(bestAnalysis, sw.Elapsed.TotalSeconds);
            }
            double mb = bytes / 1048576.0;
            Console.WriteLine($"plain SHA-256: {mb / bestSha,8:0.0} MiB/s");
            Console.WriteLine($"analysis:      {mb / bestAnalysis,8:0.0} MiB/s  ({valid}/{files.Length} valid)");
            Console.WriteLine($"ratio:         {bestSha / bestAnalysis:0.00} (goal >= 0.80)");
            // Per group of files (name up to the first '-' or '.'), to see which family costs what.
            foreach (var group in files.GroupBy(f => Path.GetFileName(f).Split('-', '.')[0]))
            {
                var g = group.ToArray();
                double gs = double.MaxValue, ga = double.MaxValue;
                for (int round = 0; round < rounds; round++)
                {
                    var sw = Stopwatch.StartNew();
                    foreach (var f in g) SHA256.HashData(File.ReadAllBytes(f));
                    gs = Math.Min(gs, sw.Elapsed.TotalSeconds);
                    sw.Restart();
                    foreach (var f in g) FirmwareAnalyzer.AnalyzeFile(f);
                    ga = Math.Min(ga, sw.Elapsed.TotalSeconds);
                }
                Console.WriteLine($"  {group.Key,-12} {g.Length,3} files  ratio {gs / ga:0.00}");
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
            return dir;
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
