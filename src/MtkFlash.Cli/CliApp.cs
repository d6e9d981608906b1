using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Linq;
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
            root.Subcommands.Add(BenchSgioCommand.Create(s));   // hidden: the benchmark harness (figure 7)
            return root;
        }

        /// <summary>
        /// Parses and runs. Usage errors exit 2 (System.CommandLine's own default is 1). Every exit code comes from
        /// <see cref="ExitCodes"/>. An exception no command expected becomes one UnexpectedError line naming the command and
        /// --trace, exit 1, with the stack trace only under --verbose (or rethrown when <see cref="CliEnvironment.RethrowUnexpected"/>).
        /// </summary>
        public static int Run(string[] args, CliEnvironment env)
        {
            ParseResult parse = null;
            try
            {
                var root = Build(env);
                parse = root.Parse(args);
                if (parse.Errors.Count > 0)
                {
                    foreach (var e in parse.Errors) env.Err.WriteLine("error: " + e.Message);
                    env.Err.WriteLine("Run 'mtkflash " + string.Join(" ", CommandNames(parse)) + (CommandNames(parse).Count > 0 ? " " : string.Empty) + "--help' for usage.");
                    return ExitCodes.ForParseErrors();
                }
                return parse.Invoke(new InvocationConfiguration { Output = env.Out, Error = env.Err, EnableDefaultExceptionHandler = false });
            }
            catch (OperationCanceledException ex)
            {
                env.Err.WriteLine("error: stopped by the user.");
                return ExitCodes.ForException(ex);
            }
            catch (Exception ex) when (!env.RethrowUnexpected)
            {
                var command = "mtkflash" + string.Concat(CommandNames(parse).Select(n => " " + n));
                env.Err.WriteLine("error: " + command + " stopped on an unexpected error: " + ex.GetType().Name + ": " + ex.Message + " [UnexpectedError]");
                env.Err.WriteLine("  what to do: this is a bug in MtkFlash. Run the command again with --trace FILE --verbose and report the output with FILE.");
                if (args.Contains("--verbose")) env.Err.WriteLine(ex.ToString());
                return ExitCodes.ForException(ex);
            }
        }

        /// <summary>The subcommand path of a parse ("virtual", "remove"), without the root.</summary>
        static List<string> CommandNames(ParseResult parse)
        {
            var names = new List<string>();
            for (var r = parse?.CommandResult; r != null && !(r.Command is RootCommand); r = r.Parent as CommandResult) names.Insert(0, r.Command.Name);
            return names;
        }
    }
}
