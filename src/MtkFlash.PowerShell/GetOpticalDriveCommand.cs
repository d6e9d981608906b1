using System.Management.Automation;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Operations;

namespace MtkFlash.PowerShell
{
    /// <summary>Get-OpticalDrive: lists optical drives, real and virtual.</summary>
    [Cmdlet(VerbsCommon.Get, "OpticalDrive")]
    [OutputType(typeof(OpticalDrive))]
    public sealed class GetOpticalDriveCommand : MtkFlashCmdlet
    {
        /// <summary>Drive paths; wildcards allowed (/dev/sr*, virtual:*).</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(DrivePathCompleter))]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; }

        protected override void ProcessRecord()
        {
            new GetDrivesOperation(CreateContext()).Run(CreateHost(), Path);
        }
    }
}
