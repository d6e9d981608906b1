using System;
using System.Collections.Generic;
using System.Threading;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Serialization;

namespace MtkFlash.Cli
{
    /// <summary>
    /// The CLI's operation host: objects are collected for the command to render; errors, warnings and progress go to
    /// stderr so stdout stays machine-readable. Under --json, errors are JSON lines too.
    /// </summary>
    public sealed class ConsoleHost : IOperationHost
    {
        readonly CliEnvironment _env;
        readonly bool _json;
        readonly bool _verbose;
        readonly IProgressView _progress;

        public ConsoleHost(CliEnvironment env, bool json, bool verbose = false, bool assumeYes = false, bool dryRun = false)
        {
            _env = env; _json = json; _verbose = verbose; AssumeYes = assumeYes; DryRun = dryRun;
            _progress = ProgressViews.For(env, json);
        }

        public List<object> Objects { get; } = new List<object>();
        public List<OperationError> Errors { get; } = new List<OperationError>();
        public bool AssumeYes { get; }
        public bool DryRun { get; }
        public CancellationToken Cancellation => _env.Cancellation;

        public void WriteObject(object item) => Objects.Add(item);

        public void WriteError(OperationError error)
        {
            Errors.Add(error);
            if (_json)
                _env.Err.WriteLine(Json.Serialize(new Dictionary<string, object>
                {
                    ["error"] = new Dictionary<string, object>
                    {
                        ["id"] = error.ErrorId,
                        ["category"] = error.Category,
                        ["message"] = error.Message,
                        ["target"] = error.Target?.ToString(),
                        ["recommendedAction"] = CliWording.Render(error.Remedy),
                    },
                }));
            else
            {
                _env.Err.WriteLine("error: " + error.Message + " [" + error.ErrorId + "]");
                if (error.Remedy != null) _env.Err.WriteLine("  what to do: " + CliWording.Render(error.Remedy));
            }
        }

        public void WriteWarning(string text) => _env.Err.WriteLine("warning: " + text);

        public void WriteVerbose(string text) { if (_verbose) _env.Err.WriteLine("verbose: " + text); }

        /// <summary>Live bars on a terminal, plain lines otherwise (see <see cref="ProgressViews"/>).</summary>
        public void WriteProgress(OperationProgress p) => _progress.Show(p);

        /// <summary>--dry-run answers no (and the operation reports its plan); otherwise yes: the command prompts before calling the operation.</summary>
        public bool ShouldProcess(string target, string action)
        {
            if (DryRun)
            {
                _env.Err.WriteLine("dry run: would " + action + " on " + target);
                return false;
            }
            return true;
        }

        public bool ShouldContinue(string query, string caption) => AssumeYes || Prompt.AskYes(_env, caption + ": " + query);
    }

    /// <summary>The "type yes" confirmation (MakeMKV style). Without a terminal it answers no.</summary>
    public static class Prompt
    {
        public static bool AskYes(CliEnvironment env, string question)
        {
            if (!env.IsInteractive) return false;
            env.Err.Write(question + " Type 'yes' to continue: ");
            env.Err.Flush();
            var answer = env.In.ReadLine();
            return string.Equals(answer?.Trim(), "yes", StringComparison.OrdinalIgnoreCase);
        }
    }
}
