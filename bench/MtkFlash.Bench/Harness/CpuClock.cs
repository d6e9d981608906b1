using System;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MtkFlash.Bench.Harness
{
    /// <summary>
    /// Clocks for the benchmarks. These machines are shared with other work, so ratios are taken from CPU time where
    /// that is meaningful: another process's load barely changes the CPU time this process needs for the same work,
    /// while it can double the wall time.
    /// </summary>
    public static class CpuClock
    {
        [StructLayout(LayoutKind.Sequential)]
        struct TimeSpec { public long Seconds; public long Nanoseconds; }

        [DllImport("libc", EntryPoint = "clock_gettime")]
        static extern int ClockGetTime(int clock, out TimeSpec time);

        const int ClockProcessCpuTime = 2; // CLOCK_PROCESS_CPUTIME_ID (Linux): every thread of this process, GC included
        static readonly Stopwatch Wall = Stopwatch.StartNew();
        static readonly bool Linux = RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

        /// <summary>CPU seconds used by this process (all threads); on other systems the processor time .NET reports.</summary>
        public static double ProcessSeconds()
        {
            if (Linux && ClockGetTime(ClockProcessCpuTime, out var t) == 0) return t.Seconds + t.Nanoseconds / 1e9;
            return Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        }

        public static double WallSeconds() => Wall.Elapsed.TotalSeconds;
    }
}
