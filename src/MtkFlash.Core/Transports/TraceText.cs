using System.Globalization;
using System.Text;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Core.Transports
{
    /// <summary>
    /// One traced command in words, for a front end's verbose stream (what was sent: opcode, mode, offset, length, and how
    /// it ended) and its debug stream (the CDB bytes, the sense bytes, small OUT data).
    /// </summary>
    public static class TraceText
    {
        /// <summary>"SCSI WRITE BUFFER mode 06h offset 0x010000 length 16384 (out) -> GOOD".</summary>
        public static string Summary(TraceRecord r)
        {
            var cdb = r.CdbBytes();
            var sb = new StringBuilder("SCSI ");
            if (cdb.Length == 0) return sb.Append("(empty CDB)").ToString();
            byte op = cdb[0];
            sb.Append(Cdb.OpcodeName(op));
            if ((op == 0x3B || op == 0x3C) && cdb.Length >= 9)
            {
                sb.Append(" mode ").Append((cdb[1] & 0x1F).ToString("X2", CultureInfo.InvariantCulture)).Append('h');
                if (cdb[2] != 0) sb.Append(" buffer ").Append(cdb[2].ToString("X2", CultureInfo.InvariantCulture)).Append('h');
                sb.Append(" offset 0x").Append(Infrastructure.BigEndian.Get24(cdb, 3).ToString("X6", CultureInfo.InvariantCulture));
            }
            sb.Append(" length ").Append(r.Length.ToString(CultureInfo.InvariantCulture));
            if (r.Direction != "none") sb.Append(" (").Append(r.Direction).Append(')');
            sb.Append(" -> ").Append(Outcome(r));
            return sb.ToString();
        }

        /// <summary>"CDB 3b 06 00 01 00 00 00 40 00 00; status 02h; sense 70 00 05 …; data …".</summary>
        public static string Detail(TraceRecord r)
        {
            var sb = new StringBuilder("CDB ").Append(Hex.Format(r.CdbBytes()).ToLowerInvariant());
            if (r.Data != null) sb.Append("; out data ").Append(Hex.Format(Hex.Parse(r.Data)).ToLowerInvariant());
            else if (r.Sha256 != null) sb.Append("; out data SHA-256 ").Append(r.Sha256);
            if (r.Status != null) sb.Append("; status ").Append(r.Status.Value.ToString("X2", CultureInfo.InvariantCulture)).Append('h');
            if (!string.IsNullOrEmpty(r.Sense))
            {
                var bytes = Hex.Parse(r.Sense);
                sb.Append("; sense ").Append(Hex.Format(bytes).ToLowerInvariant());
                var sense = SenseData.TryParse(bytes);
                if (sense != null) sb.Append(" (").Append(sense.Describe()).Append(')');
            }
            if (r.Error != null) sb.Append("; transport error ").Append(r.Error);
            return sb.ToString();
        }

        static string Outcome(TraceRecord r)
        {
            if (r.Error != null) return r.Error;
            if (r.Status == null) return "no status";
            var text = ScsiStatus.Describe((byte)r.Status.Value);
            if (!string.IsNullOrEmpty(r.Sense))
            {
                var sense = SenseData.TryParse(Hex.Parse(r.Sense));
                if (sense != null) text += ", " + sense.Describe();
            }
            return text;
        }
    }
}
