using System;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.Spc
{
    /// <summary>
    /// A drive that advertises the MMC Microcode Upgrade feature (0104h) and nothing else MtkFlash knows. READ BUFFER mode 3
    /// (descriptor) answers as SPC defines it (docs/reference/drive-protocols.md §4.2). No public source shows how such an optical drive takes
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
}
