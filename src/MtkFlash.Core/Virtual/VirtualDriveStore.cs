using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;

namespace MtkFlash.Core.Virtual
{
    /// <summary>No virtual drive with that name exists in the store.</summary>
    public sealed class VirtualDriveNotFoundException : Exception
    {
        public VirtualDriveNotFoundException(string name, string root)
            : base("No virtual drive named '" + name + "' in " + root + ".") { Name = name; }

        public string Name { get; }
    }

    /// <summary>
    /// The virtual drives of one MtkFlash home: &lt;home&gt;/virtual/&lt;NAME&gt;/ with flash.bin, drive.json (and eeprom.bin for
    /// LiteOn). Drives survive between processes; within a process every open of the same folder shares one in-memory state.
    /// </summary>
    public sealed class VirtualDriveStore
    {
        static readonly Dictionary<string, VirtualDriveUnit> Units = new Dictionary<string, VirtualDriveUnit>(StringComparer.Ordinal);
        static readonly Regex NamePattern = new Regex(@"^[A-Za-z0-9._-]{1,64}$");
        readonly IClock _clock;

        public VirtualDriveStore(string homeDirectory, IClock clock = null)
        {
            if (string.IsNullOrWhiteSpace(homeDirectory)) throw new ArgumentException("The MtkFlash home folder is required.", nameof(homeDirectory));
            Root = System.IO.Path.Combine(System.IO.Path.GetFullPath(homeDirectory), "virtual");
            _clock = clock ?? SystemClock.Instance;
        }

        /// <summary>&lt;home&gt;/virtual.</summary>
        public string Root { get; }

        // ---------------------------------------------------------------- names

        public static bool IsValidName(string name) => name != null && NamePattern.IsMatch(name) && name != "." && name != "..";

        /// <summary>Throws <see cref="ArgumentException"/> with a clear message for a bad name.</summary>
        public static string ValidateName(string name)
        {
            if (!IsValidName(name))
                throw new ArgumentException("'" + name + "' is not a valid virtual drive name: use 1 to 64 letters, digits, '.', '_' or '-' (not '.' or '..').", nameof(name));
            return name;
        }

        /// <summary>"virtual:NAME" or "NAME" → "NAME".</summary>
        public static string NameFromPath(string pathOrName)
        {
            if (pathOrName == null) return null;
            return pathOrName.StartsWith(VirtualDrivePlatform.Prefix, StringComparison.OrdinalIgnoreCase)
                ? pathOrName.Substring(VirtualDrivePlatform.Prefix.Length) : pathOrName;
        }

        public string FolderOf(string name) => System.IO.Path.Combine(Root, ValidateName(name));

        public bool Exists(string name) =>
            IsValidName(name) && File.Exists(System.IO.Path.Combine(Root, name, VirtualDriveUnit.RecordFile));

        // ---------------------------------------------------------------- store operations

        /// <summary>Creates a drive whose flash is the profile's synthetic image (revision default: the profile's) plus per-drive regions.</summary>
        public VirtualDriveInfo Create(string name, string profile, string revision = null, bool withDisc = false)
        {
            ValidateName(name);
            var p = VirtualProfiles.Get(profile);
            if (revision != null) SyntheticImages.ValidateRevision(revision);
            var folder = FolderOf(name);
            lock (Units)
            {
                if (Exists(name)) throw new InvalidOperationException("A virtual drive named '" + name + "' already exists (" + folder + ").");
                if (Directory.Exists(folder)) Directory.Delete(folder, true);   // leftovers of a failed create
                var unit = VirtualDriveUnit.CreateNew(folder, p, revision, withDisc, _clock.UtcNow);
                Units[folder] = unit;
                lock (unit.Gate) return unit.Info();
            }
        }

        /// <summary>Deletes a drive. Refused with <see cref="DriveBusyException"/> while it is open anywhere.</summary>
        public void Remove(string name)
        {
            var unit = Unit(name);
            lock (Units)
            lock (unit.Gate)
            {
                if (unit.OpenHandles > 0)
                    throw new DriveBusyException(unit.Path, unit.Path + " is open in this process; close it before removing it.");
                using (TakeLock(unit)) { }
                Directory.Delete(unit.Folder, true);
                Units.Remove(unit.Folder);
            }
        }

        /// <summary>Every valid drive of the store, by name. Folders without a readable drive.json are skipped.</summary>
        public IReadOnlyList<VirtualDriveInfo> List()
        {
            var result = new List<VirtualDriveInfo>();
            if (!Directory.Exists(Root)) return result;
            foreach (var dir in Directory.GetDirectories(Root).OrderBy(d => d, StringComparer.OrdinalIgnoreCase))
            {
                var name = System.IO.Path.GetFileName(dir);
                if (!Exists(name)) continue;
                try { var unit = Unit(name); lock (unit.Gate) result.Add(unit.Info()); }
                catch (Exception ex) when (ex is IOException || ex is InvalidDataException || ex is FormatException) { }
            }
            return result;
        }

        public VirtualDriveInfo Get(string name) { var unit = Unit(name); lock (unit.Gate) return unit.Info(); }

        /// <summary>
        /// Opens a drive. Exclusive takes the lock file (FileShare.None) in the drive folder; a second exclusive open, from this
        /// or another process, throws <see cref="DriveBusyException"/>. Opening a drive that lost power powers it on.
        /// </summary>
        public VirtualDrive Open(string name, DriveAccess access)
        {
            var unit = Unit(name);
            lock (unit.Gate)
            {
                FileStream lockStream = null;
                if (access == DriveAccess.Exclusive)
                {
                    if (unit.ExclusivelyHeld)
                        throw new DriveBusyException(unit.Path, unit.Path + " is already open for exclusive use in this process.");
                    lockStream = TakeLock(unit);
                    unit.ExclusivelyHeld = true;
                }
                unit.RefreshFromDiskIfIdle();
                unit.PowerOnIfOff();
                unit.OpenHandles++;
                return new VirtualDrive(unit, access, lockStream, _clock);
            }
        }

        /// <summary>A copy of a drive's flash (from the shared in-memory state).</summary>
        public byte[] ReadFlash(string name) { var unit = Unit(name); lock (unit.Gate) return (byte[])unit.Flash.Clone(); }

        /// <summary>Changes a drive's injected faults and persists them; returns the result.</summary>
        public VirtualDriveFaults SetFaults(string name, Action<VirtualDriveFaults> change)
        {
            var unit = Unit(name);
            lock (unit.Gate) { change(unit.Faults); unit.SaveRecord(); return unit.Faults.Clone(); }
        }

        public void SetTray(string name, TrayState tray)
        {
            var unit = Unit(name);
            lock (unit.Gate) { unit.Tray = tray; unit.SaveRecord(); }
        }

        // ---------------------------------------------------------------- internals

        /// <summary>Tests: forgets the in-memory state of this store's closed drives, as a new process would start.</summary>
        internal void ForgetLoadedDrives()
        {
            lock (Units)
                foreach (var key in Units.Keys.Where(k => k.StartsWith(Root, StringComparison.Ordinal)).ToList())
                    if (Units[key].OpenHandles == 0) Units.Remove(key);
        }

        internal VirtualDriveUnit Unit(string name)
        {
            ValidateName(name);
            if (!Exists(name)) throw new VirtualDriveNotFoundException(name, Root);
            var folder = FolderOf(name);
            VirtualDriveUnit unit;
            lock (Units)
            {
                if (!Units.TryGetValue(folder, out unit))
                {
                    unit = VirtualDriveUnit.Load(folder);
                    Units[folder] = unit;
                    return unit;
                }
            }
            lock (unit.Gate) unit.RefreshFromDiskIfIdle();
            return unit;
        }

        static FileStream TakeLock(VirtualDriveUnit unit)
        {
            var path = System.IO.Path.Combine(unit.Folder, VirtualDriveUnit.LockFile);
            try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException ex)
            {
                throw new DriveBusyException(unit.Path, unit.Path + " is in use by another MtkFlash process (exclusive lock on " + path + ").", ex);
            }
        }
    }
}
