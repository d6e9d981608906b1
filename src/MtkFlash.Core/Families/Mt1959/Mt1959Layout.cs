namespace MtkFlash.Core.Families.Mt1959
{
    /// <summary>
    /// The MT1959-family 2 MiB image and flash layout, each offset in one place for the protocol, the analyser and the
    /// emulator (docs/reference/mt1959-notes.md §1.1, §1.2, §2; docs/reference/drive-protocols.md §2.3).
    /// </summary>
    public static class Mt1959Layout
    {
        /// <summary>0x200000 bytes (docs/reference/mt1959-notes.md §1.1).</summary>
        public const int ImageSize = 0x200000;
        /// <summary>Boot block that redumper fills with 0xFF before sending (docs/reference/drive-protocols.md §2.3 step 3).</summary>
        public const int BootBlockSize = 0x10000;
        /// <summary>The 0x20-byte drive patch configuration; its first 16 bytes are the boot ID (docs/reference/drive-protocols.md §2.3 step 1).</summary>
        public const int ConfigOffset = 0x3000;
        public const int ConfigSize = 0x20;
        /// <summary>Bytes 0–15 of the config are the boot ID, e.g. "MT1959 Boot JB8 " (docs/reference/drive-protocols.md §2.3 step 1).</summary>
        public const int BootIdSize = 0x10;
        /// <summary>docs/reference/mt1959-notes.md §1.2: 16 × 28-byte AES-CMAC entries, little-endian.</summary>
        public const int IntegrityTableOffset = 0x10400;
        /// <summary>NVRAM settings page, written by the drive (docs/reference/mt1959-notes.md §1.2, §2).</summary>
        public const int NvramOffset = 0x1E8000;
        public const int NvramSize = 0x4000;
        /// <summary>Identity descriptor laid out like INQUIRY (docs/reference/mt1959-notes.md §1.2).</summary>
        public const int IdentityOffset = 0x1EC000;
        public const int IdentitySize = 0x100;
        /// <summary>"MTEKMT1959" or "MTEKMT1939" at identity block +0x34: the silicon the firmware is built for (docs/reference/mt1959-notes.md §1.2).</summary>
        public const int ChipTagOffset = IdentityOffset + 0x34;
        public const string ChipTagPrefix = "MTEK";
        public const int CalibrationOffset = 0x1F0000;
        public const int CalibrationSize = 0x10000;

        /// <summary>The two chips the tag names.</summary>
        public const string ChipMt1959 = "MT1959";
        public const string ChipMt1939 = "MT1939";
    }
}
