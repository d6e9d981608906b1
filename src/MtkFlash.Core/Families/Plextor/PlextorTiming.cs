using System;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.Plextor
{
    /// <summary>
    /// How long a Plextor PX-7xx takes (issue 15 timing model). Neither public source (redumper flash_plextor.ixx, qpxtool
    /// pxfw.cpp; docs/reference/drive-protocols.md §2.5) gives a programming or reboot time: every figure here is inferred.
    /// </summary>
    public static class PlextorTiming
    {
        public static DriveTimingModel Model { get; } = new DriveTimingModel(
            // [inferred] PATA/SATA ATAPI of its time: about 8 MiB/s. No public figure.
            busBytesPerSecond: 8 * 1024 * 1024,
            // [inferred] command overhead and busy answer: half a millisecond.
            commandLatency: TimeSpan.FromMilliseconds(0.5),
            busyAnswer: TimeSpan.FromMilliseconds(0.5),
            // [inferred] 20 s for any image up to 2 MiB (the emulator's figure since the family was added; not documented, §2.5).
            programPerBlock: TimeSpan.FromSeconds(20),
            programBlockSize: 0x200000,
            // [inferred] reboot: 3 s.
            rebootTime: TimeSpan.FromSeconds(3),
            source: "docs/reference/drive-protocols.md §2.5 documents no time; every figure inferred");
    }
}
