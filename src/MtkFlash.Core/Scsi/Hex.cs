using System;
using System.Text;

namespace MtkFlash.Core.Scsi
{
    /// <summary>Hex formatting shared by traces, messages and JSON.</summary>
    public static class Hex
    {
        public static string Format(byte[] bytes, string separator = " ")
        {
            if (bytes == null) return null;
            var sb = new StringBuilder(bytes.Length * 3);
            for (int i = 0; i < bytes.Length; i++)
            {
                if (i > 0) sb.Append(separator);
                sb.Append(bytes[i].ToString("X2"));
            }
            return sb.ToString();
        }

        public static string Compact(byte[] bytes) => bytes == null ? null : Format(bytes, string.Empty).ToLowerInvariant();

        public static byte[] Parse(string hex)
        {
            if (hex == null) return null;
            var clean = new StringBuilder();
            foreach (var c in hex) if (!char.IsWhiteSpace(c) && c != '-' && c != ':') clean.Append(c);
            if (clean.Length % 2 != 0) throw new FormatException("Hex text has an odd number of digits.");
            var result = new byte[clean.Length / 2];
            for (int i = 0; i < result.Length; i++)
                result[i] = Convert.ToByte(clean.ToString(i * 2, 2), 16);
            return result;
        }
    }
}
