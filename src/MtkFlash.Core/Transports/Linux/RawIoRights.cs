using System;
using System.IO;
using System.Runtime.InteropServices;

namespace MtkFlash.Core.Transports.Linux
{
    /// <summary>
    /// Linux lets WRITE BUFFER and vendor opcodes through SG_IO only with CAP_SYS_RAWIO (docs/reference/drive-protocols.md §5.1,
    /// torvalds/linux drivers/scsi/scsi_ioctl.c scsi_cmd_allowed). Checked before a flash so a user without the right
    /// gets a clear refusal before anything is sent, instead of an EPERM halfway.
    /// </summary>
    public static class RawIoRights
    {
        const int CapSysRawio = 17;   // include/uapi/linux/capability.h

        public const string Message = "Firmware and vendor commands need root or CAP_SYS_RAWIO on Linux; this process has neither. Run as root (sudo) or grant CAP_SYS_RAWIO.";

        /// <summary>True when the process may send firmware commands to real drives; always true off Linux.</summary>
        public static bool HasRawIo(string procStatusPath = "/proc/self/status")
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return true;
            return ParseCapEff(File.Exists(procStatusPath) ? File.ReadAllText(procStatusPath) : null, CapSysRawio) ?? true;
        }

        /// <summary>Reads the CapEff bit from /proc/self/status text; null when the field is missing.</summary>
        public static bool? ParseCapEff(string status, int bit)
        {
            if (status == null) return null;
            foreach (var line in status.Split('\n'))
            {
                if (!line.StartsWith("CapEff:", StringComparison.Ordinal)) continue;
                var hex = line.Substring(7).Trim();
                if (!ulong.TryParse(hex, System.Globalization.NumberStyles.HexNumber, null, out var caps)) return null;
                return (caps & (1UL << bit)) != 0;
            }
            return null;
        }
    }
}
