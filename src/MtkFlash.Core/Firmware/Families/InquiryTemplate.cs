using System.Text;
using MtkFlash.Core.Firmware;

namespace MtkFlash.Core.Firmware.Families
{
    /// <summary>An INQUIRY-response template found inside an 8051 MediaTek image.</summary>
    internal sealed class InquiryTemplateMatch
    {
        public int Offset;
        public string Vendor;
        public string Product;
        public string Revision;
        public string Timestamp;
    }

    /// <summary>
    /// The literal INQUIRY template of LiteOn/MediaTek 8051 images. docs/reference/drive-protocols.md §3.3 (rpc1dev/omnipatcher fw_mtk.pl):
    /// searched from 0x4000 onward (most relaxed level: from 0); an 8-byte lead-in then vendor (8) + product (16) +
    /// revision (4) + timestamp (16). Strict lead-in 05 80 00 32 5B 00 00 00; relaxed 05 80 00 32 [1F|5B] 00 00 00, then
    /// 05 80 00 [31|32] [1F|5B] 00 00 00. NULs count as spaces.
    /// </summary>
    internal static class InquiryTemplate
    {
        static readonly byte[] LeadStart = { 0x05, 0x80, 0x00 };

        /// <summary>
        /// One pass over the image (speed: issue 6 asks for near-SHA-256 throughput) that keeps the best candidate in
        /// OmniPatcher's order: strict, then relaxed levels, from 0x4000 onward; then the most relaxed level from 0.
        /// </summary>
        public static InquiryTemplateMatch Find(byte[] d)
        {
            InquiryTemplateMatch best = null;
            int bestRank = int.MaxValue;
            int i = 0;
            while (bestRank > 0)
            {
                i = ImageBytes.IndexOf(d, LeadStart, i, d.Length - 52);
                if (i < 0) break;
                int level = Level(d, i);
                if (level >= 0)
                {
                    int rank = i >= 0x4000 ? level : 3; // below 0x4000 only the last, most relaxed pass looks
                    if (rank < bestRank)
                    {
                        var m = Read(d, i);
                        if (m != null) { best = m; bestRank = rank; }
                    }
                }
                i++;
            }
            return best;
        }

        /// <summary>The template at exactly this offset, or null.</summary>
        public static InquiryTemplateMatch At(byte[] d, int i) =>
            i >= 0 && i + 52 <= d.Length && d[i] == 0x05 && d[i + 1] == 0x80 && d[i + 2] == 0x00 && Level(d, i) >= 0 ? Read(d, i) : null;

        /// <summary>0 strict, 1 relaxed, 2 most relaxed, −1 no lead-in.</summary>
        static int Level(byte[] d, int i)
        {
            for (int level = 0; level < 3; level++) if (LeadInMatches(d, i, level)) return level;
            return -1;
        }

        static bool LeadInMatches(byte[] d, int i, int level)
        {
            byte fmt = d[i + 3], len = d[i + 4];
            if (d[i + 5] != 0 || d[i + 6] != 0 || d[i + 7] != 0) return false;
            switch (level)
            {
                case 0: return fmt == 0x32 && len == 0x5B;
                case 1: return fmt == 0x32 && (len == 0x1F || len == 0x5B);
                default: return (fmt == 0x31 || fmt == 0x32) && (len == 0x1F || len == 0x5B);
            }
        }

        static InquiryTemplateMatch Read(byte[] d, int i)
        {
            var vendor = ImageBytes.Ascii(d, i + 8, 8);
            var product = ImageBytes.Ascii(d, i + 16, 16);
            var revision = ImageBytes.Ascii(d, i + 32, 4);
            if (string.IsNullOrEmpty(vendor) || string.IsNullOrEmpty(product) || revision == null) return null;
            return new InquiryTemplateMatch { Offset = i, Vendor = vendor, Product = product, Revision = revision, Timestamp = ImageBytes.Ascii(d, i + 36, 16) };
        }

        /// <summary>Timestamp valid if it contains 199x/200x/201x (§3.3; YYYY/MM/DD or Sony MmmDD ,YYYY).</summary>
        public static bool TimestampValid(string timestamp) =>
            timestamp != null && System.Text.RegularExpressions.Regex.IsMatch(timestamp, "(199|200|201)[0-9]");

        /// <summary>
        /// The ATA IDENTIFY copy: "%-8s%-8s%-16s" (fwrev, vendor, product) or "%-8s%-8s %-16s ", byte-swapped per word
        /// (§3.3). Returns the copy as stored (decoded), or null when none is found.
        /// </summary>
        public static IdentityCopy FindAtaCopy(byte[] d, string vendor, string product, string revision)
        {
            string[] exact =
            {
                Pad(revision, 8) + Pad(vendor, 8) + Pad(product, 16),
                Pad(revision, 8) + Pad(vendor, 8) + " " + Pad(product, 16) + " ",
            };
            foreach (var text in exact)
            {
                int at = ImageBytes.IndexOf(d, ImageBytes.SwapWords(Encoding.ASCII.GetBytes(text.Length % 2 == 0 ? text : text + " ")));
                if (at >= 0) return new IdentityCopy { Source = "ataIdentify", Offset = at, Vendor = vendor, Product = product, Revision = revision };
            }
            // A copy that disagrees: find it by the revision field, then by the vendor field, and decode what is there.
            foreach (var anchor in new[] { Pad(revision, 8), Pad(vendor, 8) })
            {
                if (anchor.Trim().Length == 0) continue;
                int at = ImageBytes.IndexOf(d, ImageBytes.SwapWords(Encoding.ASCII.GetBytes(anchor)));
                while (at >= 0)
                {
                    int start = anchor == Pad(revision, 8) ? at : at - 8;
                    var copy = Decode(d, start);
                    if (copy != null) return copy;
                    at = ImageBytes.IndexOf(d, ImageBytes.SwapWords(Encoding.ASCII.GetBytes(anchor)), at + 1);
                }
            }
            return null;
        }

        static IdentityCopy Decode(byte[] d, int start)
        {
            if (start < 0 || start + 34 > d.Length || (start & 0) != 0) return null;
            var raw = new byte[34];
            System.Array.Copy(d, start, raw, 0, 34);
            var text = ImageBytes.SwapWords(raw);
            var rev = ImageBytes.Ascii(text, 0, 8);
            var vendor = ImageBytes.Ascii(text, 8, 8);
            bool spaced = text[16] == (byte)' ';
            var product = ImageBytes.Ascii(text, spaced ? 17 : 16, 16);
            if (rev == null || string.IsNullOrEmpty(vendor) || string.IsNullOrEmpty(product)) return null;
            return new IdentityCopy { Source = "ataIdentify", Offset = start, Vendor = vendor, Product = product, Revision = rev };
        }

        static string Pad(string s, int n) { s = s ?? string.Empty; return s.Length >= n ? s.Substring(0, n) : s.PadRight(n); }
    }
}
