using System;
using System.IO;

namespace MtkFlash.Core.Infrastructure
{
    /// <summary>
    /// Whole-file writes that never leave a half-written file: temp file in the same folder, then rename. Whatever fails
    /// (a full disk, a folder in the way, a check that does not pass), the temporary file or folder is deleted again, so
    /// nothing is left behind. Used by the virtual drive's own files, extracted images and backup bundles; each caller
    /// names its temporary file (documented per format) and says whether the bytes must reach the disk before the rename.
    /// </summary>
    internal static class AtomicFile
    {
        /// <summary>
        /// A virtual drive's own file: NAME.tmp-GUID, then a rename that replaces the old file. No fsync: the state models a
        /// drive's power loss, not the host's, and fault countdowns are saved after every command.
        /// </summary>
        public static void Write(string path, byte[] bytes) =>
            Publish(path + ".tmp-" + Guid.NewGuid().ToString("N"), path, temp => { WriteNew(temp, bytes, durable: false); return true; }, replace: true);

        /// <summary>
        /// Builds <paramref name="temp"/> (a file or a folder) with <paramref name="build"/> and renames it to
        /// <paramref name="path"/> when <paramref name="build"/> returns true. When it returns false or anything throws,
        /// the temporary file or folder is deleted and nothing is published (the exception goes on). Without
        /// <paramref name="replace"/>, the rename fails rather than replace anything that appeared at the path meanwhile.
        /// </summary>
        /// <returns>True when published.</returns>
        public static bool Publish(string temp, string path, Func<string, bool> build, bool replace = false)
        {
            try
            {
                if (!build(temp))
                {
                    TryDelete(temp);
                    return false;
                }
                if (Directory.Exists(temp)) Directory.Move(temp, path);
                else if (replace && File.Exists(path)) File.Replace(temp, path, null);
                else File.Move(temp, path);
                return true;
            }
            catch
            {
                TryDelete(temp);
                throw;
            }
        }

        /// <summary>
        /// Writes a new file (never an existing one: FileMode.CreateNew). <paramref name="durable"/>: flushed through the OS
        /// cache, so a rename that follows never publishes bytes the disk does not hold. <paramref name="create"/> opens the
        /// file (a test seam; default a FileStream).
        /// </summary>
        public static void WriteNew(string path, byte[] bytes, bool durable, Func<string, Stream> create = null)
        {
            using (var fs = create != null ? create(path) : new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                fs.Write(bytes, 0, bytes.Length);
                if (durable) FlushToDisk(fs);
            }
        }

        /// <summary>Flushes through the OS cache (a FileStream), or the stream's own buffers (anything else).</summary>
        public static void FlushToDisk(Stream s)
        {
            if (s is FileStream fs) fs.Flush(true);
            else s.Flush();
        }

        /// <summary>Deletes a temporary file or folder; a failure to delete is not worth hiding the first error.</summary>
        static void TryDelete(string path)
        {
            try
            {
                if (Directory.Exists(path)) Directory.Delete(path, true);
                else if (File.Exists(path)) File.Delete(path);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
