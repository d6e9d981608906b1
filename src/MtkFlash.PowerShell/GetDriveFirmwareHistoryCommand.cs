using System;
using System.Management.Automation;
using MtkFlash.Core.Operations;

namespace MtkFlash.PowerShell
{
    /// <summary>
    /// Get-DriveFirmwareHistory: every write attempt recorded on this machine (history.jsonl in MTKFLASH_HOME), oldest first,
    /// filtered by drive and time. `Invoke-Command -HostName $fleet { Get-DriveFirmwareHistory -Since (Get-Date).AddDays(-7) }`.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "DriveFirmwareHistory")]
    [OutputType(typeof(DriveFirmwareHistoryEntry))]
    public sealed class GetDriveFirmwareHistoryCommand : MtkFlashCmdlet
    {
        /// <summary>Only the attempts on these drives; wildcards allowed. Binds the Path of piped drives and the Drive of piped results.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(DrivePathCompleter))]
        [Alias("Path")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Drive { get; set; }

        /// <summary>Only attempts started at or after this time (local time unless the value says otherwise).</summary>
        [Parameter]
        public DateTime? Since { get; set; }

        /// <summary>Only attempts started at or before this time.</summary>
        [Parameter]
        public DateTime? Until { get; set; }

        protected override void ProcessRecord()
        {
            new GetHistoryOperation(CreateContext()).Run(CreateHost(), new HistoryQuery
            {
                Drives = Drive,
                Since = Since.HasValue ? new DateTimeOffset(Since.Value) : (DateTimeOffset?)null,
                Until = Until.HasValue ? new DateTimeOffset(Until.Value) : (DateTimeOffset?)null,
            });
        }
    }
}
