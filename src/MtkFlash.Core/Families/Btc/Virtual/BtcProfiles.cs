using System.Collections.Generic;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.Btc
{
    /// <summary>The emulated drives of the family (see VirtualProfiles).</summary>
    internal static class BtcProfiles
    {
        public static readonly IReadOnlyList<VirtualProfile> All = new[]
        {
            // schilytools btcflash.c: 1 MiB, identity at 0x40BC/0x40C4/0x40D4, WRITE BUFFER 6 (+0x20) / checksum block / 7.
            new VirtualProfile
            {
                Name = "btc-drw1008", Family = DriveFamily.Btc, Model = BtcFamily.ModelName, Vendor = "BTC", Product = "DVDRW DRW1008IM", Revision = "B230",
                CanFlash = true, FlashSize = MmcProfiles.MiB, Layout = IdentityLayout.BtcFixed, Banked8051 = true, DiscProfile = 0x0010,
                SupportedProfiles = MmcProfiles.DvdWriter, MicrocodeUpgradeFeature = true,  // inferred: standard WRITE BUFFER modes 6/7
                MediatekCacheRead = true, EraYear = 2004, SerialPrefix = "BTC",
            },
        };
    }
}
