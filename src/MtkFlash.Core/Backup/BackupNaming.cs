using System;
using System.Text;
using MtkFlash.Core.Drives;

namespace MtkFlash.Core.Backup
{
    /// <summary>Default bundle names: vendor, product, revision, serial and UTC time, safe on every file system.</summary>
    public static class BackupNaming
    {
        // Win32 "Naming Files, Paths, and Namespaces" lists COM0 and LPT0 too (COM¹…LPT³ are not ASCII and never survive Sanitise).
        static readonly string[] ReservedWindowsNames =
            { "CON", "PRN", "AUX", "NUL", "COM0", "LPT0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9" };

        public static string DefaultName(OpticalDrive drive, DateTimeOffset utc)
        {
            var parts = new[] { drive.Vendor, drive.Product, drive.Revision, string.IsNullOrWhiteSpace(drive.SerialNumber) ? "noserial" : drive.SerialNumber };
            var sb = new StringBuilder();
            foreach (var p in parts)
            {
                var clean = Sanitise(p);
                if (clean.Length == 0) clean = "unknown";
                sb.Append(clean).Append('_');
            }
            sb.Append(utc.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        /// <summary>
        /// Keeps [A-Za-z0-9.-], turns everything else into '-', collapses runs, trims dots and dashes (Windows drops trailing
        /// dots), caps the length at 40 and avoids reserved DOS device names.
        /// </summary>
        public static string Sanitise(string text)
        {
            var sb = new StringBuilder();
            foreach (var c in (text ?? string.Empty).Trim())
            {
                bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.';
                char put = ok ? c : '-';
                if (put == '-' && sb.Length > 0 && sb[sb.Length - 1] == '-') continue;
                sb.Append(put);
            }
            var s = sb.ToString().Trim('.', '-');
            if (s.Length > 40) s = s.Substring(0, 40).Trim('.', '-');
            foreach (var r in ReservedWindowsNames)
                if (string.Equals(s, r, StringComparison.OrdinalIgnoreCase) || s.StartsWith(r + ".", StringComparison.OrdinalIgnoreCase)) return "_" + s;
            return s;
        }
    }
}
