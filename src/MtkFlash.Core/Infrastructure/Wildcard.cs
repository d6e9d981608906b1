using System.Text;
using System.Text.RegularExpressions;

namespace MtkFlash.Core.Infrastructure
{
    /// <summary>PowerShell-style wildcards (* ? [abc]) for -Path filters, case-insensitive.</summary>
    public static class Wildcard
    {
        public static bool HasWildcard(string pattern) => pattern != null && pattern.IndexOfAny(new[] { '*', '?', '[' }) >= 0;

        public static bool IsMatch(string text, string pattern)
        {
            if (!HasWildcard(pattern)) return string.Equals(text, pattern, System.StringComparison.OrdinalIgnoreCase);
            var sb = new StringBuilder("^");
            foreach (var c in pattern)
            {
                switch (c)
                {
                    case '*': sb.Append(".*"); break;
                    case '?': sb.Append('.'); break;
                    case '[': sb.Append('['); break;
                    case ']': sb.Append(']'); break;
                    default: sb.Append(Regex.Escape(c.ToString())); break;
                }
            }
            sb.Append('$');
            try { return Regex.IsMatch(text ?? string.Empty, sb.ToString(), RegexOptions.IgnoreCase | RegexOptions.Singleline); }
            catch (System.ArgumentException) { return false; }
        }
    }
}
