using System;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MtkFlash.Core.Transports.Windows
{
    /// <summary>
    /// SCSI_PASS_THROUGH_DIRECT (docs/reference/drive-protocols.md §5.2; mingw-w64 ntddscsi.h). Sequential layout with natural alignment
    /// gives 56 bytes on x64 (DataBuffer@24, SenseInfoOffset@32, Cdb@36) and 44 on x86 (@20, @24, @28).
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct ScsiPassThroughDirect
    {
        public ushort Length;
        public byte ScsiStatus;
        public byte PathId;
        public byte TargetId;
        public byte Lun;
        public byte CdbLength;
        public byte SenseInfoLength;
        public byte DataIn;                 // 0 out, 1 in, 2 unspecified
        public uint DataTransferLength;
        public uint TimeOutValue;           // seconds
        public IntPtr DataBuffer;
        public uint SenseInfoOffset;        // from the start of this struct
        public fixed byte Cdb[16];
    }

    /// <summary>
    /// The same struct as an x86 process sees it: DataBuffer is a 4-byte pointer. Not used at run time; it exists so the
    /// x86 layout is checked by a test on a 64-bit machine. Keep its fields in step with <see cref="ScsiPassThroughDirect"/>.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct ScsiPassThroughDirect32
    {
        public ushort Length;
        public byte ScsiStatus;
        public byte PathId;
        public byte TargetId;
        public byte Lun;
        public byte CdbLength;
        public byte SenseInfoLength;
        public byte DataIn;
        public uint DataTransferLength;
        public uint TimeOutValue;
        public uint DataBuffer;
        public uint SenseInfoOffset;
        public fixed byte Cdb[16];
    }

    /// <summary>The pass-through struct with the sense buffer right after it (redumper SPTD_SD, Aaru; §5.2).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct ScsiPassThroughDirectWithSense
    {
        public const int SenseLength = 32;
        public ScsiPassThroughDirect Sptd;
        public fixed byte Sense[SenseLength];
    }

    /// <summary>SCSI_ADDRESS (ntddscsi.h): answer of IOCTL_SCSI_GET_ADDRESS.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct ScsiAddress
    {
        public uint Length;
        public byte PortNumber;
        public byte PathId;
        public byte TargetId;
        public byte Lun;
    }

    /// <summary>STORAGE_DEVICE_NUMBER (ntddstor.h): answer of IOCTL_STORAGE_GET_DEVICE_NUMBER.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct StorageDeviceNumber
    {
        public uint DeviceType;
        public uint DeviceNumber;
        public uint PartitionNumber;
    }

    /// <summary>STORAGE_PROPERTY_QUERY (§5.2): PropertyId 0 = StorageDeviceProperty, QueryType 0 = standard.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct StoragePropertyQuery
    {
        public uint PropertyId;
        public uint QueryType;
        public byte AdditionalParameters;
    }

    internal static class WindowsNative
    {
        // IOCTL codes: docs/reference/drive-protocols.md §5.2 (checked against aaru-dps/Aaru Windows/Enums.cs).
        public const uint IOCTL_SCSI_PASS_THROUGH_DIRECT = 0x4D014;
        public const uint IOCTL_SCSI_GET_ADDRESS = 0x41018;
        public const uint IOCTL_STORAGE_QUERY_PROPERTY = 0x2D1400;
        public const uint IOCTL_STORAGE_GET_DEVICE_NUMBER = 0x2D1080;

        public const uint GENERIC_READ = 0x80000000;
        public const uint GENERIC_WRITE = 0x40000000;
        public const uint FILE_SHARE_READ = 1;
        public const uint FILE_SHARE_WRITE = 2;
        public const uint OPEN_EXISTING = 3;
        public const uint DRIVE_CDROM = 5;

        public const byte SCSI_IOCTL_DATA_OUT = 0;
        public const byte SCSI_IOCTL_DATA_IN = 1;
        public const byte SCSI_IOCTL_DATA_UNSPECIFIED = 2;

        // Win32 error codes (winerror.h).
        public const int ERROR_INVALID_FUNCTION = 1;
        public const int ERROR_FILE_NOT_FOUND = 2;
        public const int ERROR_PATH_NOT_FOUND = 3;
        public const int ERROR_ACCESS_DENIED = 5;
        public const int ERROR_NOT_READY = 21;
        public const int ERROR_GEN_FAILURE = 31;
        public const int ERROR_SHARING_VIOLATION = 32;
        public const int ERROR_NOT_SUPPORTED = 50;
        public const int ERROR_DEV_NOT_EXIST = 55;
        public const int ERROR_INVALID_PARAMETER = 87;
        public const int ERROR_SEM_TIMEOUT = 121;
        public const int ERROR_NO_SUCH_DEVICE = 433;
        public const int ERROR_IO_DEVICE = 1117;
        public const int ERROR_DEVICE_NOT_CONNECTED = 1167;
        public const int ERROR_TIMEOUT = 1460;

        [DllImport("kernel32.dll", EntryPoint = "CreateFileW", CharSet = CharSet.Unicode, SetLastError = true)]
        public static extern SafeFileHandle CreateFile(string name, uint access, uint share, IntPtr security, uint creation, uint flags, IntPtr template);

        [DllImport("kernel32.dll", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        public static extern unsafe bool DeviceIoControl(SafeFileHandle device, uint code, void* input, uint inputSize,
            void* output, uint outputSize, out uint returned, IntPtr overlapped);

        [DllImport("kernel32.dll", EntryPoint = "GetDriveTypeW", CharSet = CharSet.Unicode)]
        public static extern uint GetDriveType(string rootPath);

        public static int LastError => Marshal.GetLastWin32Error();
    }
}
