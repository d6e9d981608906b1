using System.Management.Automation;
using MtkFlash.Core.Operations;

namespace MtkFlash.PowerShell
{
    /// <summary>Get-VirtualOpticalDriveProfile: the drive models the emulator imitates (what New-VirtualOpticalDrive -Profile takes).</summary>
    [Cmdlet(VerbsCommon.Get, "VirtualOpticalDriveProfile")]
    [OutputType(typeof(VirtualOpticalDriveProfile))]
    public sealed class GetVirtualOpticalDriveProfileCommand : MtkFlashCmdlet
    {
        /// <summary>Profile names; wildcards allowed (lg-*, tsst-*).</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(VirtualProfileCompleter))]
        [Alias("Profile")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; }

        protected override void ProcessRecord() => new VirtualDriveOperations(CreateContext()).Profiles(CreateHost(), Name);
    }
}
