using System;
using System.CommandLine;
using System.IO;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Operations;
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
            Trace = OptionRules.OutputFile(new Option<string>("--trace") { Description = "Write every SCSI command exchange to FILE as JSON Lines (for bug reports).", Recursive = true, HelpName = "FILE" }, "trace.jsonl");
            Verbose = new Option<bool>("--verbose") { Description = "Print each step.", Recursive = true };
        }

        public CliEnvironment Env { get; }
        public Option<string> Trace { get; }
        public Option<bool> Verbose { get; }

        /// <summary>
        /// Runs a command body with a context (and the trace file if asked). A trace file that cannot be opened is a usage
        /// error before any drive is touched; one that fails later (full disk) is reported as incomplete, never as a drive fault.
        /// </summary>
        /// <param name="usesHome">The command keeps state in MTKFLASH_HOME (virtual drives, backups, history): check it is usable first.</param>
        public int Run(ParseResult parse, Func<MtkFlashContext, int> body, bool usesHome = true)
        {
            if (usesHome && HomeUnusable() is int unusable) return unusable;
            TraceWriter trace = null;
            var tracePath = parse.GetValue(Trace);
            if (!string.IsNullOrEmpty(tracePath))
            {
                try { trace = TraceWriter.ToFile(tracePath); }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException)
                {
                    return Fail(new OperationError("TraceFileUnusable", OperationErrorCategory.InvalidArgument,
                        "--trace: cannot write the trace to '" + tracePath + "': " + Reason(ex), tracePath));
                }
            }
            try
            {
                return body(Env.CreateContext(trace));
            }
            finally
            {
                trace?.Dispose();
                if (trace?.Failure != null)
                    Env.Err.WriteLine("warning: the trace " + tracePath + " is incomplete: writing it failed after " + trace.Written + " record(s): " + Reason(trace.Failure));
            }
        }

        /// <summary>Writes an error and returns the exit code when the MtkFlash home cannot hold state; null when it can.</summary>
        public int? HomeUnusable()
        {
            var problem = HomeProblem(Env.HomeDirectory);
            return problem == null ? (int?)null : Fail(new OperationError("HomeNotAFolder", OperationErrorCategory.InvalidArgument, problem, Env.HomeDirectory));
        }

        /// <summary>MTKFLASH_HOME (or the default home) must be a folder or not exist yet; a file there fails every store operation.</summary>
        static string HomeProblem(string home)
        {
            for (var dir = home; !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
            {
                if (Directory.Exists(dir)) return null;
                if (File.Exists(dir))
                    return "the MtkFlash home '" + home + "' cannot be used: '" + dir + "' is a file, not a folder. Set " + MtkFlashContext.HomeVariable + " to a folder.";
            }
            return null;
        }

        int Fail(OperationError error)
        {
            var host = new ConsoleHost(Env, json: false);
            host.WriteError(error);
            return ExitCodes.From(host);
        }

        /// <summary>An exception's message without .NET's "(Parameter 'x')" tail; access errors in plain words.</summary>
        public static string Reason(Exception ex) =>
            ex is UnauthorizedAccessException ? "access is denied (a read-only or immutable file, or no permission)." :
            ex.Message.Split(new[] { " (Parameter" }, StringSplitOptions.None)[0];

        public void WriteJson(object value) => Env.Out.WriteLine(Json.Serialize(value, indented: true));
    }
}
