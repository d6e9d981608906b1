using System.Management.Automation;
using MtkFlash.Core.Operations;

namespace MtkFlash.PowerShell
{
    /// <summary>Get-VirtualOpticalDrive: the emulated drives in MTKFLASH_HOME with their profile, state, tray and injected faults.</summary>
    [Cmdlet(VerbsCommon.Get, "VirtualOpticalDrive")]
    [OutputType(typeof(VirtualOpticalDriveInfo))]
    public sealed class GetVirtualOpticalDriveCommand : MtkFlashCmdlet
    {
        /// <summary>NAME or virtual:NAME; wildcards allowed. Binds the Path of piped drives.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(VirtualDriveNameCompleter))]
        [Alias("Path")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; }

        protected override void ProcessRecord() => new VirtualDriveOperations(CreateContext()).List(CreateHost(), Name);
    }
}
