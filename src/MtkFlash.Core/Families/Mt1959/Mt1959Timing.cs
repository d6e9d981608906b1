using System;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.Mt1959
{
    /// <summary>
    /// How long an LG/HLDS or ASUS MT1959 BD writer takes (issue 15 timing model). The only public figures are about the
    /// programming after the last chunk: "in practice the program completes in a few seconds" and a wait of at most 45 s
    /// (freemkv, docs/reference/mt1959-notes.md §4.1), redumper waits at most 15 s (docs/reference/drive-protocols.md §2.3 step 6). The total time of a
    /// flash is not public (docs/reference/mt1959-notes.md §4.1 [NF]); everything else here is inferred.
    /// </summary>
    public static class Mt1959Timing
    {
        public static DriveTimingModel Model { get; } = new DriveTimingModel(
            // [inferred] SATA ATAPI; WRITE/READ BUFFER data phases at about 20 MiB/s. No public figure.
            busBytesPerSecond: 20 * 1024 * 1024,
            // [inferred] command overhead and the answer of a busy drive (02/04/08, docs/reference/mt1959-notes.md §4.1): half a millisecond.
            commandLatency: TimeSpan.FromMilliseconds(0.5),
            busyAnswer: TimeSpan.FromMilliseconds(0.5),
            // [inferred] 3 s per MiB, 6 s for the 2 MiB image: "a few seconds" (freemkv, docs/reference/mt1959-notes.md §4.1), within redumper's 15 s.
            programPerBlock: TimeSpan.FromSeconds(3),
            programBlockSize: 0x100000,
            // [inferred] the drive "re-initialises by itself" (docs/reference/mt1959-notes.md §4.2); how long it takes is not public.
            rebootTime: TimeSpan.FromSeconds(2),
            source: "docs/reference/mt1959-notes.md §4.1-§4.2 (programming: a few seconds); bus, latency and reboot inferred");
    }
}
