using System.Management.Automation;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Operations;

namespace MtkFlash.PowerShell
{
    /// <summary>New-VirtualOpticalDrive: creates an emulated drive (virtual:NAME) from a profile.</summary>
    [Cmdlet(VerbsCommon.New, "VirtualOpticalDrive", SupportsShouldProcess = true)]
    [OutputType(typeof(OpticalDrive))]
    public sealed class NewVirtualOpticalDriveCommand : MtkFlashCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        /// <summary>A profile from `mtkflash virtual profiles` (lg-bh16ns40, tsst-se506cb, btc-drw1008, …).</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ArgumentCompleter(typeof(VirtualProfileCompleter))]
        [ValidateNotNullOrEmpty]
        public string Profile { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Revision { get; set; }

        [Parameter]
        public SwitchParameter WithDisc { get; set; }

        protected override void ProcessRecord()
        {
            new VirtualDriveOperations(CreateContext()).New(CreateHost(), Name, Profile, Revision, WithDisc.IsPresent);
        }
    }
}
