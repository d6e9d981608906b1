using System;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.Mt1959
{
    /// <summary>
    /// LG/ASUS MT1959 (docs/reference/drive-protocols.md §2.3, redumper drive/flash_mt1959.ixx; docs/reference/mt1959-notes.md §4): WRITE BUFFER mode 1
    /// arms, mode 6 chunks land at BE24 offsets, programming starts when the whole image has landed; TUR 02/04/08 meanwhile,
    /// UNIT ATTENTION after. Boot block 0x0-0xFFFF never rewritten; a boot-ID mismatch at 0x3000 is a silent no-op (§4.3).
    /// </summary>
    internal sealed class Mt1959Personality : Personality
    {
        DownloadBuffer _download;

        public Mt1959Personality(VirtualDriveUnit unit) : base(unit) { }

        // Boot loader answers identity, sense and the flash path [inferred; only revision BOOT is observed, docs/reference/mt1959-notes.md §4.2].
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
            for (int i = 0; i < Mt1959Layout.BootIdSize; i++) sameBootId &= received[Mt1959Layout.ConfigOffset + i] == U.Flash[Mt1959Layout.ConfigOffset + i];
            // Boot-ID mismatch: the drive reports success but keeps its firmware ("silent flash", docs/reference/mt1959-notes.md §4.3) [O].
            var flash = sameBootId ? Programmed(received, 0, received.Length) : (byte[])U.Flash.Clone();
            U.BeginCommit(flash, clock, U.Timer.Model.ProgramTime(received.Length), new SenseData(SenseTexts.NotReady, 0x04, 0x08), 0x10000);
        }
    }
}
