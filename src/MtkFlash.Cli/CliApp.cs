using System.CommandLine;
using MtkFlash.Cli.Commands;

namespace MtkFlash.Cli
{
    /// <summary>Builds the command tree. Each command lives in Commands/ and only binds options and renders results.</summary>
    public static class CliApp
    {
        public static RootCommand Build(CliEnvironment env)
        {
            var s = new CommandServices(env);
            var root = new RootCommand("mtkflash: inventory, back up, check and safely flash optical-drive firmware (MediaTek and friends).");
            root.Options.Add(s.Trace);
            root.Options.Add(s.Verbose);
            root.Subcommands.Add(DemoCommand.Create(s));
            root.Subcommands.Add(ListCommand.Create(s));
            root.Subcommands.Add(BackupCommand.Create(s));
            root.Subcommands.Add(WriteCommand.Create(s));
            root.Subcommands.Add(TestCommand.Create(s));
            root.Subcommands.Add(ExtractCommand.Create(s));
            root.Subcommands.Add(VirtualCommand.Create(s));
            root.Subcommands.Add(HistoryCommand.Create(s));
            return root;
        }

        /// <summary>Parses and runs. Usage errors exit 2 (System.CommandLine's own default is 1).</summary>
        public static int Run(string[] args, CliEnvironment env)
        {
            var root = Build(env);
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var e in parse.Errors) env.Err.WriteLine("error: " + e.Message);
                env.Err.WriteLine("Run 'mtkflash --help' for usage.");
                return ExitCodes.Usage;
            }
            return parse.Invoke(new InvocationConfiguration { Output = env.Out, Error = env.Err });
        }
    }
}
