using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Infrastructure;

namespace MtkFlash.Core.Operations
{
    /// <summary>
    /// Expand-FirmwareImage / `mtkflash extract`: writes every image inside a vendor flasher EXE (or the binary an Intel HEX
    /// file describes) to a .BIN. One image goes to the destination as given; a flasher that lists several writes one file
    /// per entry, named after its revision ("fw-US0N.bin"); an existing folder as destination receives "US0N.bin" and so on.
    /// Never overwrites a file: each image goes to a temporary file in the destination folder, is verified by analysing it
    /// again (same SHA-256), then renamed into place. Entries that could not be extracted are errors (ImageNotExtracted).
    /// </summary>
    public sealed class ExtractFirmwareOperation
    {
        readonly FirmwareAnalysisOptions _options;

        public ExtractFirmwareOperation(FirmwareAnalysisOptions options = null) { _options = options; }

        public IReadOnlyList<FirmwareImageReport> Run(IOperationHost host, string sourcePath, string destinationPath)
        {
            if (host == null) throw new ArgumentNullException(nameof(host));
            var written = new List<FirmwareImageReport>();
            if (OperationErrors.CheckImageExists(sourcePath) is OperationError missing) { host.WriteError(missing); return written; }
            var source = FirmwareAnalyzer.LoadFile(sourcePath, _options);
            var report = source.Report;
            if ((report.Format != FirmwareFormat.XFlashExe && report.Format != FirmwareFormat.IntelHex) || source.Embedded.Count == 0)
            {
                var why = report.Format == FirmwareFormat.Raw ? "it is already a binary image; nothing to extract."
                    : report.Problems.FirstOrDefault(p => p.Severity == ProblemSeverity.Error)?.Message ?? "it holds no image MtkFlash can take out.";
                host.WriteError(new OperationError("NothingToExtract", OperationErrorCategory.InvalidData, "Cannot extract from '" + sourcePath + "': " + why, sourcePath));
                return written;
            }
            var listed = report.Details.Embedded;
            if (listed != null && listed.Any(e => !e.Extracted))
                foreach (var p in report.Problems.Where(p => p.Severity == ProblemSeverity.Error && p.Code.StartsWith("XFlash", StringComparison.Ordinal)))
                    host.WriteError(new OperationError("ImageNotExtracted", OperationErrorCategory.InvalidData, "'" + sourcePath + "': " + p.Message, sourcePath));

            var targets = Targets(source, sourcePath, destinationPath, listed != null && listed.Count > 1);
            // Progress only once there is something to extract: a refused input gets its error line and nothing else.
            var progress = new DriveProgress(host, "Extracting firmware from " + sourcePath, 1);
            const string phase = "Writing and verifying the extracted images";
            progress.Enter("writing " + source.Embedded.Count + " image(s)", 50);
            try
            {
                for (int i = 0; i < source.Embedded.Count; i++)
                {
                    host.Cancellation.ThrowIfCancellationRequested();
                    progress.Report(1, phase, targets[i], i * 100 / source.Embedded.Count);
                    var result = WriteOne(host, source.Embedded[i], sourcePath, targets[i]);
                    if (result != null) { written.Add(result); host.WriteObject(result); }
                }
                if (written.Count == source.Embedded.Count) progress.CompletePhase(1, phase, "all " + written.Count + " written and verified");
            }
            finally { progress.Complete(written.Count == source.Embedded.Count ? "done" : "failed"); }
            return written;
        }

        /// <summary>
        /// One destination per image: the path as given for a single image; otherwise the path with "-REV" before the
        /// extension. Into a folder: "REV.bin" (the flasher's own name when there is a single image without a revision).
        /// An entry without a usable revision, or with one an earlier entry has, is named by its index instead.
        /// </summary>
        static List<string> Targets(FirmwareImage source, string sourcePath, string destination, bool several)
        {
            bool folder = Directory.Exists(destination);
            var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var targets = new List<string>();
            for (int i = 0; i < source.Embedded.Count; i++)
            {
                var entry = source.EmbeddedEntries[i];
                string index = (entry?.Index ?? i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                string label = SafeName(entry?.Revision);
                if (label.Length > 0 && !used.Add(label)) label += "-" + index;
                if (folder)
                    targets.Add(Path.Combine(destination, (label.Length > 0 ? label : Path.GetFileNameWithoutExtension(sourcePath) + (several ? "-" + index : string.Empty)) + ".bin"));
                else
                    targets.Add(several ? WithSuffix(destination, "-" + (label.Length > 0 ? label : index)) : destination);
            }
            return targets;
        }

        /// <summary>Letters, digits, '.', '_' and '-' of a revision; anything else becomes '_'.</summary>
        static string SafeName(string revision)
        {
            var chars = (revision ?? string.Empty).Trim().ToCharArray();
            for (int i = 0; i < chars.Length; i++)
                if (!(chars[i] < 0x80 && (char.IsLetterOrDigit(chars[i]) || chars[i] == '.' || chars[i] == '_' || chars[i] == '-'))) chars[i] = '_';
            return new string(chars).Trim('.');
        }

        FirmwareImageReport WriteOne(IOperationHost host, byte[] image, string sourcePath, string target)
        {
            try
            {
                var full = Path.GetFullPath(target);
                if (File.Exists(full) || Directory.Exists(full))
                {
                    host.WriteError(new OperationError("DestinationExists", OperationErrorCategory.ResourceExists,
                        "'" + target + "' already exists; MtkFlash never overwrites a file.", target, null, "Choose another name, or move the existing file away first."));
                    return null;
                }
                if (!host.ShouldProcess(target, "Write the firmware image extracted from " + sourcePath)) return null;
                var folder = Path.GetDirectoryName(full);
                var temp = Path.Combine(folder, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
                FirmwareImageReport check = null;
                // The rename fails rather than replace a file that appeared meanwhile; a file that does not read back is removed.
                bool published = AtomicFile.Publish(temp, full, t =>
                {
                    AtomicFile.WriteNew(t, image, durable: true);
                    check = FirmwareAnalyzer.AnalyzeFile(t);
                    return check.Sha256 == FirmwareAnalyzer.Sha256Hex(image);
                });
                if (!published)
                {
                    host.WriteError(new OperationError("VerifyFailed", OperationErrorCategory.WriteError,
                        "The written file does not read back as the extracted image (SHA-256 differs); it was removed.", target));
                    return null;
                }
                check.Path = target;
                var firstError = check.Problems.FirstOrDefault(p => p.Severity == ProblemSeverity.Error);
                if (firstError != null) host.WriteWarning("The extracted image has problems: " + firstError.Message);
                return check;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException)
            {
                host.WriteError(OperationErrors.FromException(ex, target, "Writing " + target));
                return null;
            }
        }

        static string WithSuffix(string path, string suffix)
        {
            var ext = Path.GetExtension(path);
            return path.Substring(0, path.Length - ext.Length) + suffix + ext;
        }
    }
}
