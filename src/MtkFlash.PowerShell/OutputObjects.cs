using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Virtual;

namespace MtkFlash.PowerShell
{
    // What the cmdlets write to the pipeline. Every property is a string, a number, a Boolean, a DateTime or a TextList,
    // so that an object says the same thing in a table, in Export-Csv, in ConvertTo-Json and after Start-Job or
    // Invoke-Command (remoting keeps one level of properties): enums are their names, nested results are flattened
    // (Verdict, Newer, Reasons on the image report), byte arrays are methods. The full core object, where there is one,
    // is a method too (GetReport), so nothing is lost in an interactive session.

    /// <summary>The module's words for the core's results: every core object an operation writes becomes its pipeline object here.</summary>
    internal static class PipelineObjects
    {
        public static object From(object item)
        {
            switch (item)
            {
                case Core.Drives.OpticalDrive d: return new OpticalDriveInfo(d);
                case FirmwareImageReport r: return new FirmwareImageInfo(r);
                case BackupResult b: return new DriveFirmwareBackup(b);
                case WriteResult w: return new DriveFirmwareWrite(w);
                case HistoryEntry h: return new DriveFirmwareHistoryEntry(h);
                case VirtualDriveInfo v: return new VirtualOpticalDriveInfo(v);
                case VirtualProfile p: return new VirtualOpticalDriveProfile(p);
                default: return item;
            }
        }
    }

    /// <summary>
    /// A list of texts that reads as one line ("a; b") where PowerShell turns a value into text (Export-Csv, Format-Table),
    /// and as an array in ConvertTo-Json, -contains and indexing.
    /// </summary>
    public sealed class TextList : ReadOnlyCollection<string>
    {
        public TextList(IEnumerable<string> items) : base((items ?? Enumerable.Empty<string>()).Where(s => s != null).ToList()) { }
        public override string ToString() => string.Join("; ", this);
    }

    /// <summary>A drive as Get-OpticalDrive and New-VirtualOpticalDrive write it.</summary>
    public sealed class OpticalDriveInfo
    {
        internal OpticalDriveInfo(Core.Drives.OpticalDrive d)
        {
            Source = d;
            Path = d.Path; Vendor = d.Vendor; Product = d.Product; Revision = d.Revision; FirmwareDate = d.FirmwareDate;
            SerialNumber = d.SerialNumber; Location = d.Location; Family = d.Family.ToString(); Model = d.Model; ListedModel = d.ListedModel; State = d.State.ToString();
            IsVirtual = d.IsVirtual; CanBackup = d.CanBackup; CanFlash = d.CanFlash; MicrocodeUpgrade = d.MicrocodeUpgrade;
            CurrentProfile = d.CurrentProfile; VendorSpecific = d.VendorSpecific; Note = d.Note; AlternatePaths = new TextList(d.AlternatePaths);
        }

        /// <summary>The drive as the core identified it (what the other cmdlets use when the object is piped to them).</summary>
        internal Core.Drives.OpticalDrive Source { get; }

        public string Path { get; }
        public string Vendor { get; }
        public string Product { get; }
        public string Revision { get; }
        public string FirmwareDate { get; }
        public string SerialNumber { get; }
        public string Location { get; }
        /// <summary>Mt1959, Tsst, Btc, Plextor, LiteOn8051, Spc or Unknown.</summary>
        public string Family { get; }
        public string Model { get; }
        /// <summary>The cited public flasher lists this exact model; an unlisted sibling is written only with -AllowUnlistedModel.</summary>
        public bool ListedModel { get; }
        /// <summary>Ready, NoMedium, MediumPresent, BootMode or NotResponding.</summary>
        public string State { get; }
        public bool IsVirtual { get; }
        public bool CanBackup { get; }
        public bool CanFlash { get; }
        public bool MicrocodeUpgrade { get; }
        public string CurrentProfile { get; }
        public string VendorSpecific { get; }
        public string Note { get; }
        public TextList AlternatePaths { get; }
        /// <summary>The machine the drive is attached to, so inventories merged from a fleet stay apart.</summary>
        public string ComputerName { get; } = Environment.MachineName;

        /// <summary>The raw INQUIRY response (a copy), for support cases; not a property, so audits stay small.</summary>
        public byte[] GetRawInquiry() => (byte[])Source.RawInquiry?.Clone();
        /// <summary>The raw GET CONFIGURATION response (a copy).</summary>
        public byte[] GetRawConfiguration() => (byte[])Source.RawConfiguration?.Clone();

        public override string ToString() => Source.ToString();
    }

    /// <summary>What Test-FirmwareImage, Expand-FirmwareImage and New-VirtualFirmwareImage say about a file, and whether it fits a drive.</summary>
    public sealed class FirmwareImageInfo
    {
        readonly FirmwareImageReport _report;

        internal FirmwareImageInfo(FirmwareImageReport r)
        {
            _report = r;
            Path = r.Path; Name = r.Path == null ? null : System.IO.Path.GetFileName(r.Path.TrimEnd('/', '\\'));
            IsValid = r.IsValid; Format = r.Format.ToString(); Family = r.Family.ToString(); Model = r.Model;
            Vendor = r.Vendor; Product = r.Product; Revision = r.Revision; Size = r.Size; FileSize = r.FileSize; Sha256 = r.Sha256;
            Checksum = r.Checksum?.Actual; ChecksumOk = r.Checksum?.Ok;
            BootId = r.Details?.BootId?.Replace('\0', ' ').Trim(); Chip = r.Details?.Chip;
            FlasherVersion = r.Details?.FlasherVersion;
            if (r.Details?.Embedded != null)
                EmbeddedImages = new TextList(r.Details.Embedded.Select(e => (e.Revision ?? "?") + (e.Method == null ? string.Empty : " method " + e.Method)));
            Problems = new TextList(r.Problems.Select(p => p.Code));
            Messages = new TextList(r.Problems.Select(p => p.Severity + " " + p.Code + ": " + p.Message));
            var bundle = r.Details?.Bundle;
            if (bundle != null)
            {
                BackupCompleteness = bundle.Completeness.ToString();
                BackupCreatedUtc = bundle.CreatedUtc.UtcDateTime;
                BackupSerialNumber = bundle.Drive?.SerialNumber;
            }
            var c = r.Compatibility;
            if (c != null)
            {
                Drive = c.Drive; DriveRevision = c.DriveRevision; Verdict = c.Verdict.ToString(); Newer = c.Newer.ToString();
                Reasons = new TextList(c.Reasons);
            }
            Passed = TestFirmwareImageOperation.Passed(r);
        }

        public string Path { get; }
        public string Name { get; }
        public bool IsValid { get; }
        /// <summary>Raw, IntelHex, XFlashExe, BackupBundle, WindowsExecutable, Archive, Text, Empty, NotFound …</summary>
        public string Format { get; }
        public string Family { get; }
        public string Model { get; }
        public string Vendor { get; }
        public string Product { get; }
        public string Revision { get; }
        public long Size { get; }
        public long FileSize { get; }
        public string Sha256 { get; }
        /// <summary>The family checksum as computed (4 hex digits), null when the family has none.</summary>
        public string Checksum { get; }
        /// <summary>True/false when the image stores a checksum to compare with; null otherwise.</summary>
        public bool? ChecksumOk { get; }
        public string BootId { get; }
        public string Chip { get; }
        /// <summary>Vendor flasher EXEs: the XFlash version string the method was chosen by.</summary>
        public string FlasherVersion { get; }
        /// <summary>Vendor flasher EXEs: each embedded image as "REVISION method N" (full details: GetReport().Details.Embedded).</summary>
        public TextList EmbeddedImages { get; }
        /// <summary>Problem codes (stable; see about_MtkFlash).</summary>
        public TextList Problems { get; }
        /// <summary>The problems in words, "Severity Code: message".</summary>
        public TextList Messages { get; }
        /// <summary>Backup bundles: Full, RegionsOnly or IdentityOnly.</summary>
        public string BackupCompleteness { get; }
        public DateTime? BackupCreatedUtc { get; }
        public string BackupSerialNumber { get; }
        /// <summary>The drive the image was checked against (its path), null when none was given.</summary>
        public string Drive { get; }
        public string DriveRevision { get; }
        /// <summary>Fits, CrossFlash or Incompatible; null without a drive.</summary>
        public string Verdict { get; }
        /// <summary>Newer, Same, Older or Unknown: the image's revision against the drive's.</summary>
        public string Newer { get; }
        public TextList Reasons { get; }
        /// <summary>Valid, and fits the drive when one was given (what -Quiet answers).</summary>
        public bool Passed { get; }

        /// <summary>The complete analysis (identity copies, regions, embedded images, bundle parts).</summary>
        public FirmwareImageReport GetReport() => _report;

        public override string ToString() => _report.ToString() + (Verdict == null ? string.Empty : " - " + Verdict + " for " + Drive);
    }

    /// <summary>One backup bundle, as Backup-DriveFirmware writes it.</summary>
    public sealed class DriveFirmwareBackup
    {
        internal DriveFirmwareBackup(BackupResult b)
        {
            Drive = b.Drive; Path = b.Path; Vendor = b.Vendor; Product = b.Product; Revision = b.Revision; SerialNumber = b.SerialNumber;
            Completeness = b.Completeness.ToString(); Reason = b.Reason; Format = b.Format.ToString(); Size = b.Size; Sha256 = b.Sha256;
            CreatedUtc = b.CreatedUtc.UtcDateTime;
            var parts = b.Parts ?? new List<BackupPart>();
            Parts = new TextList(parts.Select(p => p.File));
            PartKinds = new TextList(parts.Select(p => p.Kind.ToString()));
            PartSha256 = new TextList(parts.Select(p => p.Sha256));
        }

        /// <summary>The drive that was backed up (piping this object to Write-DriveFirmware binds this drive).</summary>
        public string Drive { get; }
        /// <summary>The bundle: a folder or a .zip file.</summary>
        public string Path { get; }
        public string Vendor { get; }
        public string Product { get; }
        public string Revision { get; }
        public string SerialNumber { get; }
        /// <summary>Full, RegionsOnly or IdentityOnly.</summary>
        public string Completeness { get; }
        public string Reason { get; }
        /// <summary>Folder or Zip.</summary>
        public string Format { get; }
        public long Size { get; }
        public string Sha256 { get; }
        public DateTime CreatedUtc { get; }
        /// <summary>The bundle's files (firmware.bin, region-*.bin, inquiry.bin …), in manifest order.</summary>
        public TextList Parts { get; }
        /// <summary>Firmware, Region or Identity for each part, in the order of <see cref="Parts"/>.</summary>
        public TextList PartKinds { get; }
        /// <summary>SHA-256 of each part, in the order of <see cref="Parts"/>.</summary>
        public TextList PartSha256 { get; }
        public string ComputerName { get; } = Environment.MachineName;

        public override string ToString() => Drive + ": " + Completeness + " backup " + Path;
    }

    /// <summary>The outcome of one write, as Write-DriveFirmware writes it (and history.jsonl records it).</summary>
    public class DriveFirmwareWrite
    {
        internal DriveFirmwareWrite(WriteResult w)
        {
            Drive = w.Drive; Vendor = w.Vendor; Product = w.Product; SerialNumber = w.SerialNumber; Family = w.Family.ToString();
            Image = w.Image; ImageSha256 = w.ImageSha256; IsRestore = w.IsRestore;
            PreviousRevision = w.PreviousRevision; ExpectedRevision = w.ExpectedRevision; NewRevision = w.NewRevision; BackupPath = w.BackupPath;
            Verified = w.Verified; ReadBackVerified = w.ReadBackVerified; CrossFlash = w.CrossFlash; AllowedUnlistedModel = w.AllowedUnlistedModel; Recover = w.Recover;
            AttemptId = w.AttemptId; FailedStep = w.FailedStep; FailedCommand = w.FailedCommand; DriveAnswer = w.DriveAnswer; DriveStateAfter = w.DriveStateAfter;
            Outcome = w.Outcome.ToString(); ErrorId = w.ErrorId; Message = w.Message;
            PlannedCommands = w.PlannedCommands; CommandsSent = w.CommandsSent; PlanNotes = new TextList(w.PlanNotes);
            StartedUtc = w.StartedUtc.UtcDateTime; DurationSeconds = Math.Round(w.Duration.TotalSeconds, 3); ComputerName = w.ComputerName;
        }

        public string Drive { get; }
        public string Vendor { get; }
        public string Product { get; }
        public string SerialNumber { get; }
        public string Family { get; }
        public string Image { get; }
        public string ImageSha256 { get; }
        public bool IsRestore { get; }
        public string PreviousRevision { get; }
        public string ExpectedRevision { get; }
        public string NewRevision { get; }
        public string BackupPath { get; }
        public bool Verified { get; }
        public bool? ReadBackVerified { get; }
        public bool CrossFlash { get; }
        /// <summary>The model is not on its family's flasher list and -AllowUnlistedModel let the write go ahead.</summary>
        public bool AllowedUnlistedModel { get; }
        public bool Recover { get; }
        /// <summary>Pairs the write-ahead "attempt" line of history.jsonl with its outcome line.</summary>
        public string AttemptId { get; }
        /// <summary>After a failed flash: which state-changing command failed ("#31 of 129"), what it was, what the drive answered, and its state afterwards.</summary>
        public int? FailedStep { get; }
        public string FailedCommand { get; }
        public string DriveAnswer { get; }
        public string DriveStateAfter { get; }
        /// <summary>Succeeded, Failed, Refused, Planned, Stopped; in history also Interrupted (started, no outcome recorded).</summary>
        public string Outcome { get; }
        public string ErrorId { get; }
        public string Message { get; }
        public int PlannedCommands { get; }
        public int CommandsSent { get; }
        public TextList PlanNotes { get; }
        public DateTime StartedUtc { get; }
        public double DurationSeconds { get; }
        /// <summary>The machine that made the attempt; empty for history entries written before MtkFlash recorded it.</summary>
        public string ComputerName { get; }

        public override string ToString() => Drive + ": " + Outcome + (Message == null ? string.Empty : " - " + Message);
    }

    /// <summary>One recorded write attempt, as Get-DriveFirmwareHistory writes it: a write result read back from history.jsonl.</summary>
    public sealed class DriveFirmwareHistoryEntry : DriveFirmwareWrite
    {
        internal DriveFirmwareHistoryEntry(HistoryEntry e) : base(e.Attempt) { }

        public override string ToString() => StartedUtc.ToString("u") + " " + base.ToString();
    }

    /// <summary>A virtual drive as Get-VirtualOpticalDrive, Set-VirtualOpticalDriveFault and Remove-VirtualOpticalDrive write it.</summary>
    public sealed class VirtualOpticalDriveInfo
    {
        internal VirtualOpticalDriveInfo(VirtualDriveInfo v)
        {
            Name = v.Name; Path = v.Path; Profile = v.Profile; Family = v.Family.ToString(); Model = v.Model; Vendor = v.Vendor; Product = v.Product;
            Revision = v.Revision; SerialNumber = v.Serial; State = v.State.ToString(); Tray = v.Tray.ToString(); Folder = v.Folder;
            var f = v.Faults ?? new VirtualDriveFaults();
            Faults = f.ToString(); PowerLossAfter = f.PowerLossAfter; HangAfter = f.HangAfter; Transients = new TextList(f.Transients.Select(t => t.ToString()));
        }

        public string Name { get; }
        /// <summary>virtual:NAME, the path every drive cmdlet takes.</summary>
        public string Path { get; }
        public string Profile { get; }
        public string Family { get; }
        public string Model { get; }
        public string Vendor { get; }
        public string Product { get; }
        /// <summary>The revision its flash holds (BOOT in boot mode).</summary>
        public string Revision { get; }
        public string SerialNumber { get; }
        /// <summary>Normal, Boot (boot loader only) or Dead (no answer at all).</summary>
        public string State { get; }
        /// <summary>Empty or Disc.</summary>
        public string Tray { get; }
        /// <summary>The injected faults in words ("none", "power loss after 40 command(s)").</summary>
        public string Faults { get; }
        public int? PowerLossAfter { get; }
        public int? HangAfter { get; }
        /// <summary>Pending transient conditions, KIND:COUNT.</summary>
        public TextList Transients { get; }
        /// <summary>The folder holding its flash and state.</summary>
        public string Folder { get; }

        public override string ToString() => Path + " (" + Vendor + " " + Product + " " + Revision + ")";
    }

    /// <summary>A drive model the emulator imitates, as Get-VirtualOpticalDriveProfile writes it.</summary>
    public sealed class VirtualOpticalDriveProfile
    {
        internal VirtualOpticalDriveProfile(VirtualProfile p)
        {
            Name = p.Name; Family = p.Family.ToString(); Model = p.Model; Vendor = p.Vendor; Product = p.Product; Revision = p.Revision;
            CanFlash = p.CanFlash; Listed = p.Listed; FlashSize = p.FlashSize;
        }

        /// <summary>The name New-VirtualOpticalDrive -Profile and New-VirtualFirmwareImage -Profile take.</summary>
        public string Name { get; }
        public string Family { get; }
        public string Model { get; }
        public string Vendor { get; }
        public string Product { get; }
        /// <summary>The firmware revision a new drive of this profile starts with.</summary>
        public string Revision { get; }
        /// <summary>MtkFlash flashes this family (a public protocol exists).</summary>
        public bool CanFlash { get; }
        /// <summary>The cited public flasher lists this profile's model (an unlisted one needs -AllowUnlistedModel to be written).</summary>
        public bool Listed { get; }
        /// <summary>Bytes of flash.</summary>
        public int FlashSize { get; }

        public override string ToString() => Name + " (" + Vendor + " " + Product + " " + Revision + ")";
    }
}
