using System;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Core.Transports.Linux
{
    /// <summary>
    /// The texts of the Linux transport's errors. Constants so that tests and the kernel e2e harness can assert them.
    /// Format arguments are listed on each constant.
    /// </summary>
    public static class LinuxTransportMessages
    {
        /// <summary>Stable fragment of <see cref="OpenDenied"/>.</summary>
        public const string OpenDeniedMarker = "open needs membership of the";
        /// <summary>{0} path, {1} group that owns the node.</summary>
        public const string OpenDenied =
            "Cannot open {0}: permission denied; open needs membership of the {1} group, which owns {0}. " +
            "Add your user to it (sudo usermod -aG {1} $USER, then log in again) or run as root.";
        /// <summary>Used as {1} of <see cref="OpenDenied"/> when the owning group cannot be read.</summary>
        public const string UnknownGroup = "cdrom (Debian, Ubuntu) or optical (Arch)";

        /// <summary>Stable fragment of <see cref="RawCommandDenied"/>.</summary>
        public const string RawCommandDeniedMarker = "firmware and vendor commands need root or CAP_SYS_RAWIO";
        /// <summary>{0} command name, {1} CDB hex, {2} path.</summary>
        public const string RawCommandDenied =
            "The kernel refused {0} [{1}] on {2} (EPERM): firmware and vendor commands need root or CAP_SYS_RAWIO. " +
            "Run MtkFlash with sudo; group membership is not enough for these commands.";

        /// <summary>Stable fragment of both busy messages.</summary>
        public const string BusyMarker = "is in use";
        /// <summary>{0} path, {1} SCSI address or path the lock is keyed by, {2} lock file.</summary>
        public const string BusyLocked =
            "{0} is in use by another MtkFlash process (drive {1}, lock {2}). Wait for its backup or flash to finish.";
        /// <summary>{0} path.</summary>
        public const string BusyExclusive =
            "{0} is in use by another program (mounted, or opened exclusively). Unmount the disc and close programs using the drive.";

        /// <summary>{0} path, {1} errno text.</summary>
        public const string NotResponding = "{0} does not respond: {1}.";
        /// <summary>{0} path.</summary>
        public const string NotAScsiDevice = "{0} is not a SCSI or ATAPI device (it does not accept SG_IO).";
        /// <summary>{0} path.</summary>
        public const string NoSuchNode = "{0} does not exist.";
    }

    /// <summary>
    /// Maps the outcome of open(2), flock(2) and the SG_IO ioctl to the transport exceptions of IScsiTransport.
    /// Pure functions of their inputs, so the mapping is tested without a kernel.
    /// </summary>
    internal static class SgIoErrors
    {
        // host_status (include/scsi/scsi_status.h / sg3_utils sg_lib.h DID_*).
        public const ushort DID_OK = 0x00;
        public const ushort DID_NO_CONNECT = 0x01;
        public const ushort DID_TIME_OUT = 0x03;
        public const ushort DID_BAD_TARGET = 0x04;
        // driver_status low nibble (sg3_utils sg_lib.h SG_LIB_DRIVER_*); high nibble holds old "suggest" bits.
        public const ushort DRIVER_OK = 0x00;
        public const ushort DRIVER_TIMEOUT = 0x06;
        public const ushort DRIVER_SENSE = 0x08;

        public static string ErrnoName(int errno)
        {
            switch (errno)
            {
                case LinuxNative.EPERM: return "EPERM";
                case LinuxNative.ENOENT: return "ENOENT, no such file";
                case LinuxNative.EINTR: return "EINTR, interrupted";
                case LinuxNative.EIO: return "EIO, input/output error";
                case LinuxNative.ENXIO: return "ENXIO, no such device or address";
                case LinuxNative.EAGAIN: return "EAGAIN";
                case LinuxNative.EACCES: return "EACCES, permission denied";
                case LinuxNative.EBUSY: return "EBUSY, device busy";
                case LinuxNative.ENODEV: return "ENODEV, no such device";
                case LinuxNative.EINVAL: return "EINVAL, invalid argument";
                case LinuxNative.ENOTTY: return "ENOTTY, not a SCSI device";
                case LinuxNative.EROFS: return "EROFS";
                case LinuxNative.ETIMEDOUT: return "ETIMEDOUT";
                case LinuxNative.ENOMEDIUM: return "ENOMEDIUM, no medium";
                default: return "errno " + errno;
            }
        }

        /// <summary>open(2) of the device node failed.</summary>
        public static Exception FromOpenErrno(int errno, string path, string owningGroup)
        {
            switch (errno)
            {
                case LinuxNative.EACCES:
                case LinuxNative.EPERM:
                    return new DriveAccessDeniedException(path, AccessDeniedReason.Open,
                        string.Format(LinuxTransportMessages.OpenDenied, path, owningGroup ?? LinuxTransportMessages.UnknownGroup));
                case LinuxNative.EBUSY:
                    return new DriveBusyException(path, string.Format(LinuxTransportMessages.BusyExclusive, path));
                case LinuxNative.ENOENT:
                    return new NoSuchDriveException(path, string.Format(LinuxTransportMessages.NoSuchNode, path));
                default:
                    return new DriveNotRespondingException(path, string.Format(LinuxTransportMessages.NotResponding, path, ErrnoName(errno)));
            }
        }

        /// <summary>The SG_IO ioctl itself returned -1.</summary>
        public static Exception FromIoctlErrno(int errno, string path, ScsiRequest request)
        {
            switch (errno)
            {
                // docs/reference/drive-protocols.md §5.1: scsi_cmd_allowed() answers -EPERM for commands outside the read/write lists
                // (WRITE BUFFER, F1, FF) when the caller lacks CAP_SYS_RAWIO.
                case LinuxNative.EPERM:
                case LinuxNative.EACCES:
                    return new DriveAccessDeniedException(path, AccessDeniedReason.RawCommand,
                        string.Format(LinuxTransportMessages.RawCommandDenied, request.Name, Hex.Format(request.Cdb), path));
                case LinuxNative.ETIMEDOUT:
                    return new ScsiTimeoutException(path, request);
                case LinuxNative.EIO:
                    // §5.1: a transfer above max_hw_sectors × 512 also fails with EIO.
                    return new DriveNotRespondingException(path, string.Format(LinuxTransportMessages.NotResponding, path,
                        ErrnoName(errno) + " on " + request.Name + " (" + request.TransferLength + "-byte transfer)"));
                default:
                    return new DriveNotRespondingException(path, string.Format(LinuxTransportMessages.NotResponding, path,
                        ErrnoName(errno) + " on " + request.Name));
            }
        }

        /// <summary>
        /// The ioctl completed: returns the response, or throws a timeout / not-responding exception for
        /// transport-level failures (host or driver status). CHECK CONDITION is a response, not an exception.
        /// </summary>
        public static ScsiResponse ToResponse(in SgIoHdr h, byte[] sense, byte[] data, string path, ScsiRequest request)
        {
            int driver = h.driver_status & 0x0F;
            if (h.host_status == DID_TIME_OUT || driver == DRIVER_TIMEOUT) throw new ScsiTimeoutException(path, request);
            if (h.host_status != DID_OK)
                throw new DriveNotRespondingException(path, string.Format(LinuxTransportMessages.NotResponding, path,
                    "host_status 0x" + h.host_status.ToString("X2") + HostStatusName(h.host_status) + " on " + request.Name));

            // status is the full SAM status (§5.1); some old drivers fill only masked_status (status >> 1).
            byte status = h.status != 0 ? h.status : (byte)(h.masked_status << 1);
            // The kernel's timer fired but the device could not abort the command (seen with QEMU pass-through: ABORT TASK is
            // not forwarded), so the command completed late, after error handling, with an error status. For the caller
            // that is a timeout: the drive did not answer within the command's time.
            if (status != ScsiStatus.Good && request.Timeout.TotalMilliseconds > 0 && h.duration >= (uint)request.Timeout.TotalMilliseconds)
                throw new ScsiTimeoutException(path, request);
            int senseLength = Math.Min(h.sb_len_wr, sense?.Length ?? 0);
            if (status == ScsiStatus.Good && senseLength == 0 && driver != DRIVER_OK && driver != DRIVER_SENSE)
                throw new DriveNotRespondingException(path, string.Format(LinuxTransportMessages.NotResponding, path,
                    "driver_status 0x" + h.driver_status.ToString("X2") + " on " + request.Name));

            byte[] senseBytes = null;
            if (senseLength > 0)
            {
                senseBytes = new byte[senseLength];
                Array.Copy(sense, senseBytes, senseLength);
            }

            byte[] received = null;
            if (request.Direction == DataDirection.In && data != null)
            {
                int n = Math.Max(0, Math.Min(data.Length, data.Length - h.resid));
                if (n == data.Length) received = data;
                else
                {
                    received = new byte[n];
                    Array.Copy(data, received, n);
                }
            }
            return new ScsiResponse(status, senseBytes, received);
        }

        static string HostStatusName(ushort host)
        {
            switch (host)
            {
                case DID_NO_CONNECT: return " (DID_NO_CONNECT, drive not connected)";
                case DID_BAD_TARGET: return " (DID_BAD_TARGET)";
                default: return string.Empty;
            }
        }
    }
}
