using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Serialization;

namespace MtkFlash.Core.Operations
{
    /// <summary>
    /// history.jsonl in MTKFLASH_HOME, a write-ahead log of write attempts (issue 9 §5). Before the first state-changing
    /// command of a write, one "attempt" line (drive, image SHA-256, backup path) is appended and flushed to disk; the
    /// outcome line (the whole <see cref="WriteResult"/>, with the same attemptId) follows when the drive has been waited
    /// for. A write killed in between (SIGKILL, power loss of the host) leaves an attempt without an outcome, which
    /// <see cref="ReadEntries"/> reports as outcome "unknown" instead of letting it vanish. Refusals and stops before the
    /// first state-changing command have an outcome line only.
    ///
    /// Every append runs under an exclusive lock on history.jsonl.lock (FileShare.None: flock(LOCK_EX) on Linux and macOS,
    /// a sharing lock on Windows), so lines from concurrent processes and threads never overwrite or interleave each other;
    /// the history file itself is opened for appending (O_APPEND on Linux) only while the lock is held, and readers never wait.
    /// </summary>
    public static class HistoryLog
    {
        /// <summary>How long an append waits for another writer's lock before giving up with an IOException.</summary>
        static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

        /// <summary>The outcome line of a write (also for refusals, dry runs are not recorded).</summary>
        public static void Append(string path, WriteResult result) => AppendLine(path, Json.Serialize(result));

        /// <summary>The write-ahead "attempt started" line, appended and flushed before the first state-changing command.</summary>
        public static void AppendAttempt(string path, WriteResult attempt)
        {
            AppendLine(path, Json.Serialize(new Dictionary<string, object>
            {
                ["record"] = "attempt",
                ["attemptId"] = attempt.AttemptId,
                ["startedUtc"] = attempt.StartedUtc,
                ["drive"] = attempt.Drive,
                ["vendor"] = attempt.Vendor,
                ["product"] = attempt.Product,
                ["serialNumber"] = attempt.SerialNumber,
                ["computerName"] = attempt.ComputerName,
                ["previousRevision"] = attempt.PreviousRevision,
                ["expectedRevision"] = attempt.ExpectedRevision,
                ["image"] = attempt.Image,
                ["imageSha256"] = attempt.ImageSha256,
                ["backupPath"] = attempt.BackupPath,
                ["plannedCommands"] = attempt.PlannedCommands,
                ["recover"] = attempt.Recover,
            }));
        }

        /// <summary>Appends one line under the exclusive lock and flushes it to disk.</summary>
        public static void AppendLine(string path, string json)
        {
            if (json.IndexOf('\n') >= 0) throw new ArgumentException("A history line cannot contain a line break.", nameof(json));
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path)));
            var line = Encoding.UTF8.GetBytes(json + "\n");
            using (AcquireLock(path))
            using (var fs = OpenForAppend(path))
            {
                // One write of the whole line at the end of the file, while no other writer can move that end.
                fs.Write(line, 0, line.Length);
                fs.Flush(true);
            }
        }

        /// <summary>
        /// Linux: open(2) with O_APPEND, so every write lands at the end of the file whatever the stream position says (the
        /// kernel even appends a pwrite). Elsewhere FileMode.Append (netstandard2.0 has no O_APPEND); the exclusive lock
        /// around each append keeps the end of the file where this writer found it either way.
        /// </summary>
        static FileStream OpenForAppend(string path)
        {
            if (System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux))
            {
                int fd = Transports.Linux.LinuxNative.open(path, Transports.Linux.LinuxNative.O_WRONLY | Transports.Linux.LinuxNative.O_CREAT |
                    Transports.Linux.LinuxNative.O_APPEND | Transports.Linux.LinuxNative.O_CLOEXEC, 420 /* 0644 before umask */);
                if (fd < 0)
                {
                    int errno = Transports.Linux.LinuxNative.LastErrno;
                    if (errno == Transports.Linux.LinuxNative.EACCES || errno == Transports.Linux.LinuxNative.EPERM || errno == Transports.Linux.LinuxNative.EROFS)
                        throw new UnauthorizedAccessException("Cannot open " + path + " for appending (errno " + errno + ").");
                    throw new IOException("Cannot open " + path + " for appending (errno " + errno + ").");
                }
                return new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(new IntPtr(fd), ownsHandle: true), FileAccess.Write, 1);
            }
            return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        }

        static FileStream AcquireLock(string path)
        {
            var lockPath = path + ".lock";
            var deadline = DateTime.UtcNow + LockWait;
            int delay = 1;
            while (true)
            {
                try { return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(delay);
                    delay = Math.Min(delay * 2, 50);
                }
            }
        }

        public static string[] ReadLines(string path) => File.Exists(path) ? ReadShared(path) : new string[0];

        static string[] ReadShared(string path)
        {
            using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var reader = new StreamReader(fs, Encoding.UTF8))
                return reader.ReadToEnd().Split(new[] { '\n' }, StringSplitOptions.None);
        }

        /// <summary>
        /// The write attempts in file order: each outcome line, paired with its attempt line where there is one, and every
        /// attempt line without an outcome as an entry with outcome "unknown". Lines that are not JSON are reported through
        /// <paramref name="warn"/> and skipped.
        /// </summary>
        public static IReadOnlyList<HistoryEntry> ReadEntries(string path, Action<string> warn = null)
        {
            var entries = new List<HistoryEntry>();
            var open = new Dictionary<string, HistoryEntry>(StringComparer.Ordinal);
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
                var id = o.GetString("attemptId");
                if (o.GetString("record") == "attempt")
                {
                    var entry = new HistoryEntry(o, null, number);
                    entries.Add(entry);
                    if (id != null) open[id] = entry;
                    continue;
                }
                if (id != null && open.TryGetValue(id, out var started))
                {
                    open.Remove(id);
                    entries[entries.IndexOf(started)] = new HistoryEntry(started.AttemptLine, o, number);
                }
                else entries.Add(new HistoryEntry(null, o, number));
            }
            return entries;
        }
    }

    /// <summary>
    /// One write attempt from history.jsonl: the outcome line's fields over the attempt line's, or, for an attempt whose
    /// process never wrote an outcome (killed, host power loss), the attempt line's fields with <see cref="Outcome"/>
    /// "unknown" (<see cref="WriteOutcome.Interrupted"/> in <see cref="Attempt"/>). Every front end shows the same entries.
    /// </summary>
    public sealed class HistoryEntry
    {
        public const string UnknownOutcome = "unknown";

        internal HistoryEntry(Dictionary<string, object> attempt, Dictionary<string, object> outcome, int line)
        {
            AttemptLine = attempt; OutcomeLine = outcome; Line = line;
            var merged = new Dictionary<string, object>();
            if (attempt != null) foreach (var kv in attempt) merged[kv.Key] = kv.Value;
            if (outcome != null) foreach (var kv in outcome) merged[kv.Key] = kv.Value;
            Attempt = ToResult(merged, outcome == null);
        }

        internal Dictionary<string, object> AttemptLine { get; }
        internal Dictionary<string, object> OutcomeLine { get; }

        /// <summary>
        /// The attempt as recorded. Outcome is <see cref="WriteOutcome.Interrupted"/> when only its start was recorded.
        /// ComputerName is null for lines written before the host was recorded.
        /// </summary>
        public WriteResult Attempt { get; }
        /// <summary>Line of history.jsonl the entry was read from (the closing line for a two-line attempt).</summary>
        public int Line { get; }

        string Get(string key) => OutcomeLine?.GetString(key) ?? AttemptLine?.GetString(key);

        public string AttemptId => Get("attemptId");
        public string StartedUtc => Get("startedUtc");
        public string Drive => Get("drive");
        public string Image => Get("image");
        public string ImageSha256 => Get("imageSha256");
        public string BackupPath => Get("backupPath");
        public string PreviousRevision => Get("previousRevision");
        public string ExpectedRevision => Get("expectedRevision");
        public string NewRevision => OutcomeLine?.GetString("newRevision");
        /// <summary>succeeded, failed, refused, stopped … or "unknown" for an attempt without an outcome line.</summary>
        public string Outcome => OutcomeLine == null ? UnknownOutcome : OutcomeLine.GetString("outcome");
        public string ErrorId => OutcomeLine?.GetString("errorId");
        public string Message => OutcomeLine != null ? OutcomeLine.GetString("message") : InterruptedMessage;
        /// <summary>True when the write-ahead attempt line exists (the write got past its safety checks).</summary>
        public bool AttemptStarted => AttemptLine != null;

        const string InterruptedMessage = "The write started (state-changing commands were about to be sent) but no outcome was recorded: " +
                                          "the process was killed or the computer lost power. Check the drive (list the drives).";

        /// <summary>The entry as one JSON object: the outcome line (or the attempt line) plus outcome/attemptStarted.</summary>
        public Dictionary<string, object> ToJson()
        {
            var o = new Dictionary<string, object>();
            if (AttemptLine != null) foreach (var kv in AttemptLine) if (kv.Key != "record") o[kv.Key] = kv.Value;
            if (OutcomeLine != null) foreach (var kv in OutcomeLine) o[kv.Key] = kv.Value;
            o["outcome"] = Outcome;
            if (OutcomeLine == null) o["message"] = Message;
            o["attemptStarted"] = AttemptStarted;
            return o;
        }

        static WriteResult ToResult(Dictionary<string, object> o, bool interrupted)
        {
            var started = o.GetString("startedUtc");
            var attempt = new WriteResult
            {
                AttemptId = o.GetString("attemptId"),
                ComputerName = o.GetString("computerName"),
                StartedUtc = started != null && DateTimeOffset.TryParse(started, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : default(DateTimeOffset),
                Drive = o.GetString("drive"), Vendor = o.GetString("vendor"), Product = o.GetString("product"), SerialNumber = o.GetString("serialNumber"),
                Family = TryEnum(o.GetString("family"), DriveFamily.Unknown),
                Image = o.GetString("image"), ImageSha256 = o.GetString("imageSha256"), IsRestore = o.GetBool("isRestore"),
                PreviousRevision = o.GetString("previousRevision"), ExpectedRevision = o.GetString("expectedRevision"), NewRevision = o.GetString("newRevision"),
                BackupPath = o.GetString("backupPath"), Verified = o.GetBool("verified"),
                ReadBackVerified = o.TryGetValue("readBackVerified", out var rb) && rb is bool b ? b : (bool?)null,
                CrossFlash = o.GetBool("crossFlash"), AllowedUnlistedModel = o.GetBool("allowedUnlistedModel"), Recover = o.GetBool("recover"),
                Outcome = interrupted ? WriteOutcome.Interrupted : TryEnum(o.GetString("outcome"), WriteOutcome.Interrupted),
                ErrorId = interrupted ? null : o.GetString("errorId"),
                Message = interrupted ? InterruptedMessage : o.GetString("message"),
                PlannedCommands = (int)o.GetInt64("plannedCommands"), CommandsSent = (int)o.GetInt64("commandsSent"),
                FailedStep = o.TryGetValue("failedStep", out var fs) && fs is double step && step >= 0 && step <= int.MaxValue ? (int)step : (int?)null,
                FailedCommand = o.GetString("failedCommand"), DriveAnswer = o.GetString("driveAnswer"), DriveStateAfter = o.GetString("driveStateAfter"),
                Duration = o.TryGetValue("duration", out var d) && d is double seconds && !double.IsNaN(seconds) && !double.IsInfinity(seconds)
                    && Math.Abs(seconds) < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero,
            };
            foreach (var note in o.GetArray("planNotes") ?? new List<object>()) if (note is string n) attempt.PlanNotes.Add(n);
            return attempt;
        }

        static T TryEnum<T>(string text, T fallback) where T : struct
        {
            if (text == null) return fallback;
            try { return Json.ParseEnum<T>(text); }
            catch (FormatException) { return fallback; }
        }

        public override string ToString() => (StartedUtc ?? "?") + " " + Drive + ": " + Outcome + (ErrorId == null ? string.Empty : " (" + ErrorId + ")");
    }
}
