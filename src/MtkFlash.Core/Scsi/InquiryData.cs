using System;
using System.Text;

namespace MtkFlash.Core.Scsi
{
    /// <summary>Standard INQUIRY data (docs/reference/drive-protocols.md §4.4; superg/redumper scsi/mmc.ixx INQUIRY_StandardData).</summary>
    public sealed class InquiryData
    {
        InquiryData(byte[] raw)
        {
            Raw = raw;
            PeripheralQualifier = (byte)(raw[0] >> 5);
            DeviceType = (byte)(raw[0] & 0x1F);
            Removable = raw.Length > 1 && (raw[1] & 0x80) != 0;
            Version = raw.Length > 2 ? raw[2] : (byte)0;
            ResponseDataFormat = raw.Length > 3 ? (byte)(raw[3] & 0x0F) : (byte)0;
            Vendor = Ascii(raw, 8, 8);
            Product = Ascii(raw, 16, 16);
            Revision = Ascii(raw, 32, 4);
            VendorSpecific = Ascii(raw, 36, 20);
        }

        public byte[] Raw { get; }
        public byte PeripheralQualifier { get; }
        /// <summary>05h = CD/DVD device.</summary>
        public byte DeviceType { get; }
        public bool Removable { get; }
        public byte Version { get; }
        public byte ResponseDataFormat { get; }
        /// <summary>Bytes 8–15, trimmed.</summary>
        public string Vendor { get; }
        /// <summary>Bytes 16–31, trimmed.</summary>
        public string Product { get; }
        /// <summary>Bytes 32–35, trimmed.</summary>
        public string Revision { get; }
        /// <summary>Bytes 36–55 (MTK drives keep a date/version here), trimmed.</summary>
        public string VendorSpecific { get; }

        public bool IsOpticalDevice => DeviceType == 0x05;

        public static InquiryData Parse(byte[] data)
        {
            if (data == null || data.Length < 36)
                throw new FormatException("INQUIRY data is " + (data?.Length ?? 0) + " bytes; standard data needs at least 36.");
            return new InquiryData(data);
        }

        /// <summary>Builds standard INQUIRY data (used by virtual drives and tests).</summary>
        public static byte[] Build(string vendor, string product, string revision, string vendorSpecific = null, byte deviceType = 5, int length = 96)
        {
            if (length < 36) throw new ArgumentOutOfRangeException(nameof(length));
            var b = new byte[length];
            b[0] = deviceType;
            b[1] = 0x80;
            b[2] = 0x00;
            b[3] = 0x32;
            b[4] = (byte)(length - 5);
            PutAscii(b, 8, 8, vendor);
            PutAscii(b, 16, 16, product);
            PutAscii(b, 32, 4, revision);
            if (length >= 56) PutAscii(b, 36, 20, vendorSpecific ?? string.Empty);
            return b;
        }

        internal static string Ascii(byte[] b, int at, int len)
        {
            if (b.Length <= at) return string.Empty;
            len = Math.Min(len, b.Length - at);
            var chars = new char[len];
            for (int i = 0; i < len; i++)
            {
                var c = b[at + i];
                chars[i] = c >= 0x20 && c < 0x7F ? (char)c : ' ';   // NULs and control bytes count as spaces
            }
            return new string(chars).Trim();
        }

        internal static void PutAscii(byte[] b, int at, int len, string text)
        {
            var bytes = Encoding.ASCII.GetBytes((text ?? string.Empty).PadRight(len));
            Array.Copy(bytes, 0, b, at, len);
        }
    }
}
