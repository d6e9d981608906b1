using System.Collections.Generic;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.Tsst
{
    /// <summary>The emulated drives of the family (see VirtualProfiles).</summary>
    internal static class TsstProfiles
    {
        public static readonly IReadOnlyList<VirtualProfile> All = new[]
        {
            // coastermelt doc/update-ts01-notes.txt, flasher/checksum.py; redumper drive/flash_tsst.ixx (block 0xF800, end state 02).
            new VirtualProfile
            {
                Name = "tsst-se506cb", Family = DriveFamily.Tsst, Model = TsstFamily.ModelMt1939, Vendor = "TSSTcorp", Product = "BDDVDW SE-506CB", Revision = "TS01",
                CanFlash = true, FlashSize = 2 * MmcProfiles.MiB, Layout = IdentityLayout.TsstInfonub, DiscProfile = 0x0040, SupportedProfiles = MmcProfiles.Bd,
                MicrocodeUpgradeFeature = false,  // inferred: flashed with vendor FF, not WRITE BUFFER
                MediatekCacheRead = true, TsstBlockSize = 0xF800, TsstFinalState = 0x02, EraYear = 2014, SerialPrefix = "R8AM",
                ProtectedRegions = MmcProfiles.BootBlock64K,
                // Info region 0x1E2000-0x1FFFCF is not checksummed and holds per-drive content [inferred, docs/reference/drive-protocols.md §6]. Only
                // 0x0-0xFFFF is write-protected (coastermelt), and the official updater sends the file as it is, so a download
                // writes the info region too: the emulator keeps nothing else (issue 9 §3).
                UnitDataRegions = new[] { new FlashRegion("info", TsstLayout.Mt1939InfoOffset, TsstLayout.Mt1939InfoSize, "Info region (not checksummed), per drive [inferred].") },
            },
            // redumper README / flash_tsst.ixx: MT1339 DVD-ROM, block 0xFC00, end state 04. Flash size and identity place are
            // not documented: 1 MiB 8051-style image with an INQUIRY template [inferred].
            new VirtualProfile
            {
                Name = "tsst-ts-h353c", Family = DriveFamily.Tsst, Model = TsstFamily.ModelMt1339, Vendor = "TSSTcorp", Product = "DVD-ROM TS-H353C", Revision = "ID03",
                CanFlash = true, FlashSize = MmcProfiles.MiB, Layout = IdentityLayout.InquiryTemplate, Banked8051 = true, DiscProfile = 0x0010,
                SupportedProfiles = MmcProfiles.DvdRom, MicrocodeUpgradeFeature = false, MediatekCacheRead = true,
                TsstBlockSize = 0xFC00, TsstFinalState = 0x04, EraYear = 2007, SerialPrefix = "R3UN",
                ProtectedRegions = MmcProfiles.BootBlock64K,  // inferred from the MT1939 rule
            },
        };
    }
}
