using System.Collections.Generic;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families
{
    /// <summary>
    /// Everything that makes one drive family what it is, in one place (Families/&lt;F&gt;/): its identity, its catalogue rows
    /// with their sources, what can be read and flashed, its protocol, its image rules, its compatibility rule and its
    /// emulated drives. <see cref="FamilyRegistry"/> lists the families; nothing else decides by the family's name.
    /// </summary>
    public interface IDriveFamily
    {
        /// <summary>The wire and identity value (JSON, history, backups).</summary>
        DriveFamily Id { get; }
        /// <summary>Human name, e.g. "LG/ASUS MT1959".</summary>
        string DisplayName { get; }
        /// <summary>The catalogue rows: listed models first, then unlisted siblings; each names its source.</summary>
        IReadOnlyList<KnownDriveModel> Models { get; }
        /// <summary>The model whose abilities stand for the family as a whole (null: the family has one).</summary>
        string DefaultModel { get; }
        /// <summary>The public flasher whose model list a drive of this family is checked against.</summary>
        string ListSource(string model);
        /// <summary>The flash protocol for a model, or throws <see cref="FlashRefusedException"/> saying why not.</summary>
        IFlashProtocol CreateProtocol(string model);
        /// <summary>Model checks that need the whole identity (throws <see cref="FlashRefusedException"/>); most families have none.</summary>
        void CheckDrive(OpticalDrive drive);
        /// <summary>A public command reads the firmware and the drive-specific regions back; otherwise reason says what a backup holds.</summary>
        bool CanReadBack(string model, out string reason);
        /// <summary>Regions a download never rewrites (from the model's protocol; none when it has no protocol).</summary>
        IReadOnlyList<FlashRegion> ProtectedRegions(string model);
        /// <summary>Per-drive regions a backup keeps (from the model's protocol; none when it has no protocol).</summary>
        IReadOnlyList<FlashRegion> DriveUniqueRegions(string model);
        /// <summary>False when no image can be shown to fit a drive of the family (spc: not a known MediaTek family).</summary>
        bool ImagesCanFit { get; }
        /// <summary>Compatibility: true = shown to be the same hardware, false = shown to differ (with a reason), null = cannot tell.</summary>
        bool? SameHardware(FirmwareImageReport image, OpticalDrive drive, DriveHardware hardware, List<string> reasons);
        /// <summary>What INQUIRY does not tell and the compatibility check needs, read with public commands only; null when nothing.</summary>
        DriveHardware ReadHardware(ScsiDevice device, OpticalDrive drive, bool recover);
        /// <summary>
        /// Before a recovery write (-Recover): what the family's protocol may take from the unit's own verified backups in
        /// the backup folder (MT1959: the chip tag an interrupted flash erased from the drive). Most families take nothing.
        /// </summary>
        void PrepareRecovery(IFlashProtocol protocol, string backupDirectory, OpticalDrive drive);
        /// <summary>An interrupted commit leaves a boot loader that still answers (the emulator's power-loss rule).</summary>
        bool HasBootLoader { get; }
        /// <summary>The drive models the emulator imitates for this family.</summary>
        IReadOnlyList<VirtualProfile> VirtualProfiles { get; }
        /// <summary>How long a drive of the family takes (bus, latency, programming, reboot): the emulator's timing model.</summary>
        DriveTimingModel Timing { get; }
    }
}
