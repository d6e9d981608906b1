using System;
using System.Collections.Generic;
using System.Linq;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Protocols;

namespace MtkFlash.Core.Virtual
{
    /// <summary>Where a family keeps the INQUIRY identity inside its flash image.</summary>
    public enum IdentityLayout
    {
        /// <summary>MT1959 identity descriptor at 0x1EC000 (docs/reference/mt1959-notes.md §1.2, freemkv detect.rs).</summary>
        Mt1959Descriptor,
        /// <summary>TSST MT1939 "infonub" trailer at 0x1FFFD0 (docs/reference/drive-protocols.md §2.2, coastermelt checksum.py).</summary>
        TsstInfonub,
        /// <summary>BTC: vendor/product/revision at 0x40BC/0x40C4/0x40D4 (docs/reference/drive-protocols.md §2.1, btcflash.c).</summary>
        BtcFixed,
        /// <summary>LiteOn-style INQUIRY template (lead-in 05 80 00 32 5B 00 00 00) found by scanning (docs/reference/drive-protocols.md §3.3).</summary>
        InquiryTemplate,
    }

    /// <summary>One emulated drive model. Everything a test or the CLI needs to know about it, plus emulation parameters.</summary>
    public sealed class VirtualProfile
    {
        internal VirtualProfile() { }

        public string Name { get; internal set; }
        public DriveFamily Family { get; internal set; }
        public string Vendor { get; internal set; }
        public string Product { get; internal set; }
        /// <summary>The revision a new drive of this profile ships with.</summary>
        public string Revision { get; internal set; }
        /// <summary>The emulator accepts a firmware download for this profile (false: LiteOn 8051, identity only).</summary>
        public bool CanFlash { get; internal set; }
        /// <summary>The catalogue model (DriveCatalog Model strings: mt1959, mt1939, mt1339, drw1008, px-716a, sohw-812s; null for spc).</summary>
        public string Model { get; internal set; }
        /// <summary>The cited flasher lists this model (DriveCatalog); false for an unlisted sibling of a known chipset and for spc.</summary>
        public bool Listed { get; internal set; } = true;
        public int FlashSize { get; internal set; }

        /// <summary>MT1959 boot ID at 0x3000 ("MT1959 Boot JB8 "), null for other families.</summary>
        [Serialization.NotSerialized] public string BootId { get; internal set; }
        /// <summary>MT1959 chip tag at descriptor +0x34.</summary>
        [Serialization.NotSerialized] public string ChipTag { get; internal set; }
        /// <summary>MT1959 descriptor vendor-specific field (+0x1C, 8 chars, e.g. "NM00100").</summary>
        [Serialization.NotSerialized] public string DescriptorCode { get; internal set; }
        [Serialization.NotSerialized] public IdentityLayout Layout { get; internal set; }
        /// <summary>8051 code banks: byte 0x02 (LJMP) at every 64 KiB bank start (docs/reference/drive-protocols.md §3.3).</summary>
        [Serialization.NotSerialized] public bool Banked8051 { get; internal set; }
        /// <summary>GET CONFIGURATION current profile with a disc in the tray (0x0040 BD-ROM, 0x0010 DVD-ROM).</summary>
        [Serialization.NotSerialized] public int DiscProfile { get; internal set; }
        [Serialization.NotSerialized] public int[] SupportedProfiles { get; internal set; }
        /// <summary>Advertises MMC feature 0104h Microcode Upgrade. Inferred per family (see VirtualProfiles).</summary>
        [Serialization.NotSerialized] public bool MicrocodeUpgradeFeature { get; internal set; }
        /// <summary>A MediaTek chip: answers the F1 cache read (docs/reference/drive-protocols.md §2.4).</summary>
        [Serialization.NotSerialized] public bool MediatekCacheRead { get; internal set; }
        /// <summary>TSST: block size of the FF 00 01 download and the final-block state (02 or 04).</summary>
        [Serialization.NotSerialized] public int TsstBlockSize { get; internal set; }
        [Serialization.NotSerialized] public byte TsstFinalState { get; internal set; }
        /// <summary>Plextor: offset of the BE16 checksum and its initial value.</summary>
        [Serialization.NotSerialized] public int PlextorCrcOffset { get; internal set; }
        [Serialization.NotSerialized] public int PlextorInitialSum { get; internal set; }
        /// <summary>Separate per-drive EEPROM file size (LiteOn: 1 KiB, eeprom_utility_readme), 0 for none.</summary>
        [Serialization.NotSerialized] public int EepromSize { get; internal set; }
        /// <summary>Year the synthetic build dates start from.</summary>
        [Serialization.NotSerialized] public int EraYear { get; internal set; }
        [Serialization.NotSerialized] public string SerialPrefix { get; internal set; }

        /// <summary>Never written by a download (MT1959 boot block; TSST first 64 KiB).</summary>
        [Serialization.NotSerialized] public IReadOnlyList<FlashRegion> ProtectedRegions { get; internal set; } = new FlashRegion[0];
        /// <summary>
        /// Per-drive regions the drive itself keeps across a download (a source says so: MT1959 NVRAM and calibration, "the vendor
        /// WRITE BUFFER update path never overwrites them", docs/reference/mt1959-notes.md §2). Filled with bytes unique to each virtual drive.
        /// Synthetic images carry factory filler there.
        /// </summary>
        [Serialization.NotSerialized] public IReadOnlyList<FlashRegion> DriveUniqueRegions { get; internal set; } = new FlashRegion[0];
        /// <summary>
        /// Per-drive content that a download overwrites with what it sends, because no source says the drive keeps it (MT1939
        /// info region: only 0x0-0xFFFF is write-protected, coastermelt update-ts01-notes.txt). Unique per virtual drive at
        /// creation, factory filler in synthetic images.
        /// </summary>
        [Serialization.NotSerialized] public IReadOnlyList<FlashRegion> UnitDataRegions { get; internal set; } = new FlashRegion[0];

        /// <summary>True when an interrupted commit leaves a boot loader that still answers (protected boot block).</summary>
        [Serialization.NotSerialized] public bool HasBootLoader => Families.FamilyRegistry.Required(Family).HasBootLoader;

        bool[] _keepMap;

        /// <summary>Per address: true when a download leaves the drive's own byte (protected or drive-unique).</summary>
        internal bool[] KeepMap
        {
            get
            {
                if (_keepMap != null) return _keepMap;
                var map = new bool[FlashSize];
                foreach (var r in ProtectedRegions.Concat(DriveUniqueRegions))
                    for (int i = r.Start; i < r.End && i < map.Length; i++) map[i] = true;
                return _keepMap = map;
            }
        }

        internal bool IsProtected(int address) => ProtectedRegions.Any(r => address >= r.Start && address < r.End);
        internal bool IsDriveUnique(int address) => DriveUniqueRegions.Any(r => address >= r.Start && address < r.End);

        public override string ToString() => Name + " (" + Vendor + " " + Product + " " + Revision + ")";
    }

    /// <summary>MMC profile lists the emulated drives report (GET CONFIGURATION), shared by the families' profiles.</summary>
    internal static class MmcProfiles
    {
        public const int MiB = 0x100000;
        public static readonly int[] Bd = { 0x0008, 0x0009, 0x000A, 0x0010, 0x0011, 0x0014, 0x001A, 0x001B, 0x002B, 0x0040, 0x0041, 0x0043 };
        public static readonly int[] DvdWriter = { 0x0008, 0x0009, 0x000A, 0x0010, 0x0011, 0x0014, 0x001A, 0x001B, 0x002B };
        public static readonly int[] DvdRom = { 0x0008, 0x0010 };

        /// <summary>The first 64 KiB: not rewritten by a download (MT1959 boot block; TSST write-protected block).</summary>
        public static readonly FlashRegion[] BootBlock64K =
        {
            new FlashRegion("boot", 0x0, 0x10000, "Boot block: not rewritten by a download."),
        };
    }

    /// <summary>The drive models the emulator imitates, each in its family's folder (Families/&lt;F&gt;/Virtual/). Names are what `mtkflash virtual new --profile` takes.</summary>
    public static class VirtualProfiles
    {
        static IReadOnlyList<VirtualProfile> _all;

        /// <summary>Every profile, in the registry's family order.</summary>
        public static IReadOnlyList<VirtualProfile> All => _all ?? (_all = Families.FamilyRegistry.All.SelectMany(f => f.VirtualProfiles).ToArray());

        /// <summary>The profile with this name (case-insensitive), or null.</summary>
        public static VirtualProfile Find(string name) =>
            All.FirstOrDefault(p => string.Equals(p.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));

        /// <summary>The profile, or an <see cref="ArgumentException"/> naming the valid profiles.</summary>
        public static VirtualProfile Get(string name) =>
            Find(name) ?? throw new ArgumentException("Unknown virtual drive profile '" + name + "'. Profiles: " + string.Join(", ", All.Select(p => p.Name)) + ".", nameof(name));
    }
}
