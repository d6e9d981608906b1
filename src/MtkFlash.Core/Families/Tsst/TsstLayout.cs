namespace MtkFlash.Core.Families.Tsst
{
    /// <summary>
    /// The TSST MT1939 2 MiB image layout, each offset in one place for the protocol, the analyser and the emulator
    /// (docs/reference/drive-protocols.md §2.2; coastermelt flasher/checksum.py, doc/update-ts01-notes.txt).
    /// </summary>
    public static class TsstLayout
    {
        public const int Mt1939ImageSize = 0x200000;
        /// <summary>MT1939: flash 0x0–0xFFFF is write-protected and ignored (coastermelt update-ts01-notes.txt).</summary>
        public const int Mt1939ProtectedSize = 0x10000;
        /// <summary>MT1939 checksum: BE16 at 0x1FFFFE = Σ bytes[0x10000..0x1E1FFF] &amp; 0xFFFF (coastermelt flasher/checksum.py).</summary>
        public const int Mt1939ChecksumStart = 0x10000;
        /// <summary>Exclusive: Σ bytes[0x10000..0x1E1FFF].</summary>
        public const int Mt1939ChecksumEnd = 0x1E2000;
        public const int Mt1939ChecksumOffset = 0x1FFFFE;
        /// <summary>Info region, not checksummed (docs/reference/drive-protocols.md §2.2).</summary>
        public const int Mt1939InfoOffset = 0x1E2000;
        /// <summary>"infonub" trailer: vendor (8) + product (16) + revision (4), then unknown fields (docs/reference/drive-protocols.md §2.2).</summary>
        public const int InfonubOffset = 0x1FFFD0;
        /// <summary>Up to the "infonub" trailer at 0x1FFFD0 (identity + checksum), which every image brings itself (§2.2).</summary>
        public const int Mt1939InfoSize = InfonubOffset - Mt1939InfoOffset;
        /// <summary>Signature table: 0x1C-byte entries, 0xFFFFFFFF = empty.</summary>
        public const int SignatureTableOffset = 0x10400;
    }
}
