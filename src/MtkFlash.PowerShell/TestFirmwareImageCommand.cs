using System.Management.Automation;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Operations;

namespace MtkFlash.PowerShell
{
    /// <summary>
    /// Test-FirmwareImage: what a firmware file is, whether it is whole, and (with -Drive or a piped drive) whether it fits.
    /// `Get-ChildItem *.bin | Test-FirmwareImage`, `Get-OpticalDrive | Test-FirmwareImage -Path US0N.bin`, `-Quiet` → bool.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "FirmwareImage", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(FirmwareImageReport))]
    [OutputType(typeof(bool))]
    public sealed class TestFirmwareImageCommand : MtkFlashCmdlet
    {
        const string PathSet = "Path", LiteralSet = "LiteralPath";

        /// <summary>Firmware files; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; }

        /// <summary>Firmware files, taken literally; binds FullName/PSPath of piped files.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; }

        /// <summary>Drives to check the images against (from Get-OpticalDrive, also piped).</summary>
        [Parameter(ValueFromPipeline = true)]
        [ArgumentCompleter(typeof(DrivePathCompleter))]
        public OpticalDrive[] Drive { get; set; }

        /// <summary>Emit only $true (valid, and fits the drive) or $false per file.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void ProcessRecord()
        {
            var files = FirmwarePathResolver.Resolve(this, ParameterSetName == LiteralSet ? LiteralPath : Path, ParameterSetName == LiteralSet);
            new TestFirmwareImageOperation().Run(CreateHost(), files, Drive, expandWildcards: false, quiet: Quiet.IsPresent);
        }
    }
}
