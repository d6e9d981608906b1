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
    /// A virtual drive whose own files are damaged (drive.json unreadable or invalid, flash.bin missing or the wrong size):
    /// it cannot be opened, but it is listed as damaged and `virtual remove` removes it.
    /// </summary>
    public sealed class VirtualDriveDamagedException : DriveCommunicationException
    {
        public VirtualDriveDamagedException(string drivePath, string file, string problem, Exception inner = null)
            : base(drivePath, drivePath + " is damaged: " + file + " " + problem, inner)
        {
            File = file; Problem = file + " " + problem;
        }

        /// <summary>The file that is damaged.</summary>
        public string File { get; }
        /// <summary>The file and what is wrong with it.</summary>
        public string Problem { get; }
    }

    /// <summary>A folder in the store has a drive's name but is not a virtual drive (no drive.json): MtkFlash leaves it alone.</summary>
    public sealed class VirtualFolderNotADriveException : InvalidOperationException
    {
        public VirtualFolderNotADriveException(string name, string folder, string why)
            : base("A folder named '" + name + "' exists (" + folder + ") and is not a valid virtual drive: " + why + " Nothing in it was changed.")
        {
            Name = name; Folder = folder;
        }

        public string Name { get; }
        public string Folder { get; }
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

        /// <summary>A name that can address a drive folder (what every lookup accepts).</summary>
        public static bool IsValidName(string name) => name != null && NamePattern.IsMatch(name) && name != "." && name != "..";

        /// <summary>
        /// A name a new drive may take: a valid name that also behaves on Windows and in a shell, so not a reserved device
        /// name (CON, PRN, AUX, NUL, COM0–9, LPT0–9, with or without an extension) and not starting with '-'.
        /// Drives made before this rule keep working: lookups only need <see cref="IsValidName"/>.
        /// </summary>
        public static bool IsValidNewName(string name) => NewNameProblem(name) == null;

        /// <summary>Throws <see cref="ArgumentException"/> with a clear message for a bad name.</summary>
        public static string ValidateName(string name)
        {
            if (!IsValidName(name)) throw new ArgumentException(BadName(name), nameof(name));
            return name;
        }

        /// <summary>Throws <see cref="ArgumentException"/> with a clear message for a name a new drive may not take.</summary>
        public static string ValidateNewName(string name)
        {
            var problem = NewNameProblem(name);
            if (problem != null) throw new ArgumentException(problem, nameof(name));
            return name;
        }

        static string NewNameProblem(string name)
        {
            if (!IsValidName(name)) return BadName(name);
            if (name.StartsWith("-", StringComparison.Ordinal))
                return "'" + name + "' is not a valid virtual drive name: it may not start with '-' (a shell or command line takes it for an option).";
            if (FileKinds.IsReservedDeviceName(name))
                return "'" + name + "' is not a valid virtual drive name: it is a reserved device name on Windows (CON, PRN, AUX, NUL, COM0-9, LPT0-9, with or without an extension).";
            return null;
        }

        static string BadName(string name) =>
            "'" + name + "' is not a valid virtual drive name: use 1 to 64 letters, digits, '.', '_' or '-' (not '.' or '..').";

        /// <summary>"virtual:NAME" or "NAME" → "NAME".</summary>
        public static string NameFromPath(string pathOrName)
        {
            if (pathOrName == null) return null;
            return pathOrName.StartsWith(VirtualDrivePlatform.Prefix, StringComparison.OrdinalIgnoreCase)
                ? pathOrName.Substring(VirtualDrivePlatform.Prefix.Length) : pathOrName;
        }

        public string FolderOf(string name) => System.IO.Path.Combine(Root, ValidateName(name));

        public bool Exists(string name) =>
            IsValidName(name) && File.Exists(System.IO.Path.Combine(Root, name, VirtualDriveFolder.RecordFile));

        // ---------------------------------------------------------------- store operations

        /// <summary>Creates a drive whose flash is the profile's synthetic image (revision default: the profile's) plus per-drive regions.</summary>
        /// <summary>
        /// Creates a drive whose flash is the profile's synthetic image (revision default: the profile's) plus per-drive
        /// regions. Never deletes anything: a name whose folder holds a drive (even a damaged one) or anything else is
        /// refused (<see cref="InvalidOperationException"/>, <see cref="VirtualFolderNotADriveException"/>).
        /// </summary>
        public VirtualDriveInfo Create(string name, string profile, string revision = null, bool withDisc = false)
        {
            ValidateNewName(name);
            var p = VirtualProfiles.Get(profile);
            if (revision != null) SyntheticImages.ValidateRevision(revision);
            var folder = FolderOf(name);
            lock (Units)
            {
                if (Exists(name)) throw new InvalidOperationException("A virtual drive named '" + name + "' already exists (" + folder + ").");
                if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
                    throw new VirtualFolderNotADriveException(name, folder, NotADriveReason(folder));
                if (System.IO.File.Exists(folder))
                    throw new VirtualFolderNotADriveException(name, folder, "it is a file, not a folder.");
                Directory.CreateDirectory(folder);
                var unit = VirtualDriveUnit.CreateNew(folder, p, revision, withDisc, _clock.UtcNow);
                Units[folder] = unit;
                lock (unit.Gate) return unit.Info();
            }
        }

        /// <summary>
        /// Deletes a drive, damaged or not: MtkFlash's own files (flash.bin, drive.json, eeprom.bin, lock, their temporary
        /// files), then the folder when nothing else is left. Files MtkFlash did not create are kept, and returned by name.
        /// A folder without drive.json is not a drive: refused (<see cref="VirtualFolderNotADriveException"/>) unless
        /// <paramref name="force"/>, which removes only MtkFlash's own files from it too. Refused with
        /// <see cref="DriveBusyException"/> while the drive is open anywhere.
        /// </summary>
        public IReadOnlyList<string> Remove(string name, bool force = false)
        {
            ValidateName(name);
            var folder = FolderOf(name);
            if (!Exists(name))
            {
                if (!Directory.Exists(folder)) throw new VirtualDriveNotFoundException(name, Root);
                if (!HoldsOwnFiles(folder)) throw new VirtualFolderNotADriveException(name, folder, "it holds none of MtkFlash's files.");
                if (!force) throw new VirtualFolderNotADriveException(name, folder, NotADriveReason(folder));
            }
            lock (Units)
            {
                Units.TryGetValue(folder, out var unit);
                if (unit != null)
                    lock (unit.Gate)
                        if (unit.OpenHandles > 0)
                            throw new DriveBusyException(unit.Path, unit.Path + " is open in this process; close it before removing it.");
                var path = VirtualDrivePlatform.Prefix + name;
                using (TakeLock(path, folder)) { }
                var kept = VirtualDriveFolder.DeleteOwnFiles(folder);
                Units.Remove(folder);
                return kept;
            }
        }

        /// <summary>
        /// Every drive of the store, by name, damaged ones included (with <see cref="VirtualDriveInfo.Damage"/> naming the file
        /// and what is wrong). Folders holding none of MtkFlash's files are not drives and are not listed.
        /// </summary>
        public IReadOnlyList<VirtualDriveInfo> List()
        {
            var result = new List<VirtualDriveInfo>();
            if (!Directory.Exists(Root)) return result;
            foreach (var dir in Directory.GetDirectories(Root).OrderBy(d => d, StringComparer.OrdinalIgnoreCase))
            {
                var info = Inspect(System.IO.Path.GetFileName(dir));
                if (info != null) result.Add(info);
            }
            return result;
        }

        /// <summary>
        /// One drive as <see cref="List"/> shows it: healthy, or damaged with the reason; null when there is no drive of that
        /// name (no folder, or a folder holding none of MtkFlash's files).
        /// </summary>
        public VirtualDriveInfo Inspect(string name)
        {
            if (!IsValidName(name)) return null;
            var folder = FolderOf(name);
            if (!Directory.Exists(folder)) return null;
            try { var unit = Unit(name); lock (unit.Gate) return unit.Info(); }
            catch (VirtualDriveDamagedException ex) { return DamagedInfo(name, folder, ex.Problem); }
            catch (VirtualDriveNotFoundException) { return null; }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { return DamagedInfo(name, folder, folder + " cannot be read: " + ex.Message); }
        }

        static VirtualDriveInfo DamagedInfo(string name, string folder, string problem) => new VirtualDriveInfo
        {
            Name = name, Path = VirtualDrivePlatform.Prefix + name, Folder = folder, State = null, Damage = problem,
        };

        /// <summary>Why a folder is not a drive, in words for a message ("…/drive.json is missing.").</summary>
        static string NotADriveReason(string folder) => RecordPath(folder) + " " + RecordProblem(folder) + ".";

        static string RecordPath(string folder) => System.IO.Path.Combine(folder, VirtualDriveFolder.RecordFile);

        /// <summary>What is wrong with a folder's drive.json when it is not a file: "is missing", "is a folder, not a file".</summary>
        static string RecordProblem(string folder)
        {
            var kind = FileKinds.Of(RecordPath(folder));
            return kind == PathKind.Missing ? "is missing" : "is " + FileKinds.Describe(kind) + ", not a file";
        }

        /// <summary>True when a folder holds at least one file of MtkFlash's naming (a drive, or what is left of one).</summary>
        static bool HoldsOwnFiles(string folder)
        {
            try { return Directory.EnumerateFileSystemEntries(folder).Any(e => VirtualDriveFolder.IsOwnFile(System.IO.Path.GetFileName(e))); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { return false; }
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

        /// <summary>
        /// The drive's shared in-memory state, loaded on first use. A damaged drive throws <see cref="VirtualDriveDamagedException"/>
        /// (and is dropped from memory, so it can be listed and removed); a folder with MtkFlash's files but no drive.json is damaged too.
        /// </summary>
        internal VirtualDriveUnit Unit(string name)
        {
            ValidateName(name);
            var folder = FolderOf(name);
            var path = VirtualDrivePlatform.Prefix + name;
            if (!Exists(name))
            {
                if (Directory.Exists(folder) && HoldsOwnFiles(folder))
                    throw new VirtualDriveDamagedException(path, RecordPath(folder), RecordProblem(folder) +
                        " (remove what is left with: mtkflash virtual remove " + name + " --force).");
                throw new VirtualDriveNotFoundException(name, Root);
            }
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
            try
            {
                lock (unit.Gate) unit.RefreshFromDiskIfIdle();
            }
            catch (VirtualDriveDamagedException)
            {
                lock (Units)
                    if (unit.OpenHandles == 0 && Units.TryGetValue(folder, out var cached) && cached == unit) Units.Remove(folder);
                throw;
            }
            return unit;
        }

        static FileStream TakeLock(VirtualDriveUnit unit) => TakeLock(unit.Path, unit.Folder);

        static FileStream TakeLock(string drivePath, string folder)
        {
            var path = System.IO.Path.Combine(folder, VirtualDriveFolder.LockFile);
            if (FileKinds.Of(path) != PathKind.File && FileKinds.Of(path) != PathKind.Missing)
                throw new VirtualDriveDamagedException(drivePath, path, "is " + FileKinds.Describe(FileKinds.Of(path)) + ", not a file.");
            try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (UnauthorizedAccessException ex) { throw new VirtualDriveDamagedException(drivePath, path, "cannot be opened: " + ex.Message, ex); }
            catch (IOException ex)
            {
                throw new DriveBusyException(drivePath, drivePath + " is in use by another MtkFlash process (exclusive lock on " + path + ").", ex);
            }
        }
    }
}
