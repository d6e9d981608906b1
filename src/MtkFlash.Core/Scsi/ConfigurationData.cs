using System;
using System.Collections.Generic;
using System.Text;
using MtkFlash.Core.Infrastructure;

namespace MtkFlash.Core.Scsi
{
    /// <summary>One feature descriptor of a GET CONFIGURATION response.</summary>
    public sealed class FeatureDescriptor
    {
        public FeatureDescriptor(int code, bool current, bool persistent, byte version, byte[] data)
        {
            Code = code; Current = current; Persistent = persistent; Version = version; Data = data;
        }

        public int Code { get; }
        public bool Current { get; }
        public bool Persistent { get; }
        public byte Version { get; }
        public byte[] Data { get; }
    }

    /// <summary>
    /// GET CONFIGURATION response (docs/reference/drive-protocols.md §4.5; superg/redumper scsi/mmc.ixx FeatureHeader/FeatureDescriptor;
    /// speed47/qpxtool qpx_mmc_defs.h for features 0104h, 0108h, 010Ch).
    /// </summary>
    public sealed class ConfigurationData
    {
        public const int FeatureMicrocodeUpgrade = 0x0104;
        public const int FeatureSerialNumber = 0x0108;
        public const int FeatureFirmwareInformation = 0x010C;

        ConfigurationData(int currentProfile, IReadOnlyList<FeatureDescriptor> features)
        {
            CurrentProfile = currentProfile;
            Features = features;
        }

        /// <summary>Header bytes 6–7. 0000h means no medium (observed in QEMU with an empty tray).</summary>
        public int CurrentProfile { get; }
        public IReadOnlyList<FeatureDescriptor> Features { get; }

        public FeatureDescriptor Find(int code)
        {
            foreach (var f in Features) if (f.Code == code) return f;
            return null;
        }

        public bool HasMicrocodeUpgrade => Find(FeatureMicrocodeUpgrade) != null;

        /// <summary>Feature 0108h: the logical unit serial number, ASCII.</summary>
        public string SerialNumber
        {
            get
            {
                var f = Find(FeatureSerialNumber);
                return f == null ? null : InquiryData.Ascii(f.Data, 0, f.Data.Length);
            }
        }

        /// <summary>Feature 010Ch: firmware date, 14 ASCII digits YYYYMMDDhhmmss (MMC-5); returned as "YYYY-MM-DD hh:mm:ss" where it parses.</summary>
        public string FirmwareDate
        {
            get
            {
                var f = Find(FeatureFirmwareInformation);
                if (f == null) return null;
                var text = InquiryData.Ascii(f.Data, 0, Math.Min(f.Data.Length, 14));
                if (text.Length == 14 && IsDigits(text))
                    return text.Substring(0, 4) + "-" + text.Substring(4, 2) + "-" + text.Substring(6, 2) + " " +
                           text.Substring(8, 2) + ":" + text.Substring(10, 2) + ":" + text.Substring(12, 2);
                return text.Length == 0 ? null : text;
            }
        }

        static bool IsDigits(string s) { foreach (var c in s) if (c < '0' || c > '9') return false; return true; }

        public static ConfigurationData Parse(byte[] data)
        {
            if (data == null || data.Length < 8) throw new FormatException("GET CONFIGURATION data needs an 8-byte header.");
            long declared = (long)BigEndian.Get32(data, 0) + 4;      // data length counts the bytes after the field
            int end = (int)Math.Min(declared, data.Length);
            int profile = BigEndian.Get16(data, 6);
            var features = new List<FeatureDescriptor>();
            int at = 8;
            while (at + 4 <= end)
            {
                int code = BigEndian.Get16(data, at);
                byte flags = data[at + 2];
                int len = data[at + 3];
                if (at + 4 + len > end) break;  // truncated descriptor: stop, keep what parsed
                var payload = new byte[len];
                Array.Copy(data, at + 4, payload, 0, len);
                features.Add(new FeatureDescriptor(code, (flags & 1) != 0, (flags & 2) != 0, (byte)((flags >> 2) & 0x0F), payload));
                at += 4 + len;
            }
            return new ConfigurationData(profile, features);
        }

        /// <summary>Builds a response (virtual drives, tests). Features are (code, data) pairs, all current.</summary>
        public static byte[] Build(int currentProfile, IEnumerable<KeyValuePair<int, byte[]>> features)
        {
            var body = new List<byte>();
            foreach (var f in features)
            {
                body.Add((byte)(f.Key >> 8)); body.Add((byte)f.Key);
                body.Add(0x03);  // persistent + current
                body.Add((byte)f.Value.Length);
                body.AddRange(f.Value);
            }
            var result = new byte[8 + body.Count];
            BigEndian.Put32(result, 0, (uint)(result.Length - 4));
            BigEndian.Put16(result, 6, currentProfile);
            body.CopyTo(result, 8);
            return result;
        }

        /// <summary>Feature payloads padded to a multiple of 4 bytes, as MMC requires.</summary>
        public static byte[] AsciiFeature(string text)
        {
            var bytes = Encoding.ASCII.GetBytes(text ?? string.Empty);
            var padded = new byte[(bytes.Length + 3) / 4 * 4];
            for (int i = 0; i < padded.Length; i++) padded[i] = i < bytes.Length ? bytes[i] : (byte)' ';
            return padded;
        }

        public static string ProfileName(int profile)
        {
            switch (profile)
            {
                case 0x0000: return "none";
                case 0x0008: return "CD-ROM";
                case 0x0009: return "CD-R";
                case 0x000A: return "CD-RW";
                case 0x0010: return "DVD-ROM";
                case 0x0011: return "DVD-R";
                case 0x0012: return "DVD-RAM";
                case 0x0013:
                case 0x0014: return "DVD-RW";
                case 0x001A: return "DVD+RW";
                case 0x001B: return "DVD+R";
                case 0x002B: return "DVD+R DL";
                case 0x0040: return "BD-ROM";
                case 0x0041:
                case 0x0042: return "BD-R";
                case 0x0043: return "BD-RE";
                case 0xFFFF: return "none";
                default: return "profile 0x" + profile.ToString("X4");
            }
        }
    }
}
