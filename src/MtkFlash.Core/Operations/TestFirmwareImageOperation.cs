using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Infrastructure;

namespace MtkFlash.Core.Operations
{
    /// <summary>
    /// Test-FirmwareImage / `mtkflash test`: one report per file (per file and drive when drives are given), or with
    /// quiet only true/false per report (like Test-Connection -Quiet). Never touches a drive: the drives passed in were
    /// identified by the caller.
    /// </summary>
    public sealed class TestFirmwareImageOperation
    {
        /// <param name="paths">Files; with expandWildcards, * ? [..] in the file name are expanded against the file system.</param>
        /// <param name="drives">Drives to check each image against (null or empty: no compatibility answer).</param>
        /// <param name="quiet">Emit only a bool per report: valid, and fits every given drive.</param>
        /// <param name="hardware">Optional per-drive facts (boot ID, chip) read by the caller; null when unknown.</param>
        public IReadOnlyList<FirmwareImageReport> Run(IOperationHost host, IEnumerable<string> paths, IReadOnlyList<OpticalDrive> drives = null,
            bool expandWildcards = true, bool quiet = false, Func<OpticalDrive, DriveHardware> hardware = null)
        {
            if (host == null) throw new ArgumentNullException(nameof(host));
            var files = new List<string>();
            foreach (var p in paths ?? Enumerable.Empty<string>())
            {
                if (!expandWildcards || !Wildcard.HasWildcard(Path.GetFileName(p ?? string.Empty))) { files.Add(p); continue; }
                var matches = Expand(p);
                if (matches.Count == 0)
                    host.WriteError(new OperationError("PathNotFound", OperationErrorCategory.ObjectNotFound, "No file matches '" + p + "'.", p));
                files.AddRange(matches);
            }

            var reports = new List<FirmwareImageReport>();
            for (int i = 0; i < files.Count; i++)
            {
                host.Cancellation.ThrowIfCancellationRequested();
                if (files.Count > 1)
                    host.WriteProgress(new OperationProgress(61, "Testing firmware images", files[i], i * 100 / files.Count));
                var report = FirmwareAnalyzer.AnalyzeFile(files[i]);
                host.WriteVerbose(files[i] + ": " + report);
                if (drives == null || drives.Count == 0) Emit(host, reports, report, quiet);
                else
                    foreach (var drive in drives.Where(d => d != null))
                        Emit(host, reports, report.WithCompatibility(FirmwareCompatibility.Check(report, drive, hardware?.Invoke(drive))), quiet);
            }
            if (files.Count > 1) host.WriteProgress(new OperationProgress(61, "Testing firmware images", null, 100, completed: true));
            return reports;
        }

        /// <summary>True when the report says the file may be written: valid, and fits its drive when one was given.</summary>
        public static bool Passed(FirmwareImageReport report) =>
            report.IsValid && (report.Compatibility == null || report.Compatibility.Verdict == CompatibilityVerdict.Fits);

        static void Emit(IOperationHost host, List<FirmwareImageReport> reports, FirmwareImageReport report, bool quiet)
        {
            reports.Add(report);
            host.WriteObject(quiet ? (object)Passed(report) : report);
        }

        /// <summary>Files whose names match the wildcard in the last path segment, sorted by name. Folder parts are literal.</summary>
        public static IReadOnlyList<string> Expand(string pattern)
        {
            try
            {
                var dir = Path.GetDirectoryName(pattern);
                var name = Path.GetFileName(pattern);
                var folder = string.IsNullOrEmpty(dir) ? Directory.GetCurrentDirectory() : dir;
                if (!Directory.Exists(folder)) return new string[0];
                return Directory.EnumerateFiles(folder)
                    .Where(f => Wildcard.IsMatch(Path.GetFileName(f), name))
                    .Select(f => string.IsNullOrEmpty(dir) ? Path.GetFileName(f) : f)
                    .OrderBy(f => f, StringComparer.Ordinal)
                    .ToList();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException)
            {
                return new string[0];
            }
        }
    }
}
