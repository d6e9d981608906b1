using System;
using System.Runtime.InteropServices;

namespace MtkFlash.Core.Transports.Linux
{
    /// <summary>
    /// sg_io_hdr_t of the Linux SG_IO ioctl (docs/reference/drive-protocols.md §5.1, torvalds/linux include/scsi/sg.h).
    /// Sequential layout with natural alignment gives the kernel's layout: 88 bytes on x86_64 (pad after pack_id),
    /// 64 bytes on i386. A layout test checks every offset for x86_64.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SgIoHdr
    {
        public int interface_id;        // 'S'
        public int dxfer_direction;     // SG_DXFER_*
        public byte cmd_len;
        public byte mx_sb_len;
        public ushort iovec_count;
        public uint dxfer_len;
        public IntPtr dxferp;
        public IntPtr cmdp;
        public IntPtr sbp;
        public uint timeout;            // milliseconds
        public uint flags;
        public int pack_id;
        public IntPtr usr_ptr;
        public byte status;             // full SAM status
        public byte masked_status;      // status >> 1
        public byte msg_status;
        public byte sb_len_wr;
        public ushort host_status;
        public ushort driver_status;
        public int resid;
        public uint duration;           // milliseconds
        public uint info;
    }

    /// <summary>libc entry points and constants for the Linux transport. Values are the generic Linux ABI (x86, x86_64, arm, arm64).</summary>
    internal static class LinuxNative
    {
        // open(2) flags (asm-generic/fcntl.h; checked with gcc on x86_64).
        public const int O_RDONLY = 0x0;
        public const int O_WRONLY = 0x1;
        public const int O_RDWR = 0x2;
        public const int O_CREAT = 0x40;
        public const int O_EXCL = 0x80;
        public const int O_APPEND = 0x400;
        public const int O_NONBLOCK = 0x800;
        public const int O_CLOEXEC = 0x80000;

        // flock(2).
        public const int LOCK_SH = 1;
        public const int LOCK_EX = 2;
        public const int LOCK_NB = 4;
        public const int LOCK_UN = 8;

        // errno (asm-generic/errno-base.h, errno.h).
        public const int EPERM = 1;
        public const int ENOENT = 2;
        public const int EINTR = 4;
        public const int EIO = 5;
        public const int ENXIO = 6;
        public const int EAGAIN = 11;          // = EWOULDBLOCK
        public const int EACCES = 13;
        public const int EBUSY = 16;
        public const int EEXIST = 17;
        public const int ENODEV = 19;
        public const int EINVAL = 22;
        public const int ENOTTY = 25;
        public const int EROFS = 30;
        public const int ETIMEDOUT = 110;
        public const int ENOMEDIUM = 123;

        // docs/reference/drive-protocols.md §5.1 (include/scsi/sg.h).
        public const uint SG_IO = 0x2285;
        public const uint SG_GET_VERSION_NUM = 0x2282;
        public const int SG_INTERFACE_ID = 'S';
        public const int SG_DXFER_NONE = -1;
        public const int SG_DXFER_TO_DEV = -2;
        public const int SG_DXFER_FROM_DEV = -3;

        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPStr)] string path, int flags, int mode);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int fd);

        [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
        public static extern int ioctl(int fd, UIntPtr request, ref SgIoHdr header);

        [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
        public static extern int ioctl(int fd, UIntPtr request, out int value);

        [DllImport("libc", SetLastError = true)]
        public static extern int flock(int fd, int operation);

        [DllImport("libc", SetLastError = true)]
        public static extern int fchmod(int fd, int mode);

        [DllImport("libc", SetLastError = true)]
        static extern IntPtr realpath([MarshalAs(UnmanagedType.LPStr)] string path, IntPtr resolved);

        [DllImport("libc")]
        static extern void free(IntPtr pointer);

        [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
        static extern int stat_(string path, byte[] buffer);

        [DllImport("libc", EntryPoint = "__xstat", SetLastError = true)]
        static extern int xstat(int version, string path, byte[] buffer);

        public static int LastErrno => Marshal.GetLastWin32Error();

        /// <summary>The canonical path with every symlink resolved, or null.</summary>
        public static string RealPath(string path)
        {
            IntPtr p = realpath(path, IntPtr.Zero);
            if (p == IntPtr.Zero) return null;
            try { return Marshal.PtrToStringAnsi(p); }
            finally { free(p); }
        }

        /// <summary>
        /// The group id owning a file, or null when it cannot be read. struct stat is arch-specific: st_gid at 32 on
        /// x86_64 (glibc bits/struct_stat.h, checked with gcc offsetof); at 28 on arm64 (asm-generic/stat.h) [I, not
        /// verified here].
        /// </summary>
        public static int? OwnerGroupId(string path)
        {
            var buffer = Stat(path, out var layout);
            return buffer == null ? (int?)null : BitConverter.ToInt32(buffer, layout.GidOffset);
        }

        /// <summary>
        /// st_mode of a path (symlinks followed), or null when it cannot be read. st_mode at 24 on x86_64 (after st_dev,
        /// st_ino, st_nlink; glibc bits/struct_stat.h), at 16 on arm64 (asm-generic/stat.h: st_nlink comes after st_mode).
        /// </summary>
        public static int? FileMode(string path)
        {
            var buffer = Stat(path, out var layout);
            return buffer == null ? (int?)null : BitConverter.ToInt32(buffer, layout.ModeOffset);
        }

        // st_mode file types (sys/stat.h, the same on every Linux ABI).
        public const int S_IFMT = 0xF000;
        public const int S_IFSOCK = 0xC000;
        public const int S_IFLNK = 0xA000;
        public const int S_IFREG = 0x8000;
        public const int S_IFBLK = 0x6000;
        public const int S_IFDIR = 0x4000;
        public const int S_IFCHR = 0x2000;
        public const int S_IFIFO = 0x1000;

        struct StatLayout { public int ModeOffset, GidOffset, XstatVersion; }

        /// <summary>stat(2) into a buffer, or null (unknown architecture, or the call failed). glibc before 2.33 exports only __xstat.</summary>
        static byte[] Stat(string path, out StatLayout layout)
        {
            switch (RuntimeInformation.ProcessArchitecture)
            {
                case Architecture.X64: layout = new StatLayout { ModeOffset = 24, GidOffset = 32, XstatVersion = 1 }; break;
                case Architecture.Arm64: layout = new StatLayout { ModeOffset = 16, GidOffset = 28, XstatVersion = 0 }; break;
                default: layout = default(StatLayout); return null;
            }
            var buffer = new byte[256]; // larger than struct stat on every 64-bit ABI (144 on x86_64, 128 on arm64)
            int rc;
            try { rc = stat_(path, buffer); }
            catch (EntryPointNotFoundException) { rc = xstat(layout.XstatVersion, path, buffer); }
            return rc == 0 ? buffer : null;
        }
    }
}
