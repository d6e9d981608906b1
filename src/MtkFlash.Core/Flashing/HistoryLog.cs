using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Serialization;

namespace MtkFlash.Core.Flashing
{
    /// <summary>
    /// history.jsonl in MTKFLASH_HOME: one line per write attempt, so an audit can tell which drive was flashed, when, with
    /// what and how it went. Appends under an exclusive file handle so concurrent processes never interleave lines.
    /// Reading lives here too (<see cref="Read"/>): every front end gets the same entries from the same lines.
    /// </summary>
    public static class HistoryLog
    {
        public static void Append(string path, WriteResult result)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path));
            var line = Encoding.UTF8.GetBytes(Json.Serialize(result) + "\n");
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    using (var fs = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read))
                    {
                        fs.Write(line, 0, line.Length);
                        fs.Flush(true);
                    }
                    return;
                }
                catch (IOException) when (attempt < 20) { Thread.Sleep(50); }
            }
        }

        public static string[] ReadLines(string path) => File.Exists(path) ? File.ReadAllLines(path) : new string[0];

        /// <summary>
        /// The write attempts recorded in the file, oldest first. A line is either a whole attempt (a <see cref="WriteResult"/>)
        /// or, when it carries an attemptId, one half of an attempt: a line with phase "started" opens it, the next line with
        /// the same attemptId closes it. An attempt that was opened and never closed (the process died mid-write) is reported
        /// as <see cref="WriteOutcome.Interrupted"/>. Lines that are not valid JSON are skipped with a warning.
        /// </summary>
        public static IReadOnlyList<HistoryEntry> Read(string path, Action<string> warn = null)
        {
            var entries = new List<HistoryEntry>();
            var open = new Dictionary<string, (int Index, Dictionary<string, object> Fields)>(StringComparer.Ordinal);
            int number = 0;
            foreach (var text in ReadLines(path))
            {
                number++;
                if (text.Trim().Length == 0) continue;
                Dictionary<string, object> o;
                try { o = Json.ParseObject(text); }
                catch (FormatException ex)
                {
                    warn?.Invoke(path + " line " + number + " is not valid JSON (" + ex.Message + "); skipped.");
                    continue;
                }
                var attemptId = o.GetString("attemptId");
                if (attemptId != null && open.TryGetValue(attemptId, out var opened))
                {
                    // The outcome of an attempt already opened: its fields complete (and override) the opening line's.
                    var merged = new Dictionary<string, object>(opened.Fields);
                    foreach (var kv in o) merged[kv.Key] = kv.Value;
                    entries[opened.Index] = HistoryEntry.FromJson(merged, number);
                    open.Remove(attemptId);
                    continue;
                }
                var entry = HistoryEntry.FromJson(o, number);
                if (attemptId != null && string.Equals(o.GetString("phase"), "started", StringComparison.OrdinalIgnoreCase))
                {
                    entry.Attempt.Outcome = WriteOutcome.Interrupted;
                    entry.Attempt.Message = "The attempt was started but no outcome was recorded: the process ended during the write. Check the drive.";
                    open[attemptId] = (entries.Count, o);
                }
                entries.Add(entry);
            }
            return entries;
        }
    }

    /// <summary>One write attempt from history.jsonl, as every front end shows it.</summary>
    public sealed class HistoryEntry
    {
        internal HistoryEntry(WriteResult attempt, int line) { Attempt = attempt; Line = line; }

        /// <summary>
        /// The attempt as recorded. Outcome is <see cref="WriteOutcome.Interrupted"/> when only its start was recorded.
        /// ComputerName is null for lines written before the host was recorded.
        /// </summary>
        public WriteResult Attempt { get; }
        /// <summary>Line of history.jsonl the entry was read from (the closing line for a two-line attempt).</summary>
        public int Line { get; }

        internal static HistoryEntry FromJson(Dictionary<string, object> o, int line)
        {
            var started = o.GetString("startedUtc");
            var attempt = new WriteResult
            {
                ComputerName = o.GetString("computerName"),
                StartedUtc = started != null && DateTimeOffset.TryParse(started, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : default(DateTimeOffset),
                Drive = o.GetString("drive"), Vendor = o.GetString("vendor"), Product = o.GetString("product"), SerialNumber = o.GetString("serialNumber"),
                Family = TryEnum(o.GetString("family"), DriveFamily.Unknown),
                Image = o.GetString("image"), ImageSha256 = o.GetString("imageSha256"), IsRestore = o.GetBool("isRestore"),
                PreviousRevision = o.GetString("previousRevision"), ExpectedRevision = o.GetString("expectedRevision"), NewRevision = o.GetString("newRevision"),
                BackupPath = o.GetString("backupPath"), Verified = o.GetBool("verified"),
                ReadBackVerified = o.TryGetValue("readBackVerified", out var rb) && rb is bool b ? b : (bool?)null,
                CrossFlash = o.GetBool("crossFlash"), Recover = o.GetBool("recover"),
                Outcome = TryEnum(o.GetString("outcome"), WriteOutcome.Interrupted),
                ErrorId = o.GetString("errorId"), Message = o.GetString("message"),
                PlannedCommands = (int)o.GetInt64("plannedCommands"), CommandsSent = (int)o.GetInt64("commandsSent"),
                Duration = o.TryGetValue("duration", out var d) && d is double seconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero,
            };
            foreach (var note in o.GetArray("planNotes") ?? new List<object>()) if (note is string n) attempt.PlanNotes.Add(n);
            return new HistoryEntry(attempt, line);
        }

        static T TryEnum<T>(string text, T fallback) where T : struct
        {
            if (text == null) return fallback;
            try { return Json.ParseEnum<T>(text); }
            catch (FormatException) { return fallback; }
        }

        public override string ToString() => Attempt.StartedUtc.ToString("u", CultureInfo.InvariantCulture) + " " + Attempt.Drive + ": " + Attempt.Outcome;
    }
}
