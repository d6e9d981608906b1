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
        /// <summary>MT1959 identity descriptor at 0x1EC000 (mt1959-notes.md §1.2, freemkv detect.rs).</summary>
        Mt1959Descriptor,
        /// <summary>TSST MT1939 "infonub" trailer at 0x1FFFD0 (drive-protocols.md §2.2, coastermelt checksum.py).</summary>
        TsstInfonub,
        /// <summary>BTC: vendor/product/revision at 0x40BC/0x40C4/0x40D4 (drive-protocols.md §2.1, btcflash.c).</summary>
        BtcFixed,
        /// <summary>LiteOn-style INQUIRY template (lead-in 05 80 00 32 5B 00 00 00) found by scanning (drive-protocols.md §3.3).</summary>
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
        /// <summary>8051 code banks: byte 0x02 (LJMP) at every 64 KiB bank start (drive-protocols.md §3.3).</summary>
        [Serialization.NotSerialized] public bool Banked8051 { get; internal set; }
        /// <summary>GET CONFIGURATION current profile with a disc in the tray (0x0040 BD-ROM, 0x0010 DVD-ROM).</summary>
        [Serialization.NotSerialized] public int DiscProfile { get; internal set; }
        [Serialization.NotSerialized] public int[] SupportedProfiles { get; internal set; }
        /// <summary>Advertises MMC feature 0104h Microcode Upgrade. Inferred per family (see VirtualProfiles).</summary>
        [Serialization.NotSerialized] public bool MicrocodeUpgradeFeature { get; internal set; }
        /// <summary>A MediaTek chip: answers the F1 cache read (drive-protocols.md §2.4).</summary>
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
        /// WRITE BUFFER update path never overwrites them", mt1959-notes.md §2). Filled with bytes unique to each virtual drive.
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
        [Serialization.NotSerialized] public bool HasBootLoader => Family == DriveFamily.Mt1959 || Family == DriveFamily.Tsst;

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

    /// <summary>The drive models the emulator imitates. Names are what `mtkflash virtual new --profile` takes.</summary>
    public static class VirtualProfiles
    {
        const int MiB = 0x100000;
        static readonly int[] BdProfiles = { 0x0008, 0x0009, 0x000A, 0x0010, 0x0011, 0x0014, 0x001A, 0x001B, 0x002B, 0x0040, 0x0041, 0x0043 };
        static readonly int[] DvdWriterProfiles = { 0x0008, 0x0009, 0x000A, 0x0010, 0x0011, 0x0014, 0x001A, 0x001B, 0x002B };
        static readonly int[] DvdRomProfiles = { 0x0008, 0x0010 };

        // MT1959 per-drive regions (mt1959-notes.md §1.2, §2): config 0x3000 (the 16-byte boot ID stays the family's, the rest
        // is per drive), NVRAM 0x1E8000-0x1EBFFF and calibration 0x1F0000-0x1FFFFF ("the vendor WRITE BUFFER update path never
        // overwrites them", freemkv mtk_oem.rs). The identity descriptor 0x1EC000-0x1EC05F comes from the image (official images
        // carry 0x1EC000-0x1EC056, MK-18895) so a flash changes the revision; its tail 0x1EC060-0x1EC0FF is per drive [inferred].
        static readonly FlashRegion[] Mt1959Unique =
        {
            new FlashRegion("config", 0x3010, 0x10, "Drive patch configuration after the boot ID (redumper copies 0x3000/0x20 from the drive)."),
            new FlashRegion("nvram", 0x1E8000, 0x4000, "NVRAM settings page: signature range and region record (kept by the drive)."),
            new FlashRegion("identity-tail", 0x1EC060, 0xA0, "Identity descriptor tail, per unit [inferred]."),
            new FlashRegion("calibration", 0x1F0000, 0x10000, "Per-unit calibration (VENDOR_INFO, rom_1f0000.bin)."),
        };

        static readonly FlashRegion[] BootBlock64K =
        {
            new FlashRegion("boot", 0x0, 0x10000, "Boot block: not rewritten by a download."),
        };

        public static readonly IReadOnlyList<VirtualProfile> All = new[]
        {
            new VirtualProfile
            {
                Name = "lg-bh16ns40", Family = DriveFamily.Mt1959, Model = "mt1959", Vendor = "HL-DT-ST", Product = "BD-RE BH16NS40", Revision = "1.02",
                CanFlash = true, FlashSize = 2 * MiB, BootId = "MT1959 Boot JB8 ", ChipTag = "MTEKMT1959", DescriptorCode = "NM00100",
                Layout = IdentityLayout.Mt1959Descriptor, DiscProfile = 0x0040, SupportedProfiles = BdProfiles,
                MicrocodeUpgradeFeature = true,   // inferred: the family downloads with standard WRITE BUFFER modes
                MediatekCacheRead = true, EraYear = 2016, SerialPrefix = "SIK",
                ProtectedRegions = BootBlock64K, DriveUniqueRegions = Mt1959Unique,
            },
            // Same JB8 board as the LG (redumper table): crossflash partner. freemkv finds MTEKMT1939 in real BW-16D1HT images
            // (mt1959-notes.md §1.2); the emulator keeps one chip tag for the pair so the crossflash stays consistent.
            new VirtualProfile
            {
                Name = "asus-bw16d1ht", Family = DriveFamily.Mt1959, Model = "mt1959", Vendor = "ASUS", Product = "BW-16D1HT", Revision = "3.02",
                CanFlash = true, FlashSize = 2 * MiB, BootId = "MT1959 Boot JB8 ", ChipTag = "MTEKMT1959", DescriptorCode = "WM00300",
                Layout = IdentityLayout.Mt1959Descriptor, DiscProfile = 0x0040, SupportedProfiles = BdProfiles,
                MicrocodeUpgradeFeature = true, MediatekCacheRead = true, EraYear = 2016, SerialPrefix = "ASU",
                ProtectedRegions = BootBlock64K, DriveUniqueRegions = Mt1959Unique,
            },
            // An LG JB8 desktop writer that redumper's MT1959 table, as MtkFlash cites it, does not list: recognised as MT1959,
            // refused unless -AllowUnlistedModel (issue 9 §2). The emulated drive itself takes the MT1959 sequence like its siblings.
            new VirtualProfile
            {
                Name = "lg-wh16ns60", Family = DriveFamily.Mt1959, Model = "mt1959", Listed = false, Vendor = "HL-DT-ST", Product = "BD-RE WH16NS60", Revision = "1.02",
                CanFlash = true, FlashSize = 2 * MiB, BootId = "MT1959 Boot JB8 ", ChipTag = "MTEKMT1959", DescriptorCode = "NM00100",
                Layout = IdentityLayout.Mt1959Descriptor, DiscProfile = 0x0040, SupportedProfiles = BdProfiles,
                MicrocodeUpgradeFeature = true, MediatekCacheRead = true, EraYear = 2018, SerialPrefix = "SIK",
                ProtectedRegions = BootBlock64K, DriveUniqueRegions = Mt1959Unique,
            },
            // coastermelt doc/update-ts01-notes.txt, flasher/checksum.py; redumper drive/flash_tsst.ixx (block 0xF800, end state 02).
            new VirtualProfile
            {
                Name = "tsst-se506cb", Family = DriveFamily.Tsst, Model = "mt1939", Vendor = "TSSTcorp", Product = "BDDVDW SE-506CB", Revision = "TS01",
                CanFlash = true, FlashSize = 2 * MiB, Layout = IdentityLayout.TsstInfonub, DiscProfile = 0x0040, SupportedProfiles = BdProfiles,
                MicrocodeUpgradeFeature = false,  // inferred: flashed with vendor FF, not WRITE BUFFER
                MediatekCacheRead = true, TsstBlockSize = 0xF800, TsstFinalState = 0x02, EraYear = 2014, SerialPrefix = "R8AM",
                ProtectedRegions = BootBlock64K,
                // Info region 0x1E2000-0x1FFFCF is not checksummed and holds per-drive content [inferred, drive-protocols.md §6]. Only
                // 0x0-0xFFFF is write-protected (coastermelt), and the official updater sends the file as it is, so a download
                // writes the info region too: the emulator keeps nothing else (issue 9 §3).
                UnitDataRegions = new[] { new FlashRegion("info", 0x1E2000, 0x1FFFD0 - 0x1E2000, "Info region (not checksummed), per drive [inferred].") },
            },
            // redumper README / flash_tsst.ixx: MT1339 DVD-ROM, block 0xFC00, end state 04. Flash size and identity place are
            // not documented: 1 MiB 8051-style image with an INQUIRY template [inferred].
            new VirtualProfile
            {
                Name = "tsst-ts-h353c", Family = DriveFamily.Tsst, Model = "mt1339", Vendor = "TSSTcorp", Product = "DVD-ROM TS-H353C", Revision = "ID03",
                CanFlash = true, FlashSize = MiB, Layout = IdentityLayout.InquiryTemplate, Banked8051 = true, DiscProfile = 0x0010,
                SupportedProfiles = DvdRomProfiles, MicrocodeUpgradeFeature = false, MediatekCacheRead = true,
                TsstBlockSize = 0xFC00, TsstFinalState = 0x04, EraYear = 2007, SerialPrefix = "R3UN",
                ProtectedRegions = BootBlock64K,  // inferred from the MT1939 rule
            },
            // schilytools btcflash.c: 1 MiB, identity at 0x40BC/0x40C4/0x40D4, WRITE BUFFER 6 (+0x20) / checksum block / 7.
            new VirtualProfile
            {
                Name = "btc-drw1008", Family = DriveFamily.Btc, Model = "drw1008", Vendor = "BTC", Product = "DVDRW DRW1008IM", Revision = "B230",
                CanFlash = true, FlashSize = MiB, Layout = IdentityLayout.BtcFixed, Banked8051 = true, DiscProfile = 0x0010,
                SupportedProfiles = DvdWriterProfiles, MicrocodeUpgradeFeature = true,  // inferred: standard WRITE BUFFER modes 6/7
                MediatekCacheRead = true, EraYear = 2004, SerialPrefix = "BTC",
            },
            // redumper flash_plextor.ixx / qpxtool pxfw.cpp: modes 4/5, crc BE16 at 0xEFFFE for 708/712/716. The 716 is newer
            // than the PREMIUM, so the initial sum is 0 [inferred]; flash size 1 MiB and identity template [inferred].
            new VirtualProfile
            {
                Name = "plextor-px716a", Family = DriveFamily.Plextor, Model = "px-716a", Vendor = "PLEXTOR", Product = "DVDR   PX-716A", Revision = "1.11",
                CanFlash = true, FlashSize = MiB, Layout = IdentityLayout.InquiryTemplate, DiscProfile = 0x0010,
                SupportedProfiles = DvdWriterProfiles, MicrocodeUpgradeFeature = true, PlextorCrcOffset = 0xEFFFE, PlextorInitialSum = 0,
                EraYear = 2004, SerialPrefix = "PX",
            },
            // omnipatcher fw_specs.pl: family U (812S/802S), 1 MiB 8051 image with INQUIRY template; EEPROM 1 KiB (§3.6).
            new VirtualProfile
            {
                Name = "liteon-sohw812s", Family = DriveFamily.LiteOn8051, Model = "sohw-812s", Vendor = "LITE-ON", Product = "DVDRW SOHW-812S", Revision = "US0N",
                CanFlash = false, FlashSize = MiB, Layout = IdentityLayout.InquiryTemplate, Banked8051 = true, DiscProfile = 0x0010,
                SupportedProfiles = DvdWriterProfiles, MicrocodeUpgradeFeature = false, MediatekCacheRead = true,
                EepromSize = 0x400, EraYear = 2004, SerialPrefix = "LO",
            },
            // A drive outside the catalogue that advertises 0104h: classified "spc", listed and backed up identity-only. No public
            // source documents how such an optical drive takes a download, so the emulator accepts none (issue 9 §2).
            new VirtualProfile
            {
                Name = "spc-generic", Family = DriveFamily.Spc, Model = null, Listed = false, Vendor = "GENERIC", Product = "DVD-RW SPC-DL1", Revision = "1.00",
                CanFlash = false, FlashSize = MiB, Layout = IdentityLayout.InquiryTemplate, DiscProfile = 0x0010,
                SupportedProfiles = DvdWriterProfiles, MicrocodeUpgradeFeature = true, EraYear = 2010, SerialPrefix = "GN",
            },
        };

        /// <summary>The profile with this name (case-insensitive), or null.</summary>
        public static VirtualProfile Find(string name) =>
            All.FirstOrDefault(p => string.Equals(p.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));

        /// <summary>The profile, or an <see cref="ArgumentException"/> naming the valid profiles.</summary>
        public static VirtualProfile Get(string name) =>
            Find(name) ?? throw new ArgumentException("Unknown virtual drive profile '" + name + "'. Profiles: " + string.Join(", ", All.Select(p => p.Name)) + ".", nameof(name));
    }
}
