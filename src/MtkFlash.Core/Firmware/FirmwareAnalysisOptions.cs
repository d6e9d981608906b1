using System;
using MtkFlash.Core.Firmware.Formats;

namespace MtkFlash.Core.Firmware
{
    /// <summary>How the analyser may reach outside the file: only to unpack a UPX-compressed flasher with the upx tool.</summary>
    public sealed class FirmwareAnalysisOptions
    {
        /// <summary>upx (upx.exe on Windows) from PATH, one minute per unpack.</summary>
        public static FirmwareAnalysisOptions Default => new FirmwareAnalysisOptions();

        /// <summary>
        /// Finds the upx executable; returns null when there is none (compressed flashers are then reported as
        /// XFlashCompressed). Default: the first upx (upx.exe on Windows) in the directories of PATH.
        /// </summary>
        public Func<string> LocateUnpacker { get; set; } = UpxUnpacker.FindOnPath;

        /// <summary>How long one upx run may take before it is stopped.</summary>
        public TimeSpan UnpackTimeout { get; set; } = TimeSpan.FromMinutes(1);

        /// <summary>Options that never run a program: compressed flashers are reported, not unpacked.</summary>
        public static FirmwareAnalysisOptions WithoutUnpacker() => new FirmwareAnalysisOptions { LocateUnpacker = () => null };
    }
}
