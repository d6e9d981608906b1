using System;
using System.Collections.Generic;
using System.Linq;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;

namespace MtkFlash.Core.Drives
{
    /// <summary>Finds drives across every platform of the context and opens them by path, with tracing when asked.</summary>
    public sealed class DriveRegistry
    {
        readonly MtkFlashContext _context;

        public DriveRegistry(MtkFlashContext context) { _context = context ?? throw new ArgumentNullException(nameof(context)); }

        /// <summary>Every device entry of every platform. A platform that fails to enumerate yields a warning, not an exception.</summary>
        public IReadOnlyList<DeviceEntry> Enumerate(Action<string> warn = null)
        {
            var all = new List<DeviceEntry>();
            foreach (var platform in _context.Platforms)
            {
                try { all.AddRange(platform.Enumerate()); }
                catch (Exception ex) { warn?.Invoke("Could not list " + platform.Name + " drives: " + ex.Message); }
            }
            return all;
        }

        public IDrivePlatform PlatformFor(string path) => _context.Platforms.FirstOrDefault(p => p.Handles(path));

        /// <summary>Opens a drive. Throws <see cref="NoSuchDriveException"/> for a path no platform handles.</summary>
        public IScsiTransport Open(string path, DriveAccess access)
        {
            var platform = PlatformFor(path) ??
                throw new NoSuchDriveException(path, "'" + path + "' is not a drive path this system knows (expected " +
                    string.Join(", ", _context.Platforms.Select(p => p.Name)) + " paths).");
            var transport = platform.Open(path, access);
            return _context.Trace != null ? new RecordingTransport(transport, _context.Trace, keepInMemory: false) : transport;
        }
    }
}
