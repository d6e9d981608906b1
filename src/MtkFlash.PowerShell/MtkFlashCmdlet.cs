using System.Management.Automation;
using System.Threading;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Transports;

namespace MtkFlash.PowerShell
{
    /// <summary>Base of every MtkFlash cmdlet: the shared context and Ctrl+C handling. No product logic here.</summary>
    public abstract class MtkFlashCmdlet : PSCmdlet
    {
        readonly CancellationTokenSource _stop = new CancellationTokenSource();

        /// <summary>Context for this invocation: MTKFLASH_HOME, the OS drive platform and the virtual-drive store.</summary>
        protected MtkFlashContext CreateContext()
        {
            var home = MtkFlashContext.DefaultHomeDirectory();
            return new MtkFlashContext(home, SystemClock.Instance, PlatformFactory.ForThisMachine(home));
        }

        internal CmdletHost CreateHost(bool force = false) => new CmdletHost(this, _stop.Token, force);

        /// <summary>Ctrl+C: operations stop at their next safe point (never in the middle of a flash commit).</summary>
        protected override void StopProcessing() => _stop.Cancel();
    }
}
