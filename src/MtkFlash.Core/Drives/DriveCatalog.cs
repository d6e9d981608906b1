using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

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
        static IReadOnlyList<KnownDriveModel> _models;

        /// <summary>Every family's rows (Families/&lt;F&gt;/), listed models first (they win over an unlisted pattern that also matches).</summary>
        public static IReadOnlyList<KnownDriveModel> Models => _models ?? (_models = BuildModels());

        static KnownDriveModel[] BuildModels()
        {
            var rows = Families.FamilyRegistry.All.SelectMany(f => f.Models).ToArray();
            return rows.Where(m => m.Listed).Concat(rows.Where(m => !m.Listed)).ToArray();
        }

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
