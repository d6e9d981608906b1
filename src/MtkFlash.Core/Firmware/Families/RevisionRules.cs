using System;
using System.Text.RegularExpressions;

namespace MtkFlash.Core.Firmware.Families
{
    /// <summary>Revision strings: the O-for-0 typo and newer/older comparison.</summary>
    public static class RevisionRules
    {
        /// <summary>
        /// True when the revision has the letter O where a zero belongs: next to a digit or a dot ("1.O2", "1O0"), or in
        /// the third place of a LiteOn-style revision, which is a digit in every documented example ("US0N", docs/reference/drive-protocols.md
        /// §3.3 display form "US0N-xxxx"). [I] from the examples; a typo renamers and forum posts make.
        /// </summary>
        public static bool HasLetterOForZero(string revision)
        {
            if (string.IsNullOrEmpty(revision)) return false;
            for (int i = 0; i < revision.Length; i++)
            {
                if (revision[i] != 'O' && revision[i] != 'o') continue;
                bool before = i > 0 && (char.IsDigit(revision[i - 1]) || revision[i - 1] == '.');
                bool after = i + 1 < revision.Length && (char.IsDigit(revision[i + 1]) || revision[i + 1] == '.');
                if (before || after) return true;
            }
            return Regex.IsMatch(revision, "^[A-Z]SO[0-9A-Z]$");
        }

        /// <summary>
        /// Compares an image revision with a drive revision. Dotted numbers ("1.02" vs "1.05", MT1959) compare numerically;
        /// same-length alphanumeric revisions of the same series ("US0J" vs "US0N", LiteOn; "B220" vs "B230", BTC)
        /// compare character by character. [I]: vendors raise the last characters with each release.
        /// </summary>
        public static Firmware.RevisionComparison Compare(string image, string drive)
        {
            image = (image ?? string.Empty).Trim();
            drive = (drive ?? string.Empty).Trim();
            if (image.Length == 0 || drive.Length == 0) return RevisionComparison.Unknown;
            if (string.Equals(drive, "BOOT", StringComparison.OrdinalIgnoreCase)) return RevisionComparison.Unknown; // boot loader (§2.2)
            if (string.Equals(image, drive, StringComparison.OrdinalIgnoreCase)) return RevisionComparison.Same;
            var dotted = new Regex(@"^\d+(\.\d+)*$");
            if (dotted.IsMatch(image) && dotted.IsMatch(drive))
            {
                var a = image.Split('.');
                var b = drive.Split('.');
                for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
                {
                    long x = i < a.Length ? long.Parse(a[i].Length > 15 ? a[i].Substring(0, 15) : a[i]) : 0;
                    long y = i < b.Length ? long.Parse(b[i].Length > 15 ? b[i].Substring(0, 15) : b[i]) : 0;
                    if (x != y) return x > y ? RevisionComparison.Newer : RevisionComparison.Older;
                }
                return RevisionComparison.Same;
            }
            // Same series: same length, same first two characters (family letter + series, "US" vs Sony's "UY"), and
            // letters and digits in the same places.
            if (image.Length == drive.Length && image.Length >= 3 &&
                string.Equals(image.Substring(0, 2), drive.Substring(0, 2), StringComparison.OrdinalIgnoreCase) &&
                Regex.IsMatch(image, "^[A-Za-z0-9]+$") && Regex.IsMatch(drive, "^[A-Za-z0-9]+$") && SameShape(image, drive))
            {
                int c = string.CompareOrdinal(image.ToUpperInvariant(), drive.ToUpperInvariant());
                return c > 0 ? RevisionComparison.Newer : c < 0 ? RevisionComparison.Older : RevisionComparison.Same;
            }
            return RevisionComparison.Unknown;
        }

        static bool SameShape(string a, string b)
        {
            for (int i = 0; i < a.Length; i++) if (char.IsDigit(a[i]) != char.IsDigit(b[i])) return false;
            return true;
        }
    }
}
