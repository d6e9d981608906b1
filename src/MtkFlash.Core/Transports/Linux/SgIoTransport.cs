using System;
using System.Runtime.InteropServices;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Core.Transports.Linux
{
    /// <summary>
    /// SCSI pass-through on Linux: the SG_IO ioctl on /dev/srN (block layer) or /dev/sgN (sg driver).
    /// docs/reference/drive-protocols.md §5.1 and docs/reference/kernel-e2e.md §9 (open flags, struct, errno via the last P/Invoke error).
    /// </summary>
    public sealed class SgIoTransport : IScsiTransport
    {
        const int SenseBufferLength = 64; // docs/reference/kernel-e2e.md §10: 64-byte sense buffer; drives write 18

        int _fd;
        DriveLockFile _lock;
        readonly object _gate = new object();

        SgIoTransport(string path, int fd, DriveLockFile driveLock, DriveAccess access)
        {
            Path = path;
            _fd = fd;
            _lock = driveLock;
            Access = access;
        }

        public string Path { get; }
        public DriveAccess Access { get; }
        /// <summary>The flock file held while the drive is open exclusively, else null.</summary>
        public string LockFile => _lock?.File;

        /// <summary>
        /// Opens a drive. Exclusive: flock on the SCSI-address lock file first (another MtkFlash process → DriveBusy),
        /// then the drive's sg node where the sg driver has one (<see cref="ExclusiveNode"/>), opened
        /// O_RDWR|O_NONBLOCK|O_EXCL (another exclusive opener → EBUSY → DriveBusy); every command goes through that node and
        /// <see cref="Path"/> names it. Shared: a shared flock (busy while another process holds the drive exclusively),
        /// then the given node O_RDWR|O_NONBLOCK, falling back to read-only.
        /// </summary>
        internal static SgIoTransport Open(string path, DriveAccess access, LinuxSysfs sysfs, string lockDirectory)
        {
            DriveLockFile driveLock = null;
            try
            {
                var key = sysfs.ScsiAddressOf(path) ?? path;
                driveLock = access == DriveAccess.Exclusive
                    ? DriveLockFile.Acquire(lockDirectory, key, path)
                    : DriveLockFile.AcquireShared(lockDirectory, key, path);

                if (access == DriveAccess.Exclusive) path = ExclusiveNode(path, sysfs);
                int fd = OpenNode(path, access);
                if (LinuxNative.ioctl(fd, new UIntPtr(LinuxNative.SG_GET_VERSION_NUM), out int _) != 0)
                {
                    LinuxNative.close(fd);
                    throw new NoSuchDriveException(path, string.Format(LinuxTransportMessages.NotAScsiDevice, path));
                }
                return new SgIoTransport(path, fd, driveLock, access);
            }
            catch
            {
                driveLock?.Dispose();
                throw;
            }
        }

        /// <summary>The drive's /dev/sgN when the sg driver has a node for it (and it exists), else the given node.</summary>
        internal static string ExclusiveNode(string path, LinuxSysfs sysfs)
        {
            var sg = sysfs.GenericNodeOf(path);
            return sg != null && System.IO.File.Exists(sg) ? sg : path;
        }

        static int OpenNode(string path, DriveAccess access)
        {
            // redumper opens O_RDWR|O_NONBLOCK|O_EXCL (§5.1). O_NONBLOCK: the sr driver opens without a disc, and sg
            // answers EBUSY instead of sleeping while another process holds it exclusively.
            // sg refuses O_EXCL on a read-only descriptor (EPERM), so exclusive access needs O_RDWR.
            int baseFlags = LinuxNative.O_NONBLOCK | LinuxNative.O_CLOEXEC;
            if (access == DriveAccess.Exclusive) baseFlags |= LinuxNative.O_EXCL;
            int fd = LinuxNative.open(path, baseFlags | LinuxNative.O_RDWR, 0);
            if (fd >= 0) return fd;
            int errno = LinuxNative.LastErrno;
            if (access == DriveAccess.Shared && (errno == LinuxNative.EACCES || errno == LinuxNative.EROFS))
            {
                // Read-only is enough for the read-safe command list (INQUIRY, GET CONFIGURATION, READ BUFFER).
                fd = LinuxNative.open(path, baseFlags | LinuxNative.O_RDONLY, 0);
                if (fd >= 0) return fd;
                errno = LinuxNative.LastErrno;
            }
            throw SgIoErrors.FromOpenErrno(errno, path, errno == LinuxNative.EACCES ? OwningGroupName(path) : null);
        }

        static string OwningGroupName(string path)
        {
            var gid = LinuxNative.OwnerGroupId(path);
            return gid == null ? null : LinuxGroups.NameOf(gid.Value);
        }

        public unsafe ScsiResponse Execute(ScsiRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            lock (_gate)
            {
                if (_fd < 0) throw new ObjectDisposedException(nameof(SgIoTransport));
                var sense = new byte[SenseBufferLength];
                byte[] data = request.Direction == DataDirection.Out ? request.OutData
                    : request.Direction == DataDirection.In ? new byte[request.InLength] : null;
                var cdb = request.Cdb;

                fixed (byte* cdbPtr = cdb)
                fixed (byte* sensePtr = sense)
                fixed (byte* dataPtr = data)
                {
                    var h = new SgIoHdr
                    {
                        interface_id = LinuxNative.SG_INTERFACE_ID,
                        dxfer_direction = request.Direction == DataDirection.In ? LinuxNative.SG_DXFER_FROM_DEV
                            : request.Direction == DataDirection.Out && data.Length > 0 ? LinuxNative.SG_DXFER_TO_DEV
                            : LinuxNative.SG_DXFER_NONE,
                        cmd_len = (byte)cdb.Length,
                        mx_sb_len = (byte)sense.Length,
                        dxfer_len = (uint)(data?.Length ?? 0),
                        dxferp = data != null && data.Length > 0 ? (IntPtr)dataPtr : IntPtr.Zero,
                        cmdp = (IntPtr)cdbPtr,
                        sbp = (IntPtr)sensePtr,
                        timeout = TimeoutMilliseconds(request.Timeout),
                    };
                    if (LinuxNative.ioctl(_fd, new UIntPtr(LinuxNative.SG_IO), ref h) != 0)
                        throw SgIoErrors.FromIoctlErrno(LinuxNative.LastErrno, Path, request);
                    return SgIoErrors.ToResponse(h, sense, request.Direction == DataDirection.In ? data : null, Path, request);
                }
            }
        }

        internal static uint TimeoutMilliseconds(TimeSpan timeout)
        {
            double ms = Math.Ceiling(timeout.TotalMilliseconds);
            return ms <= 0 ? 1u : ms >= uint.MaxValue ? uint.MaxValue : (uint)ms;
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (_fd >= 0) LinuxNative.close(_fd);
                _fd = -1;
                _lock?.Dispose();
                _lock = null;
            }
        }
    }
}
