using System.Management.Automation;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Operations;

namespace MtkFlash.PowerShell
{
    /// <summary>
    /// Expand-FirmwareImage: writes the image embedded in a vendor flasher EXE (or described by an Intel HEX file) to a
    /// .bin, verified, never overwriting a file. The PowerShell form of `mtkflash extract`.
    /// </summary>
    [Cmdlet(VerbsData.Expand, "FirmwareImage", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
    [OutputType(typeof(FirmwareImageInfo))]
    public sealed class ExpandFirmwareImageCommand : MtkFlashCmdlet
    {
        const string PathSet = "Path", LiteralSet = "LiteralPath";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = LiteralSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName", "LP")]
        [ValidateNotNullOrEmpty]
        public string LiteralPath { get; set; }

        /// <summary>The .bin to write; a flasher with several images writes "-REV" (each image's revision) before the extension; an existing folder receives REV.bin.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string DestinationPath { get; set; }

        protected override void ProcessRecord()
        {
            bool literal = ParameterSetName == LiteralSet;
            var sources = FirmwarePathResolver.Resolve(this, new[] { literal ? LiteralPath : Path }, literal);
            var destination = GetUnresolvedProviderPathFromPSPath(DestinationPath);
            foreach (var source in sources)
                new ExtractFirmwareOperation().Run(CreateHost(), source, destination);
        }
    }
}
