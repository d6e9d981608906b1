using System;
using System.Management.Automation;
using System.Threading;
using MtkFlash.Core.Operations;

namespace MtkFlash.PowerShell
{
    /// <summary>
    /// Adapts a cmdlet to the core's <see cref="IOperationHost"/>. Every Write*/ShouldProcess call happens on the pipeline
    /// thread because operations run synchronously inside ProcessRecord.
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

        public void WriteObject(object item) => _cmdlet.WriteObject(item);

        public void WriteError(OperationError error)
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

        public void WriteWarning(string text) => _cmdlet.WriteWarning(text);
        public void WriteVerbose(string text) => _cmdlet.WriteVerbose(text);

        public void WriteProgress(OperationProgress p)
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
