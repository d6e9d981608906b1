using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using Xunit;

namespace MtkFlash.Tests.Support
{
    /// <summary>FIFOs, sockets and unwritable files for the bad-input tests (Linux; the CI machine).</summary>
    public static class SpecialFiles
    {
        [DllImport("libc", SetLastError = true)]
        static extern int mkfifo(string path, int mode);

        public static string Fifo(string path)
        {
            Assert.True(mkfifo(path, 0x1B6) == 0, "mkfifo " + path + " failed, errno " + Marshal.GetLastWin32Error());
            return path;
        }

        /// <summary>A bound Unix socket at <paramref name="path"/>; dispose the socket after the test.</summary>
        public static Socket UnixSocket(string path)
        {
            var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            s.Bind(new UnixDomainSocketEndPoint(path));
            return s;
        }

        /// <summary>
        /// Makes a file nobody can write, root included: `chattr +i` (immutable). Returns an action that undoes it. Fails the
        /// test when the file stays writable, so a passing test really saw an unwritable file.
        /// </summary>
        public static Action MakeImmutable(string path)
        {
            File.WriteAllText(path, string.Empty);
            var ok = Run("chattr", "+i " + path) == 0;
            if (!ok) File.SetAttributes(path, FileAttributes.ReadOnly);   // as a normal user this is enough
            bool writable;
            try { using (new FileStream(path, FileMode.Append, FileAccess.Write)) { } writable = true; }
            catch (UnauthorizedAccessException) { writable = false; }
            catch (IOException) { writable = false; }
            Action undo = () => { if (ok) Run("chattr", "-i " + path); else File.SetAttributes(path, FileAttributes.Normal); };
            if (writable) { undo(); Assert.Fail("cannot make an unwritable file here (chattr +i failed and the process can write read-only files)"); }
            return undo;
        }

        static int Run(string file, string args)
        {
            try
            {
                using (var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false }))
                {
                    p.WaitForExit(10_000);
                    return p.HasExited ? p.ExitCode : -1;
                }
            }
            catch (System.ComponentModel.Win32Exception) { return -1; }
        }

        /// <summary>Runs work that must not block (a FIFO opened by mistake would): fails the test after the timeout instead of hanging the run.</summary>
        public static T WithinSeconds<T>(int seconds, Func<T> work)
        {
            var task = Task.Run(work);
            Assert.True(task.Wait(TimeSpan.FromSeconds(seconds)), "still running after " + seconds + " s: blocked (a FIFO or device opened?)");
            return task.Result;
        }
    }
}
