using System;
using System.IO;
using System.Linq;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Operations;

namespace MtkFlash.Core.Flashing
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
        /// A whole binary that matches no documented family layout. Only the standard SPC path may take it (vendor microcode
        /// formats are not public; the drive validates its own microcode); every other family refuses it.
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
                    throw new WriteRefusedException("BackupDamaged", ex.Message, OperationErrorCategory.InvalidData);
                }
                var firmware = bundle.FirmwareImage;
                if (firmware == null)
                    throw new WriteRefusedException("BackupHasNoImage", "The backup '" + path + "' is " + Serialization.Json.EnumName(bundle.Manifest.Completeness) +
                        ": it holds no firmware image to restore (" + bundle.Manifest.Reason + ").", OperationErrorCategory.InvalidData);
                var report = FirmwareAnalyzer.Analyze(firmware, path);
                return new ImageSource(path, firmware, report, bundle);
            }
            if (Directory.Exists(path))
                throw new WriteRefusedException("ImageInvalid", "'" + path + "' is a folder but not an MtkFlash backup (it has no manifest.json).", OperationErrorCategory.InvalidArgument);
            if (!File.Exists(path))
                throw new WriteRefusedException("ImageNotFound", "The image '" + path + "' does not exist.", OperationErrorCategory.ObjectNotFound);
            var loaded = FirmwareAnalyzer.LoadFile(path);
            var errors = loaded.Report.Problems.Where(p => p.Severity == ProblemSeverity.Error).ToList();
            if (loaded.Bytes != null && errors.Count > 0 && errors.All(p => p.Code == FirmwareProblemCodes.UnknownFamily))
                return new ImageSource(path, loaded.Bytes, loaded.Report, null) { IsOpaque = true };
            if (!loaded.Report.IsValid || loaded.Bytes == null)
            {
                var problems = errors.Select(p => p.Message).ToList();
                throw new WriteRefusedException("ImageInvalid", "'" + path + "' is not a valid firmware image: " +
                    (problems.Count > 0 ? string.Join("; ", problems) : "it was not recognised") + ".", OperationErrorCategory.InvalidData,
                    "Check the file with Test-FirmwareImage (mtkflash test).");
            }
            return new ImageSource(path, loaded.Bytes, loaded.Report, null);
        }

        public CompatibilityResult Compatibility(OpticalDrive drive, DriveHardware hardware) => FirmwareCompatibility.Check(Report, drive, hardware);
    }
}
