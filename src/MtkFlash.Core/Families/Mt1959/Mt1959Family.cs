using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.Mt1959
{
    /// <summary>
    /// LG/HLDS and ASUS MT1959-family BD writers: redumper drive/flash_mt1959.ixx for the write, freemkv for reads
    /// (docs/reference/drive-protocols.md §2.3; docs/reference/mt1959-notes.md).
    /// </summary>
    internal sealed class Mt1959Family : DriveFamilyDescriptor
    {
        /// <summary>The catalogue model of the family (DriveCatalog Model strings).</summary>
        public const string ModelName = "mt1959";
        public const string RedumperMt1959 = "superg/redumper drive/flash_mt1959.ixx @2ab9a42 (PR #377)";
        /// <summary>Desktop (JB8) and slim (BU5) boot IDs as redumper's table gives them (docs/reference/drive-protocols.md §2.3).</summary>
        public const string BootIdJb8 = "MT1959 Boot JB8 ";
        public const string BootIdBu5 = "MT1959 Boot BU5 ";

        /// <summary>
        /// The MT1959 family's one table of models and boot IDs: the models superg/redumper's flash_mt1959 table names with the
        /// board ID it expects at 0x3000 (docs/reference/drive-protocols.md §2.3: JB8 = BH16NS40/55/58/60, WH16NS40, BW-16D1HT; BU5 = BU40N).
        /// The protocol's image check and the compatibility check both read it; nothing else lists MT1959 boot IDs.
        /// </summary>
        public static readonly IReadOnlyList<KnownDriveModel> ListedModels = new[]
        {
            Listed("HL-DT-ST", "BD-RE BH16NS40", BootIdJb8),
            Listed("HL-DT-ST", "BD-RE BH16NS55", BootIdJb8),
            Listed("HL-DT-ST", "BD-RE BH16NS58", BootIdJb8),
            Listed("HL-DT-ST", "BD-RE BH16NS60", BootIdJb8),
            Listed("HL-DT-ST", "BD-RE WH16NS40", BootIdJb8),
            Listed("ASUS", "BW-16D1HT", BootIdJb8),
            Listed("HL-DT-ST", "BD-RE BU40N", BootIdBu5),
        };

        static readonly KnownDriveModel[] Rows = ListedModels.Concat(new[]
        {
            // MT1959/MT1939-silicon JB8 desktop and BU slim boards (docs/reference/mt1959-notes.md §1.2, §5): named like redumper's models.
            KnownDriveModel.Pattern("HL-DT-ST", @"^BD-RE (BH|WH)1[0-9]NS[0-9]{2}$", DriveFamily.Mt1959, ModelName, "named like redumper flash_mt1959's models; JB8 boards (freemkv detect.rs)", false),
            KnownDriveModel.Pattern("HL-DT-ST", @"^BD-RE BU[0-9]{2}N$", DriveFamily.Mt1959, ModelName, "named like redumper's BU40N; BU5/BU51 slim boards (freemkv profile.rs)", false),
            KnownDriveModel.Pattern("ASUS", @"^(BW-16D1H-U|BW-16D1X-U|BC-12D2HT|SBW-06D2X-U)$", DriveFamily.Mt1959, ModelName, "ASUS MT19x9 boards (freemkv detect.rs)", false),
        }).ToArray();

        static KnownDriveModel Listed(string vendor, string product, string bootId) =>
            KnownDriveModel.Exact(vendor, product, DriveFamily.Mt1959, ModelName, RedumperMt1959, bootId);

        /// <summary>The MT1959 table's boot ID for a model, or null when the model is not listed.</summary>
        public static string BootId(string vendor, string product)
        {
            var known = DriveCatalog.Find(vendor, product);
            return known != null && ListedModels.Contains(known) ? known.BootId : null;
        }

        public override DriveFamily Id => DriveFamily.Mt1959;
        public override string DisplayName => "LG/ASUS MT1959";
        public override IReadOnlyList<KnownDriveModel> Models => Rows;
        public override string ListSource(string model) => RedumperMt1959;
        public override IFlashProtocol CreateProtocol(string model) => new Mt1959Protocol();
        public override bool HasBootLoader => true;

        /// <summary>A drive in boot mode whose identity block an interrupted flash erased cannot report its chip; its own
        /// verified pre-write backup can (<see cref="Mt1959UnitBackups"/>).</summary>
        public override void PrepareRecovery(IFlashProtocol protocol, string backupDirectory, OpticalDrive drive)
        {
            if (protocol is Mt1959Protocol mt1959) mt1959.RecoveryChip = Mt1959UnitBackups.Chip(backupDirectory, drive);
        }
        public override IReadOnlyList<VirtualProfile> VirtualProfiles => Mt1959Profiles.All;
        public override DriveTimingModel Timing => Mt1959Timing.Model;

        // READ BUFFER mode 6 over flash-mapped space (docs/reference/mt1959-notes.md §3, freemkv mtk.rs).
        public override bool CanReadBack(string model, out string reason) { reason = null; return true; }

        internal override ImageRule ImageRule { get; } = new ImageRule(10, (d, r) => { if (!Mt1959Image.Claims(d)) return false; Mt1959Image.Analyze(d, r); return true; });
        internal override Personality CreatePersonality(VirtualDriveUnit unit) => new Mt1959Personality(unit);
        internal override SyntheticImageBuilder SyntheticImage { get; } = new Mt1959SyntheticImage();

        public override bool? SameHardware(FirmwareImageReport image, OpticalDrive drive, DriveHardware hw, List<string> reasons)
        {
            // Chip by MTEKMT19xx: an MT1959 image on MT1939 silicon or the reverse bricks the drive (docs/reference/mt1959-notes.md §1.2, FM crossflash.rs).
            var imageChip = image.Details.Chip;
            if (hw?.Chip != null && imageChip != null && !string.Equals(hw.Chip.Trim(), imageChip, StringComparison.OrdinalIgnoreCase))
            {
                reasons.Add("The image is built for " + imageChip + " silicon, the drive has " + hw.Chip + ": flashing it bricks the drive (docs/reference/mt1959-notes.md §1.2).");
                return false;
            }
            // Boot ID: redumper refuses when image 0x3000 differs from the drive's (docs/reference/drive-protocols.md §2.3); slim (BU5/BU51/BUP5)
            // and desktop (JB8) boards differ here, and slim drives flashed with desktop firmware have burned (§2.3 [O]).
            var imageBoot = Norm(image.Details.BootId);
            // The svc code can change the board (docs/reference/mt1959-notes.md §5), so a boot ID read from the drive wins over the table.
            var driveBoot = Norm(hw?.BootId) ?? Norm(BootId(drive.Vendor, drive.Product));
            if (imageBoot != null && driveBoot != null && !string.Equals(imageBoot, driveBoot, StringComparison.Ordinal))
            {
                reasons.Add("Boot ID differs: image '" + imageBoot + "', drive '" + driveBoot + "' (another board: e.g. slim vs desktop). Flashing it fails silently or damages the drive (docs/reference/mt1959-notes.md §4.3, §5).");
                return false;
            }
            if (imageBoot == null || driveBoot == null)
            {
                reasons.Add("The drive's boot ID is not known here; the flasher must compare it with the image's (READ BUFFER 0x3000) before writing.");
                return null;
            }
            if (hw?.Chip == null && imageChip != null)
                reasons.Add("Image chip " + imageChip + "; the drive's chip (identity block 0x1EC034) must match before writing.");
            return true;
        }

        static string Norm(string bootId) => string.IsNullOrWhiteSpace(bootId) ? null : bootId.Replace('\0', ' ').Trim();

        /// <summary>
        /// Reads what INQUIRY does not tell about an MT1959-family drive, with READ BUFFER only: the boot ID at 0x3000
        /// (docs/reference/drive-protocols.md §2.3) and the chip tag MTEKMT19xx at identity block +0x34 (docs/reference/mt1959-notes.md §1.2), for the
        /// compatibility check. A failed read is not "unknown, so allowed": outside recovery it refuses the write here, and the
        /// protocol's own mandatory chip check (Mt1959Protocol.Prepare) reads again in any case. In recovery an unreadable
        /// field stays null (the protocol decides).
        /// </summary>
        public override DriveHardware ReadHardware(ScsiDevice device, OpticalDrive drive, bool recover)
        {
            var hw = new DriveHardware();
            try
            {
                var config = device.ReadBuffer(BufferMode.DownloadMicrocodeOffsets, 0, Mt1959Layout.ConfigOffset, Mt1959Layout.ConfigSize);
                hw.BootId = Encoding.ASCII.GetString(config, 0, Math.Min(config.Length, Mt1959Layout.BootIdSize));
                hw.Chip = Mt1959Protocol.ReadDriveChip(device);
            }
            catch (ScsiCommandException ex) when (!recover)
            {
                throw new Operations.WriteRefusedException(FlashRefusalIds.DriveConfigUnreadable,
                    "The drive did not return its boot ID at 0x3000 (READ BUFFER mode 6): " + ex.Message + " Without it the image cannot be matched to the drive.");
            }
            catch (FlashRefusedException ex) when (!recover)
            {
                throw new Operations.WriteRefusedException(ex.ErrorId, ex.Message);
            }
            catch (Exception ex) when (recover && (ex is ScsiCommandException || ex is FlashRefusedException)) { }
            return hw;
        }
    }
}
