using System;
using System.Threading;

namespace MtkFlash.Core.Operations
{
    /// <summary>
    /// The host of a write after its point of no return (issue 9 §5): no host call can abort the flash. A front end may
    /// throw from WriteProgress, WriteWarning or WriteError once it has been told to stop (PowerShell throws
    /// PipelineStoppedException after StopProcessing); that exception is absorbed here and the output is dropped, so
    /// the operation still waits for the drive and records the outcome. Stop requests stay visible through
    /// <see cref="Cancellation"/> (the write warns that it finishes first) but never stop anything.
    /// </summary>
    internal sealed class NoAbortHost : IOperationHost
    {
        readonly IOperationHost _inner;

        public NoAbortHost(IOperationHost inner) { _inner = inner ?? throw new ArgumentNullException(nameof(inner)); }

        /// <summary>Host calls that threw and were absorbed.</summary>
        public int AbsorbedFailures { get; private set; }
        /// <summary>The first exception a host call threw.</summary>
        public Exception FirstFailure { get; private set; }

        public CancellationToken Cancellation
        {
            get
            {
                try { return _inner.Cancellation; }
                catch (Exception ex) { Absorb(ex); return new CancellationToken(true); }
            }
        }

        public void WriteObject(object item) => Guard(() => _inner.WriteObject(item));
        public void WriteError(OperationError error) => Guard(() => _inner.WriteError(error));
        public void WriteWarning(string text) => Guard(() => _inner.WriteWarning(text));
        public void WriteVerbose(string text) => Guard(() => _inner.WriteVerbose(text));
        public void WriteProgress(OperationProgress progress) => Guard(() => _inner.WriteProgress(progress));

        /// <summary>Never asked after the point of no return; answers no if it ever were.</summary>
        public bool ShouldProcess(string target, string action) => false;
        public bool ShouldContinue(string query, string caption) => false;

        void Guard(Action call)
        {
            try { call(); }
            catch (Exception ex) { Absorb(ex); }
        }

        void Absorb(Exception ex)
        {
            AbsorbedFailures++;
            if (FirstFailure == null) FirstFailure = ex;
        }
    }
}
