using System;
using System.IO;
using System.Runtime.InteropServices;
using MtkFlash.Core.Transports.Linux;

namespace MtkFlash.Core.Infrastructure
{
    /// <summary>What a path names on disk. Only <see cref="File"/> and <see cref="Directory"/> are ever opened by MtkFlash.</summary>
    public enum PathKind { Missing, File, Directory, Fifo, Socket, CharacterDevice, BlockDevice, Device }

    /// <summary>
    /// Tells regular files from FIFOs, sockets and devices before anything opens them: opening a FIFO blocks until a
    /// writer (or reader) appears, and a device such as /dev/zero never ends. Linux reads st_mode (stat follows symlinks);
    /// on Windows the device namespace (\\.\…) and the reserved device names (CON, NUL, COM1, …) are devices.
    /// </summary>
    public static class FileKinds
    {
        public static PathKind Of(string path)
        {
            if (string.IsNullOrEmpty(path)) return PathKind.Missing;
            try
            {
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                {
                    if (path.StartsWith(@"\\.\", StringComparison.Ordinal) || IsReservedDeviceName(Path.GetFileName(path))) return PathKind.Device;
                    return Directory.Exists(path) ? PathKind.Directory : File.Exists(path) ? PathKind.File : PathKind.Missing;
                }
                if (Directory.Exists(path)) return PathKind.Directory;
                if (!File.Exists(path)) return PathKind.Missing;   // on Unix true for anything that is not a folder
                if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return PathKind.File;
                var mode = LinuxNative.FileMode(path);
                if (mode == null) return PathKind.File;   // unknown architecture: nothing better to go on
                switch (mode.Value & LinuxNative.S_IFMT)
                {
                    case LinuxNative.S_IFREG: return PathKind.File;
                    case LinuxNative.S_IFDIR: return PathKind.Directory;
                    case LinuxNative.S_IFIFO: return PathKind.Fifo;
                    case LinuxNative.S_IFSOCK: return PathKind.Socket;
                    case LinuxNative.S_IFCHR: return PathKind.CharacterDevice;
                    case LinuxNative.S_IFBLK: return PathKind.BlockDevice;
                    default: return PathKind.Device;
                }
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                return PathKind.Missing;
            }
        }

        /// <summary>
        /// Null when the path is missing, a regular file or a folder; otherwise why MtkFlash will not open it
        /// ("'/tmp/x' is a FIFO (named pipe), not a regular file").
        /// </summary>
        public static string SpecialFileProblem(string path)
        {
            var kind = Of(path);
            switch (kind)
            {
                case PathKind.Missing:
                case PathKind.File:
                case PathKind.Directory:
                    return null;
                default:
                    return "'" + path + "' is " + Describe(kind) + ", not a regular file; MtkFlash only reads and writes regular files.";
            }
        }

        public static string Describe(PathKind kind)
        {
            switch (kind)
            {
                case PathKind.Fifo: return "a FIFO (named pipe)";
                case PathKind.Socket: return "a socket";
                case PathKind.CharacterDevice: return "a character device";
                case PathKind.BlockDevice: return "a block device";
                case PathKind.Device: return "a device";
                case PathKind.Directory: return "a folder";
                case PathKind.Missing: return "missing";
                default: return "a file";
            }
        }

        /// <summary>CON, PRN, AUX, NUL, COM0–9, LPT0–9, with or without an extension ("nul.txt" is NUL too), any case.</summary>
        public static bool IsReservedDeviceName(string name)
        {
            if (string.IsNullOrEmpty(name)) return false;
            var dot = name.IndexOf('.');
            var stem = (dot >= 0 ? name.Substring(0, dot) : name).TrimEnd(' ').ToUpperInvariant();
            switch (stem)
            {
                case "CON": case "PRN": case "AUX": case "NUL": return true;
            }
            return stem.Length == 4 && (stem.StartsWith("COM", StringComparison.Ordinal) || stem.StartsWith("LPT", StringComparison.Ordinal)) && stem[3] >= '0' && stem[3] <= '9';
        }
    }
}
