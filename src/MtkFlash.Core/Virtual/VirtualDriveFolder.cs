using System;
using System.Collections.Generic;
using System.IO;
using MtkFlash.Core.Infrastructure;

namespace MtkFlash.Core.Virtual
{
    /// <summary>
    /// The files of a virtual drive's folder: their names, which of them MtkFlash owns (and may delete), and how they are
    /// read back (whole, refusing FIFOs and devices, naming the damaged file).
    /// </summary>
    internal static class VirtualDriveFolder
    {
        public const string FlashFile = "flash.bin";
        public const string RecordFile = "drive.json";
        public const string EepromFile = "eeprom.bin";
        public const string LockFile = "lock";

        /// <summary>The files MtkFlash makes in a drive folder: the only ones it ever deletes there.</summary>
        public static readonly string[] OwnFiles = { FlashFile, RecordFile, EepromFile, LockFile };
        /// <summary>Temporary files of <see cref="AtomicFile"/> for the drive's own files (NAME.tmp-GUID).</summary>
        static readonly System.Text.RegularExpressions.Regex OwnTempFile =
            new System.Text.RegularExpressions.Regex(@"^(flash\.bin|drive\.json|eeprom\.bin)\.tmp-[0-9a-f]{32}$");
        /// <summary>A temporary file this old was left by a write that failed or was killed (a write takes milliseconds).</summary>
        static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);
        /// <summary>A drive.json larger than this is damaged (a real one is well under 1 KiB).</summary>
        public const int MaxRecordBytes = 64 * 1024;

        public static bool IsOwnFile(string fileName) => Array.IndexOf(OwnFiles, fileName) >= 0 || IsOwnTempFile(fileName);
        public static bool IsOwnTempFile(string fileName) => fileName != null && OwnTempFile.IsMatch(fileName);

        /// <summary>
        /// Reads one of a drive's own files whole, refusing FIFOs and devices before opening them. Anything wrong throws
        /// <see cref="VirtualDriveDamagedException"/> naming the file and what is wrong with it.
        /// </summary>
        public static byte[] ReadOwnFile(string drivePath, string file, long maxBytes)
        {
            var kind = FileKinds.Of(file);
            if (kind == PathKind.Missing) throw new VirtualDriveDamagedException(drivePath, file, "is missing.");
            if (kind != PathKind.File) throw new VirtualDriveDamagedException(drivePath, file, "is " + FileKinds.Describe(kind) + ", not a file.");
            try
            {
                using (var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                {
                    if (fs.Length > maxBytes)
                        throw new VirtualDriveDamagedException(drivePath, file, "is " + fs.Length + " bytes; it can be at most " + maxBytes + ".");
                    var data = new byte[fs.Length];
                    int read = 0, n;
                    while (read < data.Length && (n = fs.Read(data, read, data.Length - read)) > 0) read += n;
                    if (read == data.Length) return data;
                    var cut = new byte[read];
                    Array.Copy(data, cut, read);
                    return cut;
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new VirtualDriveDamagedException(drivePath, file, "cannot be read: " + ex.Message, ex);
            }
        }

        /// <summary>Deletes temporary files of MtkFlash's own naming left in a drive folder by a write that failed or was killed.</summary>
        internal static void SweepStaleTempFiles(string folder)
        {
            string[] entries;
            try { entries = Directory.GetFiles(folder); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { return; }
            foreach (var file in entries)
            {
                if (!IsOwnTempFile(System.IO.Path.GetFileName(file))) continue;
                try
                {
                    if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) >= StaleAfter) File.Delete(file);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { }
            }
        }

        /// <summary>
        /// Deletes MtkFlash's own files from a drive folder (and the folder when nothing else is left). Returns the names of
        /// what was kept: files MtkFlash did not create, and folders under its file names (a FIFO or device node under such
        /// a name holds no data and goes).
        /// </summary>
        internal static IReadOnlyList<string> DeleteOwnFiles(string folder)
        {
            if (!Directory.Exists(folder)) return new string[0];
            var kept = new List<string>();
            foreach (var entry in Directory.GetFileSystemEntries(folder))
            {
                var name = System.IO.Path.GetFileName(entry);
                if (!IsOwnFile(name) || Directory.Exists(entry)) { kept.Add(name); continue; }
                File.Delete(entry);
            }
            if (kept.Count == 0) Directory.Delete(folder, false);
            kept.Sort(StringComparer.Ordinal);
            return kept;
        }
    }
}
