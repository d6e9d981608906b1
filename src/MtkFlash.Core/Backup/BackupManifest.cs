using System;
using System.Collections.Generic;
using System.Linq;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Serialization;

namespace MtkFlash.Core.Backup
{
    /// <summary>How much of the drive a backup holds. Never implies more than was read.</summary>
    public enum BackupCompleteness
    {
        /// <summary>The whole firmware image (and the drive-specific regions) were read back and verified.</summary>
        Full,
        /// <summary>Only the drive-specific regions (config, calibration) could be read.</summary>
        RegionsOnly,
        /// <summary>The family has no public read path: identity responses only.</summary>
        IdentityOnly,
    }

    public enum BackupPartKind { Firmware, Region, Identity }

    /// <summary>One file of a bundle with its SHA-256.</summary>
    public sealed class BackupPart
    {
        public string Name { get; set; }
        /// <summary>Identity when a manifest does not say (never more than is there).</summary>
        public BackupPartKind Kind { get; set; } = BackupPartKind.Identity;
        public string File { get; set; }
        /// <summary>Flash offset of a region, else null.</summary>
        public long? Offset { get; set; }
        public long Length { get; set; }
        public string Sha256 { get; set; }
    }

    /// <summary>The identity of the drive a backup came from.</summary>
    public sealed class BackupDriveIdentity
    {
        DriveIdentity _identity = DriveIdentity.Unknown;

        /// <summary>Vendor, product, revision and serial number as one value; the flat properties read and write it.</summary>
        internal DriveIdentity Identity { get => _identity; set => _identity = value ?? DriveIdentity.Unknown; }

        public string Path { get; set; }
        public string Vendor { get => _identity.Vendor; set => _identity = _identity.WithVendor(value); }
        public string Product { get => _identity.Product; set => _identity = _identity.WithProduct(value); }
        public string Revision { get => _identity.Revision; set => _identity = _identity.WithRevision(value); }
        public string SerialNumber { get => _identity.SerialNumber; set => _identity = _identity.WithSerialNumber(value); }
        public string FirmwareDate { get; set; }
        public DriveFamily Family { get; set; }
        public string Model { get; set; }
        public bool IsVirtual { get; set; }

        public static BackupDriveIdentity From(OpticalDrive d) => new BackupDriveIdentity
        {
            Path = d.Path, Identity = d.Identity, FirmwareDate = d.FirmwareDate, Family = d.Family, Model = d.Model, IsVirtual = d.IsVirtual,
        };

        /// <summary>Same physical drive (<see cref="DriveIdentity.IsSameDrive"/>): same vendor, product and serial number.</summary>
        public bool IsSameDrive(OpticalDrive d) => _identity.IsSameDrive(d.Identity);
    }

    /// <summary>manifest.json of a backup bundle (format documented in docs/backup-format.md).</summary>
    public sealed class BackupManifest
    {
        public const string FormatName = "mtkflash-backup";
        public const int CurrentFormatVersion = 1;
        public const string FileName = "manifest.json";

        public string Format { get; set; } = FormatName;
        public int FormatVersion { get; set; } = CurrentFormatVersion;
        public string Tool { get; set; }
        public DateTimeOffset CreatedUtc { get; set; }
        /// <summary>
        /// The machine the backup was made on (its host name), so bundles gathered from a fleet on one share say where each
        /// came from. Null in bundles written before MtkFlash recorded it.
        /// </summary>
        public string ComputerName { get; set; }
        public BackupDriveIdentity Drive { get; set; }
        /// <summary>IdentityOnly when a manifest does not say (never imply more than was read).</summary>
        public BackupCompleteness Completeness { get; set; } = BackupCompleteness.IdentityOnly;
        /// <summary>Why the backup is not full; null when it is.</summary>
        public string Reason { get; set; }
        public List<BackupPart> Parts { get; set; } = new List<BackupPart>();

        public BackupPart Firmware => Parts.FirstOrDefault(p => p.Kind == BackupPartKind.Firmware);

        public string ToJson() => Json.Serialize(this, indented: true);

        /// <summary>
        /// Reads a manifest (the reverse of <see cref="ToJson"/>, through the same property list). Throws
        /// <see cref="FormatException"/> for anything that is not a usable manifest of a version this MtkFlash reads.
        /// </summary>
        public static BackupManifest FromJson(string text)
        {
            var o = Json.ParseObject(text);
            if (!(o.TryGetValue("format", out var format) && format is string f && f == FormatName))
                throw new FormatException("Not an MtkFlash backup manifest (format is not '" + FormatName + "').");
            if (!(o.TryGetValue("formatVersion", out var version) && version is double v && v >= 1 && v <= CurrentFormatVersion && Math.Floor(v) == v))
                throw new FormatException("Backup format version " + Convert.ToString(version, System.Globalization.CultureInfo.InvariantCulture) + " is not supported by this MtkFlash.");
            if (!o.ContainsKey("createdUtc")) throw new FormatException("The manifest has no creation time.");
            var m = Json.ToType<BackupManifest>(o);
            if (m.Drive == null) throw new FormatException("The manifest has no drive identity.");
            m.Parts = m.Parts ?? new List<BackupPart>();
            foreach (var p in m.Parts)
            {
                if (p == null) throw new FormatException("A manifest part is not an object.");
                if (p.File == null) throw new FormatException("A manifest part has no file name.");
                if (p.File.IndexOfAny(new[] { '/', '\\' }) >= 0 || p.File == ".." || p.File == "." || p.File.Length == 0)
                    throw new FormatException("A manifest part names a file outside the bundle: '" + p.File + "'.");
                if (p.Length < 0 || p.Offset < 0) throw new FormatException("A manifest part has a negative offset or length.");
            }
            return m;
        }
    }
}
