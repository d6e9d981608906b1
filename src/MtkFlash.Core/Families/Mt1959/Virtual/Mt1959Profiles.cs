using System.Collections.Generic;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.Mt1959
{
    /// <summary>The emulated drives of the family (see VirtualProfiles).</summary>
    internal static class Mt1959Profiles
    {
        // MT1959 per-drive regions (docs/reference/mt1959-notes.md §1.2, §2): config 0x3000 (the 16-byte boot ID stays the family's, the rest
        // is per drive), NVRAM 0x1E8000-0x1EBFFF and calibration 0x1F0000-0x1FFFFF ("the vendor WRITE BUFFER update path never
        // overwrites them", freemkv mtk_oem.rs). The identity descriptor 0x1EC000-0x1EC05F comes from the image (official images
        // carry 0x1EC000-0x1EC056, MK-18895) so a flash changes the revision; its tail 0x1EC060-0x1EC0FF is per drive [inferred].
        static readonly FlashRegion[] Mt1959Unique =
        {
            new FlashRegion("config", Mt1959Layout.ConfigOffset + Mt1959Layout.BootIdSize, Mt1959Layout.ConfigSize - Mt1959Layout.BootIdSize, "Drive patch configuration after the boot ID (redumper copies 0x3000/0x20 from the drive)."),
            new FlashRegion("nvram", Mt1959Layout.NvramOffset, Mt1959Layout.NvramSize, "NVRAM settings page: signature range and region record (kept by the drive)."),
            new FlashRegion("identity-tail", Mt1959Layout.IdentityOffset + 0x60, Mt1959Layout.IdentitySize - 0x60, "Identity descriptor tail, per unit [inferred]."),
            new FlashRegion("calibration", Mt1959Layout.CalibrationOffset, Mt1959Layout.CalibrationSize, "Per-unit calibration (VENDOR_INFO, rom_1f0000.bin)."),
        };

        public static readonly IReadOnlyList<VirtualProfile> All = new[]
        {
            new VirtualProfile
            {
                Name = "lg-bh16ns40", Family = DriveFamily.Mt1959, Model = Mt1959Family.ModelName, Vendor = "HL-DT-ST", Product = "BD-RE BH16NS40", Revision = "1.02",
                CanFlash = true, FlashSize = 2 * MmcProfiles.MiB, BootId = Mt1959Family.BootIdJb8, ChipTag = "MTEKMT1959", DescriptorCode = "NM00100",
                Layout = IdentityLayout.Mt1959Descriptor, DiscProfile = 0x0040, SupportedProfiles = MmcProfiles.Bd,
                MicrocodeUpgradeFeature = true,   // inferred: the family downloads with standard WRITE BUFFER modes
                MediatekCacheRead = true, EraYear = 2016, SerialPrefix = "SIK",
                ProtectedRegions = MmcProfiles.BootBlock64K, DriveUniqueRegions = Mt1959Unique,
            },
            // Same JB8 board as the LG (redumper table): crossflash partner. freemkv finds MTEKMT1939 in real BW-16D1HT images
            // (docs/reference/mt1959-notes.md §1.2); the emulator keeps one chip tag for the pair so the crossflash stays consistent.
            new VirtualProfile
            {
                Name = "asus-bw16d1ht", Family = DriveFamily.Mt1959, Model = Mt1959Family.ModelName, Vendor = "ASUS", Product = "BW-16D1HT", Revision = "3.02",
                CanFlash = true, FlashSize = 2 * MmcProfiles.MiB, BootId = Mt1959Family.BootIdJb8, ChipTag = "MTEKMT1959", DescriptorCode = "WM00300",
                Layout = IdentityLayout.Mt1959Descriptor, DiscProfile = 0x0040, SupportedProfiles = MmcProfiles.Bd,
                MicrocodeUpgradeFeature = true, MediatekCacheRead = true, EraYear = 2016, SerialPrefix = "ASU",
                ProtectedRegions = MmcProfiles.BootBlock64K, DriveUniqueRegions = Mt1959Unique,
            },
            // An LG JB8 desktop writer that redumper's MT1959 table, as MtkFlash cites it, does not list: recognised as MT1959,
            // refused unless -AllowUnlistedModel (issue 9 §2). The emulated drive itself takes the MT1959 sequence like its siblings.
            new VirtualProfile
            {
                Name = "lg-wh16ns60", Family = DriveFamily.Mt1959, Model = Mt1959Family.ModelName, Listed = false, Vendor = "HL-DT-ST", Product = "BD-RE WH16NS60", Revision = "1.02",
                CanFlash = true, FlashSize = 2 * MmcProfiles.MiB, BootId = Mt1959Family.BootIdJb8, ChipTag = "MTEKMT1959", DescriptorCode = "NM00100",
                Layout = IdentityLayout.Mt1959Descriptor, DiscProfile = 0x0040, SupportedProfiles = MmcProfiles.Bd,
                MicrocodeUpgradeFeature = true, MediatekCacheRead = true, EraYear = 2018, SerialPrefix = "SIK",
                ProtectedRegions = MmcProfiles.BootBlock64K, DriveUniqueRegions = Mt1959Unique,
            },
        };
    }
}
