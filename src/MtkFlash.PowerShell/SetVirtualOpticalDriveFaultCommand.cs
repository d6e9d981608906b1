using System.Management.Automation;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Virtual;

namespace MtkFlash.PowerShell
{
    /// <summary>
    /// Set-VirtualOpticalDriveFault: injects faults into a virtual drive (power loss, a hang, transient conditions, a disc in
    /// the tray). Faults persist in the drive's folder until they fire or are cleared. The PowerShell form of `mtkflash virtual fault`.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "VirtualOpticalDriveFault", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(VirtualOpticalDriveInfo))]
    public sealed class SetVirtualOpticalDriveFaultCommand : MtkFlashCmdlet
    {
        /// <summary>NAME or virtual:NAME; binds the Path of piped drives.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(VirtualDriveNameCompleter))]
        [Alias("Path")]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        /// <summary>The power fails after this many more commands (opening the drive again restores power).</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int PowerLossAfter { get; set; }

        /// <summary>The drive hangs after this many more commands (every later command times out) until -Clear.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int HangAfter { get; set; }

        /// <summary>Conditions the next commands get instead of being executed: KIND[:COUNT] with KIND unit-attention, microcode-changed, not-ready or busy.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] Transient { get; set; }

        /// <summary>Put a disc in the tray (Disc) or take it out (Empty).</summary>
        [Parameter]
        public TrayState Tray { get; set; }

        /// <summary>Remove every injected fault first.</summary>
        [Parameter]
        public SwitchParameter Clear { get; set; }

        /// <summary>Write the drive, with its faults, to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var bound = MyInvocation.BoundParameters;
            var host = CreateHost();
            var drive = new VirtualDriveOperations(CreateContext()).ApplyFaults(host, Name, new VirtualDriveOperations.FaultRequest
            {
                Clear = Clear.IsPresent,
                PowerLossAfter = bound.ContainsKey(nameof(PowerLossAfter)) ? PowerLossAfter : (int?)null,
                HangAfter = bound.ContainsKey(nameof(HangAfter)) ? HangAfter : (int?)null,
                Transients = Transient,
                Tray = bound.ContainsKey(nameof(Tray)) ? Tray : (TrayState?)null,
            });
            if (drive != null && PassThru.IsPresent) host.WriteObject(drive);
        }
    }
}
