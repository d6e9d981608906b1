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
        public BackupPartKind Kind { get; set; }
        public string File { get; set; }
        /// <summary>Flash offset of a region, else null.</summary>
        public long? Offset { get; set; }
        public long Length { get; set; }
        public string Sha256 { get; set; }
    }

    /// <summary>The identity of the drive a backup came from.</summary>
    public sealed class BackupDriveIdentity
    {
        public string Path { get; set; }
        public string Vendor { get; set; }
        public string Product { get; set; }
        public string Revision { get; set; }
        public string SerialNumber { get; set; }
        public string FirmwareDate { get; set; }
        public DriveFamily Family { get; set; }
        public string Model { get; set; }
        public bool IsVirtual { get; set; }

        public static BackupDriveIdentity From(OpticalDrive d) => new BackupDriveIdentity
        {
            Path = d.Path, Vendor = d.Vendor, Product = d.Product, Revision = d.Revision, SerialNumber = d.SerialNumber,
            FirmwareDate = d.FirmwareDate, Family = d.Family, Model = d.Model, IsVirtual = d.IsVirtual,
        };

        /// <summary>
        /// Same physical drive: same vendor, product and serial number. Without a serial number a drive cannot be told
        /// apart from its twins, so it never counts as the same drive.
        /// </summary>
        public bool IsSameDrive(OpticalDrive d) =>
            !string.IsNullOrWhiteSpace(SerialNumber) && string.Equals(SerialNumber?.Trim(), d.SerialNumber?.Trim(), StringComparison.Ordinal) &&
            string.Equals(Vendor?.Trim(), d.Vendor?.Trim(), StringComparison.OrdinalIgnoreCase) &&
            string.Equals(DriveCatalog.NormaliseProduct(Product), DriveCatalog.NormaliseProduct(d.Product), StringComparison.OrdinalIgnoreCase);
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
        public BackupCompleteness Completeness { get; set; }
        /// <summary>Why the backup is not full; null when it is.</summary>
        public string Reason { get; set; }
        public List<BackupPart> Parts { get; set; } = new List<BackupPart>();

        public BackupPart Firmware => Parts.FirstOrDefault(p => p.Kind == BackupPartKind.Firmware);

        public string ToJson() => Json.Serialize(this, indented: true);

        public static BackupManifest FromJson(string text)
        {
            var o = Json.ParseObject(text);
            if (o.GetString("format") != FormatName) throw new FormatException("Not an MtkFlash backup manifest (format is not '" + FormatName + "').");
            var version = o.GetInt64("formatVersion");
            if (version < 1 || version > CurrentFormatVersion) throw new FormatException("Backup format version " + version + " is not supported by this MtkFlash.");
            var d = o.GetObject("drive") ?? throw new FormatException("The manifest has no drive identity.");
            var m = new BackupManifest
            {
                Tool = o.GetString("tool"),
                ComputerName = o.GetString("computerName"),
                CreatedUtc = DateTimeOffset.Parse(o.GetString("createdUtc") ?? throw new FormatException("The manifest has no creation time."), System.Globalization.CultureInfo.InvariantCulture),
                Completeness = Json.ParseEnum<BackupCompleteness>(o.GetString("completeness") ?? "identityOnly"),
                Reason = o.GetString("reason"),
                Drive = new BackupDriveIdentity
                {
                    Path = d.GetString("path"), Vendor = d.GetString("vendor"), Product = d.GetString("product"), Revision = d.GetString("revision"),
                    SerialNumber = d.GetString("serialNumber"), FirmwareDate = d.GetString("firmwareDate"),
                    Family = Json.ParseEnum<DriveFamily>(d.GetString("family") ?? "unknown"), Model = d.GetString("model"), IsVirtual = d.GetBool("isVirtual"),
                },
            };
            foreach (var item in o.GetArray("parts") ?? new List<object>())
            {
                var p = item as Dictionary<string, object> ?? throw new FormatException("A manifest part is not an object.");
                var file = p.GetString("file") ?? throw new FormatException("A manifest part has no file name.");
                if (file.IndexOfAny(new[] { '/', '\\' }) >= 0 || file == ".." || file == ".")
                    throw new FormatException("A manifest part names a file outside the bundle: '" + file + "'.");
                m.Parts.Add(new BackupPart
                {
                    Name = p.GetString("name"), Kind = Json.ParseEnum<BackupPartKind>(p.GetString("kind") ?? "identity"), File = file,
                    Offset = p.TryGetValue("offset", out var off) && off is double od ? (long?)od : null,
                    Length = p.GetInt64("length"), Sha256 = p.GetString("sha256"),
                });
            }
            return m;
        }
    }
}
