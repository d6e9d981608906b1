using System;
using System.Collections.Generic;
using System.Linq;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Protocols;

namespace MtkFlash.Core.Families.Plextor
{
    /// <summary>
    /// One Plextor model of redumper's table: its block size (redumper PLEXTOR_SUPPORTED_DRIVES) and, where speed47/qpxtool
    /// console/pxfw/pxfw.cpp documents it, the checksum MtkFlash verifies before sending (docs/reference/drive-protocols.md §2.5).
    /// </summary>
    public sealed class PlextorModel
    {
        internal PlextorModel(string product, int blockSize, int? checksumOffset, int checksumInitial)
        {
            Product = product; BlockSize = blockSize; ChecksumOffset = checksumOffset; ChecksumInitial = checksumInitial;
        }

        /// <summary>INQUIRY product, whitespace normalised ("DVDR PX-716A").</summary>
        public string Product { get; }
        public int BlockSize { get; }
        /// <summary>crc_offs: the BE16 sum of bytes [0, crc_offs) is stored here; null where no public source gives it.</summary>
        public int? ChecksumOffset { get; }
        /// <summary>qpxtool csum_init: 0x8000 for the models up to the PREMIUM (PLEXTOR_4824/5224/PREMIUM), else 0.</summary>
        public int ChecksumInitial { get; }

        // Block sizes: superg/redumper drive/flash_plextor.ixx PLEXTOR_SUPPORTED_DRIVES (qpxtool chooses differently; MtkFlash
        // follows redumper, the source of its sequence). crc_offs and the initial sum: qpxtool pxfw.cpp FW_convert_to_ID and
        // csum_init (a PX-714A takes the "PX-716A" image, a PX-708A2 the "PX-712A" one). qpxtool does not know the PX-W2410A,
        // PX-W4012A/S or PX-704A: their images cannot be checked, so they are listed but not flashed.
        public static readonly IReadOnlyList<PlextorModel> All = new[]
        {
            new PlextorModel("CD-R PX-W2410A", 0x4000, null, 0),
            new PlextorModel("CD-R PX-W4012A", 0x1000, null, 0),
            new PlextorModel("CD-R PX-W4012S", 0x1000, null, 0),
            new PlextorModel("CD-R PX-W4824A", 0x1000, 0x79FFE, 0x8000),
            new PlextorModel("CD-R PX-W5224A", 0x1000, 0x79FFE, 0x8000),
            new PlextorModel("CD-R PREMIUM", 0x1000, 0x7C7FE, 0x8000),
            new PlextorModel("CD-R PREMIUM2", 0x1000, 0xEFFFE, 0),
            new PlextorModel("DVDR PX-704A", 0x1000, null, 0),
            new PlextorModel("DVDR PX-708A", 0x1000, 0xEFFFE, 0),
            new PlextorModel("DVDR PX-708A2", 0x1000, 0xEFFFE, 0),
            new PlextorModel("DVDR PX-712A", 0x4000, 0xEFFFE, 0),
            new PlextorModel("DVDR PX-714A", 0x4000, 0xEFFFE, 0),
            new PlextorModel("DVDR PX-716A", 0x4000, 0xEFFFE, 0),
            new PlextorModel("DVDR PX-716AL", 0x4000, 0xEFFFE, 0),
            new PlextorModel("DVDR PX-755A", 0x4000, 0x1EFFFE, 0),
            new PlextorModel("DVDR PX-760A", 0x4000, 0x1EFFFE, 0),
        };

        public static PlextorModel Find(string product)
        {
            var p = DriveCatalog.NormaliseProduct(product);
            return All.FirstOrDefault(m => string.Equals(m.Product, p, StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// Plextor PX-7xx, following superg/redumper drive/flash_plextor.ixx flash_plextor() exactly (docs/reference/drive-protocols.md §2.5):
    /// the file in block-size pieces from offset 0, WRITE BUFFER mode 4 at buffer offset = position in the file, mode 5
    /// (download and save) on the last piece, a TEST UNIT READY before each piece. The checksum check before sending
    /// follows speed47/qpxtool console/pxfw/pxfw.cpp.
    /// </summary>
    public sealed class PlextorProtocol : IFlashProtocol
    {
        public DriveFamily Family => DriveFamily.Plextor;
        public string Source => "superg/redumper drive/flash_plextor.ixx @2ab9a42; checksum: speed47/qpxtool console/pxfw/pxfw.cpp";

        public ProtocolTiming Timing { get; } = new ProtocolTiming
        {
            CommandTimeout = TimeSpan.FromSeconds(60),
            PollInterval = TimeSpan.FromSeconds(1),
            PollTimeout = TimeSpan.FromSeconds(60),      // [I] neither source waits after the last block
            ConsecutiveReady = 1,
            ExpectedDuration = TimeSpan.FromSeconds(60), // [I]
            TestUnitReadyBeforeEachStep = true,          // redumper: cmd_drive_ready before each block, result ignored
        };

        public IReadOnlyList<FlashRegion> ProtectedRegions { get; } = new FlashRegion[0];      // n/d (docs/reference/drive-protocols.md §2.5)
        public IReadOnlyList<FlashRegion> DriveSpecificRegions { get; } = new FlashRegion[0];  // n/d

        /// <summary><c>3B 04|05 00 [off BE24] [len BE24] 00</c>.</summary>
        public static byte[] BlockCdb(int offset, int length, bool last) =>
            Cdb.WriteBuffer(last ? BufferMode.DownloadMicrocodeSave : BufferMode.DownloadMicrocode, 0, offset, length);

        /// <summary>(initial + Σ bytes[0, crc_offs)) &amp; 0xFFFF (qpxtool csum_init/csum_update).</summary>
        public static int Checksum(byte[] image, PlextorModel model) => ImageSums.Sum16(image, 0, model.ChecksumOffset.Value, model.ChecksumInitial);

        /// <summary>Why a Plextor model is not flashed: not in redumper's table, or no public checksum to check its image against.</summary>
        public static string NoChecksumMessage(string product) =>
            PlextorModel.Find(product) == null
                ? "The Plextor model \"" + product + "\" is not in superg/redumper's flash_plextor table, so its block size is not documented; supported: " +
                  string.Join(", ", PlextorModel.All.Where(m => m.ChecksumOffset != null).Select(m => m.Product)) + "."
                : "No public source gives where the Plextor " + DriveCatalog.NormaliseProduct(product) + " image keeps its checksum (speed47/qpxtool pxfw.cpp does not " +
                  "list the model), so MtkFlash cannot check an image before sending it and does not flash this model.";

        public FlashPlan Prepare(ScsiDevice device, OpticalDrive drive, byte[] image, bool recover, bool allowCrossFlash = false)
        {
            if (image == null) throw new ArgumentNullException(nameof(image));
            if (recover)
                throw new FlashRefusedException(FlashRefusalIds.RecoveryNotSupported,
                    "No public boot-loader path is documented for Plextor drives (docs/reference/drive-protocols.md §2.5); MtkFlash does not guess one.");
            var model = PlextorModel.Find(drive?.Product);
            if (model == null || model.ChecksumOffset == null)
                throw new FlashRefusedException(FlashRefusalIds.ModelNotSupported, NoChecksumMessage(drive?.Product));
            int crcOffset = model.ChecksumOffset.Value;
            if (image.Length < crcOffset + 2)
                throw new FlashRefusedException(FlashRefusalIds.ImageSizeInvalid,
                    "The image is 0x" + image.Length.ToString("X") + " bytes, too small to hold the " + model.Product + " checksum at 0x" + crcOffset.ToString("X") + ".");
            int stored = (image[crcOffset] << 8) | image[crcOffset + 1];
            int computed = Checksum(image, model);
            if (stored != computed)
                throw new FlashRefusedException(FlashRefusalIds.ChecksumMismatch,
                    "Plextor checksum mismatch: 0x" + crcOffset.ToString("X") + " holds 0x" + stored.ToString("X4") + ", the image sums to 0x" + computed.ToString("X4") +
                    ". The image is damaged or not for the " + model.Product + ".");

            var toSend = (byte[])image.Clone();
            var steps = new List<FlashStep>();
            for (int offset = 0; offset < toSend.Length;)
            {
                int size = Math.Min(model.BlockSize, toSend.Length - offset);
                int next = offset + size;
                bool last = next >= toSend.Length;
                steps.Add(FlashSteps.Data(last ? FlashStepKind.Commit : FlashStepKind.Data, BlockCdb(offset, size, last), toSend, offset, size, Timing.CommandTimeout,
                    "WRITE BUFFER mode " + (last ? "5 (download and save)" : "4") + ": " + FlashSteps.Hex6(offset) + "-" + FlashSteps.Hex6(next - 1)));
                offset = next;
            }
            var notes = new List<string>
            {
                "Sequence: superg/redumper drive/flash_plextor.ixx (WRITE BUFFER mode 4 per 0x" + model.BlockSize.ToString("X") + "-byte block, mode 5 on the last, TEST UNIT READY before each).",
                "Checksum 0x" + computed.ToString("X4") + " at 0x" + crcOffset.ToString("X") + " verified (" + model.Product + ").",
            };
            return new FlashPlan(this, toSend, steps, notes);
        }

        /// <summary>No public command reads Plextor firmware back.</summary>
        public byte[] ReadFirmware(ScsiDevice device, OpticalDrive drive, Action<long, long> progress) => null;
        public IReadOnlyList<RegionDump> ReadRegions(ScsiDevice device, OpticalDrive drive) => new RegionDump[0];
    }
}
