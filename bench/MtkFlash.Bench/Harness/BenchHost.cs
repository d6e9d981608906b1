using System.Collections.Generic;
using System.Threading;
using MtkFlash.Core.Operations;

namespace MtkFlash.Bench.Harness
{
    /// <summary>An operation host that answers yes to every confirmation, shows nothing and keeps the errors (a benchmark
    /// checks its work succeeded before it reports a figure).</summary>
    public sealed class BenchHost : IOperationHost
    {
        public List<OperationError> Errors { get; } = new List<OperationError>();
        public List<object> Objects { get; } = new List<object>();
        public bool KeepObjects { get; set; } = true;
        public void WriteObject(object item) { if (KeepObjects) Objects.Add(item); }
        public void WriteError(OperationError error) => Errors.Add(error);
        public void WriteWarning(string text) { }
        public void WriteVerbose(string text) { }
        public void WriteProgress(OperationProgress progress) { }
        public bool ShouldProcess(string target, string action) => true;
        public bool ShouldContinue(string query, string caption) => true;
        public CancellationToken Cancellation => CancellationToken.None;
    }
}
