using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MtkFlash.Core.Operations;

namespace MtkFlash.Tests.Support
{
    /// <summary>
    /// Stands in for a cmdlet: records WriteObject/WriteError/WriteWarning/WriteProgress and answers ShouldProcess and
    /// ShouldContinue as scripted (-WhatIf = ShouldProcess false; -Confirm:$false -Force = both true).
    /// </summary>
    public sealed class RecordingHost : IOperationHost
    {
        public RecordingHost(bool shouldProcess = true, bool shouldContinue = true, CancellationToken cancellation = default)
        {
            ShouldProcessAnswer = shouldProcess; ShouldContinueAnswer = shouldContinue; Cancellation = cancellation;
        }

        public bool ShouldProcessAnswer { get; set; }
        public bool ShouldContinueAnswer { get; set; }
        public List<object> Objects { get; } = new List<object>();
        public List<OperationError> Errors { get; } = new List<OperationError>();
        public List<string> Warnings { get; } = new List<string>();
        public List<string> Verbose { get; } = new List<string>();
        public List<OperationProgress> Progress { get; } = new List<OperationProgress>();
        public List<(string Target, string Action)> ShouldProcessCalls { get; } = new List<(string, string)>();
        public List<(string Query, string Caption)> ShouldContinueCalls { get; } = new List<(string, string)>();
        public CancellationToken Cancellation { get; set; }

        public IEnumerable<T> ObjectsOf<T>() => Objects.OfType<T>();

        public void WriteObject(object item) => Objects.Add(item);
        public void WriteError(OperationError error) => Errors.Add(error);
        public void WriteWarning(string text) => Warnings.Add(text);
        public void WriteVerbose(string text) => Verbose.Add(text);
        public void WriteProgress(OperationProgress progress)
        {
            Progress.Add(progress);
            OnProgress?.Invoke(progress);
        }

        /// <summary>Lets a test act from inside the operation (cancel, start a second writer) when progress is reported.</summary>
        public System.Action<OperationProgress> OnProgress { get; set; }

        /// <summary>A session nobody can answer (no terminal, a job): the prompts throw, as the cmdlet host's do.</summary>
        public bool CannotPrompt { get; set; }

        public bool ShouldProcess(string target, string action)
        {
            ShouldProcessCalls.Add((target, action));
            return ShouldProcessAnswer;
        }

        public bool ShouldContinue(string query, string caption)
        {
            ShouldContinueCalls.Add((query, caption));
            if (CannotPrompt) throw new ConfirmationUnavailableException("no interactive host");
            return ShouldContinueAnswer;
        }
    }
}
