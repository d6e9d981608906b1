using System;
using System.Collections.Generic;

namespace MtkFlash.Core.Scsi
{
    /// <summary>
    /// Decoded sense data, fixed (70h/71h) or descriptor (72h/73h) format.
    /// Layout: docs/reference/drive-protocols.md §4.6 (superg/redumper scsi/sptd.ixx; texts from sg3_utils lib/sg_lib_data.c).
    /// </summary>
    public sealed class SenseData
    {
        public SenseData(byte key, byte asc, byte ascq, byte responseCode = 0x70, bool deferred = false)
        {
            Key = (byte)(key & 0x0F);
            Asc = asc;
            Ascq = ascq;
            ResponseCode = responseCode;
            Deferred = deferred;
        }

        public byte ResponseCode { get; }
        public bool Deferred { get; }
        public byte Key { get; }
        public byte Asc { get; }
        public byte Ascq { get; }

        public string KeyText => SenseTexts.Key(Key);
        public string AdditionalText => SenseTexts.Additional(Asc, Ascq);

        /// <summary>"5/24/00".</summary>
        public string Triple => Key.ToString("X") + "/" + Asc.ToString("X2") + "/" + Ascq.ToString("X2");

        public string Describe() => KeyText + ", " + AdditionalText + " (" + Triple + ")";
        public override string ToString() => Describe();

        public bool Is(byte key, byte asc, byte? ascq = null) => Key == key && Asc == asc && (ascq == null || Ascq == ascq.Value);

        /// <summary>Parses fixed or descriptor format; returns null when the bytes hold no sense data.</summary>
        public static SenseData TryParse(byte[] sense)
        {
            if (sense == null || sense.Length < 1) return null;
            int code = sense[0] & 0x7F;
            switch (code)
            {
                case 0x70:
                case 0x71:
                    if (sense.Length < 3) return null;
                    byte asc = sense.Length > 12 ? sense[12] : (byte)0;
                    byte ascq = sense.Length > 13 ? sense[13] : (byte)0;
                    return new SenseData((byte)(sense[2] & 0x0F), asc, ascq, (byte)code, code == 0x71);
                case 0x72:
                case 0x73:
                    if (sense.Length < 4) return null;
                    return new SenseData((byte)(sense[1] & 0x0F), sense[2], sense[3], (byte)code, code == 0x73);
                default:
                    return null;
            }
        }

        /// <summary>18-byte fixed-format sense, as MTK drives, QEMU scsi-cd and iSCSI targets return it.</summary>
        public byte[] ToFixedFormat()
        {
            var b = new byte[18];
            b[0] = (byte)(Deferred ? 0x71 : 0x70);
            b[2] = Key;
            b[7] = 0x0A;
            b[12] = Asc;
            b[13] = Ascq;
            return b;
        }
    }

    /// <summary>Sense keys and the ASC/ASCQ texts that matter for optical drives.</summary>
    public static class SenseTexts
    {
        public const byte NoSense = 0x0, RecoveredError = 0x1, NotReady = 0x2, MediumError = 0x3, HardwareError = 0x4,
            IllegalRequest = 0x5, UnitAttention = 0x6, DataProtect = 0x7, AbortedCommand = 0xB;

        static readonly string[] Keys =
        {
            "NO SENSE", "RECOVERED ERROR", "NOT READY", "MEDIUM ERROR", "HARDWARE ERROR", "ILLEGAL REQUEST",
            "UNIT ATTENTION", "DATA PROTECT", "BLANK CHECK", "VENDOR SPECIFIC", "COPY ABORTED", "ABORTED COMMAND",
            "EQUAL", "VOLUME OVERFLOW", "MISCOMPARE", "COMPLETED",
        };

        static readonly Dictionary<int, string> Additionals = new Dictionary<int, string>
        {
            [0x0000] = "No additional sense information",
            [0x0400] = "Logical unit not ready, cause not reportable",
            [0x0401] = "Logical unit is in process of becoming ready",
            [0x0402] = "Logical unit not ready, initializing command required",
            [0x0407] = "Logical unit not ready, operation in progress",
            [0x0408] = "Logical unit not ready, long write in progress",
            [0x0803] = "Logical unit communication CRC error",
            [0x1A00] = "Parameter list length error",
            [0x2000] = "Invalid command operation code",
            [0x2100] = "Logical block address out of range",
            [0x2400] = "Invalid field in CDB",
            [0x2500] = "Logical unit not supported",
            [0x2600] = "Invalid field in parameter list",
            [0x2800] = "Not ready to ready change, medium may have changed",
            [0x2900] = "Power on, reset, or bus device reset occurred",
            [0x2C00] = "Command sequence error",
            [0x3000] = "Incompatible medium installed",
            [0x3A00] = "Medium not present",
            [0x3A01] = "Medium not present - tray closed",
            [0x3A02] = "Medium not present - tray open",
            [0x3F01] = "Microcode has been changed",
            [0x4400] = "Internal target failure",
            [0x5302] = "Medium removal prevented",
        };

        public static string Key(byte key) => Keys[key & 0x0F];

        public static string Additional(byte asc, byte ascq)
        {
            string text;
            if (Additionals.TryGetValue((asc << 8) | ascq, out text)) return text;
            return "ASC 0x" + asc.ToString("X2") + ", ASCQ 0x" + ascq.ToString("X2");
        }
    }
}
