using System;
using System.Linq;
using MtkFlash.Core.Families;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;

namespace MtkFlash.Core.Firmware.Families
{
    /// <summary>Decides the family of a binary image and runs that family's checks.</summary>
    internal static class RawImageAnalyzer
    {
        /// <summary>Every size a documented image has (docs/reference/drive-protocols.md §1 rule 3; docs/reference/mt1959-notes.md §1.1).</summary>
        static readonly int[] PlausibleSizes = { 0x20000, 0x40000, 0x80000, 0x100000, 0x200000 };

        /// <summary>
        /// The families' own layouts in their order (MT1959 10, TSST 20, Plextor 40), with the shared 8051 probe at 30 (an 8051
        /// image with an identity) and 50 (any 8051 code image). Plextor is looked for only when no 8051 identity was found,
        /// which spares most images a full string search.
        /// </summary>
        static bool Recognise(byte[] d, FirmwareImageReport r)
        {
            InquiryTemplateMatch template = null;
            IdentityCopy btc = null;
            bool probed = false, claimed8051 = false;
            bool With8051Identity()
            {
                if (!probed) { probed = true; claimed8051 = Mtk8051Image.Claims(d, out template, out btc); }
                return claimed8051 && (template != null || btc != null) && Mtk8051Image.Analyze(d, r, template, btc);
            }
            var rules = FamilyRegistry.ImageRules.Concat(new[]
            {
                new ImageRule(30, (_, __) => With8051Identity()),
                new ImageRule(50, (_, __) => d.Length >= 0x4000 && d[0] == 0x02 && Mtk8051Image.Analyze(d, r, template, btc)),
            }).OrderBy(rule => rule.Order);
            foreach (var rule in rules)
                if (rule.TryAnalyze(d, r)) return true;
            return false;
        }

        public static void Analyze(byte[] d, FirmwareImageReport r)
        {
            if (d.Length == 0) return;
            // An erased (0xFF) or zeroed image of any size: a failed read-back or a broken download.
            if (ImageBytes.IsFilled(d, 0, d.Length, 0xFF) || ImageBytes.IsFilled(d, 0, d.Length, 0x00))
            {
                r.Error(FirmwareProblemCodes.BlankImage, "Every byte is 0x" + d[0].ToString("X2") + ": the file holds no firmware (an erased chip, a failed backup or a broken download).");
                return;
            }

            if (!Recognise(d, r))
            {
                r.Family = DriveFamily.Unknown;
                r.Error(FirmwareProblemCodes.UnknownFamily, Array.IndexOf(PlausibleSizes, d.Length) >= 0
                    ? "The image has a firmware size (" + d.Length + " bytes) but matches no known family layout (MT1959, TSST MT1939, BTC, Plextor, LiteOn 8051)."
                    : "Not a known firmware image: " + d.Length + " bytes and no known family layout.");
            }

            if (RevisionRules.HasLetterOForZero(r.Revision))
                r.Error(FirmwareProblemCodes.RevisionLetterO, "The revision '" + r.Revision + "' has the letter O where a zero belongs: the image was renamed or patched by hand.");
            if (r.Model == null && r.Vendor != null) r.Model = DriveCatalog.Find(r.Vendor, r.Product)?.Model;
        }
    }
}
