using System;
using System.IO;

namespace MtkFlash.Core.Infrastructure
{
    /// <summary>
    /// Whole-file writes that never leave a half-written file: temp file in the same folder, then rename. No fsync: the
    /// state models a drive's power loss, not the host's, and fault countdowns are saved after every command.
    /// </summary>
    internal static class AtomicFile
    {
        /// <summary>Writes through a temporary file that is deleted again when anything fails (a full disk, a folder in the way).</summary>
        public static void Write(string path, byte[] bytes)
        {
            var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
            try
            {
                using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    fs.Write(bytes, 0, bytes.Length);
                }
                if (File.Exists(path)) File.Replace(temp, path, null);
                else File.Move(temp, path);
            }
            catch
            {
                try { File.Delete(temp); }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { }
                throw;
            }
        }
    }
}
