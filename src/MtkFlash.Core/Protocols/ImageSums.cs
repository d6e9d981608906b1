namespace MtkFlash.Core.Protocols
{
    /// <summary>The 16-bit byte sums the public flashers compute (drive-protocols.md §1 rule 6).</summary>
    public static class ImageSums
    {
        /// <summary>(initial + Σ bytes[start..end)) &amp; 0xFFFF.</summary>
        public static int Sum16(byte[] data, int start, int end, int initial = 0)
        {
            uint sum = (uint)initial;
            for (int i = start; i < end; i++) sum += data[i];
            return (int)(sum & 0xFFFF);
        }
    }
}
