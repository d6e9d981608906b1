using System;
using System.Collections;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Core.Virtual
{
    /// <summary>
    /// The family-specific half of a virtual drive: flash and read commands, boot-mode rules, what a power loss does.
    /// Returns null from <see cref="Execute"/> for the commands every drive answers the same way.
    /// </summary>
    internal abstract class Personality
    {
        protected const int MiB = 0x100000;
        protected readonly VirtualDriveUnit U;

        protected Personality(VirtualDriveUnit unit) { U = unit; }

        protected VirtualProfile P => U.Profile;

        public static Personality For(VirtualDriveUnit unit)
        {
            switch (unit.Profile.Family)
            {
                case DriveFamily.Mt1959: return new Mt1959Personality(unit);
                case DriveFamily.Tsst: return new TsstPersonality(unit);
                case DriveFamily.Btc: return new BtcPersonality(unit);
                case DriveFamily.Plextor: return new PlextorPersonality(unit);
                case DriveFamily.Spc: return new SpcPersonality(unit);
                default: return new LiteOnPersonality(unit);
            }
        }

        public abstract ScsiResponse Execute(ScsiRequest r, IClock clock);

        /// <summary>Opcodes the boot loader answers; others get 5/20/00.</summary>
        public virtual bool AcceptsInBoot(byte opcode) => true;

        /// <summary>Forgets the RAM-only download state.</summary>
        public virtual void ResetDownload() { }

        /// <summary>Power-on self check of the firmware in flash (may switch the mode to Boot). Returns true when it changed the mode.</summary>
        public virtual bool BootCheck() => false;

        /// <summary>Power fails outside a commit (a download may have programmed part of the flash already).</summary>
        public virtual void OnPowerLoss() { }

        // ---- shared helpers ----

        protected static ScsiResponse Illegal(byte asc) => VirtualDriveUnit.Illegal(asc);
        protected static int Mode(ScsiRequest r) => r.Cdb[1] & 0x1F;
        protected static int Offset24(ScsiRequest r) => BigEndian.Get24(r.Cdb, 3);
        protected static int Length24(ScsiRequest r) => r.Cdb.Length >= 9 ? BigEndian.Get24(r.Cdb, 6) : 0;

        /// <summary>The data-out phase carries exactly the length the CDB announces.</summary>
        protected static bool OutMatches(ScsiRequest r, int length) =>
            length == 0 ? r.Direction != DataDirection.Out || r.OutData.Length == 0 : r.Direction == DataDirection.Out && r.OutData.Length == length;

        /// <summary>READ BUFFER mode 6, buffer 0: flash-mapped space at a BE24 offset (mt1959-notes.md §3; coastermelt bootloader.txt).</summary>
        protected ScsiResponse ReadFlashMode6(ScsiRequest r)
        {
            if (r.Cdb.Length < 10 || Mode(r) != 0x06 || r.Cdb[2] != 0) return Illegal(0x24);
            int offset = Offset24(r), length = Length24(r);
            if ((long)offset + length > U.Flash.Length) return Illegal(0x24);
            var data = new byte[length];
            Array.Copy(U.Flash, offset, data, 0, length);
            return VirtualDriveUnit.DataIn(data, r);
        }

        /// <summary>The flash after programming `received` over [from, to): protected and drive-unique bytes keep the drive's own.</summary>
        protected byte[] Programmed(byte[] received, int from, int to)
        {
            var flash = (byte[])U.Flash.Clone();
            var keep = P.KeepMap;
            for (int i = from; i < to; i++) if (!keep[i]) flash[i] = received[i];
            return flash;
        }
    }

    /// <summary>A download buffer that knows which bytes have landed (offset-addressed downloads).</summary>
    internal sealed class DownloadBuffer
    {
        readonly BitArray _covered;
        int _count;

        public DownloadBuffer(int size)
        {
            Data = new byte[size];
            for (int i = 0; i < size; i++) Data[i] = 0xFF;
            _covered = new BitArray(size);
        }

        public byte[] Data { get; }
        public bool Complete => _count == Data.Length;

        public void Put(int offset, byte[] bytes)
        {
            Array.Copy(bytes, 0, Data, offset, bytes.Length);
            for (int i = 0; i < bytes.Length; i++)
                if (!_covered[offset + i]) { _covered[offset + i] = true; _count++; }
        }
    }

    /// <summary>
    /// LG/ASUS MT1959 (drive-protocols.md §2.3, redumper drive/flash_mt1959.ixx; mt1959-notes.md §4): WRITE BUFFER mode 1
    /// arms, mode 6 chunks land at BE24 offsets, programming starts when the whole image has landed; TUR 02/04/08 meanwhile,
    /// UNIT ATTENTION after. Boot block 0x0-0xFFFF never rewritten; a boot-ID mismatch at 0x3000 is a silent no-op (§4.3).
    /// </summary>
    internal sealed class Mt1959Personality : Personality
    {
        DownloadBuffer _download;

        public Mt1959Personality(VirtualDriveUnit unit) : base(unit) { }

        // Boot loader answers identity, sense and the flash path [inferred; only revision BOOT is observed, mt1959-notes.md §4.2].
        public override bool AcceptsInBoot(byte opcode) =>
            opcode == 0x00 || opcode == 0x03 || opcode == 0x12 || opcode == 0x46 || opcode == 0x3B || opcode == 0x3C;

        public override void ResetDownload() => _download = null;

        public override ScsiResponse Execute(ScsiRequest r, IClock clock)
        {
            if (r.Opcode == Cdb.ReadBufferOpcode) return ReadFlashMode6(r);
            if (r.Opcode != Cdb.WriteBufferOpcode) return null;
            if (r.Cdb.Length < 10) return Illegal(0x24);
            int length = Length24(r);
            switch (Mode(r))
            {
                case 0x01:   // arm: WRITE BUFFER mode 1, no data (redumper step 4)
                    if (length != 0 || !OutMatches(r, 0)) return Illegal(0x24);
                    _download = new DownloadBuffer(P.FlashSize);
                    return ScsiResponse.Good();
                case 0x06:   // data with offsets (redumper step 5)
                {
                    if (r.Cdb[2] != 0) return Illegal(0x24);
                    if (_download == null) return Illegal(0x2C);
                    int offset = Offset24(r);
                    if ((long)offset + length > P.FlashSize) return Illegal(0x24);
                    if (!OutMatches(r, length)) return Illegal(0x1A);
                    if (length > 0) _download.Put(offset, r.OutData);
                    if (_download.Complete) Program(clock);
                    return ScsiResponse.Good();
                }
                case 0x07:   // freemkv's trailing COMMIT handshake (no data): programming already started on the last chunk
                    if (length != 0) return Illegal(0x24);
                    if (_download != null) return Illegal(0x2C);
                    return ScsiResponse.Good();
                default:
                    return Illegal(0x24);
            }
        }

        void Program(IClock clock)
        {
            var received = _download.Data;
            _download = null;
            bool sameBootId = true;
            for (int i = 0; i < 16; i++) sameBootId &= received[SyntheticImages.Mt1959BootIdOffset + i] == U.Flash[SyntheticImages.Mt1959BootIdOffset + i];
            // Boot-ID mismatch: the drive reports success but keeps its firmware ("silent flash", mt1959-notes.md §4.3) [O].
            var flash = sameBootId ? Programmed(received, 0, received.Length) : (byte[])U.Flash.Clone();
            U.BeginCommit(flash, clock, U.Timer.Model.ProgramTime(received.Length), new SenseData(SenseTexts.NotReady, 0x04, 0x08), 0x10000);
        }
    }

    /// <summary>
    /// TSST / Samsung (drive-protocols.md §2.2; coastermelt update-ts01-notes.txt, bootloader.txt; redumper flash_tsst.ixx):
    /// vendor CDB FF 00 01 00 00 state with data-out, blocks strictly sequential; 1 MiB programmed at a time while data
    /// arrives (the command stalls ~10 s); reboots by itself after the final block; first 64 KiB write-protected.
    /// </summary>
    internal sealed class TsstPersonality : Personality
    {
        TimeSpan StallPerMiB => U.Timer.Model.ProgramTime(MiB);   // ~10 s (TsstTiming)
        static readonly byte[] BootVersion = { 0x00, 0x06, 0x01, 0x01, 0x54, 0x53, 0x20, 0x00 };   // bootloader.txt
        byte[] _staging;
        int _position = -1;
        int _programmedTo;
        bool _flashTouched;
        byte _appSelect;

        public TsstPersonality(VirtualDriveUnit unit) : base(unit) { }

        // Opcodes the MT1939 boot loader handles (coastermelt doc/bootloader.txt); TEST UNIT READY is not among them.
        public override bool AcceptsInBoot(byte opcode) =>
            opcode == 0x12 || opcode == 0x1B || opcode == 0x46 || opcode == 0x4A || opcode == 0x5A ||
            opcode == 0x3C || opcode == 0x3B || opcode == 0xF1 || opcode == 0xFF;

        // The stream position is RAM state; a flash that was partly reprogrammed stays so until a download completes.
        public override void ResetDownload() { _staging = null; _position = -1; _programmedTo = 0; }

        bool ChecksumOk => P.Model != "mt1939" || SyntheticImages.Mt1939ChecksumValid(U.Flash);

        // A bad MT1939 checksum leaves the drive in its boot loader [inferred from coastermelt checksum.py + bootloader.txt].
        public override bool BootCheck()
        {
            if (U.Mode != VirtualDriveMode.Normal || ChecksumOk) return false;
            U.Mode = VirtualDriveMode.Boot;
            return true;
        }

        public override void OnPowerLoss() { if (_flashTouched) U.Mode = VirtualDriveMode.Boot; }

        public override ScsiResponse Execute(ScsiRequest r, IClock clock)
        {
            switch (r.Opcode)
            {
                case Cdb.ReadBufferOpcode: return ReadFlashMode6(r);
                case Cdb.WriteBufferOpcode: return Illegal(0x24);   // the boot loader lists 3B; its modes are not documented
                case Cdb.TsstVendorOpcode: return Vendor(r, clock);
                default: return null;
            }
        }

        ScsiResponse Vendor(ScsiRequest r, IClock clock)
        {
            bool boot = U.Mode == VirtualDriveMode.Boot;
            // The boot loader silently ignores FF sub-commands it does not know (GOOD, no data) [C]; the running firmware's
            // answer is not documented: the emulator says 5/24/00 there [inferred].
            ScsiResponse Unknown() => boot ? ScsiResponse.Good() : Illegal(0x24);
            if (r.Cdb.Length < 6 || r.Cdb[1] != 0x00) return Unknown();
            switch (r.Cdb[2])
            {
                case 0x01: return Download(r, r.Cdb[5], clock);
                case 0xFF: return boot ? VirtualDriveUnit.DataIn(BootVersion, r) : Unknown();
                case 0x04: _appSelect = (byte)(r.Cdb[5] & 1); return ScsiResponse.Good();
                case 0x05: return VirtualDriveUnit.DataIn(new[] { _appSelect }, r);
                default: return Unknown();
            }
        }

        ScsiResponse Download(ScsiRequest r, byte state, IClock clock)
        {
            int blockSize = P.TsstBlockSize;
            bool final = state == P.TsstFinalState;
            if (state == 0x00) { ResetDownload(); _staging = (byte[])U.Flash.Clone(); _position = 0; }
            else if (state == 0xFF || final) { if (_position < 0) return Illegal(0x2C); }
            else return Illegal(0x24);   // e.g. end state 04 sent to an MT1939

            var data = r.Direction == DataDirection.Out ? r.OutData : new byte[0];
            if (final ? data.Length == 0 || data.Length > blockSize : data.Length != blockSize) return Illegal(0x1A);
            if (_position + data.Length > P.FlashSize) return Illegal(0x1A);
            Array.Copy(data, 0, _staging, _position, data.Length);
            _position += data.Length;

            var stall = TimeSpan.Zero;
            while (_position - _programmedTo >= MiB) { ProgramUpTo(_programmedTo + MiB); stall += StallPerMiB; }
            if (final)
            {
                if (_programmedTo < _position) { ProgramUpTo(_position); stall += StallPerMiB; }
                bool complete = _position == P.FlashSize;
                U.Mode = complete && ChecksumOk ? VirtualDriveMode.Normal : VirtualDriveMode.Boot;
                _flashTouched = U.Mode != VirtualDriveMode.Normal;
                U.Reboot(clock.Elapsed + stall);   // "reboots into the new firmware by itself" (update-ts01-notes.txt), once programmed
            }
            if (stall > TimeSpan.Zero)
            {
                // The drive stalls inside the command while it programs (~10 s per MiB).
                clock.Sleep(stall < r.Timeout ? stall : r.Timeout);
                if (stall > r.Timeout) throw new ScsiTimeoutException(U.Path, r);
            }
            return ScsiResponse.Good();
        }

        void ProgramUpTo(int end)
        {
            U.SetFlash(Programmed(_staging, _programmedTo, end));
            _programmedTo = end;
            _flashTouched = true;
        }
    }

    /// <summary>
    /// BTC DRW1008 (drive-protocols.md §2.1; schilytools btcflash.c): WRITE BUFFER mode 6 buffer 0 at file offset + 0x20 in
    /// 0x1000 chunks, checksum block at offset 0 (bytes 30-31 = sum16), mode 7 commits; ~50 s programming with TUR not ready.
    /// </summary>
    internal sealed class BtcPersonality : Personality
    {
        public const int DataOffset = 0x20;
        DownloadBuffer _download;
        int? _sum;

        public BtcPersonality(VirtualDriveUnit unit) : base(unit) { }

        public override void ResetDownload() { _download = null; _sum = null; }

        public override ScsiResponse Execute(ScsiRequest r, IClock clock)
        {
            if (r.Opcode == Cdb.ReadBufferOpcode) return Illegal(0x24);   // no public read-back [inferred answer]
            if (r.Opcode != Cdb.WriteBufferOpcode) return null;
            if (r.Cdb.Length < 10 || r.Cdb[2] != 0) return Illegal(0x24);
            int offset = Offset24(r), length = Length24(r);
            switch (Mode(r))
            {
                case 0x06:
                    if (!OutMatches(r, length)) return Illegal(0x1A);
                    if (offset == 0 && length == 0x20)
                    {
                        _sum = BigEndian.Get16(r.OutData, 30);
                        return ScsiResponse.Good();
                    }
                    if (offset < DataOffset || (long)offset - DataOffset + length > P.FlashSize) return Illegal(0x24);
                    if (_download == null) _download = new DownloadBuffer(P.FlashSize);
                    if (length > 0) _download.Put(offset - DataOffset, r.OutData);
                    return ScsiResponse.Good();
                case 0x07:
                {
                    if (length != 0) return Illegal(0x24);
                    // Commit without the whole image or the checksum block: sequence error [inferred].
                    if (_download == null || !_download.Complete || _sum == null) return Illegal(0x2C);
                    var image = _download.Data;
                    bool sumOk = SyntheticImages.BtcChecksum(image) == _sum.Value;
                    ResetDownload();
                    // A wrong sum is refused before the flash is touched [inferred: 5/26/00].
                    if (!sumOk) return Illegal(0x26);
                    U.BeginCommit(image, clock, U.Timer.Model.ProgramTime(image.Length), new SenseData(SenseTexts.NotReady, 0x04, 0x01), 0);   // BtcTiming: 50 s
                    return ScsiResponse.Good();
                }
                default:
                    return Illegal(0x24);
            }
        }
    }

    /// <summary>
    /// Plextor PX-7xx (drive-protocols.md §2.5; redumper flash_plextor.ixx, qpxtool pxfw.cpp): WRITE BUFFER mode 4 per block
    /// at buffer offset = file position, mode 5 on the last block; checksum BE16 at crc_offs, bad sum refused [inferred].
    /// </summary>
    internal sealed class PlextorPersonality : Personality
    {
        byte[] _staging;
        int _next = -1;

        public PlextorPersonality(VirtualDriveUnit unit) : base(unit) { }

        public override void ResetDownload() { _staging = null; _next = -1; }

        public override ScsiResponse Execute(ScsiRequest r, IClock clock)
        {
            if (r.Opcode == Cdb.ReadBufferOpcode) return Illegal(0x24);
            if (r.Opcode != Cdb.WriteBufferOpcode) return null;
            if (r.Cdb.Length < 10) return Illegal(0x24);
            int mode = Mode(r), offset = Offset24(r), length = Length24(r);
            if (mode != 0x04 && mode != 0x05) return Illegal(0x24);
            if (!OutMatches(r, length)) return Illegal(0x1A);
            if (offset == 0) { _staging = new byte[P.FlashSize]; for (int i = 0; i < _staging.Length; i++) _staging[i] = 0xFF; _next = 0; }
            else if (offset != _next) return Illegal(0x2C);   // blocks arrive in file order [inferred]
            if ((long)offset + length > P.FlashSize) return Illegal(0x24);
            Array.Copy(r.OutData ?? new byte[0], 0, _staging, offset, length);
            _next = offset + length;
            if (mode == 0x04) return ScsiResponse.Good();

            var image = _staging;
            bool complete = _next == P.FlashSize;
            ResetDownload();
            if (!complete) return Illegal(0x26);
            if (SyntheticImages.PlextorChecksum(P, image) != BigEndian.Get16(image, P.PlextorCrcOffset)) return Illegal(0x26);
            U.BeginCommit(image, clock, U.Timer.Model.ProgramTime(image.Length), new SenseData(SenseTexts.NotReady, 0x04, 0x01), 0);   // PlextorTiming: 20 s
            return ScsiResponse.Good();
        }
    }

    /// <summary>
    /// A drive that advertises the MMC Microcode Upgrade feature (0104h) and nothing else MtkFlash knows. READ BUFFER mode 3
    /// (descriptor) answers as SPC defines it (drive-protocols.md §4.2). No public source shows how such an optical drive takes
    /// a download (§4.3), so every WRITE BUFFER is refused with 5/24/00 and the flash never changes [inferred answer].
    /// </summary>
    internal sealed class SpcPersonality : Personality
    {
        public SpcPersonality(VirtualDriveUnit unit) : base(unit) { }

        public override ScsiResponse Execute(ScsiRequest r, IClock clock)
        {
            if (r.Opcode == Cdb.ReadBufferOpcode)
            {
                // READ BUFFER mode 3 (descriptor): offset boundary 0, capacity BE24 (§4.2); other modes: none.
                if (r.Cdb.Length < 10 || Mode(r) != 0x03) return Illegal(0x24);
                var d = new byte[4];
                BigEndian.Put24(d, 1, P.FlashSize);
                return VirtualDriveUnit.DataIn(d, r);
            }
            return r.Opcode == Cdb.WriteBufferOpcode ? Illegal(0x24) : null;
        }
    }

    /// <summary>
    /// Classic 8051 LiteOn (drive-protocols.md §6 "Classic 8051 LiteOn personality"): identity and the public F1 cache read
    /// only. Every firmware flash or read-back attempt gets 5/20/00, because no real protocol is public (§3.1).
    /// </summary>
    internal sealed class LiteOnPersonality : Personality
    {
        public LiteOnPersonality(VirtualDriveUnit unit) : base(unit) { }

        public override ScsiResponse Execute(ScsiRequest r, IClock clock) =>
            r.Opcode == Cdb.WriteBufferOpcode || r.Opcode == Cdb.ReadBufferOpcode ? Illegal(0x20) : null;   // FF and other vendor opcodes: 5/20/00 by default
    }
}
