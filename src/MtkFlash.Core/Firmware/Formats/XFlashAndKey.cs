namespace MtkFlash.Core.Firmware.Formats
{
    /// <summary>
    /// XFlash method 3, the and-key walk (docs/xflash-flashers.md; rpc1dev/omnipatcher common_xflash.pl). At step c,
    /// k = key[c] and p = (k &amp; andKey) + c·size/0x400; the byte at p is XORed with fwkey ⊕ exkey when (c + 1) mod 7 is
    /// 1 or 3, otherwise with k. The and-key comes from the flasher's code; exkey is not stored anywhere and is estimated
    /// from the scrambled bytes.
    /// </summary>
    internal static class XFlashAndKey
    {
        /// <summary>Steps whose byte is XORed with fwkey ⊕ exkey.</summary>
        public static bool UsesExKey(int c)
        {
            int r = (c + 1) % 7;
            return r == 1 || r == 3;
        }

        static int Position(byte k, int andKey, int c, int size) => (k & andKey) + XFlashKeyWalk.Base(c, size);

        /// <summary>
        /// The exkey estimate, from the scrambled image before it is walked. Over the steps that use exkey, each vote goes to
        /// s[p] ⊕ fwkey, and counts 2 more when 0 &lt; p &lt; size − 1 and s[p − 1] is 0 (code is full of zeros, so the
        /// byte that was 0 is the one to trust). The value with most votes wins; on a tie, the lowest value.
        /// </summary>
        public static ExKeyEstimate EstimateExKey(byte[] scrambled, byte[] key, int keyOffset, string revision, int andKey)
        {
            int size = scrambled.Length;
            byte fwKey = XFlashKeyWalk.FwKey(revision);
            var votes = new int[256];
            for (int c = 0; c < XFlashKeyWalk.KeyLength; c++)
            {
                if (!UsesExKey(c)) continue;
                int p = Position(key[keyOffset + c], andKey, c, size);
                int value = scrambled[p] ^ fwKey;
                votes[value]++;
                if (p > 0 && p < size - 1 && scrambled[p - 1] == 0) votes[value] += 2;
            }
            int best = 0;
            for (int v = 1; v < 256; v++) if (votes[v] > votes[best]) best = v;
            int second = best == 0 ? 1 : 0;
            for (int v = 0; v < 256; v++) if (v != best && votes[v] > votes[second]) second = v;
            int total = 0;
            foreach (var n in votes) total += n;
            return new ExKeyEstimate { ExKey = (byte)best, Votes = votes[best], RunnerUp = (byte)second, RunnerUpVotes = votes[second], TotalVotes = total };
        }

        /// <summary>Walks image (size = image.Length) in place.</summary>
        public static void Walk(byte[] image, byte[] key, int keyOffset, string revision, int andKey, byte exKey)
        {
            int size = image.Length;
            byte both = (byte)(XFlashKeyWalk.FwKey(revision) ^ exKey);
            for (int c = 0; c < XFlashKeyWalk.KeyLength; c++)
            {
                byte k = key[keyOffset + c];
                image[Position(k, andKey, c, size)] ^= UsesExKey(c) ? both : k;
            }
        }
    }

    /// <summary>The exkey with most votes and the runner-up, for the report (the source prints the same two shares).</summary>
    internal sealed class ExKeyEstimate
    {
        public byte ExKey;
        public int Votes;
        public byte RunnerUp;
        public int RunnerUpVotes;
        public int TotalVotes;
        /// <summary>Two values share the most votes: the lowest wins by rule, not by evidence.</summary>
        public bool Tied => Votes == RunnerUpVotes;
    }
}
