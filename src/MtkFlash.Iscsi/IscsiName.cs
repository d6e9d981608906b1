using System;
using System.Text;

namespace MtkFlash.Iscsi
{
    /// <summary>
    /// iSCSI names (RFC 7143 §4.2.7): "iqn." yyyy-mm "." reversed domain [":" anything], "eui." 16 hex digits, or
    /// "naa." 16 or 32 hex digits (RFC 3980); at most 223 bytes. This target accepts the ASCII part of the character set
    /// (RFC 7143 §4.2.7.2: a–z, 0–9, '-', '.', ':'); names are case-insensitive, so upper-case letters are accepted and
    /// lowered, as the stringprep profile of RFC 3722 maps them.
    /// </summary>
    public static class IscsiName
    {
        public const int MaxBytes = 223;

        /// <summary>Null when <paramref name="name"/> is a valid iSCSI name, otherwise what is wrong with it.</summary>
        public static string Problem(string name)
        {
            if (string.IsNullOrEmpty(name)) return "an iSCSI name cannot be empty";
            var bytes = Encoding.UTF8.GetByteCount(name);
            if (bytes > MaxBytes) return "an iSCSI name has at most " + MaxBytes + " bytes; this one has " + bytes;
            var lower = name.ToLowerInvariant();
            foreach (var c in lower)
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == ':'))
                    return "'" + Printable(c) + "' is not allowed in an iSCSI name (a-z, 0-9, '-', '.', ':')";

            if (lower.StartsWith("iqn.", StringComparison.Ordinal)) return IqnProblem(lower);
            if (lower.StartsWith("eui.", StringComparison.Ordinal))
                return IsHex(lower, 4, 16) ? null : "an eui. name is 'eui.' and 16 hex digits (e.g. eui.02004567A425678D)";
            if (lower.StartsWith("naa.", StringComparison.Ordinal))
                return IsHex(lower, 4, 16) || IsHex(lower, 4, 32) ? null : "a naa. name is 'naa.' and 16 or 32 hex digits (e.g. naa.52004567BA64678D)";
            return "an iSCSI name starts with iqn., eui. or naa. (e.g. iqn.2024-01.org.example:drive)";
        }

        /// <summary>The name as compared and sent: lower case. Throws <see cref="FormatException"/> for an invalid name.</summary>
        public static string Normalize(string name)
        {
            var problem = Problem(name);
            if (problem != null) throw new FormatException(problem);
            return name.ToLowerInvariant();
        }

        // iqn.yyyy-mm.reversed.domain[:unique]; the date and at least one domain label are required.
        static string IqnProblem(string name)
        {
            const string form = "an iqn. name is iqn.YYYY-MM.reversed.domain[:anything] (e.g. iqn.2024-01.org.example:drive)";
            if (name.Length < 12 || name[8] != '-' || name[11] != '.' || !IsDigits(name, 4, 4) || !IsDigits(name, 9, 2)) return form;
            var month = (name[9] - '0') * 10 + (name[10] - '0');
            if (month < 1 || month > 12) return form;
            var rest = name.Substring(12);
            var colon = rest.IndexOf(':');
            var authority = colon < 0 ? rest : rest.Substring(0, colon);
            if (authority.Length == 0) return form;
            foreach (var label in authority.Split('.'))
                if (label.Length == 0) return form;
            if (colon >= 0 && colon == rest.Length - 1) return form;
            return null;
        }

        static bool IsDigits(string s, int start, int count)
        {
            for (var i = start; i < start + count; i++) if (s[i] < '0' || s[i] > '9') return false;
            return true;
        }

        static bool IsHex(string s, int start, int count)
        {
            if (s.Length != start + count) return false;
            for (var i = start; i < s.Length; i++)
                if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
            return true;
        }

        static string Printable(char c) => c < 0x20 || c > 0x7E ? "U+" + ((int)c).ToString("X4") : c.ToString();
    }
}
