using System;
using System.Threading;

namespace MtkFlash.Core.Operations
{
    /// <summary>Error categories; names match System.Management.Automation.ErrorCategory so the module maps them by name.</summary>
    public enum OperationErrorCategory
    {
        NotSpecified, OpenError, CloseError, DeviceError, DeadlockDetected, InvalidArgument, InvalidData, InvalidOperation,
        InvalidResult, InvalidType, MetadataError, NotImplemented, NotInstalled, ObjectNotFound, OperationStopped,
        OperationTimeout, SyntaxError, ParserError, PermissionDenied, ResourceBusy, ResourceExists, ResourceUnavailable,
        ReadError, WriteError, FromStdErr, SecurityError, ProtocolError, ConnectionError, AuthenticationError,
        LimitsExceeded, QuotaExceeded, NotEnabled,
    }

    /// <summary>A per-object failure: becomes a non-terminating ErrorRecord in PowerShell and an error line/JSON in the CLI.</summary>
    public sealed class OperationError
    {
        public OperationError(string errorId, OperationErrorCategory category, string message, object target, Exception exception = null, Remedy remedy = null)
        {
            ErrorId = errorId; Category = category; Message = message; Target = target; Exception = exception; Remedy = remedy;
        }

        /// <summary>Stable identifier scripts can match on ("DriveTimeout", "ImageInvalid").</summary>
        public string ErrorId { get; }
        public OperationErrorCategory Category { get; }
        public string Message { get; }
        public object Target { get; }
        public Exception Exception { get; }
        /// <summary>What to do about it; each front end renders its parameters in its own words. Null when there is nothing to say.</summary>
        public Remedy Remedy { get; }
        /// <summary>The remedy in neutral words (parameter names without a front end's spelling).</summary>
        public string RecommendedAction => Remedy?.ToString();

        public override string ToString() => Message;
    }

    /// <summary>Progress of long work. PercentComplete −1 when unknown.</summary>
    public sealed class OperationProgress
    {
        public OperationProgress(int activityId, string activity, string status, int percentComplete = -1, int parentActivityId = -1, bool completed = false, TimeSpan? remaining = null)
        {
            ActivityId = activityId; Activity = activity; Status = status; PercentComplete = percentComplete;
            ParentActivityId = parentActivityId; Completed = completed; Remaining = remaining;
        }

        public int ActivityId { get; }
        public int ParentActivityId { get; }
        public string Activity { get; }
        public string Status { get; }
        public int PercentComplete { get; }
        public bool Completed { get; }
        public TimeSpan? Remaining { get; }
    }

    /// <summary>
    /// The seam between core operations and their front ends. A cmdlet implements it with WriteObject/WriteError/
    /// ShouldProcess/WriteProgress; the CLI with the console; tests with a recording host. All decisions stay in the core.
    /// </summary>
    public interface IOperationHost
    {
        void WriteObject(object item);
        void WriteError(OperationError error);
        void WriteWarning(string text);
        void WriteVerbose(string text);
        void WriteProgress(OperationProgress progress);
        /// <summary>-WhatIf / -Confirm gate: false means do nothing that changes state. Throws
        /// <see cref="ConfirmationUnavailableException"/> when it has to ask and nobody can answer.</summary>
        bool ShouldProcess(string target, string action);
        /// <summary>The extra prompt that only -Force skips. Throws <see cref="ConfirmationUnavailableException"/> when nobody can answer.</summary>
        bool ShouldContinue(string query, string caption);
        /// <summary>Ctrl+C / StopProcessing.</summary>
        CancellationToken Cancellation { get; }
    }

    /// <summary>
    /// A confirmation was needed but nobody can answer it (no terminal, a job, a remote session). Operations turn it into
    /// the error ConfirmationRequired, before anything is sent to a drive.
    /// </summary>
    public sealed class ConfirmationUnavailableException : Exception
    {
        public ConfirmationUnavailableException(string message, Exception inner = null) : base(message, inner) { }
    }
}
