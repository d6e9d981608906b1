using System;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;
using Xunit;

namespace MtkFlash.Tests.Support
{
    /// <summary>Raw CDBs for emulator tests (no protocol classes, so the tests stay a check on them) and byte slices.</summary>
    public static class RawScsi
    {
        public static ScsiResponse Send(IScsiTransport t, params byte[] cdb) => t.Execute(ScsiRequest.NoData(cdb));
        public static ScsiResponse Read(IScsiTransport t, int length, params byte[] cdb) => t.Execute(ScsiRequest.Read(cdb, length));
        public static ScsiResponse Write(IScsiTransport t, byte[] data, params byte[] cdb) => t.Execute(ScsiRequest.Write(cdb, data));

        public static InquiryData Inquiry(IScsiTransport t)
        {
            var r = Read(t, 96, 0x12, 0, 0, 0, 96, 0);
            Assert.True(r.IsGood, "INQUIRY failed: " + r.Sense);
            Assert.Equal(96, r.Data.Length);
            return InquiryData.Parse(r.Data);
        }

        public static ConfigurationData Configuration(IScsiTransport t)
        {
            var r = Read(t, 0x1000, 0x46, 0, 0, 0, 0, 0, 0, 0x10, 0x00, 0);
            Assert.True(r.IsGood, "GET CONFIGURATION failed: " + r.Sense);
            return ConfigurationData.Parse(r.Data);
        }

        public static ScsiResponse Tur(IScsiTransport t) => Send(t, 0, 0, 0, 0, 0, 0);

        public static void AssertSense(ScsiResponse r, byte key, byte asc, byte ascq)
        {
            Assert.Equal(ScsiStatus.CheckCondition, r.Status);
            Assert.NotNull(r.Sense);
            Assert.Equal(key.ToString("X") + "/" + asc.ToString("X2") + "/" + ascq.ToString("X2"), r.Sense.Triple);
        }

        public static void AssertGood(ScsiResponse r) => Assert.True(r.IsGood, "expected GOOD, got " + ScsiStatus.Describe(r.Status) + " " + r.Sense);

        /// <summary>10-byte WRITE BUFFER / READ BUFFER CDB: mode, buffer 0, BE24 offset, BE24 length.</summary>
        public static byte[] Buffer10(byte opcode, byte mode, int offset, int length) =>
            new byte[] { opcode, mode, 0, (byte)(offset >> 16), (byte)(offset >> 8), (byte)offset, (byte)(length >> 16), (byte)(length >> 8), (byte)length, 0 };

        /// <summary><paramref name="length"/> bytes of <paramref name="data"/> from <paramref name="start"/>.</summary>
        public static byte[] Slice(byte[] data, int start, int length) { var r = new byte[length]; Array.Copy(data, start, r, 0, length); return r; }
    }
}
