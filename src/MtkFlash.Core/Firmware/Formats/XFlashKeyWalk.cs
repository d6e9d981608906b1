namespace MtkFlash.Core.Firmware.Formats
{
    /// <summary>
    /// What XFlash methods 2 and 3 share (docs/xflash-flashers.md): a 0x400-byte key per entry at T + 0x400·i, image data
    /// 0x1000 bytes after the entry's start, a walk over c = 0…0x3FF that XORs exactly one byte per step at
    /// p = (a small value from key[c]) + c·size/0x400, and fwkey, the low byte of the sum of the revision's characters.
    /// </summary>
    internal static class XFlashKeyWalk
    {
        public const int KeyLength = 0x400;
        /// <summary>Methods 2 and 3 store the image this far after its BIN_START (the four keys sit before it).</summary>
        public const int DataSkip = 0x1000;

        public static int KeyOffset(int tableEnd, int entryIndexFromZero) => tableEnd + KeyLength * entryIndexFromZero;

        public static byte FwKey(string revision)
        {
            int sum = 0;
            foreach (char ch in revision ?? string.Empty) sum += ch;
            return (byte)sum;
        }

        /// <summary>c·size/0x400 rounded down: the start of step c's stretch.</summary>
        public static int Base(int c, int size) => (int)((long)c * size / KeyLength);

        /// <summary>True when every position of the walk lies inside an image of size bytes, whatever the key holds.</summary>
        public static bool Fits(int size, int largestKeyPart) => size > 0 && Base(KeyLength - 1, size) + largestKeyPart < size;
    }
}
