using System.Collections.Generic;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.Plextor
{
    /// <summary>The emulated drives of the family (see VirtualProfiles).</summary>
    internal static class PlextorProfiles
    {
        public static readonly IReadOnlyList<VirtualProfile> All = new[]
        {
            // redumper flash_plextor.ixx / qpxtool pxfw.cpp: modes 4/5, crc BE16 at 0xEFFFE for 708/712/716. The 716 is newer
            // than the PREMIUM, so the initial sum is 0 [inferred]; flash size 1 MiB and identity template [inferred].
            new VirtualProfile
            {
                Name = "plextor-px716a", Family = DriveFamily.Plextor, Model = PlextorFamily.ModelName("DVDR PX-716A"), Vendor = "PLEXTOR", Product = "DVDR   PX-716A", Revision = "1.11",
                CanFlash = true, FlashSize = MmcProfiles.MiB, Layout = IdentityLayout.InquiryTemplate, DiscProfile = 0x0010,
                SupportedProfiles = MmcProfiles.DvdWriter, MicrocodeUpgradeFeature = true, PlextorCrcOffset = 0xEFFFE, PlextorInitialSum = 0,
                EraYear = 2004, SerialPrefix = "PX",
            },
        };
    }
}
