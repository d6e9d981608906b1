namespace MtkFlash.Core.Families.Btc
{
    /// <summary>
    /// The BTC DRW1008 image and download layout, each value in one place for the protocol, the analyser and the emulator
    /// (docs/reference/drive-protocols.md §2.1; clausecker/schilytools btcflash/btcflash.c).
    /// </summary>
    public static class BtcLayout
    {
        /// <summary>"BTC flash is 1MB": a .BIN must be exactly 0x100000 bytes (btcflash.c FLASHSIZE).</summary>
        public const int ImageSize = 0x100000;
        /// <summary>Buffer offset = file offset + 0x20; offset 0 carries the checksum block.</summary>
        public const int BufferOffsetBias = 0x20;
        public const int ChecksumBlockSize = 0x20;
        /// <summary>Image identity, compared with INQUIRY bytes 8–31: vendor 8 @0x40BC, product 16 @0x40C4, revision 4 @0x40D4.</summary>
        public const int IdentityOffset = 0x40BC;
        public const int ProductOffset = 0x40C4;
        public const int RevisionOffset = 0x40D4;
    }
}
