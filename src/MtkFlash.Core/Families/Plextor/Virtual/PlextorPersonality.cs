using System;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.Plextor
{
    /// <summary>
    /// Plextor PX-7xx (docs/reference/drive-protocols.md §2.5; redumper flash_plextor.ixx, qpxtool pxfw.cpp): WRITE BUFFER mode 4 per block
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
            if (PlextorSyntheticImage.Checksum(P, image) != BigEndian.Get16(image, P.PlextorCrcOffset)) return Illegal(0x26);
            U.BeginCommit(image, clock, U.Timer.Model.ProgramTime(image.Length), new SenseData(SenseTexts.NotReady, 0x04, 0x01), 0);   // PlextorTiming: 20 s
            return ScsiResponse.Good();
        }
    }
}
