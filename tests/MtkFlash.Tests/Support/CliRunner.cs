using System.Collections.Generic;
using System.IO;
using MtkFlash.Cli;
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

    /// <summary>Runs the CLI in-process on a rig's virtual drives and fake clock, the way a user types it.</summary>
    public static class CliRunner
    {
        public static CliRun Run(VirtualRig rig, params string[] args) => Run(rig, null, false, args);

        public static CliRun Run(VirtualRig rig, string stdin, bool interactive, params string[] args) => Run(rig, stdin, interactive, null, args);

        /// <summary>With <paramref name="err"/> as stderr (a terminal's writer, for instance); Err of the result is then empty.</summary>
        public static CliRun Run(VirtualRig rig, string stdin, bool interactive, TextWriter err, params string[] args)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var env = new CliEnvironment
            {
                Out = stdout, Err = err ?? stderr, In = new StringReader(stdin ?? string.Empty), IsInteractive = interactive,
                HomeDirectory = rig.Home, Clock = rig.Clock,
                Platforms = home => new IDrivePlatform[] { new VirtualDrivePlatform(home, rig.Clock) },
            };
            int exit = CliApp.Run(args, env);
            return new CliRun { Exit = exit, Out = stdout.ToString(), Err = stderr.ToString() };
        }
    }
}
