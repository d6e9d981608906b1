using System;
using System.Linq;
using System.Globalization;
using System.Text;
using MtkFlash.Core.Infrastructure;

namespace MtkFlash.Core.Virtual
{
    /// <summary>The identity a firmware image carries: what INQUIRY and GET CONFIGURATION 010Ch report once it runs.</summary>
    public sealed class FirmwareIdentity
    {
        public string Vendor { get; set; }
        public string Product { get; set; }
        public string Revision { get; set; }
        /// <summary>INQUIRY bytes 36–55.</summary>
        public string VendorSpecific { get; set; }
        /// <summary>Build date, reported as feature 010Ch "YYYYMMDDhhmmss"; null when the image holds none.</summary>
        public DateTime? BuildDate { get; set; }

        /// <summary>Feature 010Ch text, or null.</summary>
        public string FirmwareDateDigits => BuildDate?.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

        public override string ToString() => Vendor + " " + Product + " " + Revision;
    }

    /// <summary>
    /// Structurally faithful synthetic firmware images per profile: right size and bank layout, identity where the family
    /// keeps it, checksums, MT1959 boot ID and descriptor, deterministic filler seeded by profile and revision. They contain
    /// no real firmware code. Used as the initial flash of virtual drives and by tests and other helpers as "vendor images".
    /// </summary>
    public static class SyntheticImages
    {
        // INQUIRY template (docs/reference/drive-protocols.md §3.3; omnipatcher fw.pl scans from 0x4000 on): placed in bank 1 [inferred place],
        // outside the first 64 KiB that TSST drives never rewrite, so a flash changes the identity.
        public const int TemplateOffset = 0x1E100;
        public const int AtaIdentifyCopyOffset = 0x1E180;
        static readonly byte[] TemplateLeadIn = { 0x05, 0x80, 0x00, 0x32, 0x5B, 0x00, 0x00, 0x00 };

        /// <summary>Builds the image for a profile name (see <see cref="VirtualProfiles"/>) and revision (≤ 4 ASCII chars).</summary>
        public static byte[] Build(string profileName, string revision) => Build(VirtualProfiles.Get(profileName), revision);

        public static byte[] Build(VirtualProfile profile, string revision)
        {
            revision = ValidateRevision(revision ?? profile.Revision);
            var image = new byte[profile.FlashSize];
            new Prng("image:" + profile.Name + ":" + revision).Fill(image, 0, image.Length);
            // The boot block does not change between releases of one model: seed it by profile only.
            if (profile.ProtectedRegions.Count > 0)
                foreach (var r in profile.ProtectedRegions) new Prng("boot:" + profile.Name).Fill(image, r.Start, r.Length);
            // Factory images carry blank (0xFF) per-drive regions (docs/reference/mt1959-notes.md §1.1, MK-18895) [inferred for other families].
            foreach (var r in profile.DriveUniqueRegions.Concat(profile.UnitDataRegions)) Fill(image, r.Start, r.Length, 0xFF);

            if (profile.Banked8051)
                for (int bank = 0; bank < image.Length; bank += 0x10000)
                {
                    image[bank] = 0x02;   // LJMP: bank sanity byte (omnipatcher fw.pl)
                    image[bank + 1] = 0x00; image[bank + 2] = 0x30;
                }
            if (profile.Banked8051 && profile.FlashSize == 0x100000)
                Put(image, 0x0100, new byte[] { 0xE5, 0x90, 0x54, 0x0F, 0xB4, 0x00 });   // bank select MOV A,P1; ANL A,#0F (§3.3)

            var identity = new FirmwareIdentity
            {
                Vendor = profile.Vendor, Product = profile.Product, Revision = revision, BuildDate = BuildDate(profile, revision),
            };
            WriteIdentity(profile, image, identity);

            // The family's own layout: boot IDs, tables and checksums.
            Builder(profile).Finish(profile, image);
            return image;
        }

        public static string ValidateRevision(string revision)
        {
            if (string.IsNullOrWhiteSpace(revision) || revision.Length > 4)
                throw new ArgumentException("A firmware revision is 1 to 4 ASCII characters (e.g. 1.02, TS01).", nameof(revision));
            foreach (var c in revision)
                if (c < 0x20 || c > 0x7E) throw new ArgumentException("A firmware revision is printable ASCII.", nameof(revision));
            return revision;
        }

        /// <summary>Deterministic build date per profile and revision (two revisions get different dates).</summary>
        public static DateTime BuildDate(VirtualProfile profile, string revision)
        {
            var h = Prng.Hash("date:" + profile.Name + ":" + revision);
            return new DateTime(profile.EraYear, 1, 1, 0, 0, 0, DateTimeKind.Utc)
                .AddDays(h % 1500).AddHours((h >> 16) % 24).AddMinutes((h >> 24) % 60);
        }

        // ---- identity codecs: the same code builds images and lets the emulated drive read its identity from flash ----

        /// <summary>Writes the identity where the profile's family keeps it.</summary>
        public static void WriteIdentity(VirtualProfile profile, byte[] image, FirmwareIdentity id) =>
            Builder(profile).WriteIdentity(profile, image, id, id.BuildDate ?? new DateTime(profile.EraYear, 1, 1));

        /// <summary>The builder of the profile's family: an unknown family is an error.</summary>
        static SyntheticImageBuilder Builder(VirtualProfile profile) => Families.FamilyRegistry.Required(profile.Family).SyntheticImage;

        internal static void WriteTemplate(byte[] image, int at, FirmwareIdentity id, DateTime date)
        {
            Put(image, at, TemplateLeadIn);
            PutAscii(image, at + 8, 8, id.Vendor);
            PutAscii(image, at + 16, 16, id.Product);
            PutAscii(image, at + 32, 4, id.Revision);
            PutAscii(image, at + 36, 16, date.ToString("yyyy/MM/dd HH:mm", CultureInfo.InvariantCulture));
        }

        /// <summary>Reads the identity the firmware in this flash would report, or null when the image holds none.</summary>
        public static FirmwareIdentity ReadIdentity(VirtualProfile profile, byte[] flash) => Builder(profile).ReadIdentity(profile, flash);

        internal static FirmwareIdentity ReadTemplateAt(byte[] flash, int at)
        {
            if (at < 0 || at + 52 > flash.Length) return null;
            var stamp = Ascii(flash, at + 36, 16);
            return Valid(new FirmwareIdentity
            {
                Vendor = Ascii(flash, at + 8, 8), Product = Ascii(flash, at + 16, 16), Revision = Ascii(flash, at + 32, 4),
                VendorSpecific = stamp, BuildDate = ParseDate(stamp, "yyyy/MM/dd HH:mm"),
            });
        }

        /// <summary>First INQUIRY template: lead-in 05 80 00 [31|32] [1F|5B] 00 00 00 (relaxed level, omnipatcher fw.pl).</summary>
        public static int FindTemplate(byte[] flash)
        {
            for (int i = 0; i + 52 <= flash.Length; i++)
            {
                if (flash[i] != 0x05 || flash[i + 1] != 0x80 || flash[i + 2] != 0x00) continue;
                if (flash[i + 3] != 0x31 && flash[i + 3] != 0x32) continue;
                if (flash[i + 4] != 0x1F && flash[i + 4] != 0x5B) continue;
                if (flash[i + 5] != 0 || flash[i + 6] != 0 || flash[i + 7] != 0) continue;
                return i;
            }
            return -1;
        }

        internal static FirmwareIdentity Valid(FirmwareIdentity id) =>
            string.IsNullOrEmpty(id.Vendor) && string.IsNullOrEmpty(id.Product) ? null : id;

        internal static DateTime? ParseDate(string text, string format) =>
            DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d)
                ? d : (DateTime?)null;

        // ---- checksums ----

        /// <summary>(initial + Σ bytes[start..end)) &amp; 0xFFFF.</summary>
        public static int Sum16(byte[] data, int start, int end, int initial = 0)
        {
            int sum = initial;
            for (int i = start; i < end; i++) sum += data[i];
            return sum & 0xFFFF;
        }

        // ---- byte helpers ----

        internal static void Fill(byte[] b, int at, int len, byte value) { for (int i = 0; i < len; i++) b[at + i] = value; }
        internal static void Put(byte[] b, int at, byte[] data) => Array.Copy(data, 0, b, at, data.Length);
        internal static void PutAscii(byte[] b, int at, int len, string text) => Put(b, at, Encoding.ASCII.GetBytes(Pad(text, len)));
        internal static string Pad(string s, int len) => (s ?? string.Empty).PadRight(len).Substring(0, len);

        internal static string Ascii(byte[] b, int at, int len)
        {
            var chars = new char[len];
            for (int i = 0; i < len; i++) { var c = b[at + i]; chars[i] = c >= 0x20 && c < 0x7F ? (char)c : ' '; }
            return new string(chars).Trim();
        }
    }

    /// <summary>Deterministic pseudo-random bytes (xorshift64*, seeded by FNV-1a of a text): same seed, same bytes.</summary>
    internal sealed class Prng
    {
        ulong _state;

        public Prng(string seed) { _state = Hash(seed) | 1; }

        public static ulong Hash(string text)
        {
            ulong h = 0xCBF29CE484222325;
            foreach (var c in text ?? string.Empty) { h ^= c; h *= 0x100000001B3; }
            return h;
        }

        public ulong Next()
        {
            _state ^= _state >> 12; _state ^= _state << 25; _state ^= _state >> 27;
            return _state * 0x2545F4914F6CDD1D;
        }

        public void Fill(byte[] b, int at, int len)
        {
            int i = 0;
            while (i < len)
            {
                var v = Next();
                for (int k = 0; k < 8 && i < len; k++, i++) b[at + i] = (byte)(v >> (8 * k));
            }
        }
    }
}
