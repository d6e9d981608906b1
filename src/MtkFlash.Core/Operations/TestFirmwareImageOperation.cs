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
    /// The quiet answer of a test: one Boolean per image, true when the image is valid and fits every drive it was
    /// checked against. Collects across calls, so drives that arrive one by one (a pipeline) still give one answer per image.
    /// </summary>
    public sealed class QuietAnswers
    {
        readonly List<string> _order = new List<string>();
        readonly Dictionary<string, bool> _answers = new Dictionary<string, bool>(StringComparer.Ordinal);
        bool _driveMissing;

        public void Add(FirmwareImageReport report)
        {
            var key = report.Path ?? string.Empty;
            if (!_answers.ContainsKey(key)) { _order.Add(key); _answers[key] = true; }
            _answers[key] &= TestFirmwareImageOperation.Passed(report);
        }

        /// <summary>A drive to check against could not be examined: no image can be said to fit all drives.</summary>
        public void DriveMissing() => _driveMissing = true;

        /// <summary>The answers in the order the images were first seen.</summary>
        public IReadOnlyList<bool> Answers => _order.Select(k => _answers[k] && !_driveMissing).ToList();

        public void Emit(IOperationHost host) { foreach (var a in Answers) host.WriteObject(a); }
    }

    /// <summary>
    /// Test-FirmwareImage / `mtkflash test`: one report per file (per file and drive when drives are given), or with
    /// quiet one true/false per file (like Test-Connection -Quiet): valid, and fits every given drive. Never touches a
    /// drive: the drives passed in were identified by the caller.
    /// </summary>
    public sealed class TestFirmwareImageOperation
    {
        /// <param name="paths">Files; with expandWildcards, * ? [..] in the file name are expanded against the file system.</param>
        /// <param name="drives">Drives to check each image against (null or empty: no compatibility answer).</param>
        /// <param name="quiet">Emit only a bool per file: valid, and fits every given drive.</param>
        /// <param name="hardware">Optional per-drive facts (boot ID, chip) read by the caller; null when unknown.</param>
        /// <param name="collect">Collect quiet answers here instead of emitting anything (the caller emits them at the end).</param>
        public IReadOnlyList<FirmwareImageReport> Run(IOperationHost host, IEnumerable<string> paths, IReadOnlyList<OpticalDrive> drives = null,
            bool expandWildcards = true, bool quiet = false, Func<OpticalDrive, DriveHardware> hardware = null, QuietAnswers collect = null)
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
            int activity = ProgressActivities.Reserve(1);
            for (int i = 0; i < files.Count; i++)
            {
                host.Cancellation.ThrowIfCancellationRequested();
                if (files.Count > 1)
                    host.WriteProgress(new OperationProgress(activity, "Testing firmware images", files[i], i * 100 / files.Count));
                var report = FirmwareAnalyzer.AnalyzeFile(files[i]);
                host.WriteVerbose(files[i] + ": " + report);
                var answers = collect ?? (quiet ? new QuietAnswers() : null);
                if (drives == null || drives.Count == 0) Emit(host, reports, report, answers);
                else
                    foreach (var drive in drives.Where(d => d != null))
                        Emit(host, reports, report.WithCompatibility(FirmwareCompatibility.Check(report, drive, hardware?.Invoke(drive))), answers);
                if (collect == null && answers != null) answers.Emit(host);
            }
            if (files.Count > 1) host.WriteProgress(new OperationProgress(activity, "Testing firmware images", null, 100, completed: true));
            return reports;
        }

        /// <summary>True when the report says the file may be written: valid, and fits its drive when one was given.</summary>
        public static bool Passed(FirmwareImageReport report) =>
            report.IsValid && (report.Compatibility == null || report.Compatibility.Verdict == CompatibilityVerdict.Fits);

        static void Emit(IOperationHost host, List<FirmwareImageReport> reports, FirmwareImageReport report, QuietAnswers answers)
        {
            reports.Add(report);
            if (answers != null) answers.Add(report);
            else host.WriteObject(report);
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
