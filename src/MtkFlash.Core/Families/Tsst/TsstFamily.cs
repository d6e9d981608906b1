using System;
using System.Collections.Generic;
using System.Linq;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.Tsst
{
    /// <summary>
    /// TSST/Samsung MediaTek drives: the MT1339 DVD-ROMs (redumper drive/flash_tsst.ixx), the MT1939 BD writer (coastermelt)
    /// and the Samsung SD-616F (listed by redumper, refused) (docs/reference/drive-protocols.md §2.2).
    /// </summary>
    internal sealed class TsstFamily : DriveFamilyDescriptor
    {
        public const string ModelMt1939 = "mt1939";
        public const string ModelMt1339 = "mt1339";
        public const string ModelSd616f = "sd616f";
        public const string RedumperTsst = "superg/redumper drive/flash_tsst.ixx TSST_SUPPORTED_DRIVES";
        public const string RedumperSd616 = "superg/redumper drive/flash_sd616.ixx SAMSUNG_SUPPORTED_DRIVES";
        public const string CoastermeltMt1939 = "rbdixon/coastermelt doc/update-ts01-notes.txt, doc/usb-ts01-notes.txt (TSSTcorp BDDVDW SE-506CB)";
        public const string Sd616fMessage =
            "Samsung SD-616F flashing remaps the 128 KiB file into a 0x30000 image (redumper drive/flash_sd616.ixx), and the reference " +
            "documentation does not state that remap precisely; MtkFlash never sends a guessed image to a drive.";

        /// <summary>TSST: MT1339 DVD-ROMs exactly as redumper's table names them, the MT1939 coastermelt documents, the SD-616F.</summary>
        static readonly KnownDriveModel[] Rows =
            new[]
            {
                "DVD-ROM SH-D163A", "DVD-ROM SH-D163B", "DVD-ROM SH-D162C", "DVD-ROM SH-D163C", "DVD-ROM SH-D162D", "DVD-ROM TS-H353A", "DVD-ROM TS-H353B",
                "DVD-ROM TS-H353C", "DVD-ROM TS-H352C", "DVD-ROM TS-H352D", "DVD-ROM SH-116AB", "DVD-ROM SH-118CB",
            }.Select(p => KnownDriveModel.Exact("TSSTcorp", p, DriveFamily.Tsst, ModelMt1339, RedumperTsst))
            .Concat(new[]
            {
                KnownDriveModel.Exact("TSSTcorp", "BDDVDW SE-506CB", DriveFamily.Tsst, ModelMt1939, CoastermeltMt1939),
                KnownDriveModel.Exact("SAMSUNG", "DVD-ROM SD-616F", DriveFamily.Tsst, ModelSd616f, RedumperSd616),
                // TSST MT1339 DVD-ROMs and MT1939 BD writers named like the listed ones (docs/reference/drive-protocols.md §2.2).
                KnownDriveModel.Pattern("TSSTcorp", @"^(CDDVDW |DVD-ROM )?(TS-H35[0-9][A-Z]?|SH-D16[0-9][A-Z]?|SH-11[0-9][A-Z]{2})$", DriveFamily.Tsst, ModelMt1339, "named like redumper flash_tsst's MT1339 models", false),
                KnownDriveModel.Pattern("TSSTcorp", @"^BDDVDW SE-506[A-Z]{0,2}$", DriveFamily.Tsst, ModelMt1939, "named like coastermelt's SE-506CB", false),
            }).ToArray();

        public override DriveFamily Id => DriveFamily.Tsst;
        public override string DisplayName => "TSST/Samsung MediaTek";
        public override IReadOnlyList<KnownDriveModel> Models => Rows;
        /// <summary>Family level: what the family's best-documented model allows (the MT1939).</summary>
        public override string DefaultModel => ModelMt1939;
        public override string ListSource(string model) => IsMt1939(model) ? CoastermeltMt1939 : RedumperTsst;
        public override bool HasBootLoader => true;
        public override IReadOnlyList<VirtualProfile> VirtualProfiles => TsstProfiles.All;
        public override DriveTimingModel Timing => TsstTiming.Model;

        public override IFlashProtocol CreateProtocol(string model)
        {
            if (string.Equals(model, ModelSd616f, StringComparison.OrdinalIgnoreCase))
                throw new FlashRefusedException(FlashRefusalIds.ModelNotSupported, Sd616fMessage);
            var tsst = TsstModel.Find(model);
            if (tsst == null)
                throw new FlashRefusedException(FlashRefusalIds.ModelNotSupported,
                    "The TSST model \"" + model + "\" has no documented block size and final state (docs/reference/drive-protocols.md §2.2); " +
                    "MtkFlash never sends guessed commands to a drive.");
            return new TsstProtocol(tsst);
        }

        public override bool CanReadBack(string model, out string reason)
        {
            // MT1939: READ BUFFER mode 6 "can read from flash" (coastermelt doc/bootloader.txt) [I] for full dumps.
            bool read = IsMt1939(model);
            reason = read ? null : "No public command reads this TSST model's firmware back; a backup holds the drive's identity only.";
            return read;
        }

        static bool IsMt1939(string model) => string.Equals(model, ModelMt1939, StringComparison.OrdinalIgnoreCase);

        internal override ImageRule ImageRule { get; } = new ImageRule(20, (d, r) => { if (!TsstImage.Claims(d)) return false; TsstImage.Analyze(d, r); return true; });
        internal override bool Has8051Images => true;
        internal override Personality CreatePersonality(VirtualDriveUnit unit) => new TsstPersonality(unit);
        internal override SyntheticImageBuilder SyntheticImage { get; } = new TsstSyntheticImage();
    }
}
