namespace MtkFlash.Core.Firmware.Formats
{
    /// <summary>
    /// XFlash method 2, the Fibonacci key walk (docs/xflash-flashers.md; rpc1dev/omnipatcher common_xflash.pl). At step c,
    /// k = key[c]; the byte at (k &amp; 7, k mod 7 or k mod 5, as (c + 1) mod 3 is 0, 1 or 2) + c·size/0x400 is XORed with
    /// fwkey, 0xFF or k, as the next Fibonacci number mod 9 is 1, 2 or anything else. The sequence restarts once it passes
    /// 0x2AF90C18. Nothing depends on the data, so the same walk scrambles and unscrambles.
    /// </summary>
    internal static class XFlashFibonacci
    {
        public const long Restart = 0x2AF90C18;
        /// <summary>The largest key-dependent part of a position (k &amp; 7).</summary>
        public const int LargestKeyPart = 7;

        /// <summary>Walks image (size = image.Length) in place with the key at key[keyOffset…+0x400).</summary>
        public static void Walk(byte[] image, byte[] key, int keyOffset, string revision)
        {
            int size = image.Length;
            byte fwKey = XFlashKeyWalk.FwKey(revision);
            long cur = 1, old = 0;
            for (int c = 0; c < XFlashKeyWalk.KeyLength; c++)
            {
                byte k = key[keyOffset + c];
                int r = (c + 1) % 3;
                int p = (r == 0 ? k & 7 : r == 1 ? k % 7 : k % 5) + XFlashKeyWalk.Base(c, size);
                long next = old + cur;
                old = cur;
                cur = next;
                long m = cur % 9;
                image[p] ^= m == 1 ? fwKey : m == 2 ? (byte)0xFF : k;
                if (cur > Restart) { cur = 1; old = 0; }
            }
        }
    }
}
