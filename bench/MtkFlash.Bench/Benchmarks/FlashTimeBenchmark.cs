using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Families.Btc;
using MtkFlash.Core.Families.Mt1959;
using MtkFlash.Core.Families.Plextor;
using MtkFlash.Core.Families.Tsst;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Bench.Benchmarks
{
    /// <summary>
    /// Figure 2 (issue 15): per flashable family, on the virtual clock, the tool's time from its first state-changing command
    /// to a verified result, divided by the drive's modelled minimum for that image: the commands the family's cited flasher
    /// must send (latency and bus time), the erase/program stalls, the reboot, and, where the family has a public read-back,
    /// one read of the flash at the modelled bus speed (a verified result needs it). The minimum is computed here from the
    /// family's timing model and its protocol's chunking, not from the write path. Target &lt;= 1.05.
    /// And the automatic backup before a write: its time (the same write's time to its first state-changing command with
    /// and without the backup) against one modelled read of the flash. Target &lt;= 2.1 (it reads twice to verify).
    /// Everything runs on a FakeClock: the figures are exact and the same on every machine, quick and full mode alike.
    /// </summary>
    public sealed class FlashTimeBenchmark : IBenchmark
    {
        public string Number => "2";
        public string Title => "Flash time against the device minimum (virtual clock)";

        public IEnumerable<Figure> Run(BenchOptions options)
        {
            var figures = new List<Figure>();
            int n = 0;
            foreach (var c in FlashCase.All)
            {
                var model = c.Model;
                var image = SyntheticImages.Build(c.Profile, c.Revision);

                var rig = new FlashRig(Path.Combine(options.WorkFolder, "fig2-" + (++n) + "-" + c.Family), new FakeClock());
                var drive = rig.NewDrive("d", c);
                rig.Write(drive, c, backup: false);
                var tool = rig.Clock.Elapsed - rig.Platform.FirstStateChange(drive).Value;
                var minimum = Minimum(c, model, image.Length);
                figures.Add(new Figure
                {
                    Name = "flash time / device minimum: " + c.Family,
                    Value = Math.Round(tool.TotalSeconds / minimum.TotalSeconds, 4),
                    Unit = "ratio",
                    Target = 1.05,
                    Comparison = "<=",
                    Note = "tool " + tool.TotalSeconds.ToString("0.000") + " s from the first state-changing command to verified, device minimum " +
                           minimum.TotalSeconds.ToString("0.000") + " s (" + c.Profile + ", " + image.Length / 1024 + " KiB; model: " + model + ")",
                });

                if (!HasReadBack(c)) continue;
                // The same write with the automatic backup, on an identical fresh drive: the backup is the difference in the
                // time to reach the first state-changing command.
                var withBackup = new FlashRig(Path.Combine(options.WorkFolder, "fig2-" + (++n) + "-" + c.Family + "-backup"), new FakeClock());
                var twin = withBackup.NewDrive("d", c);
                withBackup.Write(twin, c, backup: true);
                var backup = withBackup.Platform.FirstStateChange(twin).Value - rig.Platform.FirstStateChange(drive).Value;
                var oneRead = ReadOnce(model, Flash(c));
                figures.Add(new Figure
                {
                    Name = "automatic backup / one read of the flash: " + c.Family,
                    Value = Math.Round(backup.TotalSeconds / oneRead.TotalSeconds, 4),
                    Unit = "ratio",
                    Target = 2.1,
                    Comparison = "<=",
                    Note = "backup " + backup.TotalSeconds.ToString("0.000") + " s, one read of the " + Flash(c) / 1024 + " KiB flash at the modelled bus speed " +
                           oneRead.TotalSeconds.ToString("0.000") + " s (READ BUFFER in " + FlashMemoryReader.ChunkSize + "-byte chunks, freemkv)",
                });
            }
            return figures;
        }

        static bool HasReadBack(FlashCase c) => c.Kind == DriveFamily.Mt1959 || (c.Kind == DriveFamily.Tsst && c.Profile == "tsst-se506cb");

        static int Flash(FlashCase c) => VirtualProfiles.Find(c.Profile).FlashSize;

        /// <summary>
        /// The drive's unavoidable time for this image: every command the family's protocol must send (its chunking is the
        /// cited flasher's), the stalls, the reboot, and one read-back where the family has one.
        /// </summary>
        internal static TimeSpan Minimum(FlashCase c, DriveTimingModel model, int imageBytes)
        {
            var commands = new List<int>();   // bytes each state-changing command carries
            switch (c.Kind)
            {
                case DriveFamily.Mt1959:      // redumper: WRITE BUFFER mode 1, then mode 6 in 0x4000 chunks
                    commands.Add(0);
                    Chunks(commands, imageBytes, Mt1959Protocol.ChunkSize);
                    break;
                case DriveFamily.Tsst:        // redumper flash_tsst: the file in block-size pieces
                    Chunks(commands, imageBytes, TsstModel.Mt1939.BlockSize);
                    break;
                case DriveFamily.Btc:         // btcflash: 0x1000 chunks, the 32-byte checksum block, mode 7
                    Chunks(commands, imageBytes, BtcProtocol.ChunkSize);
                    commands.Add(BtcLayout.ChecksumBlockSize);
                    commands.Add(0);
                    break;
                case DriveFamily.Plextor:     // redumper flash_plextor: the model's block size
                    Chunks(commands, imageBytes, PlextorModel.Find("DVDR   PX-716A").BlockSize);
                    break;
                default: throw new ArgumentException("not a flashable family: " + c.Family);
            }
            var total = TimeSpan.Zero;
            foreach (var bytes in commands) total += model.Command(bytes);
            total += model.ProgramTime(imageBytes) + model.RebootTime;
            if (HasReadBack(c)) total += ReadOnce(model, Flash(c));
            return total;
        }

        /// <summary>One read of the whole flash as the family's reader sends it (4 KiB READ BUFFER chunks).</summary>
        internal static TimeSpan ReadOnce(DriveTimingModel model, int flashBytes)
        {
            var commands = new List<int>();
            Chunks(commands, flashBytes, FlashMemoryReader.ChunkSize);
            return TimeSpan.FromTicks(commands.Sum(b => model.Command(b).Ticks));
        }

        static void Chunks(List<int> commands, int length, int chunk)
        {
            for (int offset = 0; offset < length; offset += chunk) commands.Add(Math.Min(chunk, length - offset));
        }
    }
}
