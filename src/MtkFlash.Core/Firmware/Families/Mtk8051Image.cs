using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using MtkFlash.Core.Families;
using MtkFlash.Core.Families.Btc;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;

namespace MtkFlash.Core.Firmware.Families
{
    /// <summary>
    /// Classic 8051 MediaTek images: LiteOn/Sony (docs/reference/drive-protocols.md §3.3, rpc1dev/omnipatcher) and BTC (§2.1,
    /// schilytools btcflash.c). Banks are 64 KiB windows of 8051 code space (§1 rule 3).
    /// </summary>
    internal static class Mtk8051Image
    {
        const int Bank = 0x10000;
        public static readonly int[] Sizes = { 0x20000, 0x40000, 0x80000, 0x100000 }; // §3.3
        const int BtcVendor = BtcLayout.IdentityOffset, BtcProduct = BtcLayout.ProductOffset, BtcRevision = BtcLayout.RevisionOffset;   // §2.1

        /// <summary>Byte 0 is 0x02 (8051 LJMP; §3.3 "could be other Mtk drives") or the BTC identity is present.</summary>
        public static bool Claims(byte[] d, out InquiryTemplateMatch template, out IdentityCopy btc)
        {
            template = null; btc = null;
            if (d.Length < 0x4000) return false;
            btc = ReadBtcIdentity(d);
            if (d[0] != 0x02 && btc == null) return false;
            // A BTC identity at 0x40BC: its template (if any) sits right before it, so the whole-image scan is skipped (speed).
            template = btc != null ? InquiryTemplate.At(d, BtcVendor - 8) : InquiryTemplate.Find(d);
            return d[0] == 0x02 || template != null || btc != null;
        }

        static IdentityCopy ReadBtcIdentity(byte[] d)
        {
            var vendor = ImageBytes.Ascii(d, BtcVendor, 8);
            var product = ImageBytes.Ascii(d, BtcProduct, 16);
            var revision = ImageBytes.Ascii(d, BtcRevision, 4);
            if (string.IsNullOrEmpty(vendor) || string.IsNullOrEmpty(product) || string.IsNullOrEmpty(revision)) return null;
            return new IdentityCopy { Source = "btcIdentity", Offset = BtcVendor, Vendor = vendor, Product = product, Revision = revision };
        }

        /// <summary>
        /// Analyses an 8051 image as the family that claims it: the catalogue's family when it has 8051 images, else the first
        /// registered family that claims an 8051 image it does not know. Returns false (nothing written) when none does.
        /// </summary>
        public static bool Analyze(byte[] d, FirmwareImageReport r, InquiryTemplateMatch template, IdentityCopy btc)
        {
            var x = r.Details;
            string vendor = template?.Vendor ?? btc?.Vendor, product = template?.Product ?? btc?.Product, revision = template?.Revision ?? btc?.Revision;
            var known = vendor == null ? null : DriveCatalog.Find(vendor, product);
            var knownFamily = known == null ? null : FamilyRegistry.Descriptor(known.Family);
            var family = knownFamily != null && knownFamily.Has8051Images
                ? knownFamily
                // [I] e.g. an identity at exactly the btcflash offsets with no LiteOn-style template is read as a BTC image.
                : FamilyRegistry.Registered.FirstOrDefault(f => f.Claims8051Image(vendor, btc, template, d.Length));
            if (family == null) return false;
            r.Family = family.Id;
            r.Model = known?.Model;
            r.Vendor = vendor; r.Product = product; r.Revision = revision;
            if (template != null) x.IdentityCopies.Add(new IdentityCopy { Source = "inquiryTemplate", Offset = template.Offset, Vendor = template.Vendor, Product = template.Product, Revision = template.Revision });
            if (btc != null && (template == null || btc.Offset != template.Offset + 8)) x.IdentityCopies.Add(btc);

            CheckBanks(d, r, family.BankSanityIsWarning);
            family.Analyze8051(d, r, template, btc);

            if (vendor == null)
                r.Error(FirmwareProblemCodes.IdentityMissing, "No INQUIRY identity found in the image (vendor/product/revision): it cannot be matched to a drive.");
            if (x.IdentityCopies.Count > 1)
            {
                var first = x.IdentityCopies[0];
                x.IdentityCopiesAgree = x.IdentityCopies.TrueForAll(c => Same(c.Vendor, first.Vendor) && Same(DriveCatalog.NormaliseProduct(c.Product), DriveCatalog.NormaliseProduct(first.Product)) && Same(c.Revision, first.Revision));
                if (x.IdentityCopiesAgree == false)
                    r.Error(FirmwareProblemCodes.IdentityMismatch, "The identity copies in the image disagree (" + string.Join("; ", x.IdentityCopies.ConvertAll(c => c.Source + " '" + c.Vendor + " " + c.Product + " " + c.Revision + "'")) +
                        "): a renamer patched only one of them (docs/reference/drive-protocols.md §1 rule 4).");
            }
            return true;
        }

        static bool Same(string a, string b) => string.Equals((a ?? "").Trim(), (b ?? "").Trim(), StringComparison.Ordinal);

        static void CheckBanks(byte[] d, FirmwareImageReport r, bool warnOnly)
        {
            var x = r.Details;
            int banks = d.Length / Bank;
            x.BankCount = banks;
            var bad = new List<int>();
            // §3.3 bank sanity: byte[bank × 0x10000] ∈ {0x02 (LJMP), 0x80}.
            for (int b = 0; b < banks; b++) if (d[b * Bank] != 0x02 && d[b * Bank] != 0x80) bad.Add(b);
            // §3.3 rebanked sanity: byte[0] == 0x02, byte[0x4000] == 0x02 and bytes 0xFFF8–0xFFFF == "LITEONIT".
            bool rebankedSane = d.Length >= Bank && d[0] == 0x02 && d[0x4000] == 0x02 && ImageBytes.Matches(d, 0xFFF8, "LITEONIT");
            // §3.3 bank select in bank 0: E5 90 54 mm B4 00; mm = 0x1F marks a rebanked image.
            int sel = ImageBytes.IndexOf(d, new byte[] { 0xE5, 0x90, 0x54 }, 0, Math.Min(d.Length, Bank));
            bool selRebanked = false;
            while (sel >= 0 && sel + 5 < Math.Min(d.Length, Bank))
            {
                if (d[sel + 4] == 0xB4 && d[sel + 5] == 0x00) { selRebanked = d[sel + 3] == 0x1F; break; }
                sel = ImageBytes.IndexOf(d, new byte[] { 0xE5, 0x90, 0x54 }, sel + 1, Math.Min(d.Length, Bank));
            }
            x.Rebanked = rebankedSane || selRebanked;
            x.BankSanityOk = bad.Count == 0 || rebankedSane;
            if (x.BankSanityOk == false)
            {
                x.BadBanks = bad.ToArray();
                var message = "Bank(s) " + string.Join(", ", bad) + " do not start with 0x02 or 0x80 (bank sanity, docs/reference/drive-protocols.md §3.3): the image is damaged or not an 8051 MediaTek image.";
                // [I] BTC images are MediaTek 8051 code too (flashed with MTKFLASH, §2.1 [O]); the check is OmniPatcher's, so a warning there.
                if (warnOnly) r.Warn(FirmwareProblemCodes.BankSanity, message); else r.Error(FirmwareProblemCodes.BankSanity, message);
            }
        }

        /// <summary>The INQUIRY-template part of an 8051 image (LiteOn and every family whose images look like LiteOn's).</summary>
        internal static void AnalyzeTemplateImage(byte[] d, FirmwareImageReport r, InquiryTemplateMatch template)
        {
            var x = r.Details;
            if (Array.IndexOf(Sizes, d.Length) < 0)
            {
                int next = Array.Find(Sizes, s => s > d.Length);
                r.Error(FirmwareProblemCodes.UnexpectedSize, "Classic MediaTek images are 128 KiB, 256 KiB, 512 KiB or 1 MiB; this one has " + d.Length + " bytes" +
                    (next > 0 ? " (truncated? the next size is " + next + ")." : "."));
            }
            if (d[0] != 0x02)
                r.Error(FirmwareProblemCodes.BankSanity, "Byte 0 is not 0x02 (8051 LJMP): not a MediaTek 8051 image (docs/reference/drive-protocols.md §3.3).");
            // §3.3: 1 MiB ⇒ DVD writer; "VIDEO_TS"/"NOSMARTX" ⇒ combo (0x80000) or DVD-ROM.
            if (d.Length == 0x100000) x.DriveKind = "dvdWriter";
            else if (ImageBytes.ContainsEither(d, "VIDEO_TS", "NOSMARTX")) x.DriveKind = d.Length == 0x80000 ? "combo" : "dvdRom";
            // No host-visible image checksum is known for LiteOn MTK (§3.4): checksum stays null.
            if (template == null) return;
            x.Timestamp = template.Timestamp;
            if (!InquiryTemplate.TimestampValid(template.Timestamp))
                r.Warn(FirmwareProblemCodes.TimestampMissing, "The INQUIRY template has no valid timestamp (199x/200x/201x), which OmniPatcher expects after the revision.");
            if (template.Revision.Length > 0 && char.IsLetter(template.Revision[0])) x.FamilyLetter = template.Revision.Substring(0, 1).ToUpperInvariant();
            var ata = InquiryTemplate.FindAtaCopy(d, template.Vendor, template.Product, template.Revision);
            if (ata != null) x.IdentityCopies.Add(ata);
            x.InternalRevision = FindInternalRevision(d, x.FamilyLetter);
        }

        /// <summary>
        /// §3.3: a hidden 8- or 10-character revision assembled from 8051 immediate loads 7D xx 90 …, 7B xx 7D …, 7D xx 7F …
        /// (MOV Rn,#char), shown as "US0N-xxxx". [I] How the loads are chained is not documented: this reads consecutive loads
        /// at most 8 bytes apart, starting with the family letter, and accepts runs of exactly 8 or 10 characters.
        /// </summary>
        internal static string FindInternalRevision(byte[] d, string familyLetter)
        {
            if (string.IsNullOrEmpty(familyLetter)) return null;
            byte letter = (byte)familyLetter[0];
            // One pass on the letter itself; the opcode before it is checked in place.
            int i = Array.IndexOf(d, letter, 1);
            while (i >= 1)
            {
                if (IsLoad(d, i - 1))
                {
                    var run = ReadRun(d, i - 1);
                    if (run != null) return run.Substring(0, 4) + "-" + run.Substring(4);
                }
                i = i + 1 < d.Length ? Array.IndexOf(d, letter, i + 1) : -1;
            }
            return null;
        }

        static string ReadRun(byte[] d, int i)
        {
            var sb = new StringBuilder();
            int p = i;
            while (sb.Length < 11)
            {
                if (!IsLoad(d, p)) break;
                sb.Append((char)d[p + 1]);
                int next = -1;
                for (int k = p + 2; k <= p + 8 && k + 2 < d.Length; k++) if (IsLoad(d, k)) { next = k; break; }
                if (next < 0) break;
                p = next;
            }
            return sb.Length == 8 || sb.Length == 10 ? sb.ToString() : null;
        }

        static bool IsLoad(byte[] d, int p)
        {
            if (p + 2 >= d.Length) return false;
            byte c = d[p + 1];
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z')) return false;
            return d[p] == 0x7D && (d[p + 2] == 0x90 || d[p + 2] == 0x7F) || d[p] == 0x7B && d[p + 2] == 0x7D;
        }
    }
}
