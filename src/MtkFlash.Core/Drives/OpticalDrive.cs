using MtkFlash.Core.Serialization;

namespace MtkFlash.Core.Drives
{
    /// <summary>The flash protocol family of a drive; decides which protocol class may talk to it.</summary>
    public enum DriveFamily
    {
        Unknown,
        /// <summary>LG/HLDS and ASUS BD writers (MediaTek MT1959 / MT1939-silicon JB8 boards); docs/reference/drive-protocols.md §2.3.</summary>
        Mt1959,
        /// <summary>TSST/Samsung MediaTek drives: MT1939 BD, MT1339 DVD-ROM, SD-616F; vendor opcode FF 00 01 (§2.2).</summary>
        Tsst,
        /// <summary>BTC DRW1008 (MediaTek): WRITE BUFFER modes 6/7 (§2.1).</summary>
        Btc,
        /// <summary>Plextor PX-7xx: WRITE BUFFER modes 4/5 (§2.5).</summary>
        Plextor,
        /// <summary>Classic 8051 LiteOn/MediaTek writers: flash protocol not public (§3); never flashed.</summary>
        [WireName("liteon-8051")] LiteOn8051,
        /// <summary>Any drive that advertises the MMC Microcode Upgrade feature (0104h): standard WRITE BUFFER download-and-save.</summary>
        Spc,
    }

    public enum DriveState
    {
        /// <summary>Answers commands; no disc reported and the tray state is not "empty" (TUR good with no profile, or becoming ready).</summary>
        Ready,
        /// <summary>Answers commands and the tray is empty (TEST UNIT READY: 2/3A/xx). The state flashing wants.</summary>
        NoMedium,
        /// <summary>A disc is loaded.</summary>
        MediumPresent,
        /// <summary>The drive runs its boot loader (INQUIRY revision BOOT, or the identity does not match its firmware).</summary>
        BootMode,
        /// <summary>The drive could not be opened or did not answer INQUIRY.</summary>
        NotResponding,
        /// <summary>
        /// The drive answers but is working: NOT READY 04/xx (becoming ready, long write in progress, e.g. programming its
        /// flash after a write) or BUSY. Not ready: a write or backup is refused with DriveBusy until it has finished.
        /// </summary>
        Busy,
    }

    /// <summary>One optical drive as the inventory sees it. JSON names are the camelCase property names.</summary>
    public sealed class OpticalDrive
    {
        DriveIdentity _identity = DriveIdentity.Unknown;

        /// <summary>Vendor, product, revision and serial number as one value; the flat properties read and write it.</summary>
        internal DriveIdentity Identity { get => _identity; set => _identity = value ?? DriveIdentity.Unknown; }

        public string Path { get; set; }
        public string Vendor { get => _identity.Vendor; set => _identity = _identity.WithVendor(value); }
        public string Product { get => _identity.Product; set => _identity = _identity.WithProduct(value); }
        public string Revision { get => _identity.Revision; set => _identity = _identity.WithRevision(value); }
        public string FirmwareDate { get; set; }
        public string SerialNumber { get => _identity.SerialNumber; set => _identity = _identity.WithSerialNumber(value); }
        /// <summary>Legacy IDE location of the old DOS tools (1 primary master … 4 secondary slave) where known, else the bus address.</summary>
        public string Location { get; set; }
        public DriveFamily Family { get; set; }
        public DriveState State { get; set; }
        public bool IsVirtual { get; set; }
        public bool CanBackup { get; set; }
        public bool CanFlash { get; set; }
        /// <summary>The family model, where the family has several (e.g. mt1939, mt1339, sd616f for tsst).</summary>
        public string Model { get; set; }
        /// <summary>
        /// The cited public flasher lists this exact model (DriveCatalog). False for unknown drives and for unlisted siblings of
        /// a known chipset, which are refused unless -AllowUnlistedModel (--allow-unlisted-model).
        /// </summary>
        public bool ListedModel { get; set; }
        /// <summary>INQUIRY bytes 36–55 (MTK drives keep a firmware date/version string there).</summary>
        public string VendorSpecific { get; set; }
        /// <summary>GET CONFIGURATION current profile name ("BD-ROM", "none").</summary>
        public string CurrentProfile { get; set; }
        /// <summary>The drive advertises the MMC Microcode Upgrade feature (0104h).</summary>
        public bool MicrocodeUpgrade { get; set; }
        /// <summary>Why the drive is in its state or cannot be flashed; null when nothing to say.</summary>
        public string Note { get; set; }
        /// <summary>Other device nodes of the same drive (Linux: the sg node of an sr drive).</summary>
        public string[] AlternatePaths { get; set; }

        /// <summary>Raw INQUIRY response, kept for backups.</summary>
        [NotSerialized] public byte[] RawInquiry { get; set; }
        /// <summary>Raw GET CONFIGURATION response, kept for backups.</summary>
        [NotSerialized] public byte[] RawConfiguration { get; set; }

        public override string ToString() => Path + " (" + Vendor + " " + Product + " " + Revision + ")";
    }
}
