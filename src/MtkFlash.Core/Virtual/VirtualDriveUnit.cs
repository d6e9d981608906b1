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

        readonly VirtualFaultInjector _faultInjector;
        readonly StandardMmcCommands _standard;

        VirtualDriveUnit(string folder)
        {
            Folder = folder; Name = System.IO.Path.GetFileName(folder);
            _faultInjector = new VirtualFaultInjector(this);
            _standard = new StandardMmcCommands(this);
            Timer = new VirtualDriveTimer(this);
        }

        /// <summary>Spends the drive's time (its family's timing model) on the clock of the handle that sends a command.</summary>
        internal VirtualDriveTimer Timer { get; }

        public string Path => VirtualDrivePlatform.Prefix + Name;
        string RecordPath => System.IO.Path.Combine(Folder, VirtualDriveFolder.RecordFile);
        string FlashPath => System.IO.Path.Combine(Folder, VirtualDriveFolder.FlashFile);

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
                    AtomicFile.Write(System.IO.Path.Combine(folder, VirtualDriveFolder.EepromFile), eeprom);
                }
                unit.SaveRecord();
            }
            catch
            {
                VirtualDriveFolder.DeleteOwnFiles(folder);
                throw;
            }
            return unit;
        }

        /// <summary>Loads a drive; a damaged drive.json or flash.bin throws <see cref="VirtualDriveDamagedException"/> naming the file.</summary>
        public static VirtualDriveUnit Load(string folder)
        {
            var unit = new VirtualDriveUnit(folder);
            VirtualDriveFolder.SweepStaleTempFiles(folder);
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
            var record = VirtualDriveRecord.Read(Path, RecordPath);
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
            var flash = VirtualDriveFolder.ReadOwnFile(Path, FlashPath, Profile.FlashSize);
            if (flash.Length != Profile.FlashSize)
                throw new VirtualDriveDamagedException(Path, FlashPath, "is " + flash.Length + " bytes; profile " + Profile.Name + " needs " + Profile.FlashSize + ".");
            return flash;
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
            record.Write(RecordPath);
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
                var injected = _faultInjector.BeforeCommand(r, clock);
                if (injected != null) return injected;

                CompleteCommitIfDue();
                if (Commit != null)
                {
                    // Committing: nothing but REQUEST SENSE is served (docs/reference/drive-protocols.md §6).
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

                var response = Personality.Execute(r, clock) ?? _standard.Execute(r);
                return Remember(response);
            }
        }

        ScsiResponse Remember(ScsiResponse response)
        {
            if (response.Sense != null) LastSense = response.Sense;
            return response;
        }

        internal static ScsiResponse Illegal(byte asc) => ScsiResponse.Check(SenseTexts.IllegalRequest, asc, 0x00);

        internal static ScsiResponse SenseAsData(SenseData sense, ScsiRequest r) => DataIn(sense.ToFixedFormat(), r);

        /// <summary>Data-in response truncated to what the host asked for.</summary>
        internal static ScsiResponse DataIn(byte[] data, ScsiRequest r)
        {
            int n = Math.Min(data.Length, r.Direction == DataDirection.In ? r.InLength : 0);
            if (n == data.Length) return ScsiResponse.Good(data);
            var cut = new byte[n];
            Array.Copy(data, cut, n);
            return ScsiResponse.Good(cut);
        }

    }
}
