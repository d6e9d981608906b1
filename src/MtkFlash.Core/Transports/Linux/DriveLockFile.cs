using System;
using System.IO;
using System.Text;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Core.Transports.Linux
{
    /// <summary>
    /// An advisory flock(2) on a lock file named after the drive's SCSI address, so two MtkFlash processes never hold
    /// the same drive exclusively even when one opened /dev/sr0 and the other /dev/sg0 (O_EXCL alone does not see
    /// across the two nodes). The kernel drops the lock when the process dies; the file itself stays, because deleting
    /// a lock file races with a process that has just opened it.
    /// </summary>
    internal sealed class DriveLockFile : IDisposable
    {
        int _fd;

        DriveLockFile(int fd, string file) { _fd = fd; File = file; }

        public string File { get; }

        /// <summary>/run/lock when it exists (world-writable on systemd and Debian systems), else /tmp.</summary>
        public static string DefaultDirectory() => Directory.Exists("/run/lock") ? "/run/lock" : "/tmp";

        /// <summary>The lock file for a drive key (SCSI address "0:0:0:0", or a device path when sysfs does not know the node).</summary>
        public static string FileFor(string directory, string key)
        {
            var name = new StringBuilder("mtkflash-drive-");
            foreach (var c in key.TrimStart('/'))
                name.Append(char.IsLetterOrDigit(c) || c == '-' || c == '.' ? c : '_');
            return Path.Combine(directory, name.Append(".lock").ToString());
        }

        /// <summary>Takes the lock without waiting; throws <see cref="DriveBusyException"/> when another process holds it.</summary>
        public static DriveLockFile Acquire(string directory, string key, string drivePath) => Acquire(directory, key, drivePath, exclusive: true);

        /// <summary>
        /// A shared lock for read-only use (inventory): it only conflicts with an exclusive holder, so a drive that another
        /// MtkFlash process is flashing is reported busy instead of being sent INQUIRY in the middle of its flash.
        /// Returns null when the lock file cannot be used at all (inventory must not fail over a lock file).
        /// </summary>
        public static DriveLockFile AcquireShared(string directory, string key, string drivePath)
        {
            try { return Acquire(directory, key, drivePath, exclusive: false); }
            catch (DriveAccessDeniedException) { return null; }
            catch (DriveNotRespondingException) { return null; }
        }

        static DriveLockFile Acquire(string directory, string key, string drivePath, bool exclusive)
        {
            var file = FileFor(directory, key);
            int fd = OpenOrCreate(file, drivePath);
            if (LinuxNative.flock(fd, (exclusive ? LinuxNative.LOCK_EX : LinuxNative.LOCK_SH) | LinuxNative.LOCK_NB) != 0)
            {
                int errno = LinuxNative.LastErrno;
                LinuxNative.close(fd);
                if (errno == LinuxNative.EAGAIN)
                    throw new DriveBusyException(drivePath, string.Format(LinuxTransportMessages.BusyLocked, drivePath, key, file));
                throw new DriveNotRespondingException(drivePath, "Cannot lock " + file + ": " + SgIoErrors.ErrnoName(errno) + ".");
            }
            return new DriveLockFile(fd, file);
        }

        // Open without O_CREAT first: with fs.protected_regular (systemd default) an O_CREAT open of another user's file
        // in a sticky world-writable folder fails, while a plain open succeeds. flock needs only a read-only descriptor.
        static int OpenOrCreate(string file, string drivePath)
        {
            for (int attempt = 0; attempt < 3; attempt++)
            {
                int fd = LinuxNative.open(file, LinuxNative.O_RDONLY | LinuxNative.O_CLOEXEC, 0);
                if (fd >= 0) return fd;
                int errno = LinuxNative.LastErrno;
                if (errno == LinuxNative.ENOENT)
                {
                    fd = LinuxNative.open(file, LinuxNative.O_RDONLY | LinuxNative.O_CREAT | LinuxNative.O_EXCL | LinuxNative.O_CLOEXEC, 420 /* 0644 */);
                    if (fd >= 0)
                    {
                        LinuxNative.fchmod(fd, 420); // readable by every user whatever the umask, so they can lock it too
                        return fd;
                    }
                    errno = LinuxNative.LastErrno;
                    if (errno == LinuxNative.EEXIST) continue; // another process created it meanwhile: open it
                }
                throw new DriveAccessDeniedException(drivePath, AccessDeniedReason.Open,
                    "Cannot open the drive lock file " + file + ": " + SgIoErrors.ErrnoName(errno) + ".");
            }
            throw new DriveNotRespondingException(drivePath, "Cannot open the drive lock file " + file + ".");
        }

        public void Dispose()
        {
            int fd = _fd;
            _fd = -1;
            if (fd >= 0) LinuxNative.close(fd); // closing the descriptor releases the flock
        }
    }
}
