using System;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.Tsst
{
    /// <summary>
    /// TSST / Samsung (docs/reference/drive-protocols.md §2.2; coastermelt update-ts01-notes.txt, bootloader.txt; redumper flash_tsst.ixx):
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

        bool ChecksumOk => P.Model != TsstFamily.ModelMt1939 || TsstSyntheticImage.Mt1939ChecksumValid(U.Flash);

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
}
