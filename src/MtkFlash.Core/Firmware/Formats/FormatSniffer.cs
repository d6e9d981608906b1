namespace MtkFlash.Core.Firmware.Formats
{
    /// <summary>Names a file by its first bytes, so an EXE, archive or web page is called what it is, never guessed at as an image.</summary>
    internal static class FormatSniffer
    {
        public static FirmwareFormat Sniff(byte[] d, int length, out string kind)
        {
            kind = null;
            if (length == 0) return FirmwareFormat.Empty;
            if (XFlashExe.IsExecutable(d, length)) { kind = "Windows executable"; return FirmwareFormat.WindowsExecutable; }
            if (Starts(d, length, 0x50, 0x4B, 0x03, 0x04) || Starts(d, length, 0x50, 0x4B, 0x05, 0x06) || Starts(d, length, 0x50, 0x4B, 0x07, 0x08)) { kind = "zip"; return FirmwareFormat.Archive; }
            if (Starts(d, length, 0x52, 0x61, 0x72, 0x21, 0x1A, 0x07)) { kind = "rar"; return FirmwareFormat.Archive; }
            if (Starts(d, length, 0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C)) { kind = "7z"; return FirmwareFormat.Archive; }
            if (Starts(d, length, 0x1F, 0x8B)) { kind = "gzip"; return FirmwareFormat.Archive; }
            if (Starts(d, length, 0x42, 0x5A, 0x68)) { kind = "bzip2"; return FirmwareFormat.Archive; }
            if (Starts(d, length, 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00)) { kind = "xz"; return FirmwareFormat.Archive; }
            if (Starts(d, length, 0x4D, 0x53, 0x43, 0x46)) { kind = "cab"; return FirmwareFormat.Archive; }
            if (IntelHexDecoder.LooksLikeHex(d, length)) return FirmwareFormat.IntelHex;
            if (LooksLikeText(d, length)) { kind = "text"; return FirmwareFormat.Text; }
            return FirmwareFormat.Raw;
        }

        static bool Starts(byte[] d, int length, params byte[] magic)
        {
            if (length < magic.Length) return false;
            for (int i = 0; i < magic.Length; i++) if (d[i] != magic[i]) return false;
            return true;
        }

        /// <summary>No NUL and no control characters other than tab/CR/LF/FF in the first 4 KiB (UTF-8 lead/continuation bytes allowed).</summary>
        static bool LooksLikeText(byte[] d, int length)
        {
            int n = length < 4096 ? length : 4096;
            for (int i = 0; i < n; i++)
            {
                byte b = d[i];
                if (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C) return false;
                if (b == 0x7F || b == 0xC0 || b == 0xC1 || b >= 0xF5) return false; // never in UTF-8 text (0xFF: erased flash)
            }
            return true;
        }
    }
}
