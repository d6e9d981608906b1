using System;
using System.Collections.Generic;
using System.Linq;

namespace MtkFlash.Core.Protocols
{
    /// <summary>An unreadable span of flash during a dump (filled with 0xFF in <see cref="FirmwareReadIncompleteException.PartialData"/>).</summary>
    public sealed class ReadGap
    {
        public ReadGap(int start, int length) { Start = start; Length = length; }
        public int Start { get; }
        public int Length { get; }
        public override string ToString() => "0x" + Start.ToString("X6") + "-0x" + (Start + Length - 1).ToString("X6");
    }

    /// <summary>
    /// A firmware or region read left gaps. A backup needs every byte (docs/reference/mt1959-notes.md §3, FM), so the dump is not usable as
    /// a backup; the partial data and the gaps are kept for diagnosis.
    /// </summary>
    public sealed class FirmwareReadIncompleteException : Exception
    {
        public FirmwareReadIncompleteException(string drivePath, IReadOnlyList<ReadGap> gaps, byte[] partialData)
            : base("Reading the firmware of " + drivePath + " left " + gaps.Count + " unreadable span(s) (" +
                   string.Join(", ", gaps.Take(4).Select(g => g.ToString())) + (gaps.Count > 4 ? ", …" : string.Empty) +
                   "), " + gaps.Sum(g => (long)g.Length) + " bytes in all. Newer or encrypted firmware blocks full dumps; the dump cannot serve as a backup.")
        {
            DrivePath = drivePath; Gaps = gaps; PartialData = partialData;
        }

        public string DrivePath { get; }
        public IReadOnlyList<ReadGap> Gaps { get; }
        public byte[] PartialData { get; }
    }
}
