using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Win32.SafeHandles;

namespace MtkFlash.Core.Transports.Windows
{
    /// <summary>
    /// Optical drives of a Windows machine: \\.\CdRomN probed in order, identity from IOCTL_STORAGE_QUERY_PROPERTY,
    /// location from IOCTL_SCSI_GET_ADDRESS, drive letters as alternate paths; commands through
    /// <see cref="ScsiPassThroughTransport"/>. Every call into Windows is guarded: on other systems Enumerate is empty
    /// and Open throws <see cref="PlatformNotSupportedException"/>.
    /// </summary>
    public sealed class WindowsDrivePlatform : IDrivePlatform
    {
        const int MaxCdRom = 32;
        const int AllowedGap = 4; // class-driver numbers can have holes after a drive is removed [I]
        static readonly Regex DriveLetter = new Regex(@"^[A-Za-z]:\\?$", RegexOptions.CultureInvariant);
        static readonly bool OnWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        public string Name => "Windows";

        /// <summary>\\.\CdRomN, \\.\X:, or a drive letter such as "D:".</summary>
        public bool Handles(string path) =>
            path != null && (path.StartsWith(@"\\.\", StringComparison.Ordinal) || DriveLetter.IsMatch(path));

        /// <summary>
        /// Nothing to check ahead: pass-through needs read/write access to the drive, which opening it already requires (a
        /// denied open says to run elevated, <see cref="WindowsTransportMessages.OpenDenied"/>).
        /// </summary>
        public string MissingRawIoRights() => null;

        /// <summary>The device name CreateFile needs: "D:" and "D:\" become \\.\D:.</summary>
        public static string DevicePath(string path) =>
            DriveLetter.IsMatch(path) ? @"\\.\" + char.ToUpperInvariant(path[0]) + ":" : path;

        public IScsiTransport Open(string path, DriveAccess access)
        {
            if (!OnWindows) throw new PlatformNotSupportedException("SCSI pass-through runs on Windows only.");
            return ScsiPassThroughTransport.Open(path, access);
        }

        public IReadOnlyList<DeviceEntry> Enumerate()
        {
            var list = new List<DeviceEntry>();
            if (!OnWindows) return list;
            var letters = CdRomLetters();
            int misses = 0;
            for (int n = 0; n < MaxCdRom && misses < AllowedGap; n++)
            {
                var path = @"\\.\CdRom" + n.ToString(CultureInfo.InvariantCulture);
                // Access 0 (query only): enough for the FILE_ANY_ACCESS IOCTLs below and granted without elevation.
                using (var h = WindowsNative.CreateFile(path, 0, WindowsNative.FILE_SHARE_READ | WindowsNative.FILE_SHARE_WRITE,
                           IntPtr.Zero, WindowsNative.OPEN_EXISTING, 0, IntPtr.Zero))
                {
                    if (h.IsInvalid)
                    {
                        int error = WindowsNative.LastError;
                        if (error == WindowsNative.ERROR_FILE_NOT_FOUND || error == WindowsNative.ERROR_PATH_NOT_FOUND) { misses++; continue; }
                    }
                    misses = 0;
                    var entry = new DeviceEntry { Path = path, AlternatePaths = new string[0] };
                    if (!h.IsInvalid)
                    {
                        var descriptor = QueryDeviceDescriptor(h);
                        if (descriptor != null) (entry.Vendor, entry.Product, entry.Revision) = ParseDeviceDescriptor(descriptor);
                        entry.Location = ScsiLocation(h);
                    }
                    if (letters.TryGetValue((uint)n, out var letter)) entry.AlternatePaths = new[] { letter };
                    list.Add(entry);
                }
            }
            return list;
        }

        /// <summary>
        /// Vendor, product and revision from a STORAGE_DEVICE_DESCRIPTOR (§5.2: VendorIdOffset@12, ProductIdOffset@16,
        /// ProductRevisionOffset@20; each a byte offset to a NUL-terminated string, 0 = absent). Trimmed like sysfs.
        /// </summary>
        internal static (string Vendor, string Product, string Revision) ParseDeviceDescriptor(byte[] d)
        {
            string At(int field)
            {
                if (d.Length < field + 4) return null;
                int offset = BitConverter.ToInt32(d, field);
                if (offset <= 0 || offset >= d.Length) return null;
                int end = offset;
                while (end < d.Length && d[end] != 0) end++;
                var s = Encoding.ASCII.GetString(d, offset, end - offset).Trim();
                return s.Length == 0 ? null : s;
            }
            return (At(12), At(16), At(20));
        }

        static unsafe byte[] QueryDeviceDescriptor(SafeFileHandle h)
        {
            var query = new StoragePropertyQuery(); // StorageDeviceProperty, PropertyStandardQuery
            var buffer = new byte[1024];
            fixed (byte* p = buffer)
            {
                if (!WindowsNative.DeviceIoControl(h, WindowsNative.IOCTL_STORAGE_QUERY_PROPERTY, &query, (uint)sizeof(StoragePropertyQuery),
                        p, (uint)buffer.Length, out uint returned, IntPtr.Zero) || returned < 24)
                    return null;
                Array.Resize(ref buffer, (int)returned);
                return buffer;
            }
        }

        /// <summary>"scsi P:B:T:L" (port, path, target, LUN) from IOCTL_SCSI_GET_ADDRESS, or null when the driver does not answer it.</summary>
        static unsafe string ScsiLocation(SafeFileHandle h)
        {
            var a = new ScsiAddress { Length = (uint)sizeof(ScsiAddress) };
            if (!WindowsNative.DeviceIoControl(h, WindowsNative.IOCTL_SCSI_GET_ADDRESS, null, 0, &a, (uint)sizeof(ScsiAddress), out _, IntPtr.Zero))
                return null;
            return FormatScsiAddress(a.PortNumber, a.PathId, a.TargetId, a.Lun);
        }

        internal static string FormatScsiAddress(byte port, byte path, byte target, byte lun) =>
            string.Format(CultureInfo.InvariantCulture, "scsi {0}:{1}:{2}:{3}", port, path, target, lun);

        /// <summary>CD-ROM drive letters by device number (IOCTL_STORAGE_GET_DEVICE_NUMBER), which matches the N of \\.\CdRomN. [I]</summary>
        static unsafe Dictionary<uint, string> CdRomLetters()
        {
            var map = new Dictionary<uint, string>();
            for (char c = 'A'; c <= 'Z'; c++)
            {
                if (WindowsNative.GetDriveType(c + @":\") != WindowsNative.DRIVE_CDROM) continue;
                using (var h = WindowsNative.CreateFile(@"\\.\" + c + ":", 0, WindowsNative.FILE_SHARE_READ | WindowsNative.FILE_SHARE_WRITE,
                           IntPtr.Zero, WindowsNative.OPEN_EXISTING, 0, IntPtr.Zero))
                {
                    if (h.IsInvalid) continue;
                    var number = new StorageDeviceNumber();
                    if (WindowsNative.DeviceIoControl(h, WindowsNative.IOCTL_STORAGE_GET_DEVICE_NUMBER, null, 0, &number,
                            (uint)sizeof(StorageDeviceNumber), out _, IntPtr.Zero) && !map.ContainsKey(number.DeviceNumber))
                        map[number.DeviceNumber] = c + ":";
                }
            }
            return map;
        }
    }
}
