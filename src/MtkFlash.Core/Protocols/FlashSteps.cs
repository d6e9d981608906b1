using System;
using System.Linq;
using System.Text;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Core.Protocols
{
    /// <summary>Small builders shared by the protocol classes.</summary>
    internal static class FlashSteps
    {
        /// <summary>A data-out step carrying a copy of image[offset, offset+length).</summary>
        public static FlashStep Data(FlashStepKind kind, byte[] cdb, byte[] image, int offset, int length, TimeSpan timeout, string description, TimeSpan stall = default)
        {
            var data = new byte[length];
            Buffer.BlockCopy(image, offset, data, 0, length);
            return new FlashStep(kind, ScsiRequest.Write(cdb, data, timeout), description, offset, length, stall);
        }

        public static FlashStep NoData(FlashStepKind kind, byte[] cdb, TimeSpan timeout, string description) =>
            new FlashStep(kind, ScsiRequest.NoData(cdb, timeout), description);

        public static byte[] Slice(byte[] data, int offset, int length)
        {
            var r = new byte[length];
            Buffer.BlockCopy(data, offset, r, 0, length);
            return r;
        }

        public static bool Equal(byte[] a, int aOffset, byte[] b, int bOffset, int length)
        {
            for (int i = 0; i < length; i++) if (a[aOffset + i] != b[bOffset + i]) return false;
            return true;
        }

        /// <summary>Printable form of an ID field for messages: ASCII as is, other bytes as \xNN.</summary>
        public static string Printable(byte[] data, int offset, int length)
        {
            var sb = new StringBuilder("\"");
            foreach (var b in data.Skip(offset).Take(length))
                sb.Append(b >= 0x20 && b < 0x7F ? ((char)b).ToString() : "\\x" + b.ToString("X2"));
            return sb.Append('"').ToString();
        }

        public static string Hex6(int value) => "0x" + value.ToString("X6");
    }
}
