using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Serialization;
using Xunit;
using Xunit.Abstractions;
using static MtkFlash.Tests.Firmware.TestImages;

namespace MtkFlash.Tests.Firmware
{
    /// <summary>
    /// Seeded mutation fuzzing (issues 6 and 12): at least 100,000 mutated inputs per run (bit flips, byte sets, truncations,
    /// splices, insertions, HEX line edits, magic swaps, and for XFlash flashers of every method: tampered descriptor
    /// tables, keys, scrambled bodies and version strings), and no exception may escape the analyser. An image that fails
    /// the bank check is never passed on. Mostly small inputs (128 KiB 8051 images, sparse HEX files, small EXEs) so the run
    /// stays short. No upx is run: the tool lookup is made to find nothing.
    /// </summary>
    public class FirmwareFuzzTests
    {
        const int Iterations = 100_000;
        readonly ITestOutputHelper _output;

        public FirmwareFuzzTests(ITestOutputHelper output) { _output = output; }

        static byte[] SparseLiteOn()
        {
            // A 128 KiB image whose HEX form is small: mostly erased (0xFF) with the documented structures in place.
            var d = LiteOn(size: 128 * KiB, seed: 9);
            for (int i = 0; i < d.Length; i++)
                if (i % 0x10000 != 0 && (i < 0x4100 || i >= 0x4140) && (i < 0x8000 || i >= 0x8020) && (i < 0x9000 || i >= 0x9030) && i % 4096 >= 64) d[i] = 0xFF;
            return d;
        }

        /// <summary>One small flasher per variant: plain (one and two images), 1a, 1b, 2, 3 and a PARA_OPT flasher.</summary>
        static List<(string Name, byte[] Exe)> Flashers(byte[] sparse)
        {
            byte[] Img(string rev, int seed) => LiteOn(revision: rev, size: 128 * KiB, internalRevision: null, seed: seed);
            return new List<(string, byte[])>
            {
                ("plain", XFlash(new[] { LiteOn(size: 128 * KiB, seed: 5) }, new[] { "US0N" })),
                ("plain2", XFlash(new[] { LiteOn(size: 128 * KiB, seed: 6), sparse }, new[] { "US0N", "US0Q" })),
                ("1a", TestFlashers.Build(new FlasherSpec { Images = new[] { Img("US0N", 7) }, Revisions = new[] { "US0N" }, Version = "2.0.5", Method = 1 })),
                ("1b", TestFlashers.Build(new FlasherSpec { Images = new[] { Img("US0N", 8) }, Revisions = new[] { "US0N" }, Version = "2.1.0", Method = 1, SkipPre = 0x400, SkipLen = 0x1000 })),
                ("2", TestFlashers.Build(new FlasherSpec { Images = new[] { Img("US0N", 9), Img("US0Q", 10) }, Revisions = new[] { "US0N", "US0Q" }, Version = "2.1.0", Method = 2 })),
                ("3", TestFlashers.Build(new FlasherSpec { Images = new[] { TestFlashers.CodeLike() }, Revisions = new[] { "US0N" }, Version = "2.1.0", Method = 3, AltLoad = true })),
                ("paraOpt", TestFlashers.Build(new FlasherSpec { Images = new[] { TestFlashers.CodeLike("US0N", seed: 11), TestFlashers.CodeLike("US0Q", seed: 12), TestFlashers.CodeLike("US0R", seed: 13) }, Revisions = new[] { "US0N", "US0Q", "US0R" },
                    Version = "2.2.0", Method = 3, AndKey = 0x3F, CountKey = "PARA_OPT", CountText = "1", Seed = 4 })),
            };
        }

        [Fact]
        public void Mutated_inputs_never_throw()
        {
            var sparse = SparseLiteOn();
            var flashers = Flashers(sparse);
            var binaries = new List<byte[]>
            {
                LiteOn(size: 128 * KiB), sparse, Btc().Take(128 * KiB).ToArray(), Plextor(size: 0x7A000, product: "CD-R   PX-4824A", crcOffset: 0x79FFE),
            };
            binaries.AddRange(flashers.Select(f => f.Exe));
            var hexLines = Hex(sparse).Split('\n').Where(l => l.Length > 0).ToArray();
            var hexBtcLines = Hex(Btc().Take(4 * 0x10000).Select((b, i) => i % 0x10000 < 256 ? b : (byte)0xFF).ToArray()).Split('\n').Where(l => l.Length > 0).ToArray();
            var big = new List<byte[]> { Mt1959(), Tsst(), Btc(), LiteOn() };
            var options = FirmwareAnalysisOptions.WithoutUnpacker();

            long count = 0, valid = 0, flasherInputs = 0, flashersExtracted = 0;
            var extractedByMethod = new long[4];
            var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var codes = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
            var clock = Stopwatch.StartNew();
            Parallel.For(0, Iterations, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, i =>
            {
                var rng = new Random(unchecked(7919 * i + 17));
                byte[] input;
                int kind = rng.Next(100);
                bool flasher = false;
                if (kind == 0 && i % 4 == 0) input = MutateBytes(rng, big[rng.Next(big.Count)], binaries);
                else if (kind < 30) input = MutateBytes(rng, binaries[rng.Next(binaries.Count)], binaries);
                else if (kind < 60) input = Encoding.ASCII.GetBytes(MutateHex(rng, rng.Next(2) == 0 ? hexLines : hexBtcLines));
                else { input = MutateFlasher(rng, flashers[rng.Next(flashers.Count)].Exe, binaries); flasher = true; }
                try
                {
                    var loaded = FirmwareAnalyzer.Load(input, "fuzz-" + i, options);
                    var r = loaded.Report;
                    if (r == null) throw new InvalidOperationException("null report");
                    if (r.IsValid && r.Problems.Any(p => p.Severity == ProblemSeverity.Error)) throw new InvalidOperationException("valid with errors");
                    if (r.IsValid && r.Sha256 == null) throw new InvalidOperationException("valid without sha256");
                    if (r.Format == FirmwareFormat.XFlashExe)
                    {
                        var extracted = r.Details.Embedded.Where(e => e.Extracted).ToList();
                        if (extracted.Count != loaded.Embedded.Count) throw new InvalidOperationException("embedded list and images disagree");
                        foreach (var img in loaded.Embedded)
                            if (!PassesBankCheck(img)) throw new InvalidOperationException("an image that fails the bank check was passed on");
                        if (extracted.Any(e => e.Sha256 == null || e.Method == null)) throw new InvalidOperationException("extracted without sha256 or method");
                        if (flasher && extracted.Count > 0)
                        {
                            Interlocked.Increment(ref flashersExtracted);
                            foreach (var e in extracted) Interlocked.Increment(ref extractedByMethod[e.Method.Value]);
                        }
                    }
                    if (flasher)
                    {
                        Interlocked.Increment(ref flasherInputs);
                        foreach (var p in r.Problems.Where(p => p.Code.StartsWith("XFlash", StringComparison.Ordinal)).Select(p => p.Code).Distinct())
                            codes.AddOrUpdate(p, 1, (_, n) => n + 1);
                    }
                    if (i % 1000 == 0) Json.Serialize(r);
                    if (r.IsValid) Interlocked.Increment(ref valid);
                }
                catch (Exception ex)
                {
                    if (failures.Count < 5) failures.Enqueue("input " + i + " (kind " + kind + ", " + input.Length + " bytes): " + ex);
                }
                Interlocked.Increment(ref count);
            });
            Support.TestFigures.Record(_output, "Fuzzed " + count + " mutated inputs in " + clock.Elapsed.TotalSeconds.ToString("0.0") + " s; " + valid + " still valid; " + failures.Count + " exceptions.");
            Support.TestFigures.Record(_output, "  of which " + flasherInputs + " XFlash flashers (plain, 1a, 1b, 2, 3, PARA_OPT): " + flashersExtracted + " still gave images (by method 0/1/2/3: " +
                string.Join("/", extractedByMethod) + "); problems " + string.Join(", ", codes.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Key + " " + c.Value)) + ".");
            Assert.True(failures.IsEmpty, string.Join("\n\n", failures));
            Assert.True(count >= 100_000, "only " + count + " inputs");
            Assert.InRange(valid, 1, count - 1); // the mutator both keeps and breaks images: it explores both sides
            Assert.True(flasherInputs >= 30_000, "only " + flasherInputs + " flasher inputs");
            Assert.All(extractedByMethod, n => Assert.True(n > 0, "a method never extracted under mutation: " + string.Join("/", extractedByMethod)));
            foreach (var code in new[] { FirmwareProblemCodes.XFlashOutsideFile, FirmwareProblemCodes.XFlashBankCheckFailed, FirmwareProblemCodes.XFlashMethodUnknown, FirmwareProblemCodes.XFlashDescriptorInvalid })
                Assert.True(codes.ContainsKey(code), "the flasher mutations never reached " + code);
        }

        /// <summary>The check after extraction, written from its description: banks start with 0x02, or the rebanked LITEONIT form.</summary>
        static bool PassesBankCheck(byte[] image)
        {
            bool banks = image.Length > 0;
            for (int b = 0; b < image.Length; b += 0x10000) banks &= image[b] == 0x02;
            return banks || (image.Length >= 0x10000 && image[0] == 0x02 && image[0x4000] == 0x02 && Encoding.ASCII.GetString(image, 0xFFF8, 8) == "LITEONIT");
        }

        /// <summary>Mutations aimed at a flasher's parts: descriptor table, keys, scrambled body, version string, method code.</summary>
        static byte[] MutateFlasher(Random rng, byte[] exe, List<byte[]> others)
        {
            switch (rng.Next(6))
            {
                case 0: return TamperDescriptor(rng, exe);
                case 1:
                {
                    // Keys: the 0x1000 bytes after the table (methods 2 and 3 read them).
                    var d = (byte[])exe.Clone();
                    int t = TestFlashers.TableEnd(d);
                    for (int j = rng.Next(1, 9); j > 0; j--) { int p = t + rng.Next(0x1000); if (p < d.Length) d[p] = (byte)rng.Next(256); }
                    return d;
                }
                case 2:
                {
                    // Scrambled body: flips, bank starts, zeroed stretches.
                    var d = (byte[])exe.Clone();
                    int t = TestFlashers.TableEnd(d);
                    for (int j = rng.Next(1, 6); j > 0; j--)
                    {
                        int p = t + rng.Next(Math.Max(1, d.Length - t));
                        if (rng.Next(3) == 0) p = t + 0x1000 + 0x10000 * rng.Next(3) + rng.Next(2) * 0x400;
                        if (p < d.Length) d[p] ^= (byte)(1 << rng.Next(8));
                    }
                    if (rng.Next(4) == 0) { int p = t + rng.Next(Math.Max(1, d.Length - t)); Array.Fill(d, (byte)0, p, Math.Min(d.Length - p, rng.Next(1, 0x400))); }
                    return d;
                }
                case 3:
                {
                    // Version string: another version, a broken one, or none.
                    var d = (byte[])exe.Clone();
                    int v = TestFlashers.IndexOf(d, "Ver ");
                    if (v < 0) return d;
                    var text = new[] { "2.0.5", "2.0.7", "2.1.0", "2.2.0", "1.0.0", "9.9.9", "2.10.1", "2.1", "2..0", "x.y.z" }[rng.Next(10)];
                    if (rng.Next(5) == 0) { d[v + 1] = (byte)'x'; return d; } // "Vxr ": no version at all
                    return Splice(d, v + 4, Math.Min(d.Length - v - 4, 7), Encoding.ASCII.GetBytes(text + "\0\0"));
                }
                case 4:
                {
                    // Method evidence: method code or 0xFF runs planted or broken.
                    var d = (byte[])exe.Clone();
                    var piece = new[] { TestFlashers.FibonacciCode(rng), TestFlashers.AndKeyCode(rng.Next(256), rng.Next(2) == 0), Enumerable.Repeat((byte)0xFF, 256 + rng.Next(4)).ToArray(), new byte[] { 0x30, 0x02, 0xEB, 0x2B } }[rng.Next(4)];
                    if (d.Length > piece.Length) piece.CopyTo(d, rng.Next(2) == 0 ? 0x80 + rng.Next(0x300) : rng.Next(d.Length - piece.Length));
                    return d;
                }
                default: return MutateBytes(rng, exe, others);
            }
        }

        static byte[] MutateBytes(Random rng, byte[] source, List<byte[]> others)
        {
            var d = (byte[])source.Clone();
            int ops = 1 + rng.Next(4);
            for (int k = 0; k < ops && d.Length > 0; k++)
            {
                switch (rng.Next(9))
                {
                    case 0: for (int j = rng.Next(1, 9); j > 0; j--) { int p = rng.Next(d.Length); d[p] ^= (byte)(1 << rng.Next(8)); } break;
                    case 1: for (int j = rng.Next(1, 5); j > 0; j--) d[rng.Next(d.Length)] = (byte)rng.Next(256); break;
                    case 2: Array.Resize(ref d, rng.Next(d.Length + 1)); break;
                    case 3:
                    {
                        var o = others[rng.Next(others.Count)];
                        int len = rng.Next(1, Math.Min(o.Length, 0x4000));
                        int from = rng.Next(o.Length - len + 1), to = rng.Next(Math.Max(1, d.Length - len + 1));
                        if (to + len <= d.Length) Array.Copy(o, from, d, to, len);
                        break;
                    }
                    case 4: { int p = rng.Next(d.Length); int len = Math.Min(d.Length - p, rng.Next(1, 0x2000)); Array.Fill(d, rng.Next(2) == 0 ? (byte)0xFF : (byte)0x00, p, len); break; }
                    case 5: { int p = rng.Next(d.Length + 1); var ins = new byte[rng.Next(1, 64)]; rng.NextBytes(ins); d = Splice(d, p, 0, ins); break; }
                    case 6: { var magic = new[] { "MZ", "PK\u0003\u0004", "\u001f\u008b", ":00000155AA\n", "Rar!\u001a\u0007", "HOW_MANY_BIN=2" }[rng.Next(6)]; var m = Encoding.Latin1.GetBytes(magic); if (d.Length >= m.Length) m.CopyTo(d, rng.Next(2) == 0 ? 0 : rng.Next(d.Length - m.Length + 1)); break; }
                    case 7: { var field = new[] { "MT1959 Boot JB8 ", "MTEKMT1939", "PLEXTOR DVDR   PX-716A", "LITEONIT", "\u0005\u0080\u00002\u005b\u0000\u0000\u0000" }[rng.Next(5)]; var f = Encoding.Latin1.GetBytes(field); if (d.Length > f.Length) f.CopyTo(d, rng.Next(d.Length - f.Length)); break; }
                    default: { int p = rng.Next(d.Length); int len = Math.Min(d.Length - p, rng.Next(1, 256)); d = Splice(d, p, len, Array.Empty<byte>()); break; }
                }
            }
            return d;
        }

        /// <summary>d with count bytes at p replaced by insert.</summary>
        static byte[] Splice(byte[] d, int p, int count, byte[] insert)
        {
            var r = new byte[d.Length - count + insert.Length];
            Buffer.BlockCopy(d, 0, r, 0, p);
            Buffer.BlockCopy(insert, 0, r, p, insert.Length);
            Buffer.BlockCopy(d, p + count, r, p + insert.Length, d.Length - p - count);
            return r;
        }

        static string MutateHex(Random rng, string[] lines)
        {
            var l = new List<string>(lines);
            int ops = 1 + rng.Next(4);
            for (int k = 0; k < ops && l.Count > 0; k++)
            {
                int i = rng.Next(l.Count);
                var line = l[i];
                switch (rng.Next(10))
                {
                    case 0: l.RemoveAt(i); break;
                    case 1: l.Insert(rng.Next(l.Count + 1), line); break;
                    case 2: if (line.Length > 1) { var c = line.ToCharArray(); c[rng.Next(1, c.Length)] = "0123456789ABCDEFGx: "[rng.Next(20)]; l[i] = new string(c); } break;
                    case 3: { int j = rng.Next(l.Count); l[i] = l[j]; l[j] = line; break; }
                    case 4: l.Insert(i, ":00000155AA"); break;
                    case 5: l.Insert(i, Record(rng.Next(0x10000), new[] { 0x00, 0x01, 0x02, 0x04, 0x55, 0x07, 0xFF }[rng.Next(7)], Enumerable.Range(0, rng.Next(0, 40)).Select(_ => (byte)rng.Next(256)).ToArray())); break;
                    case 6: l[i] = line.Substring(0, rng.Next(line.Length + 1)); break;
                    case 7: l.RemoveRange(i, l.Count - i); break;
                    case 8: l.Insert(i, Record(0, 0x04, new[] { (byte)rng.Next(256), (byte)rng.Next(256) })); break;
                    default: l[i] = line + (rng.Next(2) == 0 ? "\r" : "  "); break;
                }
            }
            return string.Join(rng.Next(2) == 0 ? "\n" : "\r\n", l);
        }

        static byte[] TamperDescriptor(Random rng, byte[] exe)
        {
            var d = (byte[])exe.Clone();
            int table = Math.Max(IndexOf(d, "HOW_MANY_BIN="), IndexOf(d, "PARA_OPT="));
            int ops = 1 + rng.Next(3);
            for (int k = 0; k < ops; k++)
            {
                int at = table + rng.Next(300);
                switch (rng.Next(8))
                {
                    case 0: if (at < d.Length) d[at] = (byte)('0' + rng.Next(10)); break;
                    case 1: if (at < d.Length) d[at] = (byte)rng.Next(256); break;
                    case 2: { var n = Encoding.ASCII.GetBytes(new[] { "9999999999", "0000000000", "0000000001", "0004194304", "0000131072" }[rng.Next(5)]); if (at + n.Length < d.Length) n.CopyTo(d, at); break; }
                    case 3: Array.Resize(ref d, Math.Max(0, d.Length - rng.Next(1, 0x30000))); break;
                    case 4: { int c = Math.Max(IndexOf(d, "HOW_MANY_BIN="), 0) + 13; if (c < d.Length) d[c] = (byte)"012345678X"[rng.Next(10)]; break; }
                    case 5: { int f = IndexOf(d, "NEW_FW" + rng.Next(1, 5) + "="); if (f > 0 && f + 8 < d.Length) d[f + 8 + rng.Next(7)] = (byte)rng.Next(256); break; }
                    case 6: { int f = IndexOf(d, "BIN_S"); if (f > 0) d = Splice(d, f + rng.Next(200), rng.Next(3), new byte[rng.Next(3)]); break; }
                    default: if (table + 8 < d.Length) Encoding.ASCII.GetBytes("PARA_OP").CopyTo(d, table); break;
                }
            }
            return d;
        }

        static int IndexOf(byte[] d, string s) => Math.Max(0, TestFlashers.IndexOf(d, s));
    }
}
