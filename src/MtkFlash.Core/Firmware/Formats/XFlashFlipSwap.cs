using System;

namespace MtkFlash.Core.Firmware.Formats
{
    /// <summary>
    /// XFlash method 1, "flip-n-swap" (docs/xflash-flashers.md; rpc1dev/omnipatcher common_xflash.pl). The flasher stores
    /// size + skipLen bytes: the first skipPre bytes bit-inverted, then skipLen bytes that are not part of the image, then
    /// the rest. Once those are undone, the image's first and last 0x8000 bytes have been exchanged, each byte-reversed.
    /// Two parameter sets are known: (0, 0) for version 2.0.5 and (0x400, 0x1000) from 2.1.0.
    /// </summary>
    internal static class XFlashFlipSwap
    {
        public const int SwapLength = 0x8000;

        /// <summary>Bytes the flasher stores for an image of size bytes.</summary>
        public static long StoredLength(long size, int skipLen) => size + skipLen;

        /// <summary>
        /// The image from the size + skipLen stored bytes at offset. The caller checks that they lie inside data and that
        /// size ≥ 0x8000 ≥ skipPre.
        /// </summary>
        /// <param name="into">The array to decode into (size bytes, every one written); null: a new one.</param>
        public static byte[] Decode(byte[] data, int offset, int size, int skipPre, int skipLen, byte[] into = null)
        {
            // t (never built): the inverted prefix, then everything after the skipped bytes; t[j] = T(j) below.
            // The image is t with its two 0x8000-byte ends exchanged and reversed; where the two ends overlap
            // (images under 64 KiB) the second write wins, as in the source.
            var image = into ?? new byte[size];
            int after = offset + skipLen;
            if (size > 2 * SwapLength) Buffer.BlockCopy(data, after + SwapLength, image, SwapLength, size - 2 * SwapLength); // the middle, unchanged (skipPre ≤ 0x8000)
            // image[0, 0x8000) = T(size − 1) … T(size − 0x8000): reversed stored bytes, once none of them is in the inverted prefix.
            if (size - SwapLength >= skipPre)
            {
                Buffer.BlockCopy(data, after + size - SwapLength, image, 0, SwapLength);
                Array.Reverse(image, 0, SwapLength);
            }
            else for (int i = 0; i < SwapLength; i++) image[i] = T(data, offset, after, skipPre, size - 1 - i);
            // image[size − 0x8000, size) = T(0x7FFF) … T(0): the inverted prefix and the bytes after the skip, reversed.
            int tail = size - SwapLength;
            Buffer.BlockCopy(data, offset, image, tail, skipPre);
            for (int i = tail; i < tail + skipPre; i++) image[i] = (byte)~image[i];
            Buffer.BlockCopy(data, after + skipPre, image, tail + skipPre, SwapLength - skipPre);
            Array.Reverse(image, tail, SwapLength);
            return image;
        }

        static byte T(byte[] data, int offset, int after, int skipPre, int j) => j < skipPre ? (byte)~data[offset + j] : data[after + j];
    }
}
