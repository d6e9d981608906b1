using System;
using System.IO;
using System.Text;
using System.Threading;
using MtkFlash.Core.Serialization;

namespace MtkFlash.Core.Flashing
{
    /// <summary>
    /// history.jsonl in MTKFLASH_HOME: one line per write attempt, so an audit can tell which drive was flashed, when, with
    /// what and how it went. Appends under an exclusive file handle so concurrent processes never interleave lines.
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
    }
}
