namespace MtkFlash.Core.Firmware
{
    /// <summary>Stable problem codes of <see cref="FirmwareImageReport.Problems"/>; scripts match on these.</summary>
    public static class FirmwareProblemCodes
    {
        // The file itself
        public const string Empty = "Empty";
        public const string IsDirectory = "IsDirectory";
        public const string NotFound = "NotFound";
        public const string Unreadable = "Unreadable";
        /// <summary>A FIFO, socket or device (/dev/zero): refused before it is opened, so nothing blocks or reads forever.</summary>
        public const string NotARegularFile = "NotARegularFile";
        public const string TooLarge = "TooLarge";
        public const string WindowsExecutable = "WindowsExecutable";
        public const string Archive = "Archive";
        public const string TextFile = "TextFile";

        // Backup bundles (the ids match the write operation's refusals of the same bundles)
        public const string BackupHasNoImage = "BackupHasNoImage";
        public const string BackupDamaged = "BackupDamaged";

        // Intel HEX
        public const string HexSyntax = "HexSyntax";
        public const string HexBadChecksum = "HexBadChecksum";
        public const string HexOverlap = "HexOverlap";
        public const string HexBadBankSwitch = "HexBadBankSwitch";
        public const string HexUnsupportedRecord = "HexUnsupportedRecord";
        public const string HexNoEndOfFile = "HexNoEndOfFile";
        public const string HexDataAfterEndOfFile = "HexDataAfterEndOfFile";
        public const string HexNoData = "HexNoData";

        // XFlash EXE (docs/xflash-flashers.md)
        public const string XFlashDescriptorInvalid = "XFlashDescriptorInvalid";
        /// <summary>An embedded image, or the key of a scrambled one, runs past the end of the file.</summary>
        public const string XFlashOutsideFile = "XFlashOutsideFile";
        /// <summary>No XFlash version string: a warning for a plain flasher, an error where the method depends on it.</summary>
        public const string XFlashVersionUnknown = "XFlashVersionUnknown";
        /// <summary>The flasher is scrambled and no known method fits its version and code.</summary>
        public const string XFlashMethodUnknown = "XFlashMethodUnknown";
        /// <summary>Method 3's exkey estimate is a tie between two values.</summary>
        public const string XFlashKeyAmbiguous = "XFlashKeyAmbiguous";
        /// <summary>The decoded image fails the bank check (and is not a rebanked LITEONIT image).</summary>
        public const string XFlashBankCheckFailed = "XFlashBankCheckFailed";
        /// <summary>The flasher is UPX-compressed and no upx tool was found to unpack it.</summary>
        public const string XFlashCompressed = "XFlashCompressed";
        /// <summary>upx was found but could not unpack the flasher.</summary>
        public const string XFlashUnpackFailed = "XFlashUnpackFailed";

        // The image
        public const string UnexpectedSize = "UnexpectedSize";
        public const string BlankImage = "BlankImage";
        public const string UnknownFamily = "UnknownFamily";
        public const string BankSanity = "BankSanity";
        public const string IdentityMissing = "IdentityMissing";
        public const string IdentityMismatch = "IdentityMismatch";
        public const string RevisionLetterO = "RevisionLetterO";
        public const string ChecksumMismatch = "ChecksumMismatch";
        public const string BootIdMissing = "BootIdMissing";
        public const string ChipUnknown = "ChipUnknown";
        public const string NotDowngradeEnabled = "NotDowngradeEnabled";
        public const string RawDump = "RawDump";
        public const string CarriesDriveData = "CarriesDriveData";
        public const string IntegrityTableDamaged = "IntegrityTableDamaged";
        public const string TimestampMissing = "TimestampMissing";
    }
}
