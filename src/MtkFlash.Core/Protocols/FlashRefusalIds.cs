namespace MtkFlash.Core.Protocols
{
    /// <summary>Stable ErrorIds of <see cref="FlashRefusedException"/>: scripts and the CLI key on them, so never rename one.</summary>
    public static class FlashRefusalIds
    {
        /// <summary>No public flasher is known for the drive (classic LiteOn/MediaTek 8051; drives that only advertise feature 0104h).</summary>
        public const string ProtocolNotPublic = "ProtocolNotPublic";
        /// <summary>MtkFlash does not know the drive's protocol family.</summary>
        public const string UnknownDrive = "UnknownDrive";
        /// <summary>A known chipset, but the cited flasher does not list the model; -AllowUnlistedModel lifts only this check.</summary>
        public const string ModelNotListed = "ModelNotListed";
        /// <summary>The family is known but this model's sequence is not documented precisely enough (e.g. SD-616F remap).</summary>
        public const string ModelNotSupported = "ModelNotSupported";
        /// <summary>No longer raised: the standard SPC download path was removed (issue 9). Kept so scripts keying on it still compile.</summary>
        public const string MicrocodeUpgradeNotAdvertised = "MicrocodeUpgradeNotAdvertised";
        /// <summary>The image has the wrong size for the family or model.</summary>
        public const string ImageSizeInvalid = "ImageSizeInvalid";
        /// <summary>The checksum stored in (or required by) the image does not verify.</summary>
        public const string ChecksumMismatch = "ChecksumMismatch";
        /// <summary>MT1959: the image's boot ID at 0x3000 differs from the drive's.</summary>
        public const string BootIdMismatch = "BootIdMismatch";
        /// <summary>MT1959 family: the drive's chip (MTEKMT19xx at 0x1EC034) could not be read, or the image names none.</summary>
        public const string ChipUnknown = "ChipUnknown";
        /// <summary>MT1959 family: the image is built for MT1939 silicon and the drive is MT1959, or the reverse. Never overridable.</summary>
        public const string ChipMismatch = "ChipMismatch";
        /// <summary>The image names another drive model and cross-flashing was not allowed.</summary>
        public const string CrossFlashNotAllowed = "CrossFlashNotAllowed";
        /// <summary>A read-only command Prepare needs (e.g. MT1959 READ BUFFER 0x3000) failed.</summary>
        public const string DriveConfigUnreadable = "DriveConfigUnreadable";
        /// <summary>The family has no public boot-loader flash path.</summary>
        public const string RecoveryNotSupported = "RecoveryNotSupported";
    }
}
