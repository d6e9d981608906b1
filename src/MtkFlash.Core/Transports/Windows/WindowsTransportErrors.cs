using System;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Core.Transports.Windows
{
    /// <summary>Texts of the Windows transport's errors, as constants for tests. Format arguments on each constant.</summary>
    public static class WindowsTransportMessages
    {
        /// <summary>{0} path.</summary>
        public const string OpenDenied =
            "Cannot open {0}: access denied. SCSI pass-through needs read/write access to the drive; " +
            "run MtkFlash from an elevated (administrator) prompt.";
        /// <summary>{0} command name, {1} CDB hex, {2} path.</summary>
        public const string RawCommandDenied =
            "Windows refused {0} [{1}] on {2} (ERROR_ACCESS_DENIED): SCSI pass-through needs read/write access to the drive; " +
            "run MtkFlash from an elevated (administrator) prompt.";
        /// <summary>{0} path.</summary>
        public const string Busy =
            "{0} is in use by another program or MtkFlash process (sharing violation). Close programs using the drive, then try again.";
        /// <summary>{0} path, {1} reason.</summary>
        public const string NotResponding = "{0} does not respond: {1}.";
        /// <summary>{0} path.</summary>
        public const string NoSuchDevice = "{0} does not exist.";
    }

    /// <summary>Maps Win32 errors and SCSI_PASS_THROUGH_DIRECT results to transport exceptions; pure, so tested anywhere.</summary>
    internal static class WindowsTransportErrors
    {
        public static string ErrorName(int error)
        {
            switch (error)
            {
                case WindowsNative.ERROR_INVALID_FUNCTION: return "ERROR_INVALID_FUNCTION, the device does not accept SCSI pass-through";
                case WindowsNative.ERROR_FILE_NOT_FOUND: return "ERROR_FILE_NOT_FOUND";
                case WindowsNative.ERROR_PATH_NOT_FOUND: return "ERROR_PATH_NOT_FOUND";
                case WindowsNative.ERROR_NOT_READY: return "ERROR_NOT_READY";
                case WindowsNative.ERROR_GEN_FAILURE: return "ERROR_GEN_FAILURE, the device is not functioning";
                case WindowsNative.ERROR_NOT_SUPPORTED: return "ERROR_NOT_SUPPORTED, the device does not accept SCSI pass-through";
                case WindowsNative.ERROR_DEV_NOT_EXIST: return "ERROR_DEV_NOT_EXIST";
                case WindowsNative.ERROR_INVALID_PARAMETER: return "ERROR_INVALID_PARAMETER (transfer too long for the adapter?)";
                case WindowsNative.ERROR_NO_SUCH_DEVICE: return "ERROR_NO_SUCH_DEVICE";
                case WindowsNative.ERROR_IO_DEVICE: return "ERROR_IO_DEVICE, I/O device error";
                case WindowsNative.ERROR_DEVICE_NOT_CONNECTED: return "ERROR_DEVICE_NOT_CONNECTED";
                default: return "Win32 error " + error;
            }
        }

        public static Exception FromOpenError(int error, string path)
        {
            switch (error)
            {
                case WindowsNative.ERROR_ACCESS_DENIED:
                    return new DriveAccessDeniedException(path, AccessDeniedReason.Open, string.Format(WindowsTransportMessages.OpenDenied, path));
                case WindowsNative.ERROR_SHARING_VIOLATION:
                    return new DriveBusyException(path, string.Format(WindowsTransportMessages.Busy, path));
                case WindowsNative.ERROR_FILE_NOT_FOUND:
                case WindowsNative.ERROR_PATH_NOT_FOUND:
                    return new NoSuchDriveException(path, string.Format(WindowsTransportMessages.NoSuchDevice, path));
                default:
                    return new DriveNotRespondingException(path, string.Format(WindowsTransportMessages.NotResponding, path, ErrorName(error)));
            }
        }

        public static Exception FromIoctlError(int error, string path, ScsiRequest request)
        {
            switch (error)
            {
                case WindowsNative.ERROR_SEM_TIMEOUT:   // what the port drivers report when TimeOutValue expires
                case WindowsNative.ERROR_TIMEOUT:
                    return new ScsiTimeoutException(path, request);
                case WindowsNative.ERROR_ACCESS_DENIED:
                    return new DriveAccessDeniedException(path, AccessDeniedReason.RawCommand,
                        string.Format(WindowsTransportMessages.RawCommandDenied, request.Name, Hex.Format(request.Cdb), path));
                default:
                    return new DriveNotRespondingException(path, string.Format(WindowsTransportMessages.NotResponding, path,
                        ErrorName(error) + " on " + request.Name));
            }
        }

        /// <summary>
        /// A completed pass-through: the SCSI status, the sense the port driver wrote, and the data actually moved
        /// (DataTransferLength is updated on return). When SenseInfoLength comes back 0 with CHECK CONDITION, the sense
        /// length is taken from its additional-length byte [I: drivers differ in updating SenseInfoLength].
        /// </summary>
        public static ScsiResponse ToResponse(byte status, byte senseInfoLength, byte[] sense, uint dataTransferLength, byte[] data, ScsiRequest request)
        {
            int senseLength = Math.Min(senseInfoLength, sense.Length);
            if (senseLength == 0 && status == ScsiStatus.CheckCondition && (sense[0] & 0x70) == 0x70)
                senseLength = Math.Min(sense.Length, 8 + sense[7]); // byte 7 = additional length, fixed and descriptor format
            byte[] senseBytes = null;
            if (senseLength > 0)
            {
                senseBytes = new byte[senseLength];
                Array.Copy(sense, senseBytes, senseLength);
            }
            byte[] received = null;
            if (request.Direction == DataDirection.In && data != null)
            {
                int n = (int)Math.Min((uint)data.Length, dataTransferLength);
                received = new byte[n];
                Array.Copy(data, received, n);
            }
            return new ScsiResponse(status, senseBytes, received);
        }
    }
}
