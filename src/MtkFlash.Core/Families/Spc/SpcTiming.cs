using System;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.Spc
{
    /// <summary>
    /// How long a drive that advertises the MMC Microcode Upgrade feature takes (issue 15 timing model). MtkFlash never
    /// flashes one (no public source shows how such a drive takes a download, docs/reference/drive-protocols.md §4.3): only its bus and
    /// command times matter, and all are inferred.
    /// </summary>
    public static class SpcTiming
    {
        public static DriveTimingModel Model { get; } = new DriveTimingModel(
            // [inferred] SATA ATAPI: about 20 MiB/s.
            busBytesPerSecond: 20 * 1024 * 1024,
            commandLatency: TimeSpan.FromMilliseconds(0.5),
            busyAnswer: TimeSpan.FromMilliseconds(0.5),
            // [inferred] never used: the emulator refuses every download of this family (docs/reference/drive-protocols.md §4.3).
            programPerBlock: TimeSpan.FromSeconds(10),
            programBlockSize: 0x100000,
            rebootTime: TimeSpan.FromSeconds(3),
            source: "docs/reference/drive-protocols.md §4.2-§4.3 (no public download path); every figure inferred");
    }
}
