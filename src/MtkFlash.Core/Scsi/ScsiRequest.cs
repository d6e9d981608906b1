using System;

namespace MtkFlash.Core.Scsi
{
    /// <summary>Direction of the data phase of one SCSI command.</summary>
    public enum DataDirection { None, In, Out }

    /// <summary>One command to send through a transport: CDB, data phase and its own timeout.</summary>
    public sealed class ScsiRequest
    {
        public ScsiRequest(byte[] cdb, DataDirection direction, byte[] outData, int inLength, TimeSpan timeout, string name = null)
        {
            if (cdb == null || cdb.Length < 6 || cdb.Length > 16) throw new ArgumentException("A CDB has 6 to 16 bytes.", nameof(cdb));
            if (direction == DataDirection.Out && outData == null) throw new ArgumentNullException(nameof(outData));
            if (direction == DataDirection.In && inLength <= 0) throw new ArgumentOutOfRangeException(nameof(inLength));
            Cdb = cdb;
            Direction = direction;
            OutData = direction == DataDirection.Out ? outData : null;
            InLength = direction == DataDirection.In ? inLength : 0;
            Timeout = timeout <= TimeSpan.Zero ? DefaultTimeout : timeout;
            Name = name ?? Scsi.Cdb.OpcodeName(cdb[0]);
        }

        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

        public byte[] Cdb { get; }
        public DataDirection Direction { get; }
        /// <summary>Bytes sent to the device (Direction Out only).</summary>
        public byte[] OutData { get; }
        /// <summary>Bytes expected from the device (Direction In only).</summary>
        public int InLength { get; }
        public TimeSpan Timeout { get; }
        /// <summary>Readable command name for messages and traces ("WRITE BUFFER").</summary>
        public string Name { get; }
        public byte Opcode => Cdb[0];
        /// <summary>Number of bytes in the data phase.</summary>
        public int TransferLength => Direction == DataDirection.Out ? OutData.Length : InLength;

        public static ScsiRequest NoData(byte[] cdb, TimeSpan timeout = default, string name = null) => new ScsiRequest(cdb, DataDirection.None, null, 0, timeout, name);
        public static ScsiRequest Read(byte[] cdb, int length, TimeSpan timeout = default, string name = null) => new ScsiRequest(cdb, DataDirection.In, null, length, timeout, name);
        public static ScsiRequest Write(byte[] cdb, byte[] data, TimeSpan timeout = default, string name = null) => new ScsiRequest(cdb, DataDirection.Out, data, 0, timeout, name);
    }

    /// <summary>SAM status codes that drives return.</summary>
    public static class ScsiStatus
    {
        public const byte Good = 0x00;
        public const byte CheckCondition = 0x02;
        public const byte ConditionMet = 0x04;
        public const byte Busy = 0x08;
        public const byte ReservationConflict = 0x18;
        public const byte TaskSetFull = 0x28;
        public const byte TaskAborted = 0x40;

        public static string Describe(byte status)
        {
            switch (status)
            {
                case Good: return "GOOD";
                case CheckCondition: return "CHECK CONDITION";
                case ConditionMet: return "CONDITION MET";
                case Busy: return "BUSY";
                case ReservationConflict: return "RESERVATION CONFLICT";
                case TaskSetFull: return "TASK SET FULL";
                case TaskAborted: return "TASK ABORTED";
                default: return "status 0x" + status.ToString("X2");
            }
        }
    }

    /// <summary>What came back from one command: status, sense and the data that was actually transferred.</summary>
    public sealed class ScsiResponse
    {
        public ScsiResponse(byte status, byte[] sense, byte[] data)
        {
            Status = status;
            SenseBytes = sense != null && sense.Length > 0 ? sense : null;
            Data = data ?? Array.Empty<byte>();
            Sense = SenseBytes != null ? SenseData.TryParse(SenseBytes) : null;
        }

        public byte Status { get; }
        public byte[] SenseBytes { get; }
        public SenseData Sense { get; }
        public byte[] Data { get; }
        public bool IsGood => Status == ScsiStatus.Good;

        public static ScsiResponse Good(byte[] data = null) => new ScsiResponse(ScsiStatus.Good, null, data);
        public static ScsiResponse Check(SenseData sense) => new ScsiResponse(ScsiStatus.CheckCondition, sense.ToFixedFormat(), null);
        public static ScsiResponse Check(byte key, byte asc, byte ascq) => Check(new SenseData(key, asc, ascq));
        public static ScsiResponse Busy() => new ScsiResponse(ScsiStatus.Busy, null, null);
    }
}
