using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MtkFlash.Core.Serialization;

namespace MtkFlash.Core.Virtual
{
    /// <summary>Persisted mode of a virtual drive (docs/reference/drive-protocols.md §6): what survives a power cycle.</summary>
    public enum VirtualDriveMode
    {
        Normal,
        /// <summary>Boot loader only (INQUIRY revision BOOT): interrupted commit on a family with a protected boot block.</summary>
        Boot,
        /// <summary>No answer at all: interrupted commit on a family without a protected boot block (BTC, Plextor, SPC).</summary>
        Dead,
    }

    public enum TrayState { Empty, Disc }

    /// <summary>
    /// A transient condition the drive reports instead of executing a command. The command is never executed (SPC: a
    /// command that ends in CHECK CONDITION or BUSY has not been performed). A unit attention also reports the event
    /// behind it: the download state the drive held in RAM is gone (issue 9 §1).
    /// </summary>
    public enum TransientKind
    {
        /// <summary>UNIT ATTENTION 6/29/00, power on or reset: whatever the drive had received of a download is thrown away.</summary>
        [WireName("unit-attention")] UnitAttention,
        /// <summary>UNIT ATTENTION 6/3F/01, microcode changed: the download state is gone too [inferred].</summary>
        [WireName("microcode-changed")] MicrocodeChanged,
        /// <summary>NOT READY 2/04/01, becoming ready: the command is rejected, the drive's state is kept.</summary>
        [WireName("not-ready")] NotReady,
        /// <summary>BUSY status (08h), no sense: the command is rejected, the drive's state is kept.</summary>
        [WireName("busy")] Busy,
    }

    public sealed class TransientFault
    {
        public TransientFault() { }
        public TransientFault(TransientKind kind, int count, int after = 0) { Kind = kind; Count = count; After = after; }
        public TransientKind Kind { get; set; }
        /// <summary>Commands still to answer with this condition.</summary>
        public int Count { get; set; }
        /// <summary>Commands that still complete normally before the first answer (`--after N`): places the fault on a chosen command.</summary>
        public int After { get; set; }

        /// <summary>Parses "busy", "not-ready:3", "unit-attention:2".</summary>
        public static TransientFault Parse(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) throw new FormatException("A transient fault is KIND[:COUNT].");
            var parts = text.Split(':');
            if (parts.Length > 2) throw new FormatException("A transient fault is KIND[:COUNT], e.g. not-ready:3.");
            TransientKind kind;
            try { kind = Json.ParseEnum<TransientKind>(parts[0].Trim()); }
            catch (FormatException)
            {
                throw new FormatException("Unknown transient fault '" + parts[0] + "'. Kinds: " +
                    string.Join(", ", Enum.GetValues(typeof(TransientKind)).Cast<Enum>().Select(Json.EnumName)) + ".");
            }
            int count = 1;
            if (parts.Length == 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1))
                throw new FormatException("The count of a transient fault is a positive number ('" + parts[1] + "').");
            return new TransientFault(kind, count);
        }

        public override string ToString() => Json.EnumName(Kind) + ":" + Count + (After > 0 ? " after " + After + " command(s)" : string.Empty);
    }

    /// <summary>
    /// Faults injected into a virtual drive. Persisted in drive.json and counted down per command, so a fault set by
    /// `mtkflash virtual fault` in one process fires in the next process that uses the drive.
    /// </summary>
    public sealed class VirtualDriveFaults
    {
        /// <summary>Commands that still complete before the power fails; the next one and all later throw
        /// DriveNotRespondingException until the drive is opened again (power returns). Null: no power loss pending.</summary>
        public int? PowerLossAfter { get; set; }
        /// <summary>Commands that still complete before the drive hangs; from then on every command waits for its timeout
        /// and throws ScsiTimeoutException, until the fault is cleared. Null: no hang.</summary>
        public int? HangAfter { get; set; }
        /// <summary>
        /// Conditions the drive reports instead of executing commands. Each counts down its <see cref="TransientFault.After"/>
        /// on every command from the moment it is set; the first one that is due answers, in list order.
        /// </summary>
        public List<TransientFault> Transients { get; set; } = new List<TransientFault>();

        /// <summary>
        /// One command arrives: the transient that answers it (null: none is due), with every other pending countdown moved on.
        /// </summary>
        internal TransientFault NextTransient()
        {
            TransientFault due = null;
            foreach (var t in Transients)
            {
                if (due == null && t.After <= 0) due = t;
                else if (t.After > 0) t.After--;
            }
            if (due != null && --due.Count <= 0) Transients.Remove(due);
            return due;
        }

        [NotSerialized] public bool IsEmpty => PowerLossAfter == null && HangAfter == null && Transients.Count == 0;

        public VirtualDriveFaults Clone() => new VirtualDriveFaults
        {
            PowerLossAfter = PowerLossAfter, HangAfter = HangAfter,
            Transients = Transients.Select(t => new TransientFault(t.Kind, t.Count, t.After)).ToList(),
        };

        public override string ToString()
        {
            var parts = new List<string>();
            if (PowerLossAfter != null) parts.Add("power loss after " + PowerLossAfter + " command(s)");
            if (HangAfter != null) parts.Add(HangAfter == 0 ? "hanging" : "hang after " + HangAfter + " command(s)");
            foreach (var t in Transients) parts.Add(t.ToString());
            return parts.Count == 0 ? "none" : string.Join(", ", parts);
        }

        /// <summary>Throws <see cref="FormatException"/> for counts no `virtual fault` could have set (a damaged drive.json).</summary>
        internal void Validate()
        {
            if (PowerLossAfter < 0) throw new FormatException("faults.powerLossAfter is negative.");
            if (HangAfter < 0) throw new FormatException("faults.hangAfter is negative.");
            if (Transients == null) Transients = new List<TransientFault>();
            if (Transients.Any(t => t == null || t.Count < 1)) throw new FormatException("a transient fault has no positive count.");
            if (Transients.Any(t => t.After < 0)) throw new FormatException("a transient fault has a negative 'after'.");
        }
    }

    /// <summary>A virtual drive as the store lists it.</summary>
    public sealed class VirtualDriveInfo
    {
        public string Name { get; set; }
        /// <summary>"virtual:NAME", the path every command takes.</summary>
        public string Path { get; set; }
        public string Profile { get; set; }
        public Drives.DriveFamily Family { get; set; }
        public string Model { get; set; }
        public string Vendor { get; set; }
        public string Product { get; set; }
        /// <summary>The revision the firmware in its flash reports ("BOOT" in boot mode).</summary>
        public string Revision { get; set; }
        public string Serial { get; set; }
        /// <summary>Normal, boot or dead; null for a damaged drive (its state cannot be read).</summary>
        public VirtualDriveMode? State { get; set; }
        public TrayState Tray { get; set; }
        public VirtualDriveFaults Faults { get; set; }
        /// <summary>The drive's folder (flash.bin, drive.json).</summary>
        public string Folder { get; set; }
        /// <summary>What is wrong with a damaged drive, naming the file ("…/drive.json is not a valid drive description: …"); null when it is fine.</summary>
        public string Damage { get; set; }

        public override string ToString() => Path + (Damage != null ? " (damaged: " + Damage + ")" : " (" + Vendor + " " + Product + " " + Revision + ")");
    }
}
