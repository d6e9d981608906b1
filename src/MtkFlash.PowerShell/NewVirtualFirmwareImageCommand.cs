using System.Management.Automation;
using MtkFlash.Core.Operations;

namespace MtkFlash.PowerShell
{
    /// <summary>
    /// New-VirtualFirmwareImage: writes a synthetic firmware image for a virtual drive profile (structurally faithful, no
    /// real firmware code), to try Test-FirmwareImage and Write-DriveFirmware on virtual drives. The PowerShell form of
    /// `mtkflash virtual image`.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "VirtualFirmwareImage", SupportsShouldProcess = true)]
    [OutputType(typeof(FirmwareImageInfo))]
    public sealed class NewVirtualFirmwareImageCommand : MtkFlashCmdlet
    {
        /// <summary>The profile the image is for (Get-VirtualOpticalDriveProfile); binds the Profile of piped virtual drives.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(VirtualProfileCompleter))]
        [ValidateNotNullOrEmpty]
        public string Profile { get; set; }

        /// <summary>The file to write.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string DestinationPath { get; set; }

        /// <summary>The firmware revision written into the image (default: the profile's), 1 to 4 characters.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Revision { get; set; }

        /// <summary>Replace the file when it exists.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            new VirtualDriveOperations(CreateContext()).NewImage(CreateHost(), Profile, Revision, GetUnresolvedProviderPathFromPSPath(DestinationPath), Force.IsPresent);
        }
    }
}
