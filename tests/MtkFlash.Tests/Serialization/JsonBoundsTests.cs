using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Serialization;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Virtual;
using Xunit;

namespace MtkFlash.Tests.Serialization
{
    /// <summary>Issue 10, untrusted JSON: bounded parsing, no non-finite numbers ever written, reading symmetric with writing.</summary>
    public class JsonBoundsTests
    {
        [Theory]
        [InlineData(double.PositiveInfinity)]
        [InlineData(double.NegativeInfinity)]
        [InlineData(double.NaN)]
        public void Non_finite_numbers_are_written_as_null(double value)
        {
            var text = Json.Serialize(new Dictionary<string, object> { ["duration"] = value, ["f"] = (float)value });
            Assert.Equal("{\"duration\":null,\"f\":null}", text);
        }

        [Theory]
        [InlineData("1e400")]
        [InlineData("-1e400")]
        [InlineData("1E+999")]
        public void Numbers_beyond_a_double_are_refused_not_read_as_infinity(string number)
        {
            var ex = Assert.Throws<FormatException>(() => Json.Parse("{\"duration\":" + number + "}"));
            Assert.Contains("out of range", ex.Message);
        }

        [Theory]
        [InlineData("01")]
        [InlineData("1.")]
        [InlineData(".5")]
        [InlineData("-")]
        [InlineData("+1")]
        [InlineData("1e")]
        [InlineData("0x10")]
        [InlineData("NaN")]
        [InlineData("Infinity")]
        [InlineData("\"\\u12G4\"")]
        [InlineData("\"\\u 123\"")]
        [InlineData("\"tab\there\"")]
        [InlineData("\u00a0{}")]
        [InlineData("\"\\x\"")]
        public void Text_outside_the_json_grammar_is_refused(string text) =>
            Assert.Throws<FormatException>(() => Json.Parse(text));

        [Fact]
        public void Nesting_strings_and_numbers_are_bounded()
        {
            Assert.NotNull(Json.Parse(new string('[', Json.MaxDepth) + new string(']', Json.MaxDepth)));
            Assert.Contains("nesting", Assert.Throws<FormatException>(() => Json.Parse(new string('[', Json.MaxDepth + 1) + new string(']', Json.MaxDepth + 1))).Message);
            Assert.Equal(Json.MaxStringLength, ((string)Json.Parse("\"" + new string('a', Json.MaxStringLength) + "\"")).Length);
            Assert.Contains("string longer", Assert.Throws<FormatException>(() => Json.Parse("\"" + new string('a', Json.MaxStringLength + 1) + "\"")).Message);
            Assert.Contains("number longer", Assert.Throws<FormatException>(() => Json.Parse("1" + new string('0', Json.MaxNumberLength))).Message);
            Assert.Equal(1e10, Json.Parse("1" + new string('0', 10)));
        }

        [Fact]
        public void Typed_reading_names_the_place_of_a_wrong_value()
        {
            var ex = Assert.Throws<FormatException>(() => Json.Deserialize<BackupManifest>(
                "{\"format\":\"mtkflash-backup\",\"formatVersion\":1,\"parts\":[{\"file\":\"a.bin\",\"length\":1},{\"file\":\"b.bin\",\"length\":1.5}]}"));
            Assert.Contains("$.parts[1].length", ex.Message);
            ex = Assert.Throws<FormatException>(() => Json.Deserialize<TraceRecord>("{\"length\":\"ten\"}"));
            Assert.Contains("$.length", ex.Message);
            ex = Assert.Throws<FormatException>(() => Json.Deserialize<VirtualDriveFaults>("{\"hangAfter\":4294967296}"));
            Assert.Contains("out of range", ex.Message);
            ex = Assert.Throws<FormatException>(() => Json.Deserialize<VirtualDriveFaults>("{\"transients\":[{\"kind\":\"sneeze\"}]}"));
            Assert.Contains("$.transients[0].kind", ex.Message);
        }

        [Fact]
        public void A_manifest_without_completeness_or_part_kind_never_reads_as_more_than_it_is()
        {
            var m = BackupManifest.FromJson("{\"format\":\"mtkflash-backup\",\"formatVersion\":1,\"createdUtc\":\"2024-01-01T00:00:00.000Z\",\"drive\":{},\"parts\":[{\"file\":\"a.bin\"}]}");
            Assert.Equal(BackupCompleteness.IdentityOnly, m.Completeness);
            Assert.Equal(BackupPartKind.Identity, m.Parts[0].Kind);
        }

        /// <summary>
        /// Every public data type of the core that JSON writes and that has a parameterless constructor reads back to the same
        /// JSON: reading is driven by the same property list as writing, so no field can be written and silently dropped on read.
        /// </summary>
        [Fact]
        public void Every_written_type_reads_back_to_the_same_json()
        {
            var types = typeof(Json).Assembly.GetTypes()
                .Where(t => t.IsClass && !t.IsAbstract && !t.IsGenericTypeDefinition && t.GetConstructor(Type.EmptyTypes) != null &&
                            t.Namespace != null && !typeof(Exception).IsAssignableFrom(t) && !typeof(Delegate).IsAssignableFrom(t) &&
                            t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p => p.CanWrite && p.GetSetMethod() != null) &&
                            t.GetProperties(BindingFlags.Public | BindingFlags.Instance).All(p => p.CanWrite || p.GetIndexParameters().Length == 0))
                .ToList();
            var checkedTypes = new List<string>();
            var rng = new Random(5);
            foreach (var type in types)
            {
                object sample;
                try { sample = Sample(type, rng, 0); }
                catch (NotSupportedException) { continue; }   // holds a type JSON does not write (streams, delegates)
                string written;
                try { written = Json.Serialize(sample); }
                catch (Exception) { continue; }               // computed properties that need a real object
                var read = Json.Deserialize(written, type);
                Assert.True(Json.Serialize(read) == written, type.FullName + "\nwritten: " + written + "\nread:    " + Json.Serialize(read));
                checkedTypes.Add(type.Name);
            }
            foreach (var must in new[] { "BackupManifest", "BackupPart", "BackupDriveIdentity", "TraceRecord", "VirtualDriveFaults", "TransientFault", "VirtualDriveRecord", "OpticalDrive" })
                Assert.Contains(must, checkedTypes);
        }

        static object Sample(Type type, Random rng, int depth)
        {
            var target = Activator.CreateInstance(type, nonPublic: true);
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (!p.CanWrite || p.GetSetMethod() == null || p.GetIndexParameters().Length > 0 || p.GetCustomAttribute<NotSerializedAttribute>() != null) continue;
                p.SetValue(target, Value(p.PropertyType, rng, depth));
            }
            return target;
        }

        static object Value(Type type, Random rng, int depth)
        {
            var u = Nullable.GetUnderlyingType(type);
            if (u != null) return rng.Next(3) == 0 ? null : Value(u, rng, depth);
            if (type == typeof(string)) return "s" + rng.Next(1000) + "\"\\\n";
            if (type == typeof(bool)) return rng.Next(2) == 0;
            if (type == typeof(int)) return rng.Next(int.MinValue, int.MaxValue);
            if (type == typeof(long)) return (long)rng.Next() * 1000;
            if (type == typeof(double)) return rng.NextDouble() * 1e6;
            if (type == typeof(byte)) return (byte)rng.Next(256);
            if (type == typeof(byte[])) return new[] { (byte)rng.Next(256), (byte)rng.Next(256) };
            if (type == typeof(DateTimeOffset)) return new DateTimeOffset(2024, 5, 6, 7, 8, 9, 123, TimeSpan.Zero);
            if (type == typeof(DateTime)) return new DateTime(2024, 5, 6, 7, 8, 9, 123, DateTimeKind.Utc);
            if (type == typeof(TimeSpan)) return TimeSpan.FromMilliseconds(rng.Next(1_000_000));
            if (type.IsEnum) { var values = Enum.GetValues(type); return values.GetValue(rng.Next(values.Length)); }
            if (type == typeof(object)) return "o";
            if (type.IsArray && type.GetArrayRank() == 1)
            {
                var a = Array.CreateInstance(type.GetElementType(), 2);
                for (int i = 0; i < 2; i++) a.SetValue(Value(type.GetElementType(), rng, depth + 1), i);
                return a;
            }
            if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(List<>) || type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) || type.GetGenericTypeDefinition() == typeof(IList<>)))
            {
                var list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(type.GetGenericArguments()[0]));
                if (depth < 3) list.Add(Value(type.GetGenericArguments()[0], rng, depth + 1));
                return list;
            }
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) && type.GetGenericArguments()[0] == typeof(string))
            {
                var d = (System.Collections.IDictionary)Activator.CreateInstance(type);
                d["k"] = Value(type.GetGenericArguments()[1], rng, depth + 1);
                return d;
            }
            if (type.IsClass && type.GetConstructor(Type.EmptyTypes) != null && depth < 3) return Sample(type, rng, depth + 1);
            if (type.IsClass) return null;
            throw new NotSupportedException(type.FullName);
        }
    }
}
