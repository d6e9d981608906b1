using System;
using System.Collections.Generic;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Scsi;
using static MtkFlash.Core.Families.Tsst.TsstLayout;
using MtkFlash.Core.Protocols;

namespace MtkFlash.Core.Families.Tsst
{
    /// <summary>One TSST/Samsung model's documented flash parameters (docs/reference/drive-protocols.md §2.2, drive table).</summary>
    public sealed class TsstModel
    {
        internal TsstModel(string name, int blockSize, byte finalState, string source, bool bootLoaderDocumented)
        {
            Name = name; BlockSize = blockSize; FinalState = finalState; Source = source; BootLoaderDocumented = bootLoaderDocumented;
        }

        /// <summary>A public source says what the boot loader (revision BOOT) accepts, so -Recover may use it.</summary>
        public bool BootLoaderDocumented { get; }

        public string Name { get; }
        public int BlockSize { get; }
        public byte FinalState { get; }
        public string Source { get; }

        /// <summary>MT1939 (SE-506CB): 0xF800 blocks, final state 02, 2 MiB (rbdixon/coastermelt doc/update-ts01-notes.txt).</summary>
        public static readonly TsstModel Mt1939 = new TsstModel(TsstFamily.ModelMt1939, 0xF800, TsstProtocol.StateEnd128K, "rbdixon/coastermelt doc/update-ts01-notes.txt, flasher/checksum.py", bootLoaderDocumented: true);
        /// <summary>MT1339 DVD-ROMs: 0xFC00 blocks, final state 04, file as-is (superg/redumper drive/flash_tsst.ixx).</summary>
        public static readonly TsstModel Mt1339 = new TsstModel(TsstFamily.ModelMt1339, 0xFC00, TsstProtocol.StateEnd256K, "superg/redumper drive/flash_tsst.ixx", bootLoaderDocumented: false);

        public static TsstModel Find(string model)
        {
            if (string.Equals(model, Mt1939.Name, StringComparison.OrdinalIgnoreCase)) return Mt1939;
            if (string.Equals(model, Mt1339.Name, StringComparison.OrdinalIgnoreCase)) return Mt1339;
            return null;
        }
    }

    /// <summary>
    /// TSST/Samsung MediaTek drives: vendor opcode <c>FF 00 01 00 00 &lt;state&gt; 00 00 00 00 00 00</c> with data-out, blocks
    /// strictly sequential, state 00 on the first block, FF on the following ones and the model's final state on the last
    /// (docs/reference/drive-protocols.md §2.2; superg/redumper drive/flash_tsst.ixx flash_tsst(), whose loop this follows exactly: the
    /// whole file from offset 0 in block-size pieces, the last piece shorter). The drive reboots by itself afterwards.
    /// The Samsung SD-616F is not supported: the doc does not state its 128 KiB → 0x30000 remap precisely.
    /// </summary>
    public sealed class TsstProtocol : IFlashProtocol
    {
        public const byte StateStart = 0x00;
        public const byte StateContinue = 0xFF;
        /// <summary>redumper FLASH_TSST_Mode END_128KB: final block on MT1939 and SD-616F.</summary>
        public const byte StateEnd128K = 0x02;
        /// <summary>redumper FLASH_TSST_Mode END_256KB: final block on the TSST DVD-ROMs.</summary>
        public const byte StateEnd256K = 0x04;

        /// <summary>MT1939 "stalls ~10 s after each MiB (commits 1 MiB at a time)" (docs/reference/drive-protocols.md §2.2).</summary>
        public static readonly TimeSpan Mt1939StallPerMiB = TimeSpan.FromSeconds(10);

        public TsstProtocol(TsstModel model)
        {
            Model = model ?? throw new ArgumentNullException(nameof(model));
            bool mt1939 = model == TsstModel.Mt1939;
            Timing = new ProtocolTiming
            {
                // A block after a MiB may take the ~10 s stall plus transfer time.
                CommandTimeout = TimeSpan.FromSeconds(60),
                PollInterval = TimeSpan.FromSeconds(1),
                // [I] redumper sends nothing after the final block; the drive reboots by itself. 60 s is MtkFlash's bound.
                PollTimeout = TimeSpan.FromSeconds(60),
                ConsecutiveReady = 1,
                // [I] MT1939: two ~10 s stalls plus transfer and reboot; MT1339: stalls not documented.
                ExpectedDuration = TimeSpan.FromSeconds(mt1939 ? 35 : 30),
            };
            ProtectedRegions = mt1939
                ? new[] { new FlashRegion("boot block", 0, Mt1939ProtectedSize, "MT1939 flash 0x0-0xFFFF is write-protected; the drive ignores these bytes (coastermelt doc/update-ts01-notes.txt)") }
                : new FlashRegion[0];
            DriveSpecificRegions = mt1939
                ? new[] { new FlashRegion("info", Mt1939InfoOffset, Mt1939InfoSize, "[I] MT1939 info region before the infonub trailer, not checksummed; drive-unique content inferred. Backed up; a write sends the image's bytes, as the official updater does") }
                : new FlashRegion[0];
        }

        public TsstModel Model { get; }
        public DriveFamily Family => DriveFamily.Tsst;
        public string Source => Model.Source + "; superg/redumper drive/flash_tsst.ixx @2ab9a42";
        public ProtocolTiming Timing { get; }
        public IReadOnlyList<FlashRegion> ProtectedRegions { get; }
        public IReadOnlyList<FlashRegion> DriveSpecificRegions { get; }

        /// <summary><c>FF 00 01 00 00 &lt;state&gt; 00 00 00 00 00 00</c> (redumper scsi/mmc.ixx CDB12_FlashTSST; docs/reference/drive-protocols.md §2.2).</summary>
        public static byte[] FlashCdb(byte state) => Cdb.Vendor(Cdb.TsstVendorOpcode, 0x00, 0x01, 0x00, 0x00, state, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00);

        /// <summary>Σ bytes[0x10000..0x1E1FFF] &amp; 0xFFFF (coastermelt flasher/checksum.py).</summary>
        public static int Mt1939Checksum(byte[] image) => ImageSums.Sum16(image, Mt1939ChecksumStart, Mt1939ChecksumEnd);

        public FlashPlan Prepare(ScsiDevice device, OpticalDrive drive, byte[] image, bool recover, bool allowCrossFlash = false)
        {
            if (image == null) throw new ArgumentNullException(nameof(image));
            var notes = new List<string> { "Sequence: vendor FF 00 01, states 00 / FF / " + Model.FinalState.ToString("X2") + ", blocks of 0x" + Model.BlockSize.ToString("X") + " sent strictly in order (" + Model.Source + "; redumper flash_tsst)." };

            if (image.Length == 0)
                throw new FlashRefusedException(FlashRefusalIds.ImageSizeInvalid, "The image is empty.");
            // Recovery only where a source documents what the boot loader accepts: coastermelt doc/bootloader.txt does for the
            // MT1939 (it handles FF); no public source describes the MT1339 boot loader (issue 9 §2).
            if (recover && !Model.BootLoaderDocumented)
                throw new FlashRefusedException(FlashRefusalIds.RecoveryNotSupported,
                    "No public source documents what the " + Model.Name.ToUpperInvariant() + " boot loader accepts (redumper flashes running drives only), so MtkFlash " +
                    "does not send it the flash sequence in boot mode. Use the vendor's recovery procedure.");
            if (Model == TsstModel.Mt1939)
            {
                if (image.Length != Mt1939ImageSize)
                    throw new FlashRefusedException(FlashRefusalIds.ImageSizeInvalid,
                        "The image is 0x" + image.Length.ToString("X") + " bytes; MT1939 firmware is exactly 0x200000 bytes (2 MiB = 33 x 0xF800 + 0x800).");
                int stored = (image[Mt1939ChecksumOffset] << 8) | image[Mt1939ChecksumOffset + 1];
                int computed = Mt1939Checksum(image);
                if (stored != computed)
                    throw new FlashRefusedException(FlashRefusalIds.ChecksumMismatch,
                        "MT1939 checksum mismatch: 0x1FFFFE holds 0x" + stored.ToString("X4") + ", the sum of 0x010000-0x1E1FFF is 0x" + computed.ToString("X4") +
                        ". The image is damaged or was edited without fixing the checksum; the drive would not boot it.");
                notes.Add("Checksum 0x" + computed.ToString("X4") + " at 0x1FFFFE verified.");
                notes.Add("Flash 0x000000-0x00FFFF is write-protected: the drive ignores the first 0x10000 bytes, which are sent as in the file.");
                notes.Add("The drive stalls about 10 s after each MiB and reboots into the new firmware by itself.");
            }
            if (recover) notes.Add("Recovery: the MT1939 boot loader (revision BOOT) handles the FF opcode, and the same FF 00 01 flash is sent (coastermelt doc/bootloader.txt).");

            // No patch: the file is sent as-is, so the plan's image is a copy only to keep the caller's array untouched.
            var toSend = (byte[])image.Clone();
            var steps = new List<FlashStep>();
            long nextMiB = 0x100000;
            for (int offset = 0; offset < toSend.Length;)
            {
                int size = Math.Min(Model.BlockSize, toSend.Length - offset);
                int next = offset + size;
                // redumper: offset 0 → START (even for a single block), otherwise CONTINUE until the last block gets the model's end state.
                byte state = offset == 0 ? StateStart : (next < toSend.Length ? StateContinue : Model.FinalState);
                var stall = TimeSpan.Zero;
                if (Model == TsstModel.Mt1939 && next >= nextMiB)
                {
                    stall = Mt1939StallPerMiB; // this block completes a MiB: the drive commits it and goes silent
                    while (nextMiB <= next) nextMiB += 0x100000;
                }
                bool final = next >= toSend.Length;
                steps.Add(FlashSteps.Data(final ? FlashStepKind.Commit : FlashStepKind.Data, FlashCdb(state), toSend, offset, size, Timing.CommandTimeout,
                    "FF 00 01 state " + state.ToString("X2") + ": " + FlashSteps.Hex6(offset) + "-" + FlashSteps.Hex6(next - 1) + (final ? " (final block; the drive reboots)" : string.Empty), stall));
                offset = next;
            }
            return new FlashPlan(this, toSend, steps, notes);
        }

        /// <summary>
        /// MT1939 only: READ BUFFER mode 6 over the 2 MiB ("it can read from flash", coastermelt doc/bootloader.txt).
        /// [I] Full dumps this way are inferred, not verified (docs/reference/drive-protocols.md §2.4). Other models: null.
        /// </summary>
        public byte[] ReadFirmware(ScsiDevice device, OpticalDrive drive, Action<long, long> progress) =>
            Model == TsstModel.Mt1939 ? FlashMemoryReader.Read(device, 0, Mt1939ImageSize, progress) : null;

        /// <summary>MT1939: the info region 0x1E2000–0x1FFFFF [I]. Other models: none.</summary>
        public IReadOnlyList<RegionDump> ReadRegions(ScsiDevice device, OpticalDrive drive)
        {
            var dumps = new List<RegionDump>();
            foreach (var region in DriveSpecificRegions)
                dumps.Add(new RegionDump(region, FlashMemoryReader.Read(device, region.Start, region.Length)));
            return dumps;
        }
    }
}
