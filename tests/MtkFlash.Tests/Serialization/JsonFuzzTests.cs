using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Serialization;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MtkFlash.Tests.Serialization
{
    /// <summary>
    /// Seeded mutation fuzzing of the JSON reader where input may come from anywhere (issue 10): at least 100,000 mutated
    /// backup manifests, history lines and drive descriptions per run. A FormatException is the documented answer to bad
    /// input; any other exception is an escape, and there must be none. Whatever is read must write back as finite JSON
    /// that reads again the same way.
    /// </summary>
    public class JsonFuzzTests
    {
        const int Iterations = 102_000;
        readonly ITestOutputHelper _output;

        public JsonFuzzTests(ITestOutputHelper output) { _output = output; }

        static string ManifestSeed() => new BackupManifest
        {
            Tool = "MtkFlash 1.0", CreatedUtc = new DateTimeOffset(2024, 3, 4, 5, 6, 7, TimeSpan.Zero), Completeness = BackupCompleteness.Full,
            Drive = new BackupDriveIdentity { Path = "virtual:x", Vendor = "HL-DT-ST", Product = "BD-RE BH16NS40", Revision = "1.02", SerialNumber = "K9A1234567", Family = DriveFamily.Mt1959, Model = "BH16NS40", IsVirtual = true },
            Parts =
            {
                new BackupPart { Name = "firmware", Kind = BackupPartKind.Firmware, File = "firmware.bin", Length = 2097152, Sha256 = new string('a', 64) },
                new BackupPart { Name = "calibration", Kind = BackupPartKind.Region, File = "region-cal.bin", Offset = 0x1F0000, Length = 65536, Sha256 = new string('b', 64) },
            },
        }.ToJson();

        static string HistorySeed() => Json.Serialize(new WriteResult
        {
            Drive = "virtual:x", Outcome = WriteOutcome.Succeeded, PreviousRevision = "1.02", NewRevision = "1.03", ExpectedRevision = "1.03",
            Duration = TimeSpan.FromSeconds(12.5), BackupPath = "/home/u/backups/x", Message = "flashed \"ok\"\n",
        });

        static string RecordSeed() => Json.Serialize(new VirtualDriveRecord
        {
            Name = "x", Profile = "lg-bh16ns40", Serial = "K9A0000000AB", State = VirtualDriveMode.Boot, Tray = TrayState.Disc, Created = "2024-01-01T00:00:00Z",
            Faults = new VirtualDriveFaults { PowerLossAfter = 3, HangAfter = 9, Transients = { new TransientFault(TransientKind.Busy, 2), new TransientFault(TransientKind.NotReady, 1) } },
        }, indented: true);

        [Fact]
        public void Mutated_manifests_history_lines_and_drive_descriptions_never_escape()
        {
            var seeds = new[] { ManifestSeed(), HistorySeed(), RecordSeed() };
            long count = 0, accepted = 0;
            var perKind = new long[3];
            var escapes = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var clock = Stopwatch.StartNew();
            Parallel.For(0, Iterations, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, i =>
            {
                var rng = new Random(unchecked(104729 * i + 7));
                int kind = i % 3;
                var text = Mutate(rng, seeds[kind], seeds);
                try
                {
                    if (Check(kind, text)) Interlocked.Increment(ref accepted);
                }
                catch (Exception ex)
                {
                    if (escapes.Count < 5) escapes.Enqueue("input " + i + " (kind " + kind + "): " + Shorten(text) + "\n" + ex);
                    else escapes.Enqueue(null);
                }
                Interlocked.Increment(ref perKind[kind]);
                Interlocked.Increment(ref count);
            });
            int escaped = escapes.Count;
            TestFigures.Record(_output, "JSON fuzz: " + count + " mutated inputs (" + perKind[0] + " manifests, " + perKind[1] + " history lines, " + perKind[2] +
                " drive descriptions) in " + clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s; " + accepted + " still read; " + escaped + " escapes.");
            Assert.True(escaped == 0, string.Join("\n\n", escapes.Where(e => e != null)));
            Assert.True(count >= 100_000, "only " + count + " inputs");
            Assert.InRange(accepted, 1, count - 1);   // the mutator both keeps and breaks inputs
        }

        /// <summary>Reads one input the way MtkFlash does; true when it was accepted. Throws only on an escape.</summary>
        static bool Check(int kind, string text)
        {
            try
            {
                switch (kind)
                {
                    case 0:
                    {
                        var m = BackupManifest.FromJson(text);
                        var again = m.ToJson();
                        AssertFinite(again);
                        if (BackupManifest.FromJson(again).ToJson() != again) throw new InvalidOperationException("manifest does not read back the same");
                        return true;
                    }
                    case 1:
                    {
                        // `mtkflash history` reads lines as objects and writes them back with --json.
                        var o = Json.ParseObject(text);
                        var again = Json.Serialize(o);
                        AssertFinite(again);
                        if (Json.Serialize(Json.Parse(again)) != again) throw new InvalidOperationException("history line does not read back the same");
                        try { Json.ToType<WriteResult>(o); } catch (FormatException) { }
                        return true;
                    }
                    default:
                    {
                        var r = VirtualDriveRecord.Parse(text);
                        var again = Json.Serialize(r);
                        AssertFinite(again);
                        if (Json.Serialize(VirtualDriveRecord.Parse(again)) != again) throw new InvalidOperationException("drive description does not read back the same");
                        return true;
                    }
                }
            }
            catch (FormatException) { return false; }
        }

        /// <summary>MtkFlash's own output must always parse (the parser refuses NaN and Infinity, so this also proves every number finite).</summary>
        static void AssertFinite(string json)
        {
            try { Json.Parse(json); }
            catch (FormatException ex) { throw new InvalidOperationException("MtkFlash wrote JSON it cannot read (" + ex.Message + "): " + Shorten(json)); }
        }

        static readonly string[] Tokens =
        {
            "1e400", "-1e400", "1e-400", "-0", "0.0000000000000000000000001", "9007199254740993", "18446744073709551616", "-2147483649", "2147483648",
            "NaN", "Infinity", "null", "true", "false", "[]", "{}", "\"\"", "\"\\u0000\"", "\"\\uD800\"", "\"\\u12\"", "\"\\q\"", ",", ":", "{", "}", "[", "]",
            "\"busy\"", "\"sneeze\"", "\"full\"", "\"firmware\"", "\"../x\"", "\"a/b\"", "\"mtkflash-backup\"", "\"lg-bh16ns40\"", "\"2024-13-45T99:00:00Z\"",
            "1.5", "-1", "0", "1", "65536", "\"é\u2028\"", "\u00a0", "\t", "\"\"\"",
        };

        const string Structural = "\"{}[],:\\0123456789-+.eE";

        static string Mutate(Random rng, string seed, string[] seeds)
        {
            var s = new StringBuilder(seed);
            int ops = 1 + rng.Next(4);
            for (int k = 0; k < ops; k++)
            {
                int p = s.Length == 0 ? 0 : rng.Next(s.Length);
                switch (rng.Next(12))
                {
                    case 0: if (s.Length > 0) s[p] = (char)rng.Next(32, 127); break;
                    case 1: if (s.Length > 0) s.Remove(p, Math.Min(s.Length - p, 1 + rng.Next(8))); break;
                    case 2: s.Insert(p, Tokens[rng.Next(Tokens.Length)]); break;
                    case 3: ReplaceValue(rng, s, Tokens[rng.Next(Tokens.Length)]); break;
                    case 4: s.Length = rng.Next(s.Length + 1); break;
                    case 5: { var other = seeds[rng.Next(seeds.Length)]; int from = rng.Next(other.Length); s.Insert(p, other.Substring(from, Math.Min(other.Length - from, rng.Next(1, 80)))); break; }
                    case 6: { int depth = rng.Next(1, 100); s.Insert(p, new string('[', depth) + new string(']', rng.Next(2) == 0 ? depth : rng.Next(depth))); break; }
                    case 7: if (rng.Next(50) == 0) ReplaceValue(rng, s, "\"" + new string('x', Json.MaxStringLength + rng.Next(-1, 2)) + "\""); break;
                    case 8: ReplaceValue(rng, s, new string('9', rng.Next(1, 90))); break;
                    case 9: ReplaceValue(rng, s, ((char)rng.Next(0, 0x10000)).ToString()); break;
                    case 10: if (s.Length > 0) s[p] = Structural[rng.Next(Structural.Length)]; break;
                    default: { var keys = new[] { "powerLossAfter", "hangAfter", "transients", "count", "kind", "faults", "profile", "state", "tray", "parts", "length", "offset", "file", "formatVersion", "duration", "drive" }; s.Insert(p, "\"" + keys[rng.Next(keys.Length)] + "\":" + Tokens[rng.Next(Tokens.Length)] + ","); break; }
                }
            }
            return s.ToString();
        }

        /// <summary>Replaces the value after a random "key": with the given text.</summary>
        static void ReplaceValue(Random rng, StringBuilder s, string value)
        {
            var text = s.ToString();
            int colon = text.IndexOf("\":", rng.Next(Math.Max(1, text.Length)), StringComparison.Ordinal);
            if (colon < 0) colon = text.IndexOf("\":", StringComparison.Ordinal);
            if (colon < 0) return;
            int start = colon + 2;
            while (start < text.Length && text[start] == ' ') start++;
            int end = start;
            if (end < text.Length && text[end] == '"') { end++; while (end < text.Length && text[end] != '"') end++; end++; }
            else while (end < text.Length && ",}]\n".IndexOf(text[end]) < 0) end++;
            end = Math.Min(end, text.Length);
            s.Remove(start, end - start).Insert(start, value);
        }

        static string Shorten(string s) => s.Length <= 300 ? s : s.Substring(0, 300) + "…(" + s.Length + " chars)";

        /// <summary>Some of the same inputs through a real drive folder: the store lists each drive, healthy or damaged, and never throws.</summary>
        [Fact]
        public void Mutated_drive_descriptions_on_disk_are_listed_healthy_or_damaged()
        {
            using (var rig = new VirtualRig(trace: false))
            {
                rig.NewDrive("x", "btc-drw1008");
                var record = Path.Combine(rig.Home, "virtual", "x", "drive.json");
                var seed = File.ReadAllText(record);
                int damaged = 0, fine = 0;
                for (int i = 0; i < 300; i++)
                {
                    rig.Store.ForgetLoadedDrives();
                    File.WriteAllBytes(record, Encoding.UTF8.GetBytes(Mutate(new Random(i), seed, new[] { seed })));
                    var info = rig.Store.List().Single();
                    if (info.Damage != null) { damaged++; Assert.StartsWith(record, info.Damage); }
                    else fine++;
                }
                Assert.True(damaged > 0 && fine > 0, damaged + " damaged, " + fine + " fine");
            }
        }
    }
}
