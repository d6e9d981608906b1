using MtkFlash.Core.Firmware;

namespace MtkFlash.Core.Protocols
{
    /// <summary>The 16-bit byte sums the public flashers compute (docs/reference/drive-protocols.md §1 rule 6).</summary>
    public static class ImageSums
    {
        /// <summary>(initial + Σ bytes[start..end)) &amp; 0xFFFF, with the same summing the image analyser uses.</summary>
        public static int Sum16(byte[] data, int start, int end, int initial = 0) =>
            (int)(((ulong)(uint)initial + ImageBytes.Sum(data, start, end - start)) & 0xFFFF);
    }
}
