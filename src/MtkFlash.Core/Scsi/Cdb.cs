using System;
using MtkFlash.Core.Infrastructure;

namespace MtkFlash.Core.Scsi
{
    /// <summary>
    /// CDB builders for the commands MtkFlash sends. Layouts: SPC/MMC as summarised in
    /// docs/reference/drive-protocols.md §4 (sources: superg/redumper scsi/mmc.ixx, sg3_utils sg_read_buffer.c / sg_write_buffer.c).
    /// </summary>
    public static class Cdb
    {
        public const byte TestUnitReadyOpcode = 0x00;
        public const byte RequestSenseOpcode = 0x03;
        public const byte InquiryOpcode = 0x12;
        public const byte ModeSense6Opcode = 0x1A;
        public const byte StartStopUnitOpcode = 0x1B;
        public const byte ReadCapacityOpcode = 0x25;
        public const byte Read10Opcode = 0x28;
        public const byte WriteBufferOpcode = 0x3B;
        public const byte ReadBufferOpcode = 0x3C;
        public const byte GetConfigurationOpcode = 0x46;
        public const byte GetEventStatusOpcode = 0x4A;
        public const byte ModeSense10Opcode = 0x5A;
        public const byte MediatekReadCacheOpcode = 0xF1;
        public const byte TsstVendorOpcode = 0xFF;

        /// <summary>TEST UNIT READY (00h): 6 bytes, no data.</summary>
        public static byte[] TestUnitReady() => new byte[6];

        /// <summary>REQUEST SENSE (03h): allocation length in byte 4.</summary>
        public static byte[] RequestSense(byte allocationLength = 18) => new byte[] { RequestSenseOpcode, 0, 0, 0, allocationLength, 0 };

        /// <summary>INQUIRY (12h), standard data: allocation length BE16 in bytes 3–4 (SPC-3 and later).</summary>
        public static byte[] Inquiry(int allocationLength = 96)
        {
            var cdb = new byte[6];
            cdb[0] = InquiryOpcode;
            BigEndian.Put16(cdb, 3, allocationLength);
            return cdb;
        }

        /// <summary>GET CONFIGURATION (46h): RT in byte 1 bits 1–0, starting feature BE16 in 2–3, allocation length BE16 in 7–8.</summary>
        public static byte[] GetConfiguration(GetConfigurationRequestType requestType, int startingFeature, int allocationLength)
        {
            var cdb = new byte[10];
            cdb[0] = GetConfigurationOpcode;
            cdb[1] = (byte)((int)requestType & 0x03);
            BigEndian.Put16(cdb, 2, startingFeature);
            BigEndian.Put16(cdb, 7, allocationLength);
            return cdb;
        }

        /// <summary>READ BUFFER (3Ch): mode in byte 1 bits 4–0, buffer ID byte 2, offset BE24 bytes 3–5, allocation length BE24 bytes 6–8.</summary>
        public static byte[] ReadBuffer(byte mode, byte bufferId, int offset, int length)
        {
            var cdb = new byte[10];
            cdb[0] = ReadBufferOpcode;
            cdb[1] = (byte)(mode & 0x1F);
            cdb[2] = bufferId;
            BigEndian.Put24(cdb, 3, offset);
            BigEndian.Put24(cdb, 6, length);
            return cdb;
        }

        /// <summary>WRITE BUFFER (3Bh): mode in byte 1 bits 4–0, buffer ID byte 2, offset BE24 bytes 3–5, parameter list length BE24 bytes 6–8.</summary>
        public static byte[] WriteBuffer(byte mode, byte bufferId, int offset, int length)
        {
            var cdb = new byte[10];
            cdb[0] = WriteBufferOpcode;
            cdb[1] = (byte)(mode & 0x1F);
            cdb[2] = bufferId;
            BigEndian.Put24(cdb, 3, offset);
            BigEndian.Put24(cdb, 6, length);
            return cdb;
        }

        /// <summary>A raw vendor CDB, copied so the caller cannot change it after it was built.</summary>
        public static byte[] Vendor(params byte[] bytes)
        {
            if (bytes == null || bytes.Length < 6 || bytes.Length > 16) throw new ArgumentException("A CDB has 6 to 16 bytes.");
            return (byte[])bytes.Clone();
        }

        /// <summary>Readable names for traces and error messages.</summary>
        public static string OpcodeName(byte opcode)
        {
            switch (opcode)
            {
                case TestUnitReadyOpcode: return "TEST UNIT READY";
                case RequestSenseOpcode: return "REQUEST SENSE";
                case InquiryOpcode: return "INQUIRY";
                case ModeSense6Opcode: return "MODE SENSE(6)";
                case StartStopUnitOpcode: return "START STOP UNIT";
                case ReadCapacityOpcode: return "READ CAPACITY(10)";
                case Read10Opcode: return "READ(10)";
                case WriteBufferOpcode: return "WRITE BUFFER";
                case ReadBufferOpcode: return "READ BUFFER";
                case GetConfigurationOpcode: return "GET CONFIGURATION";
                case GetEventStatusOpcode: return "GET EVENT STATUS NOTIFICATION";
                case ModeSense10Opcode: return "MODE SENSE(10)";
                case MediatekReadCacheOpcode: return "MEDIATEK READ CACHE (F1)";
                case TsstVendorOpcode: return "TSST VENDOR (FF)";
                default: return "opcode 0x" + opcode.ToString("X2");
            }
        }

        /// <summary>
        /// True when a command can change drive state (firmware, buffers). Used by safety tests and the trace to prove
        /// that read-only paths send none. Conservative: every vendor opcode MtkFlash does not know as a read counts.
        /// </summary>
        public static bool IsStateChanging(byte[] cdb)
        {
            switch (cdb[0])
            {
                case TestUnitReadyOpcode:
                case RequestSenseOpcode:
                case InquiryOpcode:
                case ModeSense6Opcode:
                case ReadCapacityOpcode:
                case Read10Opcode:
                case ReadBufferOpcode:
                case GetConfigurationOpcode:
                case GetEventStatusOpcode:
                case ModeSense10Opcode:
                case MediatekReadCacheOpcode:
                    return false;
                default:
                    return true;
            }
        }
    }

    /// <summary>GET CONFIGURATION RT field.</summary>
    public enum GetConfigurationRequestType { All = 0, Current = 1, One = 2 }

    /// <summary>WRITE BUFFER / READ BUFFER modes (SPC; docs/reference/drive-protocols.md §4.2).</summary>
    public static class BufferMode
    {
        public const byte CombinedHeaderData = 0x00;
        public const byte VendorSpecific = 0x01;
        public const byte Data = 0x02;
        public const byte Descriptor = 0x03;            // READ BUFFER only
        public const byte DownloadMicrocode = 0x04;
        public const byte DownloadMicrocodeSave = 0x05;
        public const byte DownloadMicrocodeOffsets = 0x06; // READ BUFFER mode 6 on MTK: read flash-mapped space
        public const byte DownloadMicrocodeOffsetsSave = 0x07;
        public const byte ActivateDeferred = 0x0F;
    }
}
