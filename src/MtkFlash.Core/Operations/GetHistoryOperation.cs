using System;
using System.Collections.Generic;
using System.Linq;
using MtkFlash.Core.Infrastructure;

namespace MtkFlash.Core.Operations
{
    /// <summary>Which history entries to show. Null or empty members do not filter.</summary>
    public sealed class HistoryQuery
    {
        /// <summary>Drive paths; wildcards allowed (virtual:*, /dev/sr*).</summary>
        public IReadOnlyList<string> Drives { get; set; }
        /// <summary>Only attempts started at or after this time.</summary>
        public DateTimeOffset? Since { get; set; }
        /// <summary>Only attempts started at or before this time.</summary>
        public DateTimeOffset? Until { get; set; }
    }

    /// <summary>
    /// Get-DriveFirmwareHistory / `mtkflash history`: the write audit trail of this machine (history.jsonl in MTKFLASH_HOME),
    /// oldest first, filtered by drive and time. An empty or missing history is no error; a FIFO or device in its place is
    /// HistoryUnreadable (reading it would block or never end).
    /// </summary>
    public sealed class GetHistoryOperation
    {
        readonly MtkFlashContext _context;

        public GetHistoryOperation(MtkFlashContext context) { _context = context ?? throw new ArgumentNullException(nameof(context)); }

        public IReadOnlyList<HistoryEntry> Run(IOperationHost host, HistoryQuery query)
        {
            if (host == null) throw new ArgumentNullException(nameof(host));
            query = query ?? new HistoryQuery();
            if (query.Since != null && query.Until != null && query.Since > query.Until)
            {
                host.WriteError(new OperationError("InvalidTimeRange", OperationErrorCategory.InvalidArgument,
                    "The start of the range (" + query.Since.Value.ToString("u") + ") is after its end (" + query.Until.Value.ToString("u") + ").", query));
                return new HistoryEntry[0];
            }
            // A FIFO or device in place of the history would block or never end; refuse it before opening.
            var special = FileKinds.SpecialFileProblem(_context.HistoryFile);
            if (special != null)
            {
                host.WriteError(new OperationError("HistoryUnreadable", OperationErrorCategory.ReadError,
                    "Cannot read the history " + _context.HistoryFile + ": " + special, _context.HistoryFile, null));
                return new HistoryEntry[0];
            }
            var result = new List<HistoryEntry>();
            foreach (var e in HistoryLog.ReadEntries(_context.HistoryFile, host.WriteWarning))
            {
                var a = e.Attempt;
                if (query.Drives != null && query.Drives.Count > 0 && !query.Drives.Any(p => Wildcard.IsMatch(a.Drive ?? string.Empty, p))) continue;
                if (query.Since != null && a.StartedUtc < query.Since.Value) continue;
                if (query.Until != null && a.StartedUtc > query.Until.Value) continue;
                result.Add(e);
                host.WriteObject(e);
            }
            return result;
        }
    }
}
