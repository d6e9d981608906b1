using System;
using System.Collections.Generic;
using System.Linq;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Transports;

namespace MtkFlash.Core.Operations
{
    /// <summary>
    /// Inventory: one <see cref="OpticalDrive"/> per drive. Never fails as a whole: a drive that misbehaves is listed as
    /// notResponding with a warning. No drives gives an empty result. Paths may use wildcards; a literal path that no
    /// platform lists is still opened directly (a node sysfs does not show, a virtual drive by name).
    /// </summary>
    public sealed class GetDrivesOperation
    {
        readonly MtkFlashContext _context;

        public GetDrivesOperation(MtkFlashContext context) { _context = context; }

        public IReadOnlyList<OpticalDrive> Run(IOperationHost host, IReadOnlyList<string> paths = null)
        {
            var registry = new DriveRegistry(_context);
            var entries = registry.Enumerate(host.WriteWarning);
            var selected = new List<DeviceEntry>();
            var unlisted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (paths == null || paths.Count == 0) selected.AddRange(entries);
            else
            {
                foreach (var pattern in paths)
                {
                    var matches = entries.Where(e => Matches(e, pattern)).ToList();
                    if (matches.Count == 0 && !Wildcard.HasWildcard(pattern))
                    {
                        if (registry.PlatformFor(pattern) != null)
                        {
                            matches.Add(DeviceEntry.ForPath(pattern));
                            unlisted.Add(pattern);
                        }
                        else
                        {
                            host.WriteError(new OperationError("DriveNotFound", OperationErrorCategory.ObjectNotFound,
                                "No optical drive matches '" + pattern + "'.", pattern));
                            continue;
                        }
                    }
                    foreach (var m in matches) if (!selected.Any(s => s.Path == m.Path)) selected.Add(m);
                }
            }

            var result = new List<OpticalDrive>();
            foreach (var entry in selected)
            {
                host.Cancellation.ThrowIfCancellationRequested();
                if (unlisted.Contains(entry.Path))
                {
                    // Asked for by name but not listed by any platform: a failure to open is "not found", not a misbehaving drive.
                    try
                    {
                        using (var transport = registry.Open(entry.Path, DriveAccess.Shared))
                        {
                            var found = DriveIdentifier.Identify(transport, entry, _context.Clock);
                            result.Add(found);
                            host.WriteObject(found);
                        }
                    }
                    catch (Exception ex) when (!(ex is OperationCanceledException))
                    {
                        var error = OperationErrors.FromException(ex, entry.Path);
                        host.WriteError(error.ErrorId == "DriveNotResponding"
                            ? new OperationError("DriveNotFound", OperationErrorCategory.ObjectNotFound, "No optical drive answers at '" + entry.Path + "': " + error.Message, entry.Path, ex)
                            : error);
                    }
                    continue;
                }
                var drive = Identify(registry, entry, host);
                result.Add(drive);
                host.WriteObject(drive);
            }
            return result;
        }

        static bool Matches(DeviceEntry e, string pattern) =>
            Wildcard.IsMatch(e.Path, pattern) || (e.AlternatePaths != null && e.AlternatePaths.Any(a => Wildcard.IsMatch(a, pattern)));

        OpticalDrive Identify(DriveRegistry registry, DeviceEntry entry, IOperationHost host)
        {
            try
            {
                using (var transport = registry.Open(entry.Path, DriveAccess.Shared))
                    return DriveIdentifier.Identify(transport, entry, _context.Clock);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                var error = OperationErrors.FromException(ex, entry.Path);
                if (ex is Scsi.DriveBusyException)
                {
                    // Held by a flash or backup in another process: not probed, so its flash is not disturbed.
                    host.WriteWarning(entry.Path + " is in use and was not probed: " + error.Message);
                    return DriveIdentifier.NotResponding(entry, "In use by another process (not probed): " + error.Message);
                }
                if (ex is Virtual.VirtualDriveDamagedException damaged)
                {
                    // Listed, never dropped: the warning names the file and what is wrong with it.
                    host.WriteWarning(damaged.Message + " Remove it with 'mtkflash virtual remove " + Virtual.VirtualDriveStore.NameFromPath(entry.Path) + "' (Remove-VirtualOpticalDrive).");
                    return DriveIdentifier.NotResponding(entry, "Damaged: " + damaged.Problem);
                }
                host.WriteWarning(entry.Path + " is not responding: " + error.Message);
                return DriveIdentifier.NotResponding(entry, error.Message);
            }
        }

        /// <summary>Identifies one drive by exact path (used by backup and write for piped paths). Throws on failure.</summary>
        public OpticalDrive IdentifyOne(string path)
        {
            var registry = new DriveRegistry(_context);
            var entry = registry.Enumerate().FirstOrDefault(e => string.Equals(e.Path, path, StringComparison.OrdinalIgnoreCase))
                        ?? DeviceEntry.ForPath(path);
            using (var transport = registry.Open(path, DriveAccess.Shared))
                return DriveIdentifier.Identify(transport, entry, _context.Clock);
        }
    }
}
