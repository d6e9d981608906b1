using System;

namespace MtkFlash.Core.Infrastructure
{
    /// <summary>Big-endian field access: every multi-byte field in a CDB or MMC response is big-endian.</summary>
    public static class BigEndian
    {
        public static void Put16(byte[] b, int at, int value)
        {
            if ((uint)value > 0xFFFF) throw new ArgumentOutOfRangeException(nameof(value));
            b[at] = (byte)(value >> 8); b[at + 1] = (byte)value;
        }

        public static void Put24(byte[] b, int at, int value)
        {
            if ((uint)value > 0xFFFFFF) throw new ArgumentOutOfRangeException(nameof(value), "A 24-bit field holds at most 0xFFFFFF.");
            b[at] = (byte)(value >> 16); b[at + 1] = (byte)(value >> 8); b[at + 2] = (byte)value;
        }

        public static void Put32(byte[] b, int at, uint value)
        {
            b[at] = (byte)(value >> 24); b[at + 1] = (byte)(value >> 16); b[at + 2] = (byte)(value >> 8); b[at + 3] = (byte)value;
        }

        public static int Get16(byte[] b, int at) => (b[at] << 8) | b[at + 1];
        public static int Get24(byte[] b, int at) => (b[at] << 16) | (b[at + 1] << 8) | b[at + 2];
        public static uint Get32(byte[] b, int at) => ((uint)b[at] << 24) | ((uint)b[at + 1] << 16) | ((uint)b[at + 2] << 8) | b[at + 3];
    }
}
