using System;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.LiteOn8051
{
    /// <summary>
    /// How long a classic 8051 LiteOn/MediaTek writer takes (issue 15 timing model). Its flash protocol is not public
    /// (docs/reference/drive-protocols.md §3.1) and MtkFlash never flashes it: only inventory and the F1 cache read take time, and every
    /// figure is inferred.
    /// </summary>
    public static class LiteOn8051Timing
    {
        public static DriveTimingModel Model { get; } = new DriveTimingModel(
            // [inferred] PATA drives of 2003-2005: about 8 MiB/s.
            busBytesPerSecond: 8 * 1024 * 1024,
            commandLatency: TimeSpan.FromMilliseconds(0.5),
            busyAnswer: TimeSpan.FromMilliseconds(0.5),
            // [inferred] never used: the emulator refuses every flash command of this family (docs/reference/drive-protocols.md §3.1, §6).
            programPerBlock: TimeSpan.FromSeconds(10),
            programBlockSize: 0x10000,
            rebootTime: TimeSpan.FromSeconds(3),
            source: "docs/reference/drive-protocols.md §3.1 (protocol not public); every figure inferred");
    }
}
