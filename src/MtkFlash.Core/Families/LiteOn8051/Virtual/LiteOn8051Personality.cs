using System;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.LiteOn8051
{
    /// <summary>
    /// Classic 8051 LiteOn (docs/reference/drive-protocols.md §6 "Classic 8051 LiteOn personality"): identity and the public F1 cache read
    /// only. Every firmware flash or read-back attempt gets 5/20/00, because no real protocol is public (§3.1).
    /// </summary>
    internal sealed class LiteOn8051Personality : Personality
    {
        public LiteOn8051Personality(VirtualDriveUnit unit) : base(unit) { }

        public override ScsiResponse Execute(ScsiRequest r, IClock clock) =>
            r.Opcode == Cdb.WriteBufferOpcode || r.Opcode == Cdb.ReadBufferOpcode ? Illegal(0x20) : null;   // FF and other vendor opcodes: 5/20/00 by default
    }
}
