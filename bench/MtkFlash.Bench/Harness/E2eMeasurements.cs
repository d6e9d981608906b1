using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace MtkFlash.Bench.Harness
{
    /// <summary>
    /// Figures measured inside an end-to-end run (fleet, kernel): the e2e script writes NAME.json into
    /// $MTKFLASH_BENCH_OUT (default bench/out). The full mode runs the e2e script itself; the quick mode reads the file
    /// the last e2e run wrote (CI runs the e2e tests before the benchmarks), and says so in each figure's note.
    /// </summary>
    public static class E2eMeasurements
    {
        public static string OutFolder(BenchOptions options) =>
            Environment.GetEnvironmentVariable("MTKFLASH_BENCH_OUT") is string env && env.Length > 0 ? env : Path.Combine(options.RepoRoot, "bench", "out");

        /// <summary>
        /// The measurements: full mode runs the script (bash SCRIPT ARGS with MTKFLASH_BENCH_OUT set) and reads what it wrote;
        /// quick mode reads the last file. Null with a reason when there is none.
        /// </summary>
        public static (JsonElement? Data, string Source) Get(BenchOptions options, string file, string script, IEnumerable<string> args, IDictionary<string, string> env, int timeoutSeconds)
        {
            var folder = OutFolder(options);
            var path = Path.Combine(folder, file);
            if (!options.Quick)
            {
                Directory.CreateDirectory(folder);
                if (File.Exists(path)) File.Delete(path);   // only what this run measures counts
                var all = new Dictionary<string, string>(env ?? new Dictionary<string, string>()) { ["MTKFLASH_BENCH_OUT"] = folder };
                Console.WriteLine($"   running {script} (this takes minutes)");
                var (code, output, seconds) = Processes.Run("bash", new[] { Path.Combine(options.RepoRoot, script) }.Concat(args), all, timeoutSeconds);
                var tail = string.Join(" | ", output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).TakeLast(3));
                if (!File.Exists(path)) return (null, $"{script} (exit {code}, {seconds:0} s) wrote no {file}: {tail}");
                if (code != 0) Console.WriteLine($"   warning: {script} exited {code} ({tail}); its measurements are used all the same");
                return (Load(path), $"measured by {script} in this run ({seconds:0} s)");
            }
            if (!File.Exists(path)) return (null, $"quick mode reads {path}, written by {script} with MTKFLASH_BENCH_OUT set (CI does), and there is none; run --full to measure it");
            var data = Load(path);
            var date = data.TryGetProperty("date", out var d) ? d.GetString() : File.GetLastWriteTimeUtc(path).ToString("yyyy-MM-ddTHH:mm:ssZ");
            return (data, $"from the e2e run of {date} ({path})");
        }

        static JsonElement Load(string path)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.Clone();
        }

        public static double Number(JsonElement data, string name) =>
            data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble()
            : throw new InvalidDataException("the e2e measurements have no number '" + name + "'");

        public static Figure NotMeasured(string name, string unit, string why, double? target = null, string comparison = null) =>
            new Figure { Name = name, Value = double.NaN, Unit = unit, Target = target, Comparison = comparison, Note = "not measured in this run: " + why };
    }
}
