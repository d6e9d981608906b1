using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Operations;

namespace MtkFlash.PowerShell
{
    /// <summary>
    /// Test-FirmwareImage: what a firmware file is, whether it is whole, and (with -Drive or a piped drive) whether it fits.
    /// `Get-ChildItem *.bin | Test-FirmwareImage`, `Get-OpticalDrive | Test-FirmwareImage -Path US0N.bin`, `-Quiet` → bool.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "FirmwareImage", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(FirmwareImageInfo))]
    [OutputType(typeof(bool))]
    public sealed class TestFirmwareImageCommand : MtkFlashDriveCmdlet
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

        /// <summary>
        /// Drives to check the images against: objects from Get-OpticalDrive (also deserialized ones from other machines,
        /// which are taken as described, not opened here), drive paths, or objects with a Drive or Path property.
        /// </summary>
        [Parameter(ValueFromPipeline = true)]
        [ArgumentCompleter(typeof(DrivePathCompleter))]
        public object[] Drive { get; set; }

        /// <summary>Emit only one Boolean per file: $true when it is valid and fits every drive given.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        readonly Dictionary<string, OpticalDrive> _identified = new Dictionary<string, OpticalDrive>(StringComparer.OrdinalIgnoreCase);
        readonly QuietAnswers _quiet = new QuietAnswers();

        protected override void ProcessRecord()
        {
            var host = CreateHost();
            var drives = new List<OpticalDrive>();
            var given = (Drive ?? new object[0]).Where(d => !DriveArgument.IsFile(d)).ToList();
            foreach (var d in given)
            {
                var drive = Resolve(host, d);
                if (drive != null) drives.Add(drive);
                else _quiet.DriveMissing();
            }
            // Every drive failed (its error says why): no report claims anything about fit; -Quiet still answers $false.
            if (given.Count > 0 && drives.Count == 0 && !Quiet) return;
            var files = FirmwarePathResolver.Resolve(this, ParameterSetName == LiteralSet ? LiteralPath : Path, ParameterSetName == LiteralSet);
            new TestFirmwareImageOperation().Run(host, files, drives, expandWildcards: false, collect: Quiet ? _quiet : null);
        }

        protected override void EndProcessing()
        {
            if (Quiet) _quiet.Emit(CreateHost());
            base.EndProcessing();
        }

        /// <summary>A drive object as it is described, or a path identified once per invocation (read-only commands).</summary>
        OpticalDrive Resolve(CmdletHost host, object value)
        {
            var described = DriveArgument.Describe(value);
            if (described != null) return described;
            var path = DriveArgument.ToPath(value);
            if (string.IsNullOrEmpty(path)) { host.WriteError(DriveArgument.Invalid(value)); return null; }
            if (_identified.TryGetValue(path, out var known)) return known;
            try { return _identified[path] = new GetDrivesOperation(CreateContext()).IdentifyOne(path); }
            catch (Exception ex) when (!(ex is OperationCanceledException) && !(ex is PipelineStoppedException))
            {
                host.WriteError(OperationErrors.FromException(ex, path));
                return null;
            }
        }
    }
}
