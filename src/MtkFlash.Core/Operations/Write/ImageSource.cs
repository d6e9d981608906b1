using System;
using System.IO;
using System.Linq;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;

namespace MtkFlash.Core.Operations
{
    /// <summary>
    /// What a write sends: an analysed image file (raw, Intel HEX, XFlash EXE) or an MtkFlash backup bundle. Loading refuses
    /// anything that is not a whole, valid image, before a drive is even opened.
    /// </summary>
    internal sealed class ImageSource
    {
        ImageSource(string path, byte[] image, FirmwareImageReport report, BackupBundle bundle)
        {
            Path = path; Image = image; Report = report; Bundle = bundle;
            Sha256 = BackupBundle.Sha256(image);
        }

        public string Path { get; }
        public byte[] Image { get; }
        public FirmwareImageReport Report { get; }
        public BackupBundle Bundle { get; }
        public string Sha256 { get; }

        /// <summary>
        /// A whole binary that matches no documented family layout. Loading it succeeds so that the refusal can name the drive
        /// (a drive without a public flasher is refused for that reason first); no drive is ever sent it.
        /// </summary>
        public bool IsOpaque { get; private set; }

        /// <summary>Why an opaque image is refused for a family that has a documented layout.</summary>
        public string OpaqueReason => string.Join("; ", Report.Problems.Where(p => p.Severity == ProblemSeverity.Error).Select(p => p.Message));

        /// <summary>The revision the drive must report afterwards: the image's own, or the backed-up drive's.</summary>
        public string Revision => Report.Revision ?? Bundle?.Manifest.Drive.Revision;

        public static ImageSource Load(string path)
        {
            if (string.IsNullOrWhiteSpace(path))
                throw new WriteRefusedException("ImagePathMissing", "No image or backup was given.", OperationErrorCategory.InvalidArgument);
            var special = Infrastructure.FileKinds.SpecialFileProblem(path);
            if (special != null)
                throw new WriteRefusedException(FirmwareProblemCodes.NotARegularFile, special, OperationErrorCategory.InvalidArgument,
                    "Give the firmware image as a regular file.");
            if (BackupBundle.IsBundle(path))
            {
                BackupBundle bundle;
                try { bundle = BackupBundle.Open(path); }
                catch (Exception ex) when (ex is InvalidDataException || ex is IOException || ex is UnauthorizedAccessException)
                {
                    throw new WriteRefusedException("BackupDamaged", ex.Message, OperationErrorCategory.InvalidData, target: path);
                }
                var firmware = bundle.FirmwareImage;
                if (firmware == null)
                    throw new WriteRefusedException("BackupHasNoImage", "The backup '" + path + "' is " + Serialization.Json.EnumName(bundle.Manifest.Completeness) +
                        ": it holds no firmware image to restore (" + bundle.Manifest.Reason + ").", OperationErrorCategory.InvalidData, target: path);
                // A restore is analysed like any image (issue 9 §3): e.g. an MT1959 raw read-back dump is refused (docs/reference/mt1959-notes.md §6).
                var report = FirmwareAnalyzer.Analyze(firmware, path);
                if (!report.IsValid)
                    throw new WriteRefusedException("ImageInvalid", "The firmware image in the backup '" + path + "' is not a valid image to write: " +
                        string.Join("; ", report.Problems.Where(p => p.Severity == ProblemSeverity.Error).Select(p => p.Message)) + ".", OperationErrorCategory.InvalidData,
                        "Restore with the vendor image for this drive instead; the backup still holds the drive's own per-unit regions.");
                return new ImageSource(path, firmware, report, bundle);
            }
            if (Directory.Exists(path))
                throw new WriteRefusedException("ImageInvalid", "'" + path + "' is a folder but not an MtkFlash backup (it has no manifest.json).", OperationErrorCategory.InvalidArgument, target: path);
            if (OperationErrors.CheckImageExists(path) is OperationError missing)
                throw new WriteRefusedException(missing.ErrorId, missing.Message, missing.Category, missing.Remedy, missing.Target);
            var loaded = FirmwareAnalyzer.LoadFile(path);
            var errors = loaded.Report.Problems.Where(p => p.Severity == ProblemSeverity.Error).ToList();
            if (loaded.Bytes != null && errors.Count > 0 && errors.All(p => p.Code == FirmwareProblemCodes.UnknownFamily))
                return new ImageSource(path, loaded.Bytes, loaded.Report, null) { IsOpaque = true };
            if (!loaded.Report.IsValid || loaded.Bytes == null)
            {
                var problems = errors.Select(p => p.Message).ToList();
                throw new WriteRefusedException("ImageInvalid", "'" + path + "' is not a valid firmware image: " +
                    (problems.Count > 0 ? string.Join("; ", problems) : "it was not recognised") + ".", OperationErrorCategory.InvalidData,
                    Remedies.CheckImage, path);
            }
            return new ImageSource(path, loaded.Bytes, loaded.Report, null);
        }

        public CompatibilityResult Compatibility(OpticalDrive drive, DriveHardware hardware) => FirmwareCompatibility.Check(Report, drive, hardware);
    }
}
