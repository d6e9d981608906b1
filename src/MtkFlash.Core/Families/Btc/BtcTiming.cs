using System;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.Btc
{
    /// <summary>
    /// How long a BTC DRW1008 takes (issue 15 timing model). The one public figure is btcflash's: after the commit it leaves
    /// the drive alone for 50 s ("let drive sit for a while before bothering it"), then waits for TEST UNIT READY for up to
    /// 300 s (docs/reference/drive-protocols.md §2.1). How long the drive really programs is not public: the model takes the 50 s [inferred].
    /// </summary>
    public static class BtcTiming
    {
        public static DriveTimingModel Model { get; } = new DriveTimingModel(
            // [inferred] a 2004 PATA drive; WRITE BUFFER data at about 8 MiB/s (PIO). No public figure.
            busBytesPerSecond: 8 * 1024 * 1024,
            // [inferred] command overhead and busy answer: half a millisecond.
            commandLatency: TimeSpan.FromMilliseconds(0.5),
            busyAnswer: TimeSpan.FromMilliseconds(0.5),
            // [inferred] 50 s for the 1 MiB image: btcflash's silence after the commit (docs/reference/drive-protocols.md §2.1), the only figure.
            programPerBlock: TimeSpan.FromSeconds(50),
            programBlockSize: 0x100000,
            // [inferred] reboot: 3 s. Not public (btcflash tells the user to reboot the computer before using the drive).
            rebootTime: TimeSpan.FromSeconds(3),
            source: "docs/reference/drive-protocols.md §2.1 (btcflash: 50 s of silence, then TEST UNIT READY up to 300 s); everything else inferred");
    }
}
