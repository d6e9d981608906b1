using System.Collections.Generic;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.Spc
{
    /// <summary>The emulated drives of the family (see VirtualProfiles).</summary>
    internal static class SpcProfiles
    {
        public static readonly IReadOnlyList<VirtualProfile> All = new[]
        {
            // A drive outside the catalogue that advertises 0104h: classified "spc", listed and backed up identity-only. No public
            // source documents how such an optical drive takes a download, so the emulator accepts none (issue 9 §2).
            new VirtualProfile
            {
                Name = "spc-generic", Family = DriveFamily.Spc, Model = null, Listed = false, Vendor = "GENERIC", Product = "DVD-RW SPC-DL1", Revision = "1.00",
                CanFlash = false, FlashSize = MmcProfiles.MiB, Layout = IdentityLayout.InquiryTemplate, DiscProfile = 0x0010,
                SupportedProfiles = MmcProfiles.DvdWriter, MicrocodeUpgradeFeature = true, EraYear = 2010, SerialPrefix = "GN",
            },
        };
    }
}
