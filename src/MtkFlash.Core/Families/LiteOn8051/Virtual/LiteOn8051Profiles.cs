using System.Collections.Generic;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.LiteOn8051
{
    /// <summary>The emulated drives of the family (see VirtualProfiles).</summary>
    internal static class LiteOn8051Profiles
    {
        public static readonly IReadOnlyList<VirtualProfile> All = new[]
        {
            // omnipatcher fw_specs.pl: family U (812S/802S), 1 MiB 8051 image with INQUIRY template; EEPROM 1 KiB (§3.6).
            new VirtualProfile
            {
                Name = "liteon-sohw812s", Family = DriveFamily.LiteOn8051, Model = LiteOn8051Family.ModelSohw812s, Vendor = "LITE-ON", Product = "DVDRW SOHW-812S", Revision = "US0N",
                CanFlash = false, FlashSize = MmcProfiles.MiB, Layout = IdentityLayout.InquiryTemplate, Banked8051 = true, DiscProfile = 0x0010,
                SupportedProfiles = MmcProfiles.DvdWriter, MicrocodeUpgradeFeature = false, MediatekCacheRead = true,
                EepromSize = 0x400, EraYear = 2004, SerialPrefix = "LO",
            },
        };
    }
}
