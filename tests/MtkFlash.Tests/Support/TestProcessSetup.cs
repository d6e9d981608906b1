using System;
using System.Runtime.CompilerServices;
using MtkFlash.Cli;

namespace MtkFlash.Tests.Support
{
    /// <summary>
    /// Runs once when the test assembly loads: every in-process CLI run rethrows what the top-level guard would turn into
    /// an UnexpectedError line, so a bug fails its test instead of hiding behind the guard. The guard's own tests turn it off.
    /// </summary>
    static class TestProcessSetup
    {
        [ModuleInitializer]
        internal static void Init() => Environment.SetEnvironmentVariable(CliEnvironment.RethrowVariable, "1");
    }
}
