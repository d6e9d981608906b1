using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using MtkFlash.Core.Families.Plextor;

namespace MtkFlash.Core.Drives
{
    /// <summary>
    /// One catalogue entry: how INQUIRY names a drive and which protocol family and model it belongs to. A listed entry names
    /// exactly one model that its cited flasher lists (vendor and product compared whole, whitespace normalised); an unlisted
    /// entry is a pattern for sibling models of a known chipset that no public flasher lists.
    /// </summary>
    public sealed class KnownDriveModel
    {
        KnownDriveModel(string vendor, string product, string productPattern, DriveFamily family, string model, string source, bool listed, string bootId)
        {
            Vendor = vendor; Product = product; ProductPattern = productPattern; Family = family; Model = model; Source = source; Listed = listed; BootId = bootId;
        }

        /// <summary>A model the cited flasher lists: vendor and product exactly as its table names them.</summary>
        public static KnownDriveModel Exact(string vendor, string product, DriveFamily family, string model, string source, string bootId = null) =>
            new KnownDriveModel(vendor, DriveCatalog.NormaliseProduct(product), "^" + Regex.Escape(DriveCatalog.NormaliseProduct(product)) + "$", family, model, source, true, bootId);

        /// <summary>Drives recognised by a name pattern. listed: the flasher itself works by pattern (BTC, LiteOn identity only).</summary>
        public static KnownDriveModel Pattern(string vendor, string productPattern, DriveFamily family, string model, string source, bool listed) =>
            new KnownDriveModel(vendor, null, productPattern, family, model, source, listed, null);

        public string Vendor { get; }
        /// <summary>The exact product of a listed model (whitespace normalised), null for a pattern entry.</summary>
        public string Product { get; }
        /// <summary>Regular expression over the product ID with whitespace and underscores normalised to one space.</summary>
        public string ProductPattern { get; }
        public DriveFamily Family { get; }
        public string Model { get; }
        /// <summary>The public source that lists the model (or, for unlisted entries, that names the chipset of its siblings).</summary>
        public string Source { get; }
        /// <summary>The cited flasher lists this model. Unlisted models of a known chipset are refused unless the user allows them explicitly.</summary>
        public bool Listed { get; }
        /// <summary>MT1959 only: the 16-byte boot ID at 0x3000 the flasher's table gives for the model ("MT1959 Boot JB8 ").</summary>
        public string BootId { get; }

        public override string ToString() => Vendor + " " + (Product ?? ProductPattern) + " (" + Family + (Model != null ? " " + Model : string.Empty) + (Listed ? string.Empty : ", unlisted") + ")";
    }

    /// <summary>
    /// Maps INQUIRY identity to a protocol family. The listed models are exactly those the cited flashers list (issue 9 §2):
    /// a drive that matches none is "unknown" (or "spc" when it advertises Microcode Upgrade) and is never sent a family's
    /// vendor commands; a sibling of a known chipset is recognised but unlisted, and refused unless explicitly allowed.
    /// </summary>
    public static class DriveCatalog
    {
        public const string RedumperMt1959 = "superg/redumper drive/flash_mt1959.ixx @2ab9a42 (PR #377)";
        public const string RedumperTsst = "superg/redumper drive/flash_tsst.ixx TSST_SUPPORTED_DRIVES";
        public const string RedumperSd616 = "superg/redumper drive/flash_sd616.ixx SAMSUNG_SUPPORTED_DRIVES";
        public const string CoastermeltMt1939 = "rbdixon/coastermelt doc/update-ts01-notes.txt, doc/usb-ts01-notes.txt (TSSTcorp BDDVDW SE-506CB)";
        public const string RedumperPlextor = "superg/redumper drive/flash_plextor.ixx PLEXTOR_SUPPORTED_DRIVES";

        /// <summary>
        /// The MT1959 family's one table of models and boot IDs: the models superg/redumper's flash_mt1959 table names with the
        /// board ID it expects at 0x3000 (drive-protocols.md §2.3: JB8 = BH16NS40/55/58/60, WH16NS40, BW-16D1HT; BU5 = BU40N).
        /// The protocol's image check and the compatibility check both read it; nothing else lists MT1959 boot IDs.
        /// </summary>
        public static readonly IReadOnlyList<KnownDriveModel> Mt1959Models = new[]
        {
            Mt1959("HL-DT-ST", "BD-RE BH16NS40", "MT1959 Boot JB8 "),
            Mt1959("HL-DT-ST", "BD-RE BH16NS55", "MT1959 Boot JB8 "),
            Mt1959("HL-DT-ST", "BD-RE BH16NS58", "MT1959 Boot JB8 "),
            Mt1959("HL-DT-ST", "BD-RE BH16NS60", "MT1959 Boot JB8 "),
            Mt1959("HL-DT-ST", "BD-RE WH16NS40", "MT1959 Boot JB8 "),
            Mt1959("ASUS", "BW-16D1HT", "MT1959 Boot JB8 "),
            Mt1959("HL-DT-ST", "BD-RE BU40N", "MT1959 Boot BU5 "),
        };

        /// <summary>TSST: MT1339 DVD-ROMs exactly as redumper's table names them, the MT1939 coastermelt documents, the SD-616F.</summary>
        public static readonly IReadOnlyList<KnownDriveModel> TsstModels =
            new[]
            {
                "DVD-ROM SH-D163A", "DVD-ROM SH-D163B", "DVD-ROM SH-D162C", "DVD-ROM SH-D163C", "DVD-ROM SH-D162D", "DVD-ROM TS-H353A", "DVD-ROM TS-H353B",
                "DVD-ROM TS-H353C", "DVD-ROM TS-H352C", "DVD-ROM TS-H352D", "DVD-ROM SH-116AB", "DVD-ROM SH-118CB",
            }.Select(p => KnownDriveModel.Exact("TSSTcorp", p, DriveFamily.Tsst, "mt1339", RedumperTsst))
            .Concat(new[]
            {
                KnownDriveModel.Exact("TSSTcorp", "BDDVDW SE-506CB", DriveFamily.Tsst, "mt1939", CoastermeltMt1939),
                KnownDriveModel.Exact("SAMSUNG", "DVD-ROM SD-616F", DriveFamily.Tsst, "sd616f", RedumperSd616),
            }).ToArray();

        /// <summary>
        /// Plextor: every model of redumper's PLEXTOR_SUPPORTED_DRIVES (block size per model there). Which of them MtkFlash can
        /// check an image for is the protocol's business (Protocols.PlextorModel); the catalogue lists them all.
        /// </summary>
        public static readonly IReadOnlyList<KnownDriveModel> PlextorModels = new[]
        {
            "CD-R PX-W2410A", "CD-R PX-W4012A", "CD-R PX-W4012S", "CD-R PX-W4824A", "CD-R PX-W5224A", "CD-R PREMIUM", "CD-R PREMIUM2",
            "DVDR PX-704A", "DVDR PX-708A", "DVDR PX-708A2", "DVDR PX-712A", "DVDR PX-714A", "DVDR PX-716A", "DVDR PX-716AL", "DVDR PX-755A", "DVDR PX-760A",
        }.Select(p => KnownDriveModel.Exact("PLEXTOR", p, DriveFamily.Plextor, PlextorModelName(p), RedumperPlextor)).ToArray();

        /// <summary>
        /// Recognised chipsets outside the flashers' lists: siblings named like listed models. They are inventoried with their
        /// family, backed up where the family can be read, and refused for flashing unless -AllowUnlistedModel.
        /// </summary>
        static readonly KnownDriveModel[] Unlisted =
        {
            // MT1959/MT1939-silicon JB8 desktop and BU slim boards (mt1959-notes.md §1.2, §5): named like redumper's models.
            KnownDriveModel.Pattern("HL-DT-ST", @"^BD-RE (BH|WH)1[0-9]NS[0-9]{2}$", DriveFamily.Mt1959, "mt1959", "named like redumper flash_mt1959's models; JB8 boards (freemkv detect.rs)", false),
            KnownDriveModel.Pattern("HL-DT-ST", @"^BD-RE BU[0-9]{2}N$", DriveFamily.Mt1959, "mt1959", "named like redumper's BU40N; BU5/BU51 slim boards (freemkv profile.rs)", false),
            KnownDriveModel.Pattern("ASUS", @"^(BW-16D1H-U|BW-16D1X-U|BC-12D2HT|SBW-06D2X-U)$", DriveFamily.Mt1959, "mt1959", "ASUS MT19x9 boards (freemkv detect.rs)", false),
            // TSST MT1339 DVD-ROMs and MT1939 BD writers named like the listed ones (drive-protocols.md §2.2).
            KnownDriveModel.Pattern("TSSTcorp", @"^(CDDVDW |DVD-ROM )?(TS-H35[0-9][A-Z]?|SH-D16[0-9][A-Z]?|SH-11[0-9][A-Z]{2})$", DriveFamily.Tsst, "mt1339", "named like redumper flash_tsst's MT1339 models", false),
            KnownDriveModel.Pattern("TSSTcorp", @"^BDDVDW SE-506[A-Z]{0,2}$", DriveFamily.Tsst, "mt1939", "named like coastermelt's SE-506CB", false),
        };

        /// <summary>Families whose flasher needs no list, or that are never flashed (pattern entries that count as listed).</summary>
        static readonly KnownDriveModel[] ByPattern =
        {
            // schilytools btcflash/btcflash.c: BTC DRW1008; the flasher itself compares the image's identity with INQUIRY.
            KnownDriveModel.Pattern("BTC", @"^DVD(RW|-RW|\+-RW)? ?DRW1008", DriveFamily.Btc, "drw1008", "clausecker/schilytools btcflash/btcflash.c", true),
            // omnipatcher fw_specs.pl: classic 8051 LiteOn writers (U = 812S/802S, V = 832S/822S, …). Flash protocol not public (§3).
            KnownDriveModel.Pattern("LITE-ON", @"^(DVDRW|DVD\+RW|DVD RW) SOHW-8[0-9]{2}S", DriveFamily.LiteOn8051, "sohw-812s", "rpc1dev/omnipatcher fw_specs.pl", true),
            KnownDriveModel.Pattern("LITE-ON", @"^(LTR|SOHW|SOHC|SHW|LDW)-", DriveFamily.LiteOn8051, "liteon", "rpc1dev/omnipatcher fw_specs.pl", true),
            KnownDriveModel.Pattern("SONY", @"^DVD RW DW-U18A", DriveFamily.LiteOn8051, "sohw-812s", "rpc1dev/omnipatcher fw_specs.pl", true),
        };

        /// <summary>Every entry, listed models first (they win over an unlisted pattern that also matches).</summary>
        public static readonly IReadOnlyList<KnownDriveModel> Models =
            Mt1959Models.Concat(TsstModels).Concat(PlextorModels).Concat(ByPattern).Concat(Unlisted).ToArray();

        static KnownDriveModel Mt1959(string vendor, string product, string bootId) =>
            KnownDriveModel.Exact(vendor, product, DriveFamily.Mt1959, "mt1959", RedumperMt1959, bootId);

        /// <summary>"DVDR PX-716A" → "px-716a", "CD-R PREMIUM2" → "premium2".</summary>
        static string PlextorModelName(string product) => product.Substring(product.IndexOf(' ') + 1).ToLowerInvariant();

        public static string NormaliseProduct(string product) =>
            Regex.Replace((product ?? string.Empty).Replace('_', ' '), @"\s+", " ").Trim();

        /// <summary>The catalogue entry for an identity, or null.</summary>
        public static KnownDriveModel Find(string vendor, string product)
        {
            var v = (vendor ?? string.Empty).Trim();
            var p = NormaliseProduct(product);
            // Listed models compare exactly, as the flashers' tables do; name patterns ignore case.
            return Models.FirstOrDefault(m => m.Product != null
                ? string.Equals(m.Vendor, v, StringComparison.Ordinal) && string.Equals(m.Product, p, StringComparison.Ordinal)
                : string.Equals(m.Vendor, v, StringComparison.OrdinalIgnoreCase) && Regex.IsMatch(p, m.ProductPattern, RegexOptions.IgnoreCase));
        }

        /// <summary>The MT1959 table's boot ID for a model, or null when the model is not listed.</summary>
        public static string Mt1959BootId(string vendor, string product)
        {
            var known = Find(vendor, product);
            return known != null && known.Family == DriveFamily.Mt1959 ? known.BootId : null;
        }

        /// <summary>Family by identity; drives outside the catalogue that advertise Microcode Upgrade are "spc" (never flashed).</summary>
        public static DriveFamily Classify(string vendor, string product, bool microcodeUpgrade, out string model) =>
            Classify(vendor, product, microcodeUpgrade, out model, out _);

        /// <summary>Family by identity, and whether the cited flasher lists the model.</summary>
        public static DriveFamily Classify(string vendor, string product, bool microcodeUpgrade, out string model, out bool listed)
        {
            var known = Find(vendor, product);
            if (known != null) { model = known.Model; listed = known.Listed; return known.Family; }
            model = null;
            listed = false;
            return microcodeUpgrade ? DriveFamily.Spc : DriveFamily.Unknown;
        }
    }
}
