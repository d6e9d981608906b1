using System;
using System.Collections.Generic;
using System.IO;
using MtkFlash.Cli;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Serialization;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Tests.Support
{
    /// <summary>One in-process `mtkflash` run: exit code, stdout and stderr.</summary>
    public sealed class CliRun
    {
        public int Exit;
        public string Out, Err;
        public List<object> JsonArray => (List<object>)Json.Parse(Out);
        public Dictionary<string, object> JsonObject => Json.ParseObject(Out);
        public override string ToString() => "exit " + Exit + "\n--- stdout\n" + Out + "\n--- stderr\n" + Err;
    }

    /// <summary>
    /// The tests' one way to run the CLI in-process, the way a user types it: stdout and stderr captured, empty stdin, not
    /// interactive, a private home, a clock, and the virtual-drive platform of that home unless the test changes the
    /// environment (<c>adjust</c> runs last: other platforms, a terminal writer, a cancellation token, a buggy platform...).
    /// A test that replaces Out or Err reads its own writer; the run's Out or Err is then empty.
    /// </summary>
    public static class CliRunner
    {
        /// <summary>On a rig's home, fake clock and virtual drives.</summary>
        public static CliRun Run(VirtualRig rig, params string[] args) => Run(rig, (Action<CliEnvironment>)null, args);

        public static CliRun Run(VirtualRig rig, string stdin, bool interactive, params string[] args) => Run(rig, stdin, interactive, null, args);

        /// <summary>With <paramref name="err"/> as stderr (a terminal's writer, for instance); Err of the result is then empty.</summary>
        public static CliRun Run(VirtualRig rig, string stdin, bool interactive, TextWriter err, params string[] args) =>
            Run(rig, env =>
            {
                env.In = new StringReader(stdin ?? string.Empty);
                env.IsInteractive = interactive;
                if (err != null) env.Err = err;
            }, args);

        public static CliRun Run(VirtualRig rig, Action<CliEnvironment> adjust, params string[] args) => Run(rig.Home, rig.Clock, adjust, args);

        /// <summary>In <paramref name="home"/>; a null <paramref name="clock"/> keeps the system clock.</summary>
        public static CliRun Run(string home, IClock clock, Action<CliEnvironment> adjust, params string[] args)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var env = new CliEnvironment { Out = stdout, Err = stderr, In = new StringReader(string.Empty), IsInteractive = false, HomeDirectory = home };
            if (clock != null) env.Clock = clock;
            env.Platforms = h => new IDrivePlatform[] { new VirtualDrivePlatform(h, env.Clock) };
            adjust?.Invoke(env);
            int exit = CliApp.Run(args, env);
            return new CliRun { Exit = exit, Out = stdout.ToString(), Err = stderr.ToString() };
        }

        /// <summary>An adjustment that gives the CLI these platforms only (instead of the virtual drives).</summary>
        public static Action<CliEnvironment> On(params IDrivePlatform[] platforms) => env => env.Platforms = _ => platforms;
    }
}
