using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using MtkFlash.Bench.Harness;

namespace MtkFlash.Bench
{
    /// <summary>
    /// The benchmark runner behind `bash bench/run.sh [--quick|--full]` (docs/performance.md): finds every
    /// <see cref="IBenchmark"/> in this assembly by reflection, runs them in the order of their numbers, prints a table and
    /// writes bench/results.json.
    ///   dotnet bench/MtkFlash.Bench/bin/Release/net10.0/MtkFlash.Bench.dll [--quick|--full] [--only 1,5] [--out FILE] [--repo DIR]
    /// Exit code: 0, or 1 when a target is badly missed (worse than twice the target: for "&lt;=" value &gt; 2×target,
    /// for "&gt;=" value &lt; target/2) or a benchmark failed with an exception; 2 for a usage error.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            bool quick = true;
            string outPath = null, repo = null, commit = null;
            HashSet<string> only = null;
            for (int i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException(args[i] + " needs a value");
                try
                {
                    switch (args[i])
                    {
                        case "--quick": quick = true; break;
                        case "--full": quick = false; break;
                        case "--out": outPath = Next(); break;
                        case "--repo": repo = Next(); break;
                        case "--commit": commit = Next(); break;
                        case "--only": only = new HashSet<string>(Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); break;
                        default: throw new ArgumentException("unknown argument '" + args[i] + "'");
                    }
                }
                catch (ArgumentException ex)
                {
                    Console.Error.WriteLine("error: " + ex.Message);
                    Console.Error.WriteLine("usage: MtkFlash.Bench [--quick|--full] [--only 1,5] [--out FILE] [--repo DIR] [--commit SHA]");
                    return 2;
                }
            }
            repo = Path.GetFullPath(repo ?? FindRepo());
            commit ??= Git(repo, "rev-parse HEAD") ?? "unknown";
            var mode = quick ? "quick" : "full";

            var benchmarks = Discover().Where(b => only == null || only.Contains(b.Number)).ToList();
            Console.WriteLine($"MtkFlash benchmarks, {mode} mode: {benchmarks.Count} benchmark(s): {string.Join(", ", benchmarks.Select(b => b.Number + " " + b.Title))}");
            var rows = new List<(IBenchmark Bench, Figure Figure)>();
            bool crashed = false;
            var started = CpuClock.WallSeconds();
            foreach (var bench in benchmarks)
            {
                var work = Path.Combine(Path.GetTempPath(), "mtkflash-bench-" + bench.Number + "-" + Guid.NewGuid().ToString("N").Substring(0, 8));
                Directory.CreateDirectory(work);
                var t0 = CpuClock.WallSeconds();
                Console.WriteLine($"== {bench.Number}. {bench.Title}");
                try
                {
                    foreach (var f in bench.Run(new BenchOptions { Quick = quick, WorkFolder = work, RepoRoot = repo }).ToList())
                    {
                        rows.Add((bench, f));
                        Console.WriteLine("   " + Row(f));
                    }
                }
                catch (Exception ex)
                {
                    crashed = true;
                    var f = new Figure { Name = bench.Number + " " + bench.Title, Value = double.NaN, Unit = "", Note = "FAILED: " + ex.GetType().Name + ": " + ex.Message };
                    rows.Add((bench, f));
                    Console.Error.WriteLine("benchmark " + bench.Number + " failed: " + ex);
                }
                finally
                {
                    try { Directory.Delete(work, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
                }
                Console.WriteLine($"   ({CpuClock.WallSeconds() - t0:0.0} s)");
            }

            Console.WriteLine();
            PrintTable(rows.Select(r => r.Figure).ToList());
            var bad = rows.Where(r => Status(r.Figure) == "BAD MISS").ToList();
            var total = CpuClock.WallSeconds() - started;
            Console.WriteLine($"{rows.Count} figures, {rows.Count(r => Status(r.Figure) == "pass")} pass, {rows.Count(r => Status(r.Figure).EndsWith("MISS") || Status(r.Figure) == "miss")} miss ({bad.Count} badly), " +
                              $"{rows.Count(r => double.IsNaN(r.Figure.Value))} not measured; {mode} mode, {total:0} s");

            outPath ??= Path.Combine(repo, "bench", "results.json");
            File.WriteAllText(outPath, ResultsJson(rows.Select(r => r.Figure).ToList(), mode, commit));
            Console.WriteLine("wrote " + outPath);
            if (crashed) Console.Error.WriteLine("error: a benchmark failed (see above)");
            foreach (var b in bad) Console.Error.WriteLine($"error: {b.Figure.Name}: {Fmt(b.Figure.Value)} {b.Figure.Unit} is worse than twice the target {b.Figure.Comparison} {Fmt(b.Figure.Target.Value)}");
            return bad.Count > 0 || crashed ? 1 : 0;
        }

        /// <summary>Every concrete IBenchmark of this assembly, by number ("1", "2", "10" sort numerically).</summary>
        public static List<IBenchmark> Discover() =>
            typeof(Program).Assembly.GetTypes()
                .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface && t.GetConstructor(Type.EmptyTypes) != null)
                .Select(t => (IBenchmark)Activator.CreateInstance(t))
                .OrderBy(b => double.TryParse(b.Number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : double.MaxValue)
                .ThenBy(b => b.Number, StringComparer.Ordinal).ThenBy(b => b.GetType().Name, StringComparer.Ordinal)
                .ToList();

        /// <summary>pass / miss / BAD MISS (worse than twice the target) / "-" without a target / "not measured".</summary>
        public static string Status(Figure f)
        {
            if (double.IsNaN(f.Value)) return "not measured";
            if (f.Target == null || f.Comparison == null) return "-";
            double v = f.Value, t = f.Target.Value;
            switch (f.Comparison)
            {
                case "<=": return v <= t ? "pass" : v > 2 * t ? "BAD MISS" : "miss";
                case ">=": return v >= t ? "pass" : v < t / 2 ? "BAD MISS" : "miss";
                default: throw new InvalidOperationException("figure " + f.Name + ": comparison '" + f.Comparison + "' is neither <= nor >=");
            }
        }

        static string Fmt(double v) =>
            double.IsNaN(v) ? "n/m" :
            Math.Abs(v) >= 1000 ? v.ToString("0", CultureInfo.InvariantCulture) :
            Math.Abs(v) >= 10 ? v.ToString("0.0", CultureInfo.InvariantCulture) :
            v.ToString("0.000", CultureInfo.InvariantCulture);

        static string Row(Figure f) =>
            $"{f.Name}: {Fmt(f.Value)} {f.Unit}" + (f.Target != null ? $" (target {f.Comparison} {Fmt(f.Target.Value)}: {Status(f)})" : "") + (string.IsNullOrEmpty(f.Note) ? "" : " — " + f.Note);

        static void PrintTable(List<Figure> figures)
        {
            int w = Math.Max(6, figures.Select(f => f.Name.Length).DefaultIfEmpty(0).Max());
            Console.WriteLine($"{"figure".PadRight(w)}  {"value",12}  {"unit",-14}  {"target",10}  status");
            Console.WriteLine(new string('-', w + 56));
            foreach (var f in figures)
            {
                var target = f.Target != null ? f.Comparison + " " + Fmt(f.Target.Value) : "";
                Console.WriteLine($"{f.Name.PadRight(w)}  {Fmt(f.Value),12}  {(f.Unit ?? "").PadRight(14)}  {target,10}  {Status(f)}" +
                                  (double.IsNaN(f.Value) && !string.IsNullOrEmpty(f.Note) ? "  (" + f.Note + ")" : ""));
            }
        }

        static string ResultsJson(List<Figure> figures, string mode, string commit)
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartObject();
                w.WriteString("machine", Machine());
                w.WriteString("date", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                w.WriteString("commit", commit);
                w.WriteString("mode", mode);
                w.WriteStartArray("figures");
                foreach (var f in figures)
                {
                    w.WriteStartObject();
                    w.WriteString("name", f.Name);
                    if (double.IsNaN(f.Value) || double.IsInfinity(f.Value)) w.WriteNull("value"); else w.WriteNumber("value", Math.Round(f.Value, 6));
                    w.WriteString("unit", f.Unit);
                    if (f.Target == null) w.WriteNull("target"); else w.WriteNumber("target", f.Target.Value);
                    if (f.Comparison == null) w.WriteNull("comparison"); else w.WriteString("comparison", f.Comparison);
                    w.WriteString("status", Status(f));
                    if (!string.IsNullOrEmpty(f.Note)) w.WriteString("note", f.Note);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
        }

        /// <summary>Host name, CPU model and count, OS: enough to tell two machines' results apart.</summary>
        static string Machine()
        {
            string cpu = null;
            try { cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim(); }
            catch (IOException) { } catch (UnauthorizedAccessException) { }
            return $"{Environment.MachineName}, {Environment.ProcessorCount} CPU(s){(cpu != null ? " " + cpu : "")}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
        }

        static string FindRepo()
        {
            for (var dir = AppContext.BaseDirectory; dir != null; dir = Path.GetDirectoryName(dir))
                if (File.Exists(Path.Combine(dir, "MtkFlash.sln"))) return dir;
            return Directory.GetCurrentDirectory();
        }

        static string Git(string repo, string arguments)
        {
            try
            {
                var psi = new ProcessStartInfo("git", "-C \"" + repo + "\" " + arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                using var p = Process.Start(psi);
                var text = p.StandardOutput.ReadToEnd().Trim();
                p.WaitForExit();
                return p.ExitCode == 0 && text.Length > 0 ? text : null;
            }
            catch (System.ComponentModel.Win32Exception) { return null; }
        }
    }
}
