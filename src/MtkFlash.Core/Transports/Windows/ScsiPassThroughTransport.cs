using System;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Core.Transports.Windows
{
    /// <summary>
    /// SCSI pass-through on Windows: IOCTL_SCSI_PASS_THROUGH_DIRECT on \\.\CdRomN or \\.\X: (docs/reference/drive-protocols.md §5.2).
    /// Exclusive access opens with no sharing, so any other open handle (another MtkFlash process included) makes the
    /// open fail with ERROR_SHARING_VIOLATION.
    /// </summary>
    public sealed class ScsiPassThroughTransport : IScsiTransport
    {
        readonly SafeFileHandle _handle;
        readonly object _gate = new object();

        ScsiPassThroughTransport(string path, SafeFileHandle handle, DriveAccess access)
        {
            Path = path;
            _handle = handle;
            Access = access;
        }

        public string Path { get; }
        public DriveAccess Access { get; }

        internal static ScsiPassThroughTransport Open(string path, DriveAccess access)
        {
            // Pass-through needs read and write access (the IOCTL is FILE_READ_ACCESS|FILE_WRITE_ACCESS; redumper opens
            // GENERIC_READ|GENERIC_WRITE, §5.2).
            uint share = access == DriveAccess.Exclusive ? 0 : WindowsNative.FILE_SHARE_READ | WindowsNative.FILE_SHARE_WRITE;
            var handle = WindowsNative.CreateFile(WindowsDrivePlatform.DevicePath(path), WindowsNative.GENERIC_READ | WindowsNative.GENERIC_WRITE,
                share, IntPtr.Zero, WindowsNative.OPEN_EXISTING, 0, IntPtr.Zero);
            if (handle.IsInvalid)
            {
                int error = WindowsNative.LastError;
                handle.Dispose();
                throw WindowsTransportErrors.FromOpenError(error, path);
            }
            return new ScsiPassThroughTransport(path, handle, access);
        }

        public unsafe ScsiResponse Execute(ScsiRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            lock (_gate)
            {
                if (_handle.IsClosed) throw new ObjectDisposedException(nameof(ScsiPassThroughTransport));
                int length = request.TransferLength;
                // Unmanaged memory: HeapAlloc alignment (8/16) satisfies the adapter alignment masks pinned arrays may not. [I]
                IntPtr buffer = length > 0 ? Marshal.AllocHGlobal(length) : IntPtr.Zero;
                try
                {
                    if (request.Direction == DataDirection.Out && length > 0) Marshal.Copy(request.OutData, 0, buffer, length);
                    var w = new ScsiPassThroughDirectWithSense();
                    w.Sptd.Length = (ushort)sizeof(ScsiPassThroughDirect);
                    w.Sptd.CdbLength = (byte)request.Cdb.Length;
                    w.Sptd.SenseInfoLength = ScsiPassThroughDirectWithSense.SenseLength;
                    w.Sptd.SenseInfoOffset = (uint)Marshal.OffsetOf<ScsiPassThroughDirectWithSense>(nameof(ScsiPassThroughDirectWithSense.Sense));
                    w.Sptd.DataIn = request.Direction == DataDirection.In ? WindowsNative.SCSI_IOCTL_DATA_IN
                        : request.Direction == DataDirection.Out && length > 0 ? WindowsNative.SCSI_IOCTL_DATA_OUT
                        : WindowsNative.SCSI_IOCTL_DATA_UNSPECIFIED;
                    w.Sptd.DataTransferLength = (uint)length;
                    w.Sptd.DataBuffer = buffer;
                    w.Sptd.TimeOutValue = TimeoutSeconds(request.Timeout);
                    for (int i = 0; i < request.Cdb.Length; i++) w.Sptd.Cdb[i] = request.Cdb[i];

                    uint size = (uint)sizeof(ScsiPassThroughDirectWithSense);
                    if (!WindowsNative.DeviceIoControl(_handle, WindowsNative.IOCTL_SCSI_PASS_THROUGH_DIRECT, &w, size, &w, size, out _, IntPtr.Zero))
                        throw WindowsTransportErrors.FromIoctlError(WindowsNative.LastError, Path, request);

                    var sense = new byte[ScsiPassThroughDirectWithSense.SenseLength];
                    for (int i = 0; i < sense.Length; i++) sense[i] = w.Sense[i];
                    byte[] data = null;
                    if (request.Direction == DataDirection.In)
                    {
                        data = new byte[length];
                        Marshal.Copy(buffer, data, 0, length);
                    }
                    return WindowsTransportErrors.ToResponse(w.Sptd.ScsiStatus, w.Sptd.SenseInfoLength, sense, w.Sptd.DataTransferLength, data, request);
                }
                finally
                {
                    if (buffer != IntPtr.Zero) Marshal.FreeHGlobal(buffer);
                }
            }
        }

        /// <summary>TimeOutValue is in whole seconds (§5.2), rounded up so a short timeout never becomes 0.</summary>
        internal static uint TimeoutSeconds(TimeSpan timeout)
        {
            double s = Math.Ceiling(timeout.TotalSeconds);
            return s < 1 ? 1u : s >= uint.MaxValue ? uint.MaxValue : (uint)s;
        }

        public void Dispose()
        {
            lock (_gate) _handle.Dispose();
        }
    }
}
