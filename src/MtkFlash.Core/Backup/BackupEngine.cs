using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Core.Backup
{
    /// <summary>Result of one backup: what the bundle holds and where.</summary>
    public sealed class BackupResult
    {
        DriveIdentity _identity = DriveIdentity.Unknown;

        /// <summary>Vendor, product, revision and serial number as one value; the flat properties read and write it.</summary>
        internal DriveIdentity Identity { get => _identity; set => _identity = value ?? DriveIdentity.Unknown; }

        public string Path { get; set; }
        public string Drive { get; set; }
        public string Vendor { get => _identity.Vendor; set => _identity = _identity.WithVendor(value); }
        public string Product { get => _identity.Product; set => _identity = _identity.WithProduct(value); }
        public string Revision { get => _identity.Revision; set => _identity = _identity.WithRevision(value); }
        public string SerialNumber { get => _identity.SerialNumber; set => _identity = _identity.WithSerialNumber(value); }
        public BackupCompleteness Completeness { get; set; }
        public string Reason { get; set; }
        public BackupFormat Format { get; set; }
        /// <summary>Bytes read from the drive and stored (all parts).</summary>
        public long Size { get; set; }
        /// <summary>SHA-256 of the firmware image, or of the manifest when there is no image.</summary>
        public string Sha256 { get; set; }
        public DateTimeOffset CreatedUtc { get; set; }
        public List<BackupPart> Parts { get; set; }
    }

    /// <summary>A read that did not give the same bytes twice: the backup is suspect and is not kept.</summary>
    public sealed class BackupVerificationException : Exception
    {
        public BackupVerificationException(string message) : base(message) { }
    }

    /// <summary>
    /// Reads everything the family allows from an already opened drive (read commands only), verifies each read by reading
    /// it twice, and writes a bundle. Shared by Backup-DriveFirmware and the automatic backup before a flash.
    /// </summary>
    public sealed class BackupEngine
    {
        public static readonly string ToolVersion = "MtkFlash " + typeof(BackupEngine).Assembly.GetName().Version.ToString(3);

        readonly IClock _clock;

        public BackupEngine(IClock clock) { _clock = clock ?? SystemClock.Instance; }

        /// <summary>Test seam for the bundle's file creation (see <see cref="BackupBundle"/>.Write); null: the real file system.</summary>
        internal Func<string, Stream> CreateFile { get; set; }

        public BackupResult Backup(ScsiDevice device, OpticalDrive drive, IFlashProtocol protocol, string destinationDirectory,
            BackupFormat format, Action<long, long> progress, CancellationToken cancellation)
        {
            var created = _clock.UtcNow;
            var manifest = new BackupManifest { Tool = ToolVersion, CreatedUtc = created, ComputerName = Environment.MachineName, Drive = BackupDriveIdentity.From(drive) };
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);

            if (drive.RawInquiry != null) AddPart(manifest, files, "inquiry", BackupPartKind.Identity, "inquiry.bin", null, drive.RawInquiry);
            if (drive.RawConfiguration != null) AddPart(manifest, files, "getConfiguration", BackupPartKind.Identity, "configuration.bin", null, drive.RawConfiguration);

            var caps = FamilyCapabilities.For(drive);
            byte[] firmware = null;
            IReadOnlyList<RegionDump> regions = null;
            if (protocol != null && caps.CanReadFirmware)
            {
                cancellation.ThrowIfCancellationRequested();
                // Read twice and compare: a flaky read must never become a trusted backup.
                var first = protocol.ReadFirmware(device, drive, (done, total) => progress?.Invoke(done, total * 2));
                if (first != null)
                {
                    cancellation.ThrowIfCancellationRequested();
                    var second = protocol.ReadFirmware(device, drive, (done, total) => progress?.Invoke(total + done, total * 2));
                    if (second == null || !first.SequenceEqual(second))
                        throw new BackupVerificationException("Two reads of the firmware of " + drive.Path + " differ (SHA-256 " +
                            BackupBundle.Sha256(first) + " vs " + (second == null ? "none" : BackupBundle.Sha256(second)) + "); the backup was not kept. Check the cable and try again.");
                    firmware = first;
                    AddPart(manifest, files, "firmware", BackupPartKind.Firmware, "firmware.bin", 0, firmware);
                }
            }
            if (protocol != null && caps.CanReadRegions)
            {
                cancellation.ThrowIfCancellationRequested();
                regions = protocol.ReadRegions(device, drive);
                var again = protocol.ReadRegions(device, drive);
                foreach (var r in regions)
                {
                    var twin = again.FirstOrDefault(a => a.Region.Start == r.Region.Start && a.Region.Length == r.Region.Length);
                    if (twin == null || !twin.Data.SequenceEqual(r.Data))
                        throw new BackupVerificationException("Two reads of the " + r.Region.Name + " region of " + drive.Path + " differ; the backup was not kept.");
                    AddPart(manifest, files, r.Region.Name, BackupPartKind.Region, "region-" + BackupNaming.Sanitise(r.Region.Name) + "-" + r.Region.Start.ToString("X6") + ".bin", r.Region.Start, r.Data);
                }
            }

            if (firmware != null) manifest.Completeness = BackupCompleteness.Full;
            else if (regions != null && regions.Count > 0)
            {
                manifest.Completeness = BackupCompleteness.RegionsOnly;
                manifest.Reason = "The firmware image could not be read back from this drive; only its drive-specific regions are in the backup.";
            }
            else
            {
                manifest.Completeness = BackupCompleteness.IdentityOnly;
                manifest.Reason = caps.Reason ?? "No public command reads this drive's firmware back; the backup holds its identity only.";
            }

            cancellation.ThrowIfCancellationRequested();
            var name = BackupNaming.DefaultName(drive, created);
            var path = BackupBundle.Write(destinationDirectory, name, format, manifest, files, CreateFile);
            return new BackupResult
            {
                Path = path,
                Drive = drive.Path,
                Identity = drive.Identity,
                Completeness = manifest.Completeness,
                Reason = manifest.Reason,
                Format = format,
                Size = files.Values.Sum(f => (long)f.Length),
                Sha256 = firmware != null ? BackupBundle.Sha256(firmware) : BackupBundle.Sha256(System.Text.Encoding.UTF8.GetBytes(manifest.ToJson())),
                CreatedUtc = created,
                Parts = manifest.Parts,
            };
        }

        static void AddPart(BackupManifest manifest, Dictionary<string, byte[]> files, string name, BackupPartKind kind, string file, long? offset, byte[] data)
        {
            files[file] = data;
            manifest.Parts.Add(new BackupPart { Name = name, Kind = kind, File = file, Offset = offset, Length = data.Length });
        }
    }
}
