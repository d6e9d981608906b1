using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MtkFlash.Core.Firmware;

namespace MtkFlash.Core.Operations
{
    /// <summary>
    /// Expand-FirmwareImage / `mtkflash extract`: writes the image(s) inside a vendor flasher EXE (or the binary an Intel
    /// HEX file describes) to a .BIN. Never overwrites a file: each image goes to a temporary file in the destination
    /// folder, is verified by analysing it again (same SHA-256), then renamed into place.
    /// </summary>
    public sealed class ExtractFirmwareOperation
    {
        public IReadOnlyList<FirmwareImageReport> Run(IOperationHost host, string sourcePath, string destinationPath)
        {
            if (host == null) throw new ArgumentNullException(nameof(host));
            var written = new List<FirmwareImageReport>();
            if (OperationErrors.CheckImageExists(sourcePath) is OperationError missing) { host.WriteError(missing); return written; }
            var progress = new DriveProgress(host, "Extracting firmware from " + sourcePath, 1);
            progress.Enter("reading the flasher", 0);
            var source = FirmwareAnalyzer.LoadFile(sourcePath);
            var report = source.Report;
            if ((report.Format != FirmwareFormat.XFlashExe && report.Format != FirmwareFormat.IntelHex) || source.Embedded.Count == 0)
            {
                var why = report.Format == FirmwareFormat.Raw ? "it is already a binary image; nothing to extract."
                    : report.Problems.FirstOrDefault(p => p.Severity == ProblemSeverity.Error)?.Message ?? "it holds no image MtkFlash can take out.";
                progress.Complete("nothing to extract");
                host.WriteError(new OperationError("NothingToExtract", OperationErrorCategory.InvalidData, "Cannot extract from '" + sourcePath + "': " + why, sourcePath));
                return written;
            }
            foreach (var p in report.Problems.Where(p => p.Code == FirmwareProblemCodes.XFlashScrambled || p.Code == FirmwareProblemCodes.XFlashOutsideFile))
                host.WriteWarning(p.Message);

            const string phase = "Writing and verifying the extracted images";
            progress.Enter("writing " + source.Embedded.Count + " image(s)", 50);
            try
            {
                for (int i = 0; i < source.Embedded.Count; i++)
                {
                    host.Cancellation.ThrowIfCancellationRequested();
                    var target = i == 0 ? destinationPath : WithSuffix(destinationPath, "-" + (i + 1));
                    progress.Report(1, phase, target, i * 100 / source.Embedded.Count);
                    var result = WriteOne(host, source.Embedded[i], sourcePath, target);
                    if (result != null) { written.Add(result); host.WriteObject(result); }
                }
                if (written.Count == source.Embedded.Count) progress.CompletePhase(1, phase, "all " + written.Count + " written and verified");
            }
            finally { progress.Complete(written.Count == source.Embedded.Count ? "done" : "failed"); }
            return written;
        }

        FirmwareImageReport WriteOne(IOperationHost host, byte[] image, string sourcePath, string target)
        {
            string temp = null;
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
                temp = Path.Combine(folder, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
                using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    fs.Write(image, 0, image.Length);
                    fs.Flush(true);
                }
                var check = FirmwareAnalyzer.AnalyzeFile(temp);
                if (check.Sha256 != FirmwareAnalyzer.Sha256Hex(image))
                {
                    host.WriteError(new OperationError("VerifyFailed", OperationErrorCategory.WriteError,
                        "The written file does not read back as the extracted image (SHA-256 differs); it was removed.", target));
                    return null;
                }
                File.Move(temp, full); // fails rather than replace a file that appeared meanwhile
                temp = null;
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
            finally
            {
                if (temp != null) try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }

        static string WithSuffix(string path, string suffix)
        {
            var ext = Path.GetExtension(path);
            return path.Substring(0, path.Length - ext.Length) + suffix + ext;
        }
    }
}
