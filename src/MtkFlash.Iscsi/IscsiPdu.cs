using System;
using System.IO;
using MtkFlash.Core.Infrastructure;

namespace MtkFlash.Iscsi
{
    /// <summary>iSCSI opcodes (RFC 7143 §11.2.1.2). Initiator opcodes 0x00–0x1F, target opcodes 0x20–0x3F.</summary>
    public enum IscsiOpcode : byte
    {
        NopOut = 0x00,
        ScsiCommand = 0x01,
        TaskManagementRequest = 0x02,
        LoginRequest = 0x03,
        TextRequest = 0x04,
        DataOut = 0x05,
        LogoutRequest = 0x06,
        Snack = 0x10,
        NopIn = 0x20,
        ScsiResponse = 0x21,
        TaskManagementResponse = 0x22,
        LoginResponse = 0x23,
        TextResponse = 0x24,
        DataIn = 0x25,
        LogoutResponse = 0x26,
        ReadyToTransfer = 0x31,
        AsyncMessage = 0x32,
        Reject = 0x3F,
    }

    /// <summary>
    /// One iSCSI PDU: the 48-byte Basic Header Segment and its data segment (RFC 7143 §11.2). Digests are never
    /// negotiated (HeaderDigest/DataDigest=None), so none are read or written. Field accessors name the BHS offsets
    /// that several PDU types share; opcode-specific fields are read with <see cref="Get32"/> at the offsets cited
    /// where they are used.
    /// </summary>
    public sealed class IscsiPdu
    {
        public const int HeaderLength = 48;
        /// <summary>Reserved tag value: "no task" (RFC 7143 §11.2.1.8, §11.18.4).</summary>
        public const uint ReservedTag = 0xFFFFFFFF;

        public IscsiPdu(byte[] header, byte[] data)
        {
            if (header == null || header.Length != HeaderLength) throw new ArgumentException("A BHS has 48 bytes.", nameof(header));
            Header = header;
            Data = data ?? Array.Empty<byte>();
        }

        public IscsiPdu(IscsiOpcode opcode, byte flags) : this(new byte[HeaderLength], null)
        {
            Header[0] = (byte)opcode;
            Header[1] = flags;
        }

        public byte[] Header { get; }
        public byte[] Data { get; set; }

        // RFC 7143 §11.2.1: byte 0 bit 6 = I (immediate), bits 5–0 opcode; byte 1 = F bit + opcode-specific flags.
        public IscsiOpcode Opcode => (IscsiOpcode)(Header[0] & 0x3F);
        public bool Immediate { get => (Header[0] & 0x40) != 0; set => Header[0] = (byte)(value ? Header[0] | 0x40 : Header[0] & ~0x40); }
        public byte Flags { get => Header[1]; set => Header[1] = value; }
        public bool Final => (Header[1] & 0x80) != 0;
        /// <summary>Byte 4: TotalAHSLength in 4-byte words.</summary>
        public int TotalAhsLength => Header[4] * 4;
        /// <summary>Bytes 5–7: DataSegmentLength (without padding).</summary>
        public int DataSegmentLength => BigEndian.Get24(Header, 5);
        /// <summary>Bytes 16–19: Initiator Task Tag.</summary>
        public uint InitiatorTaskTag { get => Get32(16); set => Put32(16, value); }

        public uint Get32(int offset) => BigEndian.Get32(Header, offset);
        public void Put32(int offset, uint value) => BigEndian.Put32(Header, offset, value);

        /// <summary>RFC 7143 §11.2.1.3/§11.3.1: bytes 8–15 LUN. Single-level peripheral (00b) and flat (01b) addressing, as libiscsi sends it.</summary>
        public int Lun
        {
            get
            {
                var method = Header[8] >> 6;
                if (method == 0 && (Header[8] & 0x3F) == 0) return Header[9];
                if (method == 1) return ((Header[8] & 0x3F) << 8) | Header[9];
                return -1;
            }
            set
            {
                Array.Clear(Header, 8, 8);
                if (value < 256) Header[9] = (byte)value;
                else { Header[8] = (byte)(0x40 | ((value >> 8) & 0x3F)); Header[9] = (byte)value; }
            }
        }

        /// <summary>Writes the BHS with DataSegmentLength set from <see cref="Data"/> and the data padded to 4 bytes (RFC 7143 §11.2.3).</summary>
        public void WriteTo(Stream stream)
        {
            var padded = (Data.Length + 3) & ~3;
            var buffer = new byte[HeaderLength + padded];
            Buffer.BlockCopy(Header, 0, buffer, 0, HeaderLength);
            buffer[4] = 0; // never any AHS: libiscsi refuses PDUs with AHS ("cant handle expanded headers yet", libiscsi lib/pdu.c)
            BigEndian.Put24(buffer, 5, Data.Length);
            Buffer.BlockCopy(Data, 0, buffer, HeaderLength, Data.Length);
            stream.Write(buffer, 0, buffer.Length);
            stream.Flush();
        }

        /// <summary>
        /// Reads one PDU. Returns null at a clean end of stream before the first header byte. A data segment longer
        /// than <paramref name="maxDataSegment"/> is refused before anything is allocated for it; a stream that ends
        /// inside a PDU throws. Read timeouts come from the stream itself; <paramref name="started"/> runs once the first
        /// bytes arrived, so the caller can switch from the idle timeout to the (shorter) rest-of-PDU timeout.
        /// </summary>
        public static IscsiPdu ReadFrom(Stream stream, int maxDataSegment, Action started = null)
        {
            var header = new byte[HeaderLength];
            var first = stream.Read(header, 0, HeaderLength);
            if (first <= 0) return null;
            started?.Invoke();
            if (first < HeaderLength) ReadExactly(stream, header, first, HeaderLength - first);
            var pdu = new IscsiPdu(header, null);
            var length = pdu.DataSegmentLength;
            if (length > maxDataSegment)
                throw new IscsiProtocolException(pdu, IscsiRejectReason.ProtocolError,
                    "data segment of " + length + " bytes is above the negotiated limit of " + maxDataSegment + " bytes");
            // Additional header segments (RFC 7143 §11.2.2): at most 255 words; read and ignore (extended CDBs are not supported).
            if (pdu.TotalAhsLength > 0) ReadExactly(stream, new byte[pdu.TotalAhsLength], 0, pdu.TotalAhsLength);
            if (length > 0)
            {
                var padded = (length + 3) & ~3;
                var data = new byte[padded];
                ReadExactly(stream, data, 0, padded);
                if (padded != length) Array.Resize(ref data, length);
                pdu.Data = data;
            }
            return pdu;
        }

        static void ReadExactly(Stream stream, byte[] buffer, int offset, int count)
        {
            var done = 0;
            while (done < count)
            {
                var n = stream.Read(buffer, offset + done, count - done);
                if (n <= 0) throw new EndOfStreamException("the connection closed in the middle of a PDU");
                done += n;
            }
        }
    }

    /// <summary>Reject reasons (RFC 7143 §11.17.1).</summary>
    public enum IscsiRejectReason : byte
    {
        DataDigestError = 0x02,
        SnackReject = 0x03,
        ProtocolError = 0x04,
        CommandNotSupported = 0x05,
        ImmediateCommandReject = 0x06,
        TaskInProgress = 0x07,
        InvalidDataAck = 0x08,
        InvalidPduField = 0x09,
        LongOperationReject = 0x0A,
        WaitingForLogout = 0x0C,
    }

    /// <summary>A PDU the target cannot accept; the connection answers with a Reject (when a header was read) and closes.</summary>
    public sealed class IscsiProtocolException : Exception
    {
        public IscsiProtocolException(IscsiPdu pdu, IscsiRejectReason reason, string message) : base(message)
        {
            Pdu = pdu;
            Reason = reason;
        }

        /// <summary>The offending PDU (its header goes back in the Reject), or null.</summary>
        public IscsiPdu Pdu { get; }
        public IscsiRejectReason Reason { get; }
    }
}
