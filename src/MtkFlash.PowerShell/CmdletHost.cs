using System;
using System.Management.Automation;
using System.Threading;
using MtkFlash.Core.Operations;

namespace MtkFlash.PowerShell
{
    /// <summary>
    /// Adapts a cmdlet to the core's <see cref="IOperationHost"/>. Every Write*/ShouldProcess call happens on the pipeline
    /// thread because operations run synchronously inside ProcessRecord.
    /// Once the pipeline is stopping (Ctrl+C, PowerShell.Stop(), an upstream Select-Object -First), PowerShell throws
    /// PipelineStoppedException from every Write* call. Output calls never let it escape (issue 9 §5): from then on they
    /// drop their output, so an operation past its point of no return (a flash) runs to its end, waits for the drive and
    /// records its outcome. Operations stop through <see cref="Cancellation"/> at their next safe point instead.
    /// </summary>
    internal sealed class CmdletHost : IOperationHost
    {
        readonly PSCmdlet _cmdlet;
        readonly bool _force;

        public CmdletHost(PSCmdlet cmdlet, CancellationToken cancellation, bool force = false)
        {
            _cmdlet = cmdlet; _force = force; Cancellation = cancellation;
        }

        public CancellationToken Cancellation { get; }

        /// <summary>The pipeline is stopping: output is dropped from now on.</summary>
        public bool Stopping => _cmdlet.Stopping || Cancellation.IsCancellationRequested;

        /// <summary>Output calls dropped because the pipeline was stopping.</summary>
        public int Dropped { get; private set; }

        /// <summary>Runs one output call; after a stop it is dropped, and a PipelineStoppedException never escapes.</summary>
        void Output(Action write)
        {
            if (Stopping) { Dropped++; return; }
            try { write(); }
            catch (PipelineStoppedException) { Dropped++; }
        }

        /// <summary>
        /// Tells the person at the console what happened after a stop, when the pipeline can no longer carry output: the
        /// host's UI still works (a console user sees the line). Never throws.
        /// </summary>
        public void TellAfterStop(string text)
        {
            try { _cmdlet.Host?.UI?.WriteWarningLine(text); }
            catch (Exception) { /* no UI (a runspace without host): the history file holds the outcome */ }
        }

        public void WriteObject(object item) => Output(() => _cmdlet.WriteObject(item));

        public void WriteError(OperationError error) => Output(() => WriteErrorRecord(error));

        void WriteErrorRecord(OperationError error)
        {
            ErrorCategory category;
            if (!Enum.TryParse(error.Category.ToString(), out category)) category = ErrorCategory.NotSpecified;
            var exception = error.Exception ?? new InvalidOperationException(error.Message);
            var record = new ErrorRecord(exception, error.ErrorId, category, error.Target)
            {
                ErrorDetails = new ErrorDetails(error.Message) { RecommendedAction = error.RecommendedAction },
            };
            _cmdlet.WriteError(record);
        }

        public void WriteWarning(string text) => Output(() => _cmdlet.WriteWarning(text));
        public void WriteVerbose(string text) => Output(() => _cmdlet.WriteVerbose(text));

        public void WriteProgress(OperationProgress p) => Output(() => WriteProgressRecord(p));

        void WriteProgressRecord(OperationProgress p)
        {
            var record = new ProgressRecord(p.ActivityId, p.Activity, string.IsNullOrEmpty(p.Status) ? p.Activity : p.Status)
            {
                PercentComplete = p.PercentComplete,
                ParentActivityId = p.ParentActivityId,
                RecordType = p.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
            if (p.Remaining.HasValue) record.SecondsRemaining = (int)Math.Ceiling(p.Remaining.Value.TotalSeconds);
            _cmdlet.WriteProgress(record);
        }

        public bool ShouldProcess(string target, string action) => _cmdlet.ShouldProcess(target, action);

        public bool ShouldContinue(string query, string caption) => _force || _cmdlet.ShouldContinue(query, caption);
    }
}
