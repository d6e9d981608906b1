using System;
using System.CommandLine;
using System.IO;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Serialization;
using MtkFlash.Core.Transports;

namespace MtkFlash.Cli
{
    /// <summary>What every command shares: the environment, the global options, and context creation with tracing.</summary>
    public sealed class CommandServices
    {
        public CommandServices(CliEnvironment env)
        {
            Env = env;
            Trace = new Option<string>("--trace") { Description = "Write every SCSI command exchange to FILE as JSON Lines (for bug reports).", Recursive = true, HelpName = "FILE" };
            Verbose = new Option<bool>("--verbose") { Description = "Print each step.", Recursive = true };
        }

        public CliEnvironment Env { get; }
        public Option<string> Trace { get; }
        public Option<bool> Verbose { get; }

        /// <summary>Runs a command body with a context (and trace file if asked); maps unexpected exceptions to exit 1.</summary>
        public int Run(ParseResult parse, Func<MtkFlashContext, int> body)
        {
            TraceWriter trace = null;
            try
            {
                var tracePath = parse.GetValue(Trace);
                if (!string.IsNullOrEmpty(tracePath)) trace = TraceWriter.ToFile(tracePath);
                return body(Env.CreateContext(trace));
            }
            catch (OperationCanceledException)
            {
                Env.Err.WriteLine("error: stopped by the user.");
                return ExitCodes.Failure;
            }
            catch (IOException ex) when (trace == null && !string.IsNullOrEmpty(parse.GetValue(Trace)))
            {
                Env.Err.WriteLine("error: cannot open the trace file: " + ex.Message);
                return ExitCodes.Usage;
            }
            finally { trace?.Dispose(); }
        }

        public void WriteJson(object value) => Env.Out.WriteLine(Json.Serialize(value, indented: true));
    }
}
