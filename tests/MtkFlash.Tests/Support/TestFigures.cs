using System;
using System.IO;

namespace MtkFlash.Tests.Support
{
    /// <summary>
    /// Figures tests measure (power-loss scenarios, fuzz counts) are printed to the test output and, when the
    /// MTKFLASH_TEST_FIGURES variable names a file (.ci/run sets it), appended there so CI prints them after the run.
    /// </summary>
    public static class TestFigures
    {
        static readonly object Gate = new object();

        public static void Record(Xunit.Abstractions.ITestOutputHelper output, string line)
        {
            output?.WriteLine(line);
            var file = Environment.GetEnvironmentVariable("MTKFLASH_TEST_FIGURES");
            if (string.IsNullOrEmpty(file)) return;
            lock (Gate) File.AppendAllText(file, line + Environment.NewLine);
        }
    }
}
