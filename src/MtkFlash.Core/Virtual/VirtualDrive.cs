using System;
using System.IO;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;

namespace MtkFlash.Core.Virtual
{
    /// <summary>
    /// One open handle on a virtual drive: an <see cref="IScsiTransport"/> that answers CDBs like the family it imitates.
    /// Every handle on the same drive folder in this process shares one state; an Exclusive handle also holds an OS-level
    /// lock file in the drive folder until it is disposed. Time (programming, stalls, hangs) passes on <see cref="Clock"/>.
    /// </summary>
    public sealed class VirtualDrive : IScsiTransport
    {
        readonly VirtualDriveUnit _unit;
        readonly FileStream _lock;
        bool _disposed;

        internal VirtualDrive(VirtualDriveUnit unit, DriveAccess access, FileStream lockStream, IClock clock)
        {
            _unit = unit; Access = access; _lock = lockStream; Clock = clock ?? SystemClock.Instance;
        }

        public string Path => _unit.Path;
        public string Name => _unit.Name;
        public VirtualProfile Profile => _unit.Profile;
        public DriveAccess Access { get; }
        public IClock Clock { get; }
        /// <summary>The folder holding flash.bin and drive.json.</summary>
        public string Folder => _unit.Folder;

        public ScsiResponse Execute(ScsiRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            if (_disposed) throw new ObjectDisposedException(Path);
            return _unit.Execute(this, request);
        }

        /// <summary>A copy of the whole flash as it is now (what a test asserts on after a flash).</summary>
        public byte[] ReadFlash() { lock (_unit.Gate) return (byte[])_unit.Flash.Clone(); }

        /// <summary>The identity the firmware in flash reports (null if the flash holds none).</summary>
        public FirmwareIdentity FirmwareIdentity { get { lock (_unit.Gate) return _unit.Identity; } }

        public VirtualDriveMode Mode { get { lock (_unit.Gate) return _unit.Mode; } }
        public TrayState Tray { get { lock (_unit.Gate) return _unit.Tray; } }
        public string Serial => _unit.Serial;
        /// <summary>True while a commit is in progress (the drive answers NOT READY).</summary>
        public bool IsProgramming { get { lock (_unit.Gate) return _unit.Commit != null && _unit.Commit.Clock.Elapsed < _unit.Commit.EndsAt; } }
        public VirtualDriveFaults Faults { get { lock (_unit.Gate) return _unit.Faults.Clone(); } }
        public VirtualDriveInfo Info() { lock (_unit.Gate) return _unit.Info(); }

        /// <summary>Changes the injected faults (persisted at once).</summary>
        public void SetFaults(Action<VirtualDriveFaults> change)
        {
            lock (_unit.Gate) { change(_unit.Faults); _unit.SaveRecord(); }
        }

        /// <summary>Loads or removes a disc (persisted).</summary>
        public void SetTray(TrayState tray)
        {
            lock (_unit.Gate) { _unit.Tray = tray; _unit.SaveRecord(); }
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            lock (_unit.Gate)
            {
                _unit.OpenHandles--;
                if (_unit.FaultsDirty) _unit.SaveRecord();
                if (_lock != null) { _unit.ExclusivelyHeld = false; _lock.Dispose(); }
            }
        }

        public override string ToString() => Path + " (" + Profile.Name + ")";
    }
}
