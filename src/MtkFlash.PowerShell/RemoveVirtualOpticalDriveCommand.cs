using System.Management.Automation;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Virtual;

namespace MtkFlash.PowerShell
{
    /// <summary>Remove-VirtualOpticalDrive: deletes an emulated drive. Accepts NAME or virtual:NAME, also from Get-OpticalDrive.</summary>
    [Cmdlet(VerbsCommon.Remove, "VirtualOpticalDrive", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(VirtualDriveInfo))]
    public sealed class RemoveVirtualOpticalDriveCommand : MtkFlashCmdlet
    {
        /// <summary>NAME or virtual:NAME; binds the Path of piped drives.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Path")]
        [ArgumentCompleter(typeof(VirtualDriveNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        /// <summary>Write the removed drive to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var removed = new VirtualDriveOperations(CreateContext()).Remove(CreateHost(), Name);
            if (removed != null && PassThru.IsPresent) WriteObject(removed);
        }
    }
}
