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

        public static T ParseEnum<T>(string text) where T : struct => (T)ParseEnumValue(typeof(T), text);

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
                // JSON has no NaN or Infinity: a non-finite number (read from a damaged file, a division by zero) is written as null.
                case float f: sb.Append(float.IsNaN(f) || float.IsInfinity(f) ? "null" : f.ToString("R", CultureInfo.InvariantCulture)); return;
                case double d: sb.Append(double.IsNaN(d) || double.IsInfinity(d) ? "null" : d.ToString("R", CultureInfo.InvariantCulture)); return;
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
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                // A lone surrogate (read from a "\uD800" escape) is escaped too: raw, it would not survive UTF-8.
                if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { sb.Append(c).Append(s[++i]); continue; }
                if (char.IsSurrogate(c)) { sb.Append("\\u").Append(((int)c).ToString("x4")); continue; }
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

        /// <summary>Deepest nesting of arrays and objects a parse accepts.</summary>
        public const int MaxDepth = 64;
        /// <summary>Longest string (in characters, after unescaping) a parse accepts: 1 Mi.</summary>
        public const int MaxStringLength = 1 << 20;
        /// <summary>Longest number literal a parse accepts.</summary>
        public const int MaxNumberLength = 64;

        /// <summary>
        /// Parses JSON (RFC 8259) into Dictionary&lt;string, object&gt; (ordinal keys), List&lt;object&gt;, string, double, bool and
        /// null. Input may come from anywhere (backup bundles, drive folders), so the parse is bounded: nesting depth
        /// <see cref="MaxDepth"/>, strings <see cref="MaxStringLength"/>, numbers <see cref="MaxNumberLength"/> characters and finite.
        /// Throws <see cref="FormatException"/> with a position on malformed or out-of-bounds input, and nothing else.
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

            public void SkipWhite() { while (_i < _s.Length && (_s[_i] == ' ' || _s[_i] == '\t' || _s[_i] == '\n' || _s[_i] == '\r')) _i++; }

            static bool IsDigit(char c) => c >= '0' && c <= '9';

            public object Value()
            {
                SkipWhite();
                if (End) throw Error("unexpected end");
                if (++_depth > MaxDepth) throw Error("nesting deeper than " + MaxDepth + " levels");
                try
                {
                    char c = _s[_i];
                    if (c == '{') return Obj();
                    if (c == '[') return Arr();
                    if (c == '"') return Str();
                    if (c == 't' && Take("true")) return true;
                    if (c == 'f' && Take("false")) return false;
                    if (c == 'n' && Take("null")) return null;
                    if (c == '-' || IsDigit(c)) return Num();
                    throw Error("unexpected character '" + (char.IsControl(c) ? "\\u" + ((int)c).ToString("x4") : c.ToString()) + "'");
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
                    if (sb.Length > MaxStringLength) throw Error("string longer than " + MaxStringLength + " characters");
                    char c = _s[_i++];
                    if (c == '"') return sb.ToString();
                    if (c < 0x20) { _i--; throw Error("control character in a string"); }
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
                        {
                            if (_i + 4 > _s.Length) throw Error("short \\u escape");
                            int code = 0;
                            for (int k = 0; k < 4; k++)
                            {
                                int h = HexValue(_s[_i + k]);
                                if (h < 0) throw Error("bad \\u escape");
                                code = code * 16 + h;
                            }
                            sb.Append((char)code);
                            _i += 4;
                            break;
                        }
                        default: _i--; throw Error("bad escape");
                    }
                }
            }

            static int HexValue(char c) =>
                c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

            /// <summary>RFC 8259 §6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?, finite as a double.</summary>
            object Num()
            {
                int start = _i;
                if (_s[_i] == '-') _i++;
                if (End || !IsDigit(_s[_i])) throw Error("bad number");
                if (_s[_i] == '0') _i++;
                else while (!End && IsDigit(_s[_i])) _i++;
                if (!End && _s[_i] == '.')
                {
                    _i++;
                    if (End || !IsDigit(_s[_i])) throw Error("bad number");
                    while (!End && IsDigit(_s[_i])) _i++;
                }
                if (!End && (_s[_i] == 'e' || _s[_i] == 'E'))
                {
                    _i++;
                    if (!End && (_s[_i] == '+' || _s[_i] == '-')) _i++;
                    if (End || !IsDigit(_s[_i])) throw Error("bad number");
                    while (!End && IsDigit(_s[_i])) _i++;
                }
                if (_i - start > MaxNumberLength) { _i = start; throw Error("number longer than " + MaxNumberLength + " characters"); }
                if (!double.TryParse(_s.Substring(start, _i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ||
                    double.IsInfinity(d) || double.IsNaN(d))
                {
                    _i = start;
                    throw Error("number out of range");
                }
                return d;
            }
        }

        // ---------------------------------------------------------------- reading into types

        /// <summary>
        /// Reads JSON into a <typeparamref name="T"/> exactly the way <see cref="Serialize"/> writes one: the same properties
        /// (public, settable, not [NotSerialized]), the same names (camelCase or [WireName]) and the same value forms (enums
        /// by wire name, byte[] as hex, dates as ISO 8601 strings, TimeSpan as seconds). Unknown properties are ignored and
        /// missing ones keep their defaults, so older and newer files read; a value of the wrong type or out of range is a
        /// <see cref="FormatException"/> naming its place ("$.parts[2].length"). Adding a property is one edit.
        /// </summary>
        public static T Deserialize<T>(string text) => (T)Deserialize(text, typeof(T));

        public static object Deserialize(string text, Type type) => ToType(Parse(text), type, "$");

        /// <summary>Converts a parsed value (from <see cref="Parse"/>) to a type, with the rules of <see cref="Deserialize{T}"/>.</summary>
        public static T ToType<T>(object parsed) => (T)ToType(parsed, typeof(T), "$");

        static object ToType(object value, Type type, string at)
        {
            var underlying = Nullable.GetUnderlyingType(type);
            if (value == null)
            {
                if (!type.IsValueType || underlying != null) return null;
                throw Mismatch(at, type, value);
            }
            if (underlying != null) type = underlying;
            if (type == typeof(object)) return value;
            if (type == typeof(string)) return value as string ?? throw Mismatch(at, type, value);
            if (type == typeof(bool)) return value is bool b ? b : throw Mismatch(at, type, value);
            if (type.IsEnum)
            {
                if (!(value is string name)) throw Mismatch(at, type, value);
                try { return ParseEnumValue(type, name); }
                catch (FormatException ex) { throw new FormatException(at + ": " + ex.Message); }
            }
            if (type == typeof(byte[]))
            {
                if (!(value is string hex)) throw Mismatch(at, type, value);
                try { return Scsi.Hex.Parse(hex); }
                catch (FormatException) { throw new FormatException(at + ": '" + Shorten(hex) + "' is not hexadecimal bytes."); }
            }
            if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
            {
                if (!(value is string text) || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var when))
                    throw Mismatch(at, type, value);
                return type == typeof(DateTime) ? (object)when.UtcDateTime : when;
            }
            if (value is double d)
            {
                if (type == typeof(double)) return d;
                if (type == typeof(float)) return Math.Abs(d) <= float.MaxValue ? (object)(float)d : throw OutOfRange(at, type, d);
                if (type == typeof(decimal)) return Math.Abs(d) < 7.9e28 ? (object)(decimal)d : throw OutOfRange(at, type, d);
                if (type == typeof(TimeSpan)) return Math.Abs(d) < 9.2e11 ? (object)TimeSpan.FromTicks((long)Math.Round(d * TimeSpan.TicksPerSecond)) : throw OutOfRange(at, type, d);
                if (IntegerRanges.TryGetValue(type, out var range))
                {
                    if (Math.Floor(d) != d || d < range.Min || d > range.Max) throw OutOfRange(at, type, d);
                    return Convert.ChangeType(d, type, CultureInfo.InvariantCulture);
                }
            }
            if (IntegerRanges.ContainsKey(type) || type == typeof(double) || type == typeof(float) || type == typeof(decimal) || type == typeof(TimeSpan))
                throw Mismatch(at, type, value);

            if (typeof(IDictionary).IsAssignableFrom(type))
            {
                if (!(value is Dictionary<string, object> map)) throw Mismatch(at, type, value);
                var args = type.IsGenericType ? type.GetGenericArguments() : new[] { typeof(string), typeof(object) };
                if (args.Length != 2 || args[0] != typeof(string)) throw new NotSupportedException("Json cannot read " + type + " (keys must be strings).");
                var target = (IDictionary)Activator.CreateInstance(type.IsInterface ? typeof(Dictionary<,>).MakeGenericType(args) : type);
                foreach (var kv in map) target[kv.Key] = ToType(kv.Value, args[1], at + "." + kv.Key);
                return target;
            }
            var element = ElementType(type);
            if (element != null)
            {
                if (!(value is List<object> items)) throw Mismatch(at, type, value);
                var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element));
                for (int i = 0; i < items.Count; i++) list.Add(ToType(items[i], element, at + "[" + i + "]"));
                if (type.IsArray)
                {
                    var array = Array.CreateInstance(element, list.Count);
                    list.CopyTo(array, 0);
                    return array;
                }
                return list;
            }
            if (type.IsClass && !type.IsAbstract && type.GetConstructor(Type.EmptyTypes) != null)
            {
                if (!(value is Dictionary<string, object> fields)) throw Mismatch(at, type, value);
                var target = Activator.CreateInstance(type);
                foreach (var p in PropertiesOf(type))
                {
                    if (!p.Value.CanWrite || p.Value.GetSetMethod() == null || !fields.TryGetValue(p.Key, out var field)) continue;
                    p.Value.SetValue(target, ToType(field, p.Value.PropertyType, at + "." + p.Key));
                }
                return target;
            }
            throw new NotSupportedException("Json cannot read " + type + ".");
        }

        static readonly Dictionary<Type, (double Min, double Max)> IntegerRanges = new Dictionary<Type, (double, double)>
        {
            [typeof(byte)] = (byte.MinValue, byte.MaxValue), [typeof(sbyte)] = (sbyte.MinValue, sbyte.MaxValue),
            [typeof(short)] = (short.MinValue, short.MaxValue), [typeof(ushort)] = (ushort.MinValue, ushort.MaxValue),
            [typeof(int)] = (int.MinValue, int.MaxValue), [typeof(uint)] = (uint.MinValue, uint.MaxValue),
            // ±2^53: every integer up to there is exact in a double, and the conversion to long or ulong cannot overflow.
            [typeof(long)] = (-9007199254740992d, 9007199254740992d), [typeof(ulong)] = (0, 9007199254740992d),
        };

        /// <summary>T of T[], List&lt;T&gt;, IList&lt;T&gt;, IReadOnlyList&lt;T&gt;, IEnumerable&lt;T&gt;…; null for anything else.</summary>
        static Type ElementType(Type type)
        {
            if (type.IsArray) return type.GetArrayRank() == 1 ? type.GetElementType() : null;
            if (!type.IsGenericType) return null;
            var def = type.GetGenericTypeDefinition();
            if (def == typeof(List<>) || def == typeof(IList<>) || def == typeof(IReadOnlyList<>) || def == typeof(ICollection<>) ||
                def == typeof(IReadOnlyCollection<>) || def == typeof(IEnumerable<>))
                return type.GetGenericArguments()[0];
            return null;
        }

        static object ParseEnumValue(Type type, string text)
        {
            foreach (Enum v in Enum.GetValues(type))
                if (string.Equals(EnumName(v), text, StringComparison.OrdinalIgnoreCase) || string.Equals(v.ToString(), text, StringComparison.OrdinalIgnoreCase)) return v;
            throw new FormatException("'" + Shorten(text) + "' is not a valid " + type.Name + ".");
        }

        static FormatException Mismatch(string at, Type type, object value) =>
            new FormatException(at + ": expected " + Describe(type) + ", found " + Describe(value) + ".");

        static FormatException OutOfRange(string at, Type type, double value) =>
            new FormatException(at + ": " + value.ToString("R", CultureInfo.InvariantCulture) + " is out of range for " + Describe(type) + ".");

        static string Describe(Type type)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (type == typeof(string)) return "a string";
            if (type == typeof(bool)) return "true or false";
            if (type.IsEnum) return "a " + type.Name + " name";
            if (type == typeof(byte[])) return "a hex string";
            if (type == typeof(DateTimeOffset) || type == typeof(DateTime)) return "a date and time";
            if (type == typeof(TimeSpan)) return "a number of seconds";
            if (IntegerRanges.ContainsKey(type)) return "a whole number (" + type.Name + ")";
            if (type == typeof(double) || type == typeof(float) || type == typeof(decimal)) return "a number";
            if (ElementType(type) != null) return "an array";
            return "an object";
        }

        static string Describe(object value)
        {
            switch (value)
            {
                case null: return "null";
                case string s: return "the string \"" + Shorten(s) + "\"";
                case bool b: return b ? "true" : "false";
                case double d: return d.ToString("R", CultureInfo.InvariantCulture);
                case List<object> _: return "an array";
                default: return "an object";
            }
        }

        static string Shorten(string s) => s == null ? string.Empty : s.Length <= 40 ? s : s.Substring(0, 40) + "…";
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
