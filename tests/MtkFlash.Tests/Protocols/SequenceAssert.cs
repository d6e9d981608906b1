using System;
using System.Collections.Generic;
using System.Text;
using MtkFlash.Core.Scsi;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Protocols
{
    /// <summary>A command the documentation says must be sent: CDB bytes, and for data-out the exact bytes (compared by SHA-256).</summary>
    public sealed class Expected
    {
        public Expected(string cdbHex, byte[] outData = null, int inLength = 0)
        {
            Cdb = Hex.Parse(cdbHex); OutData = outData; InLength = inLength;
        }

        public byte[] Cdb { get; }
        public byte[] OutData { get; }
        public int InLength { get; }

        /// <summary>Data-out whose bytes are image[offset, offset+length): the slice is copied so the test's image cannot alias the plan's.</summary>
        public static Expected Out(string cdbHex, byte[] image, int offset, int length)
        {
            var data = new byte[length];
            Buffer.BlockCopy(image, offset, data, 0, length);
            return new Expected(cdbHex, data);
        }

        public static Expected In(string cdbHex, int length) => new Expected(cdbHex, null, length);
        public static Expected None(string cdbHex) => new Expected(cdbHex);
    }

    public static class SequenceAssert
    {
        /// <summary>"XX XX XX" big-endian, written out here so the test does not reuse the production encoder.</summary>
        public static string Be24(int value) => ((value >> 16) & 0xFF).ToString("X2") + " " + ((value >> 8) & 0xFF).ToString("X2") + " " + (value & 0xFF).ToString("X2");

        public static void Matches(IReadOnlyList<Expected> expected, IReadOnlyList<RecordedCommand> actual)
        {
            int n = Math.Min(expected.Count, actual.Count);
            for (int i = 0; i < n; i++)
            {
                var e = expected[i];
                var a = actual[i];
                Assert.True(Hex.Format(e.Cdb) == a.CdbHex, "command " + i + ": expected CDB " + Hex.Format(e.Cdb) + ", sent " + a.CdbHex);
                if (e.OutData != null)
                {
                    Assert.True(a.Direction == DataDirection.Out, "command " + i + " (" + a.CdbHex + ") should carry data out");
                    Assert.True(e.OutData.Length == a.OutData.Length, "command " + i + ": expected " + e.OutData.Length + " data bytes, sent " + a.OutData.Length);
                    Assert.True(ScriptedTransport.Sha256(e.OutData) == a.OutSha256, "command " + i + " (" + a.CdbHex + "): data differs from the expected slice");
                }
                else if (e.InLength > 0)
                {
                    Assert.True(a.Direction == DataDirection.In && a.InLength == e.InLength, "command " + i + ": expected data-in of " + e.InLength + " bytes");
                }
                else
                {
                    Assert.True(a.Direction == DataDirection.None, "command " + i + " (" + a.CdbHex + ") should carry no data");
                }
            }
            Assert.True(expected.Count == actual.Count, "expected " + expected.Count + " commands, " + actual.Count + " were sent" + Tail(actual, n));
        }

        static string Tail(IReadOnlyList<RecordedCommand> actual, int from)
        {
            var sb = new StringBuilder();
            for (int i = from; i < actual.Count && i < from + 3; i++) sb.Append("; extra: " + actual[i]);
            return sb.ToString();
        }

        public static void NothingStateChanging(ScriptedTransport transport)
        {
            foreach (var r in transport.Requests)
                Assert.False(r.IsStateChanging, "a state-changing command was sent: " + r);
        }
    }
}
