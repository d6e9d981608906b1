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
    /// Seeded mutation fuzzing (issue 6): at least 100,000 mutated inputs per run (bit flips, byte sets, truncations,
    /// splices, insertions, HEX line edits, descriptor tampering, magic swaps), and no exception may escape the analyser.
    /// Mostly small inputs (128 KiB 8051 images, sparse HEX files, small EXEs) so the run stays short.
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

        [Fact]
        public void Mutated_inputs_never_throw()
        {
            var sparse = SparseLiteOn();
            var binaries = new List<byte[]>
            {
                LiteOn(size: 128 * KiB), sparse, Btc().Take(128 * KiB).ToArray(), Plextor(size: 0x7A000, product: "CD-R   PX-4824A", crcOffset: 0x79FFE),
                XFlash(new[] { LiteOn(size: 128 * KiB, seed: 5) }, new[] { "US0N" }),
                XFlash(new[] { LiteOn(size: 128 * KiB, seed: 6), sparse }, new[] { "US0N", "US0Q" }),
            };
            var hexLines = Hex(sparse).Split('\n').Where(l => l.Length > 0).ToArray();
            var hexBtcLines = Hex(Btc().Take(4 * 0x10000).Select((b, i) => i % 0x10000 < 256 ? b : (byte)0xFF).ToArray()).Split('\n').Where(l => l.Length > 0).ToArray();
            var big = new List<byte[]> { Mt1959(), Tsst(), Btc(), LiteOn() };

            long count = 0, valid = 0;
            var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var clock = Stopwatch.StartNew();
            Parallel.For(0, Iterations, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, i =>
            {
                var rng = new Random(unchecked(7919 * i + 17));
                byte[] input;
                int kind = rng.Next(100);
                if (kind == 0 && i % 4 == 0) input = MutateBytes(rng, big[rng.Next(big.Count)], binaries);
                else if (kind < 50) input = MutateBytes(rng, binaries[rng.Next(binaries.Count)], binaries);
                else if (kind < 85) input = Encoding.ASCII.GetBytes(MutateHex(rng, rng.Next(2) == 0 ? hexLines : hexBtcLines));
                else input = TamperDescriptor(rng, binaries[4 + rng.Next(2)]);
                try
                {
                    var r = FirmwareAnalyzer.Analyze(input, "fuzz-" + i);
                    if (r == null) throw new InvalidOperationException("null report");
                    if (r.IsValid && r.Problems.Any(p => p.Severity == ProblemSeverity.Error)) throw new InvalidOperationException("valid with errors");
                    if (r.IsValid && r.Sha256 == null) throw new InvalidOperationException("valid without sha256");
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
            Assert.True(failures.IsEmpty, string.Join("\n\n", failures));
            Assert.True(count >= 100_000, "only " + count + " inputs");
            Assert.InRange(valid, 1, count - 1); // the mutator both keeps and breaks images: it explores both sides
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
            int table = IndexOf(d, "HOW_MANY_BIN=");
            int ops = 1 + rng.Next(3);
            for (int k = 0; k < ops; k++)
            {
                int at = table + rng.Next(200);
                switch (rng.Next(6))
                {
                    case 0: if (at < d.Length) d[at] = (byte)('0' + rng.Next(10)); break;
                    case 1: if (at < d.Length) d[at] = (byte)rng.Next(256); break;
                    case 2: { var n = Encoding.ASCII.GetBytes(rng.Next(2) == 0 ? "9999999999" : "0000000000"); if (at + n.Length < d.Length) n.CopyTo(d, at); break; }
                    case 3: Array.Resize(ref d, Math.Max(0, d.Length - rng.Next(1, 0x30000))); break;
                    case 4: if (table + 13 < d.Length) d[table + 13] = (byte)"0123456789X"[rng.Next(11)]; break;
                    default: if (at + 7 < d.Length) Encoding.ASCII.GetBytes("PARA_OP").CopyTo(d, table); break;
                }
            }
            return d;
        }

        static int IndexOf(byte[] d, string s)
        {
            var p = Encoding.ASCII.GetBytes(s);
            for (int i = 0; i + p.Length <= d.Length; i++) { int k = 0; while (k < p.Length && d[i + k] == p[k]) k++; if (k == p.Length) return i; }
            return 0;
        }
    }
}
