using System;
using System.IO;
using System.Linq;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Protocols;

namespace MtkFlash.Core.Families.Mt1959
{
    /// <summary>
    /// What the unit's own backups say about it. Used in one place only: an MT1959 drive in boot mode whose identity block
    /// was erased by an interrupted flash cannot report its chip, and its automatic pre-write backup can. A backup counts
    /// only when it verifies (hashes), was taken while the drive ran firmware, and is of the same unit (serial match).
    /// </summary>
    internal static class Mt1959UnitBackups
    {
        public static KnownChip Chip(string directory, OpticalDrive drive)
        {
            if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory) || string.IsNullOrWhiteSpace(drive.SerialNumber)) return null;
            var candidates = Directory.EnumerateFileSystemEntries(directory).Where(BackupBundle.IsBundle).OrderByDescending(p => p, StringComparer.Ordinal);
            foreach (var path in candidates)
            {
                BackupBundle bundle;
                try { bundle = BackupBundle.Open(path); }
                catch (Exception ex) when (ex is InvalidDataException || ex is IOException || ex is UnauthorizedAccessException) { continue; }
                var id = bundle.Manifest.Drive;
                if (id == null || id.Family != drive.Family || !id.IsSameDrive(drive) || string.Equals(id.Revision, "BOOT", StringComparison.OrdinalIgnoreCase)) continue;
                string chip = null;
                foreach (var part in bundle.Manifest.Parts.Where(p => p.Offset != null))
                {
                    int at = Mt1959Layout.ChipTagOffset - (int)part.Offset.Value;
                    if (at >= 0 && at + 10 <= part.Length) chip = Mt1959Protocol.ChipTag(bundle.Read(part), at);
                    if (chip != null) break;
                }
                if (chip != null)
                    return new KnownChip(chip, "the verified backup " + path + " of this unit (serial " + drive.SerialNumber.Trim() + ", revision " + id.Revision + ")");
            }
            return null;
        }
    }
}
