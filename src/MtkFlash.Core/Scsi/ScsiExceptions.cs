using System;

namespace MtkFlash.Core.Scsi
{
    /// <summary>Base of every failure talking to a drive. Always carries the drive path.</summary>
    public class DriveCommunicationException : Exception
    {
        public DriveCommunicationException(string drivePath, string message, Exception inner = null) : base(message, inner)
        {
            DrivePath = drivePath;
        }

        public string DrivePath { get; }
    }

    /// <summary>A command completed with a status other than GOOD. Carries CDB, status and sense.</summary>
    public sealed class ScsiCommandException : DriveCommunicationException
    {
        public ScsiCommandException(string drivePath, ScsiRequest request, ScsiResponse response)
            : base(drivePath, BuildMessage(drivePath, request, response))
        {
            Cdb = request.Cdb;
            CommandName = request.Name;
            Status = response.Status;
            SenseBytes = response.SenseBytes;
            Sense = response.Sense;
        }

        public byte[] Cdb { get; }
        public string CommandName { get; }
        public byte Status { get; }
        public byte[] SenseBytes { get; }
        public SenseData Sense { get; }

        static string BuildMessage(string path, ScsiRequest request, ScsiResponse response)
        {
            var what = request.Name + " [" + Hex.Format(request.Cdb) + "] on " + path + " failed: " + ScsiStatus.Describe(response.Status);
            if (response.Sense != null) what += ", " + response.Sense.Describe();
            else if (response.Status == ScsiStatus.CheckCondition) what += ", no sense data";
            return what + ".";
        }
    }

    /// <summary>The drive did not complete a command within its timeout.</summary>
    public sealed class ScsiTimeoutException : DriveCommunicationException
    {
        public ScsiTimeoutException(string drivePath, ScsiRequest request)
            : base(drivePath, request.Name + " [" + Hex.Format(request.Cdb) + "] on " + drivePath + " timed out after " +
                   request.Timeout.TotalSeconds.ToString("0.###") + " s; the drive did not answer.")
        {
            Cdb = request.Cdb;
            Timeout = request.Timeout;
        }

        public byte[] Cdb { get; }
        public TimeSpan Timeout { get; }
    }

    /// <summary>Why the OS refused access.</summary>
    public enum AccessDeniedReason
    {
        /// <summary>The device node could not be opened (Linux: cdrom group; Windows: device access).</summary>
        Open,
        /// <summary>The command itself needs more privilege (Linux: CAP_SYS_RAWIO for WRITE BUFFER and vendor opcodes).</summary>
        RawCommand,
    }

    /// <summary>The OS refused to open the drive or to pass a command (EACCES/EPERM, ERROR_ACCESS_DENIED).</summary>
    public sealed class DriveAccessDeniedException : DriveCommunicationException
    {
        public DriveAccessDeniedException(string drivePath, AccessDeniedReason reason, string message, Exception inner = null)
            : base(drivePath, message, inner)
        {
            Reason = reason;
        }

        public AccessDeniedReason Reason { get; }
    }

    /// <summary>
    /// There is no drive at the path: no such node or virtual drive, a path no platform knows, or a file that is not a SCSI
    /// device. Unlike <see cref="DriveNotRespondingException"/> nothing was there to answer. ErrorId DriveNotFound everywhere.
    /// </summary>
    public sealed class NoSuchDriveException : DriveCommunicationException
    {
        public NoSuchDriveException(string drivePath, string message, Operations.Remedy remedy = null, Exception inner = null) : base(drivePath, message, inner)
        {
            Remedy = remedy;
        }

        /// <summary>What the user can do (create the virtual drive, list the drives); null when nothing specific.</summary>
        public Operations.Remedy Remedy { get; }
    }

    /// <summary>The drive is gone or does not answer at all (no such device, I/O error at transport level).</summary>
    public sealed class DriveNotRespondingException : DriveCommunicationException
    {
        public DriveNotRespondingException(string drivePath, string message, Exception inner = null) : base(drivePath, message, inner) { }
    }
}

namespace MtkFlash.Core.Scsi
{
    /// <summary>Another process holds the drive exclusively (an MtkFlash backup or flash in progress, or a mount).</summary>
    public sealed class DriveBusyException : DriveCommunicationException
    {
        public DriveBusyException(string drivePath, string message, System.Exception inner = null) : base(drivePath, message, inner) { }
    }
}
