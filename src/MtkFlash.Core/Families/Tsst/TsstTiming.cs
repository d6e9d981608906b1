using System;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.Tsst
{
    /// <summary>
    /// How long a TSST/Samsung MediaTek drive takes (issue 15 timing model). Public: the MT1939 "stalls ~10 s after each MiB
    /// (commits 1 MiB at a time)" and "reboots into the new firmware by itself" (docs/reference/drive-protocols.md §2.2, coastermelt
    /// update-ts01-notes.txt). The MT1339 stalls are not documented; the same figures are used [inferred].
    /// </summary>
    public static class TsstTiming
    {
        public static DriveTimingModel Model { get; } = new DriveTimingModel(
            // [inferred] the SE-506CB is a USB 2.0 drive, the MT1339 DVD-ROMs SATA/IDE: about 20 MiB/s either way. No public figure.
            busBytesPerSecond: 20 * 1024 * 1024,
            // [inferred] command overhead and busy answer: half a millisecond.
            commandLatency: TimeSpan.FromMilliseconds(0.5),
            busyAnswer: TimeSpan.FromMilliseconds(0.5),
            // ~10 s per MiB, spent inside the block that completes each MiB (docs/reference/drive-protocols.md §2.2).
            programPerBlock: TimeSpan.FromSeconds(10),
            programBlockSize: 0x100000,
            // [inferred] reboot after the final block: 3 s. Not public.
            rebootTime: TimeSpan.FromSeconds(3),
            source: "docs/reference/drive-protocols.md §2.2 (MT1939: ~10 s per MiB, reboots by itself); bus, latency and reboot inferred");
    }
}
