using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Serialization;

namespace MtkFlash.Core.Virtual
{
    /// <summary>A commit in progress: the flash already holds the new image; the drive answers NOT READY until it ends.</summary>
    internal sealed class CommitState
    {
        public byte[] NewFlash;
        public IClock Clock;
        public TimeSpan EndsAt;
        public SenseData BusySense;
        public VirtualDriveMode ModeAfter;
        /// <summary>First address the commit programs (after the protected boot block); a power loss damages from here on.</summary>
        public int ProgramStart;
    }

    /// <summary>
    /// The one in-memory state of a virtual drive inside a process (every open of the same folder shares it): flash,
    /// persisted record, RAM-only download state. All access under <see cref="Gate"/>.
    /// </summary>
    internal sealed class VirtualDriveUnit
    {
        public const string FlashFile = "flash.bin";
        public const string RecordFile = "drive.json";
        public const string EepromFile = "eeprom.bin";
        public const string LockFile = "lock";

        /// <summary>The files MtkFlash makes in a drive folder: the only ones it ever deletes there.</summary>
        public static readonly string[] OwnFiles = { FlashFile, RecordFile, EepromFile, LockFile };
        /// <summary>Temporary files of <see cref="AtomicFile"/> for the drive's own files (NAME.tmp-GUID).</summary>
        static readonly System.Text.RegularExpressions.Regex OwnTempFile =
            new System.Text.RegularExpressions.Regex(@"^(flash\.bin|drive\.json|eeprom\.bin)\.tmp-[0-9a-f]{32}$");
        /// <summary>A temporary file this old was left by a write that failed or was killed (a write takes milliseconds).</summary>
        static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);
        /// <summary>A drive.json larger than this is damaged (a real one is well under 1 KiB).</summary>
        const int MaxRecordBytes = 64 * 1024;

        public static bool IsOwnFile(string fileName) => Array.IndexOf(OwnFiles, fileName) >= 0 || IsOwnTempFile(fileName);
        public static bool IsOwnTempFile(string fileName) => fileName != null && OwnTempFile.IsMatch(fileName);

        public readonly object Gate = new object();
        public string Folder { get; }
        public string Name { get; }
        public VirtualProfile Profile { get; private set; }
        public string Serial { get; private set; }
        public string Created { get; private set; }
        public VirtualDriveMode Mode { get; set; }
        public TrayState Tray { get; set; }
        public VirtualDriveFaults Faults { get; private set; } = new VirtualDriveFaults();
        public byte[] Flash { get; private set; }

        // RAM-only state: lost on a power loss.
        public bool PoweredOff;
        /// <summary>Fault countdowns changed in memory since the record was last saved.</summary>
        public bool FaultsDirty;
        public bool PendingUnitAttention;
        public SenseData LastSense;
        public CommitState Commit;
        public Personality Personality { get; private set; }

        // Handles of this process.
        public int OpenHandles;
        public bool ExclusivelyHeld;
        DateTime _recordStamp;
        FirmwareIdentity _identity;
        bool _identityRead;

        VirtualDriveUnit(string folder) { Folder = folder; Name = System.IO.Path.GetFileName(folder); Timer = new VirtualDriveTimer(this); }

        /// <summary>Spends the drive's time (its family's timing model) on the clock of the handle that sends a command.</summary>
        internal VirtualDriveTimer Timer { get; }

        public string Path => VirtualDrivePlatform.Prefix + Name;
        string RecordPath => System.IO.Path.Combine(Folder, RecordFile);
        string FlashPath => System.IO.Path.Combine(Folder, FlashFile);

        // ---------------------------------------------------------------- creation and persistence

        public static VirtualDriveUnit CreateNew(string folder, VirtualProfile profile, string revision, bool withDisc, DateTimeOffset now)
        {
            var unit = new VirtualDriveUnit(folder) { Profile = profile, Tray = withDisc ? TrayState.Disc : TrayState.Empty, Mode = VirtualDriveMode.Normal };
            // The serial number is seeded by the drive's folder, not only its name: two drives never share one, even when
            // two MTKFLASH_HOMEs (two machines of a fleet) each have a drive of the same name. The flash bytes stay seeded
            // by the name, so a drive of a given name and profile has the same contents wherever it is made (tests compare
            // writes to such drives byte for byte).
            unit.Serial = profile.SerialPrefix + (Prng.Hash("serial:" + System.IO.Path.GetFullPath(folder)) & 0xFFFFFFFFFFUL).ToString("X10", CultureInfo.InvariantCulture);
            unit.Created = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var flash = SyntheticImages.Build(profile, revision ?? profile.Revision);
            // Per-drive bytes, seeded by the drive name: those in drive-unique regions survive every flash, unit data does not.
            foreach (var r in profile.DriveUniqueRegions.Concat(profile.UnitDataRegions)) new Prng("unique:" + unit.Name + ":" + r.Name).Fill(flash, r.Start, r.Length);
            unit.Flash = flash;
            unit.Personality = Personality.For(unit);
            // The folder exists and is empty (the store checks): on failure, take back exactly what was written here.
            try
            {
                unit.SaveFlash();
                if (profile.EepromSize > 0)
                {
                    var eeprom = new byte[profile.EepromSize];
                    new Prng("eeprom:" + unit.Name).Fill(eeprom, 0, eeprom.Length);
                    AtomicFile.Write(System.IO.Path.Combine(folder, EepromFile), eeprom);
                }
                unit.SaveRecord();
            }
            catch
            {
                DeleteOwnFiles(folder);
                throw;
            }
            return unit;
        }

        /// <summary>Loads a drive; a damaged drive.json or flash.bin throws <see cref="VirtualDriveDamagedException"/> naming the file.</summary>
        public static VirtualDriveUnit Load(string folder)
        {
            var unit = new VirtualDriveUnit(folder);
            SweepStaleTempFiles(folder);
            unit.ReadRecord();
            unit.Flash = unit.ReadFlashFile();
            unit.Personality = Personality.For(unit);
            if (unit.Personality.BootCheck()) unit.SaveRecord();
            return unit;
        }

        /// <summary>drive.json, through the same property list it is written with. Nothing changes unless all of it is good.</summary>
        void ReadRecord()
        {
            var stamp = File.GetLastWriteTimeUtc(RecordPath);
            var bytes = ReadOwnFile(Path, RecordPath, MaxRecordBytes);
            VirtualDriveRecord record;
            try { record = VirtualDriveRecord.Parse(System.Text.Encoding.UTF8.GetString(bytes)); }
            catch (FormatException ex) { throw new VirtualDriveDamagedException(Path, RecordPath, "is not a valid drive description: " + ex.Message); }
            var profile = VirtualProfiles.Find(record.Profile) ??
                throw new VirtualDriveDamagedException(Path, RecordPath, "names " + (record.Profile == null ? "no profile." : "an unknown profile '" + record.Profile + "'."));
            Profile = profile;
            Serial = record.Serial ?? string.Empty;
            Created = record.Created;
            Mode = record.State;
            Tray = record.Tray;
            Faults = record.Faults ?? new VirtualDriveFaults();
            _recordStamp = stamp;
        }

        byte[] ReadFlashFile()
        {
            var flash = ReadOwnFile(Path, FlashPath, Profile.FlashSize);
            if (flash.Length != Profile.FlashSize)
                throw new VirtualDriveDamagedException(Path, FlashPath, "is " + flash.Length + " bytes; profile " + Profile.Name + " needs " + Profile.FlashSize + ".");
            return flash;
        }

        /// <summary>
        /// Reads one of a drive's own files whole, refusing FIFOs and devices before opening them. Anything wrong throws
        /// <see cref="VirtualDriveDamagedException"/> naming the file and what is wrong with it.
        /// </summary>
        static byte[] ReadOwnFile(string drivePath, string file, long maxBytes)
        {
            var kind = FileKinds.Of(file);
            if (kind == PathKind.Missing) throw new VirtualDriveDamagedException(drivePath, file, "is missing.");
            if (kind != PathKind.File) throw new VirtualDriveDamagedException(drivePath, file, "is " + FileKinds.Describe(kind) + ", not a file.");
            try
            {
                using (var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                {
                    if (fs.Length > maxBytes)
                        throw new VirtualDriveDamagedException(drivePath, file, "is " + fs.Length + " bytes; it can be at most " + maxBytes + ".");
                    var data = new byte[fs.Length];
                    int read = 0, n;
                    while (read < data.Length && (n = fs.Read(data, read, data.Length - read)) > 0) read += n;
                    if (read == data.Length) return data;
                    var cut = new byte[read];
                    Array.Copy(data, cut, read);
                    return cut;
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new VirtualDriveDamagedException(drivePath, file, "cannot be read: " + ex.Message, ex);
            }
        }

        /// <summary>Deletes temporary files of MtkFlash's own naming left in a drive folder by a write that failed or was killed.</summary>
        internal static void SweepStaleTempFiles(string folder)
        {
            string[] entries;
            try { entries = Directory.GetFiles(folder); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { return; }
            foreach (var file in entries)
            {
                if (!IsOwnTempFile(System.IO.Path.GetFileName(file))) continue;
                try
                {
                    if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) >= StaleAfter) File.Delete(file);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { }
            }
        }

        /// <summary>
        /// Deletes MtkFlash's own files from a drive folder (and the folder when nothing else is left). Returns the names of
        /// what was kept: files MtkFlash did not create, and folders under its file names (a FIFO or device node under such
        /// a name holds no data and goes).
        /// </summary>
        internal static IReadOnlyList<string> DeleteOwnFiles(string folder)
        {
            if (!Directory.Exists(folder)) return new string[0];
            var kept = new List<string>();
            foreach (var entry in Directory.GetFileSystemEntries(folder))
            {
                var name = System.IO.Path.GetFileName(entry);
                if (!IsOwnFile(name) || Directory.Exists(entry)) { kept.Add(name); continue; }
                File.Delete(entry);
            }
            if (kept.Count == 0) Directory.Delete(folder, false);
            kept.Sort(StringComparer.Ordinal);
            return kept;
        }

        /// <summary>On open: picks up changes another process made to drive.json (faults, tray) while nobody here had it open.</summary>
        public void RefreshFromDiskIfIdle()
        {
            if (OpenHandles > 0 || Commit != null) return;
            var info = new FileInfo(RecordPath);
            if (!info.Exists || info.LastWriteTimeUtc == _recordStamp) return;
            ReadRecord();
            Flash = ReadFlashFile();
            FlashChanged();
            Personality.ResetDownload();
        }

        public void SaveRecord()
        {
            FaultsDirty = false;
            var record = new VirtualDriveRecord { Name = Name, Profile = Profile.Name, Serial = Serial, State = Mode, Tray = Tray, Faults = Faults, Created = Created };
            AtomicFile.Write(RecordPath, System.Text.Encoding.UTF8.GetBytes(Json.Serialize(record, indented: true) + "\n"));
            _recordStamp = new FileInfo(RecordPath).LastWriteTimeUtc;
        }

        public void SaveFlash() => AtomicFile.Write(FlashPath, Flash);

        /// <summary>Replaces the flash contents and persists them (what a real drive keeps across power loss).</summary>
        public void SetFlash(byte[] flash)
        {
            Flash = flash;
            FlashChanged();
            SaveFlash();
        }

        void FlashChanged() { _identityRead = false; _identity = null; }

        public FirmwareIdentity Identity
        {
            get
            {
                if (!_identityRead) { _identity = SyntheticImages.ReadIdentity(Profile, Flash); _identityRead = true; }
                return _identity;
            }
        }

        public VirtualDriveInfo Info() => new VirtualDriveInfo
        {
            Name = Name, Path = Path, Profile = Profile.Name, Family = Profile.Family, Model = Profile.Model,
            Vendor = Identity?.Vendor ?? Profile.Vendor, Product = Identity?.Product ?? Profile.Product,
            Revision = Mode == VirtualDriveMode.Boot ? "BOOT" : Identity?.Revision, Serial = Serial, State = Mode, Tray = Tray,
            Faults = Faults.Clone(), Folder = Folder,
        };

        // ---------------------------------------------------------------- power

        /// <summary>A re-open after a power loss: power returns. RAM state is gone; the boot check runs; UNIT ATTENTION follows.</summary>
        public void PowerOnIfOff()
        {
            if (!PoweredOff) return;
            PoweredOff = false;
            Commit = null;
            LastSense = null;
            Personality.ResetDownload();
            Personality.BootCheck();
            PendingUnitAttention = Mode != VirtualDriveMode.Dead;
            SaveRecord();
        }

        void PowerLoss()
        {
            PoweredOff = true;
            Faults.PowerLossAfter = null;
            Timer.OnPowerLoss();
            if (Commit != null)
            {
                // Interrupted while programming: the upper half of what was being written is still erased [inferred model].
                var damaged = (byte[])Commit.NewFlash.Clone();
                int from = Commit.ProgramStart + (damaged.Length - Commit.ProgramStart) / 2;
                for (int i = from; i < damaged.Length; i++)
                    if (!Profile.IsDriveUnique(i)) damaged[i] = 0xFF;
                SetFlash(damaged);
                Mode = Profile.HasBootLoader ? VirtualDriveMode.Boot : VirtualDriveMode.Dead;
                Commit = null;
            }
            else Personality.OnPowerLoss();
            Personality.ResetDownload();
            SaveRecord();
        }

        // ---------------------------------------------------------------- commit

        /// <summary>Starts programming: the flash takes the new image now (persisted), the drive is NOT READY until the end.</summary>
        public void BeginCommit(byte[] newFlash, IClock clock, TimeSpan duration, SenseData busySense, int programStart, VirtualDriveMode modeAfter = VirtualDriveMode.Normal)
        {
            SetFlash(newFlash);
            Commit = new CommitState
            {
                NewFlash = newFlash, Clock = clock, EndsAt = clock.Elapsed + duration, BusySense = busySense, ModeAfter = modeAfter, ProgramStart = programStart,
            };
        }

        void CompleteCommitIfDue()
        {
            if (Commit == null || Commit.Clock.Elapsed < Commit.EndsAt) return;
            Mode = Commit.ModeAfter;
            var endedAt = Commit.EndsAt;
            Commit = null;
            Reboot(endedAt);
        }

        /// <summary>
        /// The drive restarts by itself (after a flash) from `from` (default: now): NOT READY for its reboot time, then the
        /// next command gets UNIT ATTENTION 6/29/00.
        /// </summary>
        public void Reboot(TimeSpan? from = null)
        {
            Timer.OnReboot(from);
            Personality.ResetDownload();
            PendingUnitAttention = true;
            SaveRecord();
        }

        // ---------------------------------------------------------------- command execution

        public ScsiResponse Execute(VirtualDrive handle, ScsiRequest r) => Timer.Execute(handle, r);

        internal ScsiResponse ExecuteUntimed(VirtualDrive handle, ScsiRequest r)
        {
            lock (Gate)
            {
                var clock = handle.Clock;
                if (Mode == VirtualDriveMode.Dead)
                    throw new DriveNotRespondingException(Path, Path + " does not answer: its firmware was interrupted while being written and the " +
                        Profile.Family.ToString() + " family has no protected boot loader (emulated dead drive).");
                if (PoweredOff)
                    throw new DriveNotRespondingException(Path, Path + " does not answer: it lost power (injected fault). Open it again to power it on.");
                if (Faults.PowerLossAfter != null)
                {
                    if (Faults.PowerLossAfter <= 0)
                    {
                        PowerLoss();
                        throw new DriveNotRespondingException(Path, Path + " lost power during " + r.Name + " (injected fault).");
                    }
                    Faults.PowerLossAfter--;
                    FaultsDirty = true;   // saved when the fault fires or the last handle closes, not per command
                }
                if (Faults.HangAfter != null)
                {
                    if (Faults.HangAfter <= 0)
                    {
                        clock.Sleep(r.Timeout);   // the command never completes: the host gives up at its timeout
                        throw new ScsiTimeoutException(Path, r);
                    }
                    Faults.HangAfter--;
                    FaultsDirty = true;
                }
                if (Faults.Transients.Count > 0)
                {
                    var t = Faults.NextTransient();
                    FaultsDirty = true;
                    if (t != null)
                    {
                        SaveRecord();
                        return Transient(t.Kind);
                    }
                }

                CompleteCommitIfDue();
                if (Commit != null)
                {
                    // Committing: nothing but REQUEST SENSE is served (drive-protocols.md §6).
                    if (r.Opcode == Cdb.RequestSenseOpcode) return SenseAsData(Commit.BusySense, r);
                    return ScsiResponse.Check(Commit.BusySense);
                }
                if (Timer.RebootAnswer(r, clock) is ScsiResponse rebooting) return rebooting;
                if (PendingUnitAttention && r.Opcode != Cdb.InquiryOpcode)
                {
                    // SPC: INQUIRY does not report a unit attention; REQUEST SENSE returns it as data and clears it.
                    PendingUnitAttention = false;
                    var ua = new SenseData(SenseTexts.UnitAttention, 0x29, 0x00);
                    if (r.Opcode == Cdb.RequestSenseOpcode) return SenseAsData(ua, r);
                    return ScsiResponse.Check(ua);
                }
                if (Mode == VirtualDriveMode.Boot && !Personality.AcceptsInBoot(r.Opcode)) return Remember(Illegal(0x20));

                var response = Personality.Execute(r, clock) ?? Standard(r);
                return Remember(response);
            }
        }

        ScsiResponse Remember(ScsiResponse response)
        {
            if (response.Sense != null) LastSense = response.Sense;
            return response;
        }

        /// <summary>
        /// The command is not executed. A unit attention reports an event that already happened: after a reset (29/00) or a
        /// microcode change (3F/01) the download state the drive held in RAM is gone, so a host that goes on sending blocks
        /// gets them refused (MT1959, BTC: 5/2C/00 without an armed download) or starts a new stream; the flash itself keeps
        /// what was already programmed. A commit in progress goes on [inferred: no source says what a reset does mid-commit].
        /// BUSY and NOT READY reject the command and keep every state.
        /// </summary>
        ScsiResponse Transient(TransientKind kind)
        {
            switch (kind)
            {
                case TransientKind.UnitAttention:
                    if (Commit == null) Personality.ResetDownload();
                    PendingUnitAttention = false;   // this answer is the unit attention of the reset
                    return ScsiResponse.Check(SenseTexts.UnitAttention, 0x29, 0x00);
                case TransientKind.MicrocodeChanged:
                    if (Commit == null) Personality.ResetDownload();
                    return ScsiResponse.Check(SenseTexts.UnitAttention, 0x3F, 0x01);
                case TransientKind.NotReady: return ScsiResponse.Check(SenseTexts.NotReady, 0x04, 0x01);
                default: return ScsiResponse.Busy();
            }
        }

        internal static ScsiResponse Illegal(byte asc) => ScsiResponse.Check(SenseTexts.IllegalRequest, asc, 0x00);

        static ScsiResponse SenseAsData(SenseData sense, ScsiRequest r) => DataIn(sense.ToFixedFormat(), r);

        /// <summary>Data-in response truncated to what the host asked for.</summary>
        internal static ScsiResponse DataIn(byte[] data, ScsiRequest r)
        {
            int n = Math.Min(data.Length, r.Direction == DataDirection.In ? r.InLength : 0);
            if (n == data.Length) return ScsiResponse.Good(data);
            var cut = new byte[n];
            Array.Copy(data, cut, n);
            return ScsiResponse.Good(cut);
        }

        ScsiResponse NoMedium() => ScsiResponse.Check(SenseTexts.NotReady, 0x3A, 0x01);   // medium not present, tray closed

        bool HasDisc => Tray == TrayState.Disc;
        int DiscBlocks => Profile.DiscProfile == 0x0040 ? 12219392 : 2295104;   // BD-25 / DVD-5 sizes in 2048-byte blocks

        /// <summary>The MMC commands every personality answers the same way (drive-protocols.md §4.4–§4.6).</summary>
        ScsiResponse Standard(ScsiRequest r)
        {
            var cdb = r.Cdb;
            switch (r.Opcode)
            {
                case Cdb.TestUnitReadyOpcode:
                    return HasDisc ? ScsiResponse.Good() : NoMedium();
                case Cdb.RequestSenseOpcode:
                {
                    var sense = LastSense ?? new SenseData(SenseTexts.NoSense, 0, 0);
                    LastSense = null;
                    return SenseAsData(sense, r);
                }
                case Cdb.InquiryOpcode:
                    if ((cdb[1] & 0x01) != 0 || cdb[2] != 0) return Illegal(0x24);   // no VPD pages
                    return DataIn(InquiryBytes(), r);
                case Cdb.GetConfigurationOpcode:
                    return DataIn(ConfigurationBytes(cdb), r);
                case Cdb.ModeSense6Opcode:
                    return DataIn(new byte[] { 3, 0, 0, 0 }, r);                  // header only, no pages
                case Cdb.ModeSense10Opcode:
                    return DataIn(new byte[] { 0, 6, 0, 0, 0, 0, 0, 0 }, r);
                case Cdb.StartStopUnitOpcode:
                case 0x1E:                                                       // PREVENT ALLOW MEDIUM REMOVAL
                    return ScsiResponse.Good();
                case Cdb.GetEventStatusOpcode:
                    return DataIn(new byte[] { 0, 2, 0x80, 0 }, r);              // no event available
                case Cdb.ReadCapacityOpcode:
                {
                    if (!HasDisc) return NoMedium();
                    var d = new byte[8];
                    BigEndian.Put32(d, 0, (uint)(DiscBlocks - 1));
                    BigEndian.Put32(d, 4, 2048);
                    return DataIn(d, r);
                }
                case 0x43:                                                       // READ TOC, format 0: one data track
                {
                    if (!HasDisc) return NoMedium();
                    var d = new byte[20];
                    BigEndian.Put16(d, 0, 18); d[2] = 1; d[3] = 1;
                    d[5] = 0x14; d[6] = 1;
                    d[13] = 0x14; d[14] = 0xAA; BigEndian.Put32(d, 16, (uint)DiscBlocks);
                    return DataIn(d, r);
                }
                case Cdb.Read10Opcode:
                {
                    if (!HasDisc) return NoMedium();
                    long lba = BigEndian.Get32(cdb, 2);
                    int blocks = BigEndian.Get16(cdb, 7);
                    if (lba + blocks > DiscBlocks) return Illegal(0x21);
                    return DataIn(new byte[blocks * 2048], r);                    // a blank-looking disc
                }
                case Cdb.MediatekReadCacheOpcode:
                {
                    // F1 06 [addr BE32] [len BE32]: DRAM cache read (drive-protocols.md §2.4, redumper drive/mediatek.ixx).
                    if (!Profile.MediatekCacheRead) return Illegal(0x20);
                    if (cdb.Length < 10 || cdb[1] != 0x06) return Illegal(0x24);
                    long len = BigEndian.Get32(cdb, 6);
                    if (len > 0x10000) return Illegal(0x24);
                    return DataIn(new byte[len], r);                              // empty cache: no disc has been read
                }
                default:
                    return Illegal(0x20);
            }
        }

        byte[] InquiryBytes()
        {
            var id = Identity;
            var revision = Mode == VirtualDriveMode.Boot ? "BOOT" : id?.Revision ?? string.Empty;
            return InquiryData.Build(id?.Vendor ?? Profile.Vendor, id?.Product ?? Profile.Product, revision,
                Mode == VirtualDriveMode.Boot ? string.Empty : id?.VendorSpecific);
        }

        /// <summary>GET CONFIGURATION: profile list (0000h), Core, Removable Medium, Microcode Upgrade where advertised, serial (0108h), firmware date (010Ch).</summary>
        byte[] ConfigurationBytes(byte[] cdb)
        {
            int rt = cdb[1] & 0x03;
            int start = BigEndian.Get16(cdb, 2);
            int current = HasDisc ? Profile.DiscProfile : 0;
            var profileList = new List<byte>();
            foreach (var p in Profile.SupportedProfiles)
                profileList.AddRange(new[] { (byte)(p >> 8), (byte)p, (byte)(p == current ? 1 : 0), (byte)0 });
            var features = new List<KeyValuePair<int, byte[]>>
            {
                new KeyValuePair<int, byte[]>(0x0000, profileList.ToArray()),
                new KeyValuePair<int, byte[]>(0x0001, new byte[] { 0, 0, 0, 2, 1, 0, 0, 0 }),     // Core: ATAPI, DBE
                new KeyValuePair<int, byte[]>(0x0003, new byte[] { 0x29, 0, 0, 0 }),              // Removable Medium: tray, eject
            };
            if (Profile.MicrocodeUpgradeFeature) features.Add(new KeyValuePair<int, byte[]>(ConfigurationData.FeatureMicrocodeUpgrade, new byte[4]));
            features.Add(new KeyValuePair<int, byte[]>(ConfigurationData.FeatureSerialNumber, ConfigurationData.AsciiFeature(Serial)));
            var digits = Mode == VirtualDriveMode.Boot ? null : Identity?.FirmwareDateDigits;
            if (digits != null)
            {
                var date = new byte[16];
                System.Text.Encoding.ASCII.GetBytes(digits, 0, 14, date, 0);
                features.Add(new KeyValuePair<int, byte[]>(ConfigurationData.FeatureFirmwareInformation, date));
            }
            IEnumerable<KeyValuePair<int, byte[]>> selected = features.Where(f => f.Key >= start);
            if (rt == 2) selected = features.Where(f => f.Key == start);
            return ConfigurationData.Build(current, selected);
        }
    }

    /// <summary>
    /// drive.json: what a virtual drive keeps besides its flash. Written and read through <see cref="Json"/>'s one property
    /// list, so a new field is one edit. Missing fields keep the defaults below (state normal, tray empty, no faults).
    /// </summary>
    internal sealed class VirtualDriveRecord
    {
        public string Name { get; set; }
        public string Profile { get; set; }
        public string Serial { get; set; }
        public VirtualDriveMode State { get; set; }
        public TrayState Tray { get; set; }
        public VirtualDriveFaults Faults { get; set; } = new VirtualDriveFaults();
        public string Created { get; set; }

        /// <summary>Reads drive.json text; <see cref="FormatException"/> for anything that is not a valid description.</summary>
        public static VirtualDriveRecord Parse(string text)
        {
            var record = Json.Deserialize<VirtualDriveRecord>(text.TrimStart('\uFEFF')) ?? throw new FormatException("The description is null.");
            record.Faults = record.Faults ?? new VirtualDriveFaults();
            record.Faults.Validate();
            return record;
        }
    }

    /// <summary>
    /// Whole-file writes that never leave a half-written file: temp file in the same folder, then rename. No fsync: the
    /// state models a drive's power loss, not the host's, and fault countdowns are saved after every command.
    /// </summary>
    internal static class AtomicFile
    {
        /// <summary>Writes through a temporary file that is deleted again when anything fails (a full disk, a folder in the way).</summary>
        public static void Write(string path, byte[] bytes)
        {
            var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
            try
            {
                using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    fs.Write(bytes, 0, bytes.Length);
                }
                if (File.Exists(path)) File.Replace(temp, path, null);
                else File.Move(temp, path);
            }
            catch
            {
                try { File.Delete(temp); }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { }
                throw;
            }
        }
    }
}
