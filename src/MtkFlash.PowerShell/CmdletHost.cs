using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Transports;

namespace MtkFlash.PowerShell
{
    /// <summary>
    /// What one cmdlet invocation shares across its ProcessRecord calls: the prompt answers (Yes to All / No to All), the
    /// progress throttle, and the SCSI commands traced on any thread, waiting to be written to the verbose and debug
    /// streams from the pipeline thread.
    /// </summary>
    internal sealed class CmdletSession
    {
        readonly Stopwatch _clock = Stopwatch.StartNew();

        public CmdletSession() { Progress = new ProgressThrottle(() => _clock.Elapsed); }

        public bool YesToAll;
        public bool NoToAll;
        public ProgressThrottle Progress { get; }
        public ConcurrentQueue<TraceRecord> Commands { get; } = new ConcurrentQueue<TraceRecord>();
    }

    /// <summary>
    /// Adapts a cmdlet to the core's <see cref="IOperationHost"/>. Every Write*/ShouldProcess call happens on the pipeline
    /// thread because operations run synchronously inside ProcessRecord; commands a worker thread sent are queued and
    /// written here, on the pipeline thread, at the next host call.
    /// Once the pipeline is stopping (Ctrl+C, PowerShell.Stop(), an upstream Select-Object -First), PowerShell throws
    /// PipelineStoppedException from every Write* call. Output calls never let it escape (issue 9 §5): from then on they
    /// drop their output, so an operation past its point of no return (a flash) runs to its end, waits for the drive and
    /// records its outcome. Operations stop through <see cref="Cancellation"/> at their next safe point instead.
    /// </summary>
    internal sealed class CmdletHost : IOperationHost
    {
        readonly PSCmdlet _cmdlet;
        readonly bool _force;
        readonly CmdletSession _session;

        public CmdletHost(PSCmdlet cmdlet, CancellationToken cancellation, bool force, CmdletSession session)
        {
            _cmdlet = cmdlet; _force = force; _session = session; Cancellation = cancellation;
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

        public void WriteObject(object item) => Output(() => { Flush(); _cmdlet.WriteObject(PipelineObjects.From(item)); });

        public void WriteError(OperationError error) => Output(() => { Flush(); _cmdlet.WriteError(ToErrorRecord(error)); });

        /// <summary>The ErrorRecord of a core error: its ErrorId, category and target, and the remedy in PowerShell's words.</summary>
        public static ErrorRecord ToErrorRecord(OperationError error)
        {
            ErrorCategory category;
            if (!Enum.TryParse(error.Category.ToString(), out category)) category = ErrorCategory.NotSpecified;
            var exception = error.Exception ?? new InvalidOperationException(error.Message);
            return new ErrorRecord(exception, error.ErrorId, category, error.Target)
            {
                ErrorDetails = new ErrorDetails(error.Message) { RecommendedAction = PowerShellWording.Render(error.Remedy) },
            };
        }

        public void WriteWarning(string text) => Output(() => { Flush(); _cmdlet.WriteWarning(text); });
        public void WriteVerbose(string text) => Output(() => { Flush(); _cmdlet.WriteVerbose(text); });

        public void WriteProgress(OperationProgress p) => Output(() => WriteProgressRecord(p));

        void WriteProgressRecord(OperationProgress p)
        {
            Flush();
            if (!_session.Progress.ShouldPass(p)) return;
            var record = new ProgressRecord(p.ActivityId, p.Activity, string.IsNullOrEmpty(p.Status) ? p.Activity : p.Status)
            {
                PercentComplete = p.PercentComplete,
                ParentActivityId = p.ParentActivityId,
                RecordType = p.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
            if (p.Remaining.HasValue) record.SecondsRemaining = (int)Math.Ceiling(p.Remaining.Value.TotalSeconds);
            _cmdlet.WriteProgress(record);
        }

        public bool ShouldProcess(string target, string action)
        {
            Flush();
            try { return _cmdlet.ShouldProcess(target, action); }
            catch (Exception ex) when (CannotPrompt(ex)) { throw new ConfirmationUnavailableException(Reason(ex), ex); }
        }

        /// <summary>The prompt -Force skips. Yes to All (or No to All) answers every later prompt of this invocation.</summary>
        public bool ShouldContinue(string query, string caption)
        {
            Flush();
            if (_force) return true;
            try { return _cmdlet.ShouldContinue(query, caption, ref _session.YesToAll, ref _session.NoToAll); }
            catch (Exception ex) when (CannotPrompt(ex)) { throw new ConfirmationUnavailableException(Reason(ex), ex); }
        }

        /// <summary>Writes the SCSI commands sent since the last host call: a summary to verbose, the bytes to debug.</summary>
        public void Flush()
        {
            while (_session.Commands.TryDequeue(out var record))
            {
                // Like every output call: after a stop the lines are dropped, and a PipelineStoppedException never escapes.
                if (Stopping) { Dropped++; continue; }
                try
                {
                    _cmdlet.WriteVerbose(TraceText.Summary(record));
                    _cmdlet.WriteDebug(TraceText.Detail(record));
                }
                catch (PipelineStoppedException) { Dropped++; }
            }
        }

        // A host without a UI (NonInteractive, a job, a remote session, stdin closed) fails the prompt in several ways:
        // PSInvalidOperationException, HostException, RemoteException, NullReferenceException. A stopped pipeline is not one.
        static bool CannotPrompt(Exception ex) => !(ex is PipelineStoppedException) && !(ex is OperationCanceledException);

        static string Reason(Exception ex) =>
            ex is PSInvalidOperationException || ex is System.Management.Automation.Host.HostException ? ex.Message.TrimEnd('.') : "this session has no interactive host";
    }
}
