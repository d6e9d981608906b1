using System;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Families.Mt1959;
using MtkFlash.Core.Families.Tsst;
using MtkFlash.Core.Families.Plextor;
using MtkFlash.Core.Firmware;

namespace MtkFlash.Core.Firmware.Families
{
    /// <summary>Decides the family of a binary image and runs that family's checks.</summary>
    internal static class RawImageAnalyzer
    {
        /// <summary>Every size a documented image has (drive-protocols.md §1 rule 3; mt1959-notes.md §1.1).</summary>
        static readonly int[] PlausibleSizes = { 0x20000, 0x40000, 0x80000, 0x100000, 0x200000 };

        public static void Analyze(byte[] d, FirmwareImageReport r)
        {
            if (d.Length == 0) return;
            // An erased (0xFF) or zeroed image of any size: a failed read-back or a broken download.
            if (ImageBytes.IsFilled(d, 0, d.Length, 0xFF) || ImageBytes.IsFilled(d, 0, d.Length, 0x00))
            {
                r.Error(FirmwareProblemCodes.BlankImage, "Every byte is 0x" + d[0].ToString("X2") + ": the file holds no firmware (an erased chip, a failed backup or a broken download).");
                return;
            }

            if (Mt1959Image.Claims(d)) Mt1959Image.Analyze(d, r);
            else if (TsstImage.Claims(d)) TsstImage.Analyze(d, r);
            else if (Mtk8051Image.Claims(d, out var template, out var btc) && (template != null || btc != null)) Mtk8051Image.Analyze(d, r, template, btc);
            // Plextor is looked for only when no 8051 identity was found, which spares most images a full string search.
            else if (PlextorImage.Claims(d, out var plextorAt)) PlextorImage.Analyze(d, r, plextorAt);
            else if (d.Length >= 0x4000 && d[0] == 0x02) Mtk8051Image.Analyze(d, r, template, btc);
            else
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
