using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace MtkFlash.Core.Firmware.Formats
{
    /// <summary>What came of one upx run.</summary>
    internal sealed class UpxResult
    {
        /// <summary>The unpacked file, or null.</summary>
        public byte[] Data;
        /// <summary>Why there is no data (for the problem message).</summary>
        public string Error;
        /// <summary>upx said the file is not UPX-packed.</summary>
        public bool NotPacked;
    }

    /// <summary>
    /// UPX-compressed XFlash flashers (docs/xflash-flashers.md; rpc1dev/omnipatcher common_xflash.pl). LiteOn hid the UPX
    /// marks of its packed flashers; a copy gets them back at fixed offsets ("UPX0" at 0x2F8, "UPX1" at 0x320, "1.24", NUL,
    /// "UPX" at 0x3DB) and the upx tool unpacks that copy. upx is the only program MtkFlash ever runs for this, in a private
    /// temporary folder, on a copy that is never executable; the flasher itself is never run.
    /// </summary>
    internal static class UpxUnpacker
    {
        static readonly bool OnWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>The executable's name: upx (Debian package upx-ucl), or upx.exe on Windows.</summary>
        public static string ToolName => OnWindows ? "upx.exe" : "upx";

        /// <summary>Where a user gets the tool, for messages.</summary>
        public static string ToolHint => OnWindows ? "upx.exe (from the UPX project) on PATH" : "upx on PATH (Debian/Ubuntu: apt-get install upx-ucl)";

        /// <summary>The patches the source writes into the copy before unpacking it.</summary>
        internal static readonly (int Offset, string Text)[] Patches = { (0x2F8, "UPX0"), (0x320, "UPX1"), (0x3DB, "1.24\0UPX") };

        /// <summary>The smallest file the patches fit in.</summary>
        public const int MinimumLength = 0x3DB + 8;

        public static string FindOnPath() => Find(Environment.GetEnvironmentVariable("PATH"), OnWindows);

        /// <summary>The first directory of pathVariable holding the tool, or null.</summary>
        public static string Find(string pathVariable, bool windows)
        {
            if (string.IsNullOrEmpty(pathVariable)) return null;
            var name = windows ? "upx.exe" : "upx";
            foreach (var dir in pathVariable.Split(windows ? ';' : ':'))
            {
                var trimmed = dir.Trim().Trim('"');
                if (trimmed.Length == 0) continue;
                try
                {
                    var candidate = Path.Combine(trimmed, name);
                    if (File.Exists(candidate)) return Path.GetFullPath(candidate);
                }
                catch (ArgumentException) { } // a PATH entry with characters no path may hold
            }
            return null;
        }

        /// <summary>
        /// Signs that an EXE is packed, for when upx is not there to ask: a UPX mark in the headers, or a first section that
        /// takes no room in the file but some in memory (where the packed code is unpacked at run time). [I]
        /// </summary>
        public static bool LooksPacked(byte[] d, int length)
        {
            int head = Math.Min(length, 0x1000);
            if (ImageBytes.IndexOf(d, "UPX!", 0, head) >= 0 || ImageBytes.IndexOf(d, "UPX0", 0, head) >= 0 || ImageBytes.IndexOf(d, "UPX1", 0, head) >= 0) return true;
            if (length < 0x40) return false;
            long pe = BitConverter.ToUInt32(d, 0x3C);
            if (pe > length - 24 || !ImageBytes.Matches(d, (int)pe, "PE\0\0")) return false;
            int sections = BitConverter.ToUInt16(d, (int)pe + 6);
            int optional = BitConverter.ToUInt16(d, (int)pe + 20);
            long first = pe + 24 + optional;
            if (sections < 2 || first + 40 > length) return false;
            uint virtualSize = BitConverter.ToUInt32(d, (int)first + 8);
            uint rawSize = BitConverter.ToUInt32(d, (int)first + 16);
            return rawSize == 0 && virtualSize > 0;
        }

        /// <summary>Unpacks a patched copy of d[0, length) with the tool; never throws for a tool or file problem.</summary>
        public static UpxResult Unpack(string tool, byte[] d, int length, TimeSpan timeout, int maxSize)
        {
            if (length < MinimumLength) return new UpxResult { Error = "the file is too small to be a UPX-compressed flasher", NotPacked = true };
            var copy = new byte[length];
            Buffer.BlockCopy(d, 0, copy, 0, length);
            foreach (var (offset, text) in Patches) Encoding.ASCII.GetBytes(text).CopyTo(copy, offset);

            string folder = Path.Combine(Path.GetTempPath(), "mtkflash-upx-" + Guid.NewGuid().ToString("N"));
            try
            {
                Directory.CreateDirectory(folder);
                string file = Path.Combine(folder, "flasher.exe");
                using (var fs = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None)) fs.Write(copy, 0, copy.Length);
                var run = Run(tool, folder, "-d -q \"" + file + "\"", timeout);
                if (run.Error != null) return run;
                var info = new FileInfo(file);
                if (info.Length > maxSize) return new UpxResult { Error = "upx unpacked it to " + info.Length + " bytes, more than any flasher EXE (" + maxSize + " bytes)" };
                return new UpxResult { Data = File.ReadAllBytes(file) };
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is Win32Exception || ex is InvalidOperationException || ex is NotSupportedException)
            {
                return new UpxResult { Error = "running " + tool + " failed: " + ex.Message };
            }
            finally
            {
                try { if (Directory.Exists(folder)) Directory.Delete(folder, true); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }

        static UpxResult Run(string tool, string folder, string arguments, TimeSpan timeout)
        {
            var psi = new ProcessStartInfo(tool, arguments)
            {
                UseShellExecute = false,
                CreateNoWindow = true,
                WorkingDirectory = folder,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            psi.EnvironmentVariables.Remove("UPX"); // upx takes default options from it; only -d -q may apply
            using (var p = Process.Start(psi))
            {
                p.StandardInput.Close();
                var stdout = p.StandardOutput.ReadToEndAsync();
                var stderr = p.StandardError.ReadToEndAsync();
                if (!p.WaitForExit((int)Math.Min(int.MaxValue, timeout.TotalMilliseconds)))
                {
                    try { p.Kill(); } catch (InvalidOperationException) { } catch (Win32Exception) { }
                    p.WaitForExit(5000);
                    return new UpxResult { Error = "upx did not finish within " + timeout.TotalSeconds + " s and was stopped" };
                }
                p.WaitForExit(); // lets the output readers finish
                string said = (stderr.Result + " " + stdout.Result).Trim();
                if (p.ExitCode == 0) return new UpxResult();
                bool notPacked = said.IndexOf("NotPackedException", StringComparison.Ordinal) >= 0;
                return new UpxResult { Error = "upx exited with code " + p.ExitCode + (said.Length > 0 ? ": " + LastLine(said) : string.Empty), NotPacked = notPacked };
            }
        }

        static string LastLine(string text)
        {
            var lines = text.Split(new[] { '\n', '\r' }, StringSplitOptions.RemoveEmptyEntries);
            for (int i = lines.Length - 1; i >= 0; i--)
            {
                var l = lines[i].Trim();
                if (l.StartsWith("upx:", StringComparison.Ordinal) || l.IndexOf("Exception", StringComparison.Ordinal) >= 0) return l;
            }
            return lines.Length > 0 ? lines[lines.Length - 1].Trim() : text;
        }
    }
}
