using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;

namespace MtkFlash.Core.Serialization
{
    /// <summary>Overrides the JSON name of a property or enum value ("liteon-8051").</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class WireNameAttribute : Attribute
    {
        public WireNameAttribute(string name) { Name = name; }
        public string Name { get; }
    }

    /// <summary>Keeps a property out of JSON (internal handles, large buffers).</summary>
    [AttributeUsage(AttributeTargets.Property)]
    public sealed class NotSerializedAttribute : Attribute { }

    /// <summary>
    /// Minimal JSON for manifests, traces, history and --json output. Written here instead of taking System.Text.Json
    /// because the core must load inside Windows PowerShell 5.1, where extra System.* assemblies conflict with the host's.
    /// Objects serialise their public properties in declaration order with camelCase names; enums as camelCase strings.
    /// </summary>
    public static class Json
    {
        public static string Serialize(object value, bool indented = false)
        {
            var sb = new StringBuilder();
            Write(sb, value, indented, 0);
            return sb.ToString();
        }

        public static string CamelCase(string name) =>
            string.IsNullOrEmpty(name) || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);

        public static string EnumName(Enum value)
        {
            var field = value.GetType().GetField(value.ToString());
            var wire = field?.GetCustomAttribute<WireNameAttribute>();
            return wire != null ? wire.Name : CamelCase(value.ToString());
        }

        public static T ParseEnum<T>(string text) where T : struct
        {
            foreach (T v in Enum.GetValues(typeof(T)))
                if (string.Equals(EnumName((Enum)(object)v), text, StringComparison.OrdinalIgnoreCase) ||
                    string.Equals(v.ToString(), text, StringComparison.OrdinalIgnoreCase)) return v;
            throw new FormatException("'" + text + "' is not a valid " + typeof(T).Name + ".");
        }

        static void Write(StringBuilder sb, object value, bool indented, int depth)
        {
            switch (value)
            {
                case null: sb.Append("null"); return;
                case string s: WriteString(sb, s); return;
                case bool b: sb.Append(b ? "true" : "false"); return;
                case Enum e: WriteString(sb, EnumName(e)); return;
                case byte[] bytes: WriteString(sb, Scsi.Hex.Compact(bytes)); return;
                case DateTimeOffset dto: WriteString(sb, dto.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)); return;
                case DateTime dt: WriteString(sb, dt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)); return;
                case TimeSpan ts: sb.Append(ts.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)); return;
                case float f: sb.Append(f.ToString("R", CultureInfo.InvariantCulture)); return;
                case double d: sb.Append(d.ToString("R", CultureInfo.InvariantCulture)); return;
                case decimal m: sb.Append(m.ToString(CultureInfo.InvariantCulture)); return;
                case JsonRaw raw: sb.Append(raw.Text); return;
            }
            var type = value.GetType();
            if (type.IsPrimitive) { sb.Append(Convert.ToString(value, CultureInfo.InvariantCulture)); return; }
            if (value is IDictionary dict)
            {
                var entries = new List<KeyValuePair<string, object>>();
                foreach (DictionaryEntry de in dict) entries.Add(new KeyValuePair<string, object>(Convert.ToString(de.Key, CultureInfo.InvariantCulture), de.Value));
                WriteObject(sb, entries, indented, depth);
                return;
            }
            if (value is IEnumerable list)
            {
                sb.Append('[');
                bool first = true;
                foreach (var item in list)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    NewLine(sb, indented, depth + 1);
                    Write(sb, item, indented, depth + 1);
                }
                if (!first) NewLine(sb, indented, depth);
                sb.Append(']');
                return;
            }
            var props = new List<KeyValuePair<string, object>>();
            foreach (var p in PropertiesOf(type))
                props.Add(new KeyValuePair<string, object>(p.Key, p.Value.GetValue(value)));
            WriteObject(sb, props, indented, depth);
        }

        static readonly Dictionary<Type, List<KeyValuePair<string, PropertyInfo>>> PropertyCache = new Dictionary<Type, List<KeyValuePair<string, PropertyInfo>>>();

        static List<KeyValuePair<string, PropertyInfo>> PropertiesOf(Type type)
        {
            lock (PropertyCache)
            {
                if (PropertyCache.TryGetValue(type, out var cached)) return cached;
                var list = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<NotSerializedAttribute>() == null)
                    .OrderBy(p => p.MetadataToken)
                    .Select(p => new KeyValuePair<string, PropertyInfo>(p.GetCustomAttribute<WireNameAttribute>()?.Name ?? CamelCase(p.Name), p))
                    .ToList();
                PropertyCache[type] = list;
                return list;
            }
        }

        static void WriteObject(StringBuilder sb, List<KeyValuePair<string, object>> entries, bool indented, int depth)
        {
            sb.Append('{');
            for (int i = 0; i < entries.Count; i++)
            {
                if (i > 0) sb.Append(',');
                NewLine(sb, indented, depth + 1);
                WriteString(sb, entries[i].Key);
                sb.Append(indented ? ": " : ":");
                Write(sb, entries[i].Value, indented, depth + 1);
            }
            if (entries.Count > 0) NewLine(sb, indented, depth);
            sb.Append('}');
        }

        static void NewLine(StringBuilder sb, bool indented, int depth)
        {
            if (!indented) return;
            sb.Append('\n').Append(' ', depth * 2);
        }

        static void WriteString(StringBuilder sb, string s)
        {
            sb.Append('"');
            foreach (var c in s)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    default:
                        if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4"));
                        else sb.Append(c);
                        break;
                }
            }
            sb.Append('"');
        }

        /// <summary>
        /// Parses JSON into Dictionary&lt;string, object&gt; (ordinal keys), List&lt;object&gt;, string, double, bool and null.
        /// Throws <see cref="FormatException"/> with a position on malformed input.
        /// </summary>
        public static object Parse(string text)
        {
            var p = new Parser(text ?? throw new ArgumentNullException(nameof(text)));
            var v = p.Value();
            p.SkipWhite();
            if (!p.End) throw p.Error("unexpected text after the value");
            return v;
        }

        public static Dictionary<string, object> ParseObject(string text) =>
            Parse(text) as Dictionary<string, object> ?? throw new FormatException("JSON text is not an object.");

        sealed class Parser
        {
            readonly string _s;
            int _i;
            int _depth;
            public Parser(string s) { _s = s; }
            public bool End => _i >= _s.Length;
            public FormatException Error(string what) => new FormatException("Invalid JSON at position " + _i + ": " + what + ".");

            public void SkipWhite() { while (_i < _s.Length && char.IsWhiteSpace(_s[_i])) _i++; }

            public object Value()
            {
                SkipWhite();
                if (End) throw Error("unexpected end");
                if (++_depth > 64) throw Error("nesting too deep");
                try
                {
                    char c = _s[_i];
                    if (c == '{') return Obj();
                    if (c == '[') return Arr();
                    if (c == '"') return Str();
                    if (c == 't' && Take("true")) return true;
                    if (c == 'f' && Take("false")) return false;
                    if (c == 'n' && Take("null")) return null;
                    if (c == '-' || char.IsDigit(c)) return Num();
                    throw Error("unexpected character '" + c + "'");
                }
                finally { _depth--; }
            }

            bool Take(string word)
            {
                if (string.CompareOrdinal(_s, _i, word, 0, word.Length) != 0) return false;
                _i += word.Length;
                return true;
            }

            Dictionary<string, object> Obj()
            {
                var d = new Dictionary<string, object>(StringComparer.Ordinal);
                _i++;
                SkipWhite();
                if (!End && _s[_i] == '}') { _i++; return d; }
                while (true)
                {
                    SkipWhite();
                    if (End || _s[_i] != '"') throw Error("expected a property name");
                    var key = Str();
                    SkipWhite();
                    if (End || _s[_i] != ':') throw Error("expected ':'");
                    _i++;
                    d[key] = Value();
                    SkipWhite();
                    if (End) throw Error("unterminated object");
                    if (_s[_i] == ',') { _i++; continue; }
                    if (_s[_i] == '}') { _i++; return d; }
                    throw Error("expected ',' or '}'");
                }
            }

            List<object> Arr()
            {
                var l = new List<object>();
                _i++;
                SkipWhite();
                if (!End && _s[_i] == ']') { _i++; return l; }
                while (true)
                {
                    l.Add(Value());
                    SkipWhite();
                    if (End) throw Error("unterminated array");
                    if (_s[_i] == ',') { _i++; continue; }
                    if (_s[_i] == ']') { _i++; return l; }
                    throw Error("expected ',' or ']'");
                }
            }

            string Str()
            {
                var sb = new StringBuilder();
                _i++;
                while (true)
                {
                    if (End) throw Error("unterminated string");
                    char c = _s[_i++];
                    if (c == '"') return sb.ToString();
                    if (c != '\\') { sb.Append(c); continue; }
                    if (End) throw Error("unterminated escape");
                    char e = _s[_i++];
                    switch (e)
                    {
                        case '"': sb.Append('"'); break;
                        case '\\': sb.Append('\\'); break;
                        case '/': sb.Append('/'); break;
                        case 'b': sb.Append('\b'); break;
                        case 'f': sb.Append('\f'); break;
                        case 'n': sb.Append('\n'); break;
                        case 'r': sb.Append('\r'); break;
                        case 't': sb.Append('\t'); break;
                        case 'u':
                            if (_i + 4 > _s.Length) throw Error("short \\u escape");
                            if (!int.TryParse(_s.Substring(_i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code)) throw Error("bad \\u escape");
                            sb.Append((char)code);
                            _i += 4;
                            break;
                        default: throw Error("bad escape");
                    }
                }
            }

            object Num()
            {
                int start = _i;
                if (_s[_i] == '-') _i++;
                while (!End && (char.IsDigit(_s[_i]) || _s[_i] == '.' || _s[_i] == 'e' || _s[_i] == 'E' || _s[_i] == '+' || _s[_i] == '-')) _i++;
                if (!double.TryParse(_s.Substring(start, _i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) throw Error("bad number");
                return d;
            }
        }
    }

    /// <summary>Pre-rendered JSON embedded as is.</summary>
    public sealed class JsonRaw
    {
        public JsonRaw(string text) { Text = text; }
        public string Text { get; }
    }

    /// <summary>Typed access to parsed JSON objects, with clear errors for missing or wrong fields.</summary>
    public static class JsonObjectExtensions
    {
        public static string GetString(this Dictionary<string, object> o, string key, string fallback = null) =>
            o.TryGetValue(key, out var v) && v != null ? Convert.ToString(v, CultureInfo.InvariantCulture) : fallback;

        public static long GetInt64(this Dictionary<string, object> o, string key, long fallback = 0) =>
            o.TryGetValue(key, out var v) && v is double d ? (long)d : fallback;

        public static bool GetBool(this Dictionary<string, object> o, string key, bool fallback = false) =>
            o.TryGetValue(key, out var v) && v is bool b ? b : fallback;

        public static Dictionary<string, object> GetObject(this Dictionary<string, object> o, string key) =>
            o.TryGetValue(key, out var v) ? v as Dictionary<string, object> : null;

        public static List<object> GetArray(this Dictionary<string, object> o, string key) =>
            o.TryGetValue(key, out var v) ? v as List<object> : null;
    }
}
