using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace MtkFlash.Bench.Harness
{
    /// <summary>Runs other programs: the built CLI, pwsh, the e2e scripts.</summary>
    public static class Processes
    {
        /// <summary>Runs a program to its end; (exit code, stdout + stderr, wall seconds). Throws on a timeout.</summary>
        public static (int ExitCode, string Output, double Seconds) Run(string file, IEnumerable<string> args, IDictionary<string, string> env = null, int timeoutSeconds = 120, bool echo = false)
        {
            var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
            foreach (var a in args) psi.ArgumentList.Add(a);
            if (env != null) foreach (var kv in env) psi.Environment[kv.Key] = kv.Value;
            var output = new System.Text.StringBuilder();
            void Line(string l) { if (l == null) return; lock (output) output.AppendLine(l); if (echo) Console.WriteLine("   | " + l); }
            double t = CpuClock.WallSeconds();
            using var p = Process.Start(psi);
            p.StandardInput.Close();
            p.OutputDataReceived += (_, e) => Line(e.Data);
            p.ErrorDataReceived += (_, e) => Line(e.Data);
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            if (!p.WaitForExit(timeoutSeconds * 1000))
            {
                try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                throw new TimeoutException(file + " did not finish within " + timeoutSeconds + " s");
            }
            p.WaitForExit();
            double seconds = CpuClock.WallSeconds() - t;
            lock (output) return (p.ExitCode, output.ToString(), seconds);
        }

        /// <summary>The least wall time of n runs (each must exit 0).</summary>
        public static double BestOf(int n, string file, IEnumerable<string> args, IDictionary<string, string> env = null)
        {
            double best = double.MaxValue;
            for (int i = 0; i < n; i++)
            {
                var (code, output, seconds) = Run(file, args, env);
                if (code != 0) throw new InvalidOperationException(file + " " + string.Join(" ", args) + " exited " + code + ": " + output);
                best = Math.Min(best, seconds);
            }
            return best;
        }

        /// <summary>pwsh from PATH or ~/.dotnet/tools (where `dotnet tool install --global PowerShell` puts it); null when absent.</summary>
        public static string FindPwsh()
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
                if (dir.Length > 0 && File.Exists(Path.Combine(dir, "pwsh"))) return Path.Combine(dir, "pwsh");
            var tools = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "pwsh");
            return File.Exists(tools) ? tools : null;
        }
    }
}
