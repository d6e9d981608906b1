using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace MtkFlash.Core.Drives
{
    /// <summary>One known drive model: how INQUIRY names it and which protocol family and model it belongs to.</summary>
    public sealed class KnownDriveModel
    {
        public KnownDriveModel(string vendor, string productPattern, DriveFamily family, string model, string source)
        {
            Vendor = vendor; ProductPattern = productPattern; Family = family; Model = model; Source = source;
        }

        public string Vendor { get; }
        /// <summary>Regular expression over the product ID with whitespace and underscores normalised to one space.</summary>
        public string ProductPattern { get; }
        public DriveFamily Family { get; }
        public string Model { get; }
        public string Source { get; }
    }

    /// <summary>
    /// Maps INQUIRY identity to a protocol family. Only models named in the public sources are listed: a drive that is not
    /// listed is "unknown" (or "spc" when it advertises Microcode Upgrade) and is never sent a family's vendor commands.
    /// </summary>
    public static class DriveCatalog
    {
        public static readonly IReadOnlyList<KnownDriveModel> Models = new[]
        {
            // redumper drive/flash_mt1959.ixx table (drive-protocols.md §2.3; mt1959-notes.md §5): JB8 desktop and BU5/BU51 slim boards.
            new KnownDriveModel("HL-DT-ST", @"^BD-RE (BH|WH)1[0-9]NS[0-9]{2}$", DriveFamily.Mt1959, "mt1959", "superg/redumper drive/flash_mt1959.ixx"),
            new KnownDriveModel("HL-DT-ST", @"^BD-RE BU[0-9]{2}N$", DriveFamily.Mt1959, "mt1959", "superg/redumper drive/flash_mt1959.ixx"),
            new KnownDriveModel("ASUS", @"^(BW-16D1HT|BC-12D2HT|SBW-06D2X-U)$", DriveFamily.Mt1959, "mt1959", "superg/redumper drive/flash_mt1959.ixx; mt1959-notes.md §1.2"),
            // coastermelt doc/update-ts01-notes.txt: TSSTcorp BDDVDW SE-506CB, MT1939.
            new KnownDriveModel("TSSTcorp", @"^BDDVDW SE-506", DriveFamily.Tsst, "mt1939", "rbdixon/coastermelt doc/update-ts01-notes.txt"),
            // redumper README / drive/flash_tsst.ixx: MT1339 DVD-ROMs TS-H353C, SH-D16x, TS-H35x.
            new KnownDriveModel("TSSTcorp", @"^(CDDVDW |DVD-ROM )?(TS-H35[0-9][A-Z]?|SH-D16[0-9][A-Z]?)$", DriveFamily.Tsst, "mt1339", "superg/redumper drive/flash_tsst.ixx"),
            // redumper drive/flash_sd616.ixx: Samsung SD-616F.
            new KnownDriveModel("SAMSUNG", @"^DVD-ROM SD-616F$", DriveFamily.Tsst, "sd616f", "superg/redumper drive/flash_sd616.ixx"),
            // schilytools btcflash/btcflash.c: BTC DRW1008.
            new KnownDriveModel("BTC", @"^DVD(RW|-RW|\+-RW)? ?DRW1008", DriveFamily.Btc, "drw1008", "clausecker/schilytools btcflash/btcflash.c"),
            // redumper drive/flash_plextor.ixx, qpxtool pxfw.cpp: PX-708/712/716 (crc at 0xEFFFE), 755/760 (0x1EFFFE).
            new KnownDriveModel("PLEXTOR", @"^DVDR PX-(708|712|716)", DriveFamily.Plextor, "px-716", "superg/redumper drive/flash_plextor.ixx"),
            new KnownDriveModel("PLEXTOR", @"^DVDR PX-(755|760)", DriveFamily.Plextor, "px-760", "superg/redumper drive/flash_plextor.ixx"),
            // omnipatcher fw_specs.pl: classic 8051 LiteOn writers (U = 812S/802S, V = 832S/822S, …). Flash protocol not public (§3).
            new KnownDriveModel("LITE-ON", @"^(DVDRW|DVD\+RW|DVD RW) SOHW-8[0-9]{2}S", DriveFamily.LiteOn8051, "sohw-812s", "rpc1dev/omnipatcher fw_specs.pl"),
            new KnownDriveModel("LITE-ON", @"^(LTR|SOHW|SOHC|SHW|LDW)-", DriveFamily.LiteOn8051, "liteon", "rpc1dev/omnipatcher fw_specs.pl"),
            new KnownDriveModel("SONY", @"^DVD RW DW-U18A", DriveFamily.LiteOn8051, "sohw-812s", "rpc1dev/omnipatcher fw_specs.pl"),
        };

        public static string NormaliseProduct(string product) =>
            Regex.Replace((product ?? string.Empty).Replace('_', ' '), @"\s+", " ").Trim();

        /// <summary>The catalogue entry for an identity, or null.</summary>
        public static KnownDriveModel Find(string vendor, string product)
        {
            var v = (vendor ?? string.Empty).Trim();
            var p = NormaliseProduct(product);
            return Models.FirstOrDefault(m => string.Equals(m.Vendor, v, StringComparison.OrdinalIgnoreCase) &&
                                              Regex.IsMatch(p, m.ProductPattern, RegexOptions.IgnoreCase));
        }

        /// <summary>Family by identity; drives outside the catalogue that advertise Microcode Upgrade use the SPC path.</summary>
        public static DriveFamily Classify(string vendor, string product, bool microcodeUpgrade, out string model)
        {
            var known = Find(vendor, product);
            if (known != null) { model = known.Model; return known.Family; }
            model = null;
            return microcodeUpgrade ? DriveFamily.Spc : DriveFamily.Unknown;
        }
    }
}
