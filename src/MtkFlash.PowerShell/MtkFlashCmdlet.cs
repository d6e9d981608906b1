using System;
using System.Management.Automation;
using System.Threading;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Transports;

namespace MtkFlash.PowerShell
{
    /// <summary>Base of every MtkFlash cmdlet: the shared context, the operation host and Ctrl+C handling. No product logic here.</summary>
    public abstract class MtkFlashCmdlet : PSCmdlet, IDisposable
    {
        readonly CancellationTokenSource _stop = new CancellationTokenSource();
        readonly CmdletSession _session = new CmdletSession();
        MtkFlashContext _context;
        TraceWriter _trace;

        /// <summary>Context for this invocation: MTKFLASH_HOME, the OS drive platform, the virtual-drive store, the trace.</summary>
        protected MtkFlashContext CreateContext()
        {
            if (_context != null) return _context;
            var home = MtkFlashContext.DefaultHomeDirectory();
            _trace = CreateTrace();
            return _context = new MtkFlashContext(home, SystemClock.Instance, PlatformFactory.ForThisMachine(home), _trace);
        }

        /// <summary>The trace of drive commands; cmdlets that talk to drives add -TracePath and the verbose/debug listener.</summary>
        internal virtual TraceWriter CreateTrace() => null;

        internal CmdletSession Session => _session;

        internal CmdletHost CreateHost(bool force = false) => new CmdletHost(this, _stop.Token, force, _session);

        /// <summary>Ctrl+C: operations stop at their next safe point (never in the middle of a flash commit).</summary>
        protected override void StopProcessing() => _stop.Cancel();

        protected override void EndProcessing()
        {
            CreateHost().Flush();
            CloseTrace();
        }

        void CloseTrace()
        {
            _trace?.Dispose();
            _trace = null;
        }

        /// <summary>PowerShell disposes a cmdlet whose pipeline stopped or failed: the trace file is closed then too.</summary>
        public void Dispose()
        {
            CloseTrace();
            _stop.Dispose();
        }
    }

    /// <summary>
    /// A cmdlet that sends commands to drives: -TracePath writes every command exchange as JSON Lines (the CLI's --trace
    /// format), and -Verbose / -Debug show each command (summary / bytes and sense).
    /// </summary>
    public abstract class MtkFlashDriveCmdlet : MtkFlashCmdlet
    {
        /// <summary>Append every SCSI command exchange to this file as JSON Lines, the format of `mtkflash --trace`.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string TracePath { get; set; }

        internal override TraceWriter CreateTrace()
        {
            Action<TraceRecord> listener = null;
            if (Wants("Verbose", "VerbosePreference") || Wants("Debug", "DebugPreference")) listener = Session.Commands.Enqueue;
            if (string.IsNullOrEmpty(TracePath)) return listener == null ? null : new TraceWriter(null, false, listener);
            var file = GetUnresolvedProviderPathFromPSPath(TracePath);
            try { return TraceWriter.ToFile(file, listener); }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "TraceFileUnavailable", ErrorCategory.OpenError, TracePath)
                {
                    ErrorDetails = new ErrorDetails("Cannot open the trace file '" + file + "': " + ex.Message) { RecommendedAction = "Give -TracePath a file in a folder you can write to." },
                });
                return null;
            }
        }

        /// <summary>True when the common parameter is on, or its preference variable asks for the stream.</summary>
        bool Wants(string parameter, string preference)
        {
            if (MyInvocation.BoundParameters.TryGetValue(parameter, out var value)) return value is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(value);
            var pref = GetVariableValue(preference);
            return pref is ActionPreference a ? a != ActionPreference.SilentlyContinue && a != ActionPreference.Ignore : pref != null && !string.Equals(pref.ToString(), "SilentlyContinue", StringComparison.OrdinalIgnoreCase);
        }
    }
}
