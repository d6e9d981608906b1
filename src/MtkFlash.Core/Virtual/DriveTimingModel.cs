using System;

namespace MtkFlash.Core.Virtual
{
    /// <summary>
    /// How long a drive of one family takes for what it does (issue 15): moving bytes over its bus, answering a command,
    /// erasing and programming its flash, rebooting, and answering a command while it is busy. A virtual drive spends these
    /// times on its clock (<see cref="VirtualDriveTimer"/>); the benchmarks compute the drive's unavoidable time for an image
    /// from the same figures. Immutable: every family keeps one in its own code (Families/&lt;F&gt;/&lt;F&gt;Timing.cs).
    /// </summary>
    public sealed class DriveTimingModel
    {
        const long MiB = 0x100000;

        public DriveTimingModel(double busBytesPerSecond, TimeSpan commandLatency, TimeSpan busyAnswer, TimeSpan programPerBlock,
            int programBlockSize, TimeSpan rebootTime, string source)
        {
            if (busBytesPerSecond < 0 || double.IsNaN(busBytesPerSecond)) throw new ArgumentOutOfRangeException(nameof(busBytesPerSecond));
            if (programBlockSize <= 0) throw new ArgumentOutOfRangeException(nameof(programBlockSize));
            if (commandLatency < TimeSpan.Zero || busyAnswer < TimeSpan.Zero || programPerBlock < TimeSpan.Zero || rebootTime < TimeSpan.Zero)
                throw new ArgumentOutOfRangeException(nameof(commandLatency), "Times of a drive cannot be negative.");
            BusBytesPerSecond = busBytesPerSecond; CommandLatency = commandLatency; BusyAnswer = busyAnswer;
            ProgramPerBlock = programPerBlock; ProgramBlockSize = programBlockSize; RebootTime = rebootTime; Source = source ?? string.Empty;
        }

        /// <summary>A drive that takes no time for anything (what the emulator did before it had a model).</summary>
        public static readonly DriveTimingModel Instant = new DriveTimingModel(0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, 1, TimeSpan.Zero, "no time at all");

        /// <summary>Bytes per second the bus moves in a data phase; 0: no transfer time.</summary>
        public double BusBytesPerSecond { get; }
        /// <summary>Time of one command apart from its data phase (CDB, status, the drive's own handling).</summary>
        public TimeSpan CommandLatency { get; }
        /// <summary>Time to answer any command (TEST UNIT READY above all) with its busy sense while programming or rebooting.</summary>
        public TimeSpan BusyAnswer { get; }
        /// <summary>Erase and program time of one program block (<see cref="ProgramBlockSize"/> bytes); a started block counts whole.</summary>
        public TimeSpan ProgramPerBlock { get; }
        public int ProgramBlockSize { get; }
        /// <summary>From the end of programming until the drive answers again (it then reports UNIT ATTENTION).</summary>
        public TimeSpan RebootTime { get; }
        /// <summary>Where the figures come from, in words (project docs and public sources; inferred figures say so).</summary>
        public string Source { get; }

        /// <summary>Time the bus needs to move this many bytes (no command latency).</summary>
        public TimeSpan Transfer(long bytes) =>
            BusBytesPerSecond <= 0 || bytes <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)Math.Ceiling(bytes * (double)TimeSpan.TicksPerSecond / BusBytesPerSecond));

        /// <summary>One command that carries this many bytes (either direction): latency plus transfer.</summary>
        public TimeSpan Command(long bytes) => CommandLatency + Transfer(bytes);

        /// <summary>Erase and program time for this many bytes: whole program blocks (0 bytes: none).</summary>
        public TimeSpan ProgramTime(long bytes) =>
            bytes <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks(ProgramPerBlock.Ticks * ((bytes + ProgramBlockSize - 1) / ProgramBlockSize));

        public override string ToString() =>
            (BusBytesPerSecond / MiB).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + " MiB/s, " + CommandLatency.TotalMilliseconds + " ms/command, " +
            ProgramPerBlock.TotalSeconds + " s per " + (ProgramBlockSize / 1024) + " KiB programmed, reboot " + RebootTime.TotalSeconds + " s";
    }
}
