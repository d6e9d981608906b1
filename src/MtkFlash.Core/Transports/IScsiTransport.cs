using System;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Core.Transports
{
    /// <summary>
    /// One open drive: sends a CDB with its data phase and returns status, sense and data.
    /// One implementation per OS (Linux SG_IO, Windows SCSI pass-through) plus the in-process virtual drive.
    /// Implementations return CHECK CONDITION as a response (not an exception) and throw only for transport-level failures:
    /// <see cref="ScsiTimeoutException"/>, <see cref="DriveAccessDeniedException"/>, <see cref="DriveNotRespondingException"/>.
    /// </summary>
    public interface IScsiTransport : IDisposable
    {
        /// <summary>The path the user gave (/dev/sr0, \\.\CdRom0, virtual:NAME).</summary>
        string Path { get; }

        ScsiResponse Execute(ScsiRequest request);
    }
}
