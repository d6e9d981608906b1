using System;
using System.Collections.Generic;

namespace MtkFlash.Core.Firmware.Formats
{
    /// <summary>One entry the flasher asks to process (size not 0), and what became of it.</summary>
    internal sealed class XFlashImage
    {
        public XFlashEntry Entry;
        /// <summary>Absolute offset in the (unpacked) EXE where the entry's stored bytes start.</summary>
        public long DataOffset;
        /// <summary>0 plain, 1 flip-n-swap, 2 Fibonacci, 3 and-key; −1 when no method could be chosen.</summary>
        public int Method;
        /// <summary>What the method was given or found (skips, key offset, fwkey, and-key, exkey and its votes).</summary>
        public Dictionary<string, object> Parameters;
        /// <summary>The image, or null when it could not be extracted or failed the check.</summary>
        public byte[] Bytes;
        /// <summary>It passed the check in its rebanked form (LITEONIT at 0xFFF8).</summary>
        public bool Rebanked;
    }

    /// <summary>Everything read from one flasher: table, version, method, and each entry's image or problem.</summary>
    internal sealed class XFlashExtraction
    {
        public XFlashTable Table;
        public XFlashVersion Version;
        /// <summary>0 plain, 1–3 scrambled, −1 when no method could be chosen.</summary>
        public int Method = -1;
        /// <summary>Entries processed: the count field, or 4 from version 2.2.0.</summary>
        public long Count;
        public readonly List<XFlashImage> Images = new List<XFlashImage>();
        public readonly List<FirmwareProblem> Problems = new List<FirmwareProblem>();

        internal void Error(string code, string message) => Problems.Add(new FirmwareProblem(code, ProblemSeverity.Error, message));
        internal void Warn(string code, string message) => Problems.Add(new FirmwareProblem(code, ProblemSeverity.Warning, message));
    }

    /// <summary>
    /// LiteOn/Sony XFlash flasher EXEs with embedded images, taken apart the way xflashx does (docs/xflash-flashers.md;
    /// rpc1dev/omnipatcher common_xflash.pl): find the descriptor table and the version, decide plain or scrambled, choose the
    /// method, decode each entry and check the result. Every failure is a problem with its own code; nothing is guessed.
    /// </summary>
    internal static class XFlashExe
    {
        public static bool IsExecutable(byte[] data, int length) => length >= 2 && data[0] == (byte)'M' && data[1] == (byte)'Z';

        public static readonly string[] MethodNames = { "plain", "flipAndSwap", "fibonacci", "andKey" };

        /// <summary>
        /// Null when the file holds no descriptor table. unpacked: the bytes came out of upx; then, as in the source, only a
        /// version below 2.0.5 makes the flasher plain, and a flasher without a version cannot be decoded.
        /// </summary>
        /// <param name="allocate">Gives the array each image is decoded into (exactly the size asked for; every byte is
        /// written); null: new arrays.</param>
        public static XFlashExtraction Extract(byte[] d, int length, bool unpacked, int maxImageSize, Func<int, byte[]> allocate = null)
        {
            var table = XFlashTable.Find(d, length);
            if (table == null) return null;
            var x = new XFlashExtraction { Table = table, Version = XFlashVersion.Find(d, length) };
            int version = x.Version?.Number ?? -1;
            bool scrambled = unpacked ? !(x.Version != null && version < XFlashVersion.FirstScrambled) : version >= XFlashVersion.FirstScrambled;

            XFlashMethodChoice choice = null;
            bool decode = true;
            if (!scrambled)
            {
                x.Method = 0;
                if (x.Version == null)
                    x.Warn(FirmwareProblemCodes.XFlashVersionUnknown, "The flasher has no XFlash version string (\"Ver d.d.d\"); like xflashx, MtkFlash takes its images as " +
                        "stored unscrambled, and keeps them only if they pass the bank check.");
            }
            else if (x.Version == null)
            {
                x.Error(FirmwareProblemCodes.XFlashVersionUnknown, "The unpacked flasher has no XFlash version string (\"Ver d.d.d\"), so the scrambling method cannot be " +
                    "chosen: nothing was extracted.");
                decode = false;
            }
            else
            {
                choice = XFlashMethodChoice.Choose(d, length, version);
                if (choice.Method < 0)
                {
                    x.Error(FirmwareProblemCodes.XFlashMethodUnknown, "XFlash " + x.Version.Text + " scrambles its images, but " +
                        (version < XFlashVersion.SignatureChosen ? "no method is known for this version (2.0.5 uses method 1; from 2.1.0 the flasher's code names it)"
                            : "its code matches none of the known methods (no Fibonacci or and-key unscrambling code, no run of 256 0xFF bytes)") +
                        ": nothing was extracted.");
                    decode = false;
                }
                else x.Method = choice.Method;
            }

            x.Count = version >= XFlashVersion.AllFourEntries ? XFlashTable.Entries : table.Count;
            if (x.Count < 1 || x.Count > XFlashTable.Entries)
            {
                x.Error(FirmwareProblemCodes.XFlashDescriptorInvalid, "The flasher's " + table.CountKey + " field says " + table.CountText +
                    ", not a count from 1 to 4: nothing was extracted.");
                return x;
            }
            for (int i = 0; i < x.Count; i++)
            {
                var e = table.Items[i];
                if (e.Size == 0) continue;
                // Without a method the entries are still listed (what the flasher holds), with nothing extracted.
                x.Images.Add(decode ? ExtractOne(d, length, x, e, i, choice, maxImageSize, allocate ?? (n => new byte[n])) : new XFlashImage { Entry = e, Method = -1, DataOffset = table.End + e.Start });
            }
            if (x.Images.Count == 0)
                x.Error(FirmwareProblemCodes.XFlashDescriptorInvalid, "Every entry the flasher processes (" + x.Count + ") has BIN_SIZE 0: it holds no image.");
            return x;
        }

        static XFlashImage ExtractOne(byte[] d, int length, XFlashExtraction x, XFlashEntry e, int i, XFlashMethodChoice choice, int maxImageSize, Func<int, byte[]> allocate)
        {
            var img = new XFlashImage { Entry = e, Method = x.Method, DataOffset = x.Table.End + e.Start };
            string name = "Embedded image " + e.Index + (string.IsNullOrEmpty(e.Revision) ? string.Empty : " ('" + Printable(e.Revision) + "')");
            int keyOffset = XFlashKeyWalk.KeyOffset(x.Table.End, i);
            long stored = e.Size;
            switch (x.Method)
            {
                case 1:
                    img.Parameters = new Dictionary<string, object> { ["skipPre"] = choice.SkipPre, ["skipLen"] = choice.SkipLen };
                    if (choice.EvidenceOffset >= 0) img.Parameters["ffRunOffset"] = choice.EvidenceOffset;
                    stored = XFlashFlipSwap.StoredLength(e.Size, choice.SkipLen);
                    break;
                case 2:
                case 3:
                    img.DataOffset += XFlashKeyWalk.DataSkip;
                    img.Parameters = new Dictionary<string, object> { ["keyOffset"] = keyOffset, ["fwKey"] = (int)XFlashKeyWalk.FwKey(e.Revision) };
                    if (x.Method == 3) img.Parameters["andKey"] = choice.AndKey;
                    img.Parameters["signatureOffset"] = choice.EvidenceOffset;
                    if (keyOffset > length - XFlashKeyWalk.KeyLength)
                    {
                        x.Error(FirmwareProblemCodes.XFlashOutsideFile, name + ": its 0x400-byte key at " + ImageBytes.HexOffset(keyOffset) + " runs past the end of the file (" +
                            length + " bytes): the EXE is truncated or its descriptor is damaged.");
                        return img;
                    }
                    break;
            }
            if (img.DataOffset + stored > length)
            {
                x.Error(FirmwareProblemCodes.XFlashOutsideFile, name + " (offset " + ImageBytes.HexOffset(img.DataOffset) + ", " + ImageBytes.HexOffset(stored) +
                    " bytes stored) runs past the end of the file (" + length + " bytes): the EXE is truncated or its descriptor is damaged.");
                return img;
            }
            if (e.Size > maxImageSize)
            {
                x.Error(FirmwareProblemCodes.TooLarge, name + " claims " + e.Size + " bytes, more than any firmware image.");
                return img;
            }
            int size = (int)e.Size, at = (int)img.DataOffset;
            byte[] image;
            switch (x.Method)
            {
                case 1:
                    if (size < XFlashFlipSwap.SwapLength || size < choice.SkipPre)
                    {
                        x.Error(FirmwareProblemCodes.XFlashDescriptorInvalid, name + " has " + size + " bytes, fewer than the 0x8000 that method 1 exchanges: the descriptor is damaged.");
                        return img;
                    }
                    image = XFlashFlipSwap.Decode(d, at, size, choice.SkipPre, choice.SkipLen, allocate(size));
                    break;
                case 2:
                case 3:
                    int largest = x.Method == 2 ? XFlashFibonacci.LargestKeyPart : choice.AndKey;
                    if (!XFlashKeyWalk.Fits(size, largest))
                    {
                        x.Error(FirmwareProblemCodes.XFlashDescriptorInvalid, name + " has " + size + " bytes, too few for method " + x.Method + "'s key walk: the descriptor is damaged.");
                        return img;
                    }
                    image = Copy(d, at, allocate(size));
                    if (x.Method == 2) XFlashFibonacci.Walk(image, d, keyOffset, e.Revision);
                    else
                    {
                        var est = XFlashAndKey.EstimateExKey(image, d, keyOffset, e.Revision, choice.AndKey);
                        img.Parameters["exKey"] = (int)est.ExKey;
                        img.Parameters["exKeyVotes"] = est.Votes;
                        img.Parameters["runnerUp"] = (int)est.RunnerUp;
                        img.Parameters["runnerUpVotes"] = est.RunnerUpVotes;
                        if (est.Tied)
                        {
                            x.Error(FirmwareProblemCodes.XFlashKeyAmbiguous, name + ": the exkey estimate is a tie (0x" + est.ExKey.ToString("X2") + " and 0x" +
                                est.RunnerUp.ToString("X2") + " have " + est.Votes + " votes each), so the image would be a guess: nothing was extracted.");
                            return img;
                        }
                        XFlashAndKey.Walk(image, d, keyOffset, e.Revision, choice.AndKey, est.ExKey);
                    }
                    break;
                default:
                    image = Copy(d, at, allocate(size));
                    break;
            }
            if (!XFlashBankCheck.Passes(image, out img.Rebanked))
            {
                x.Error(FirmwareProblemCodes.XFlashBankCheckFailed, name + " fails the check after extraction with method " + x.Method + " (" + MethodNames[x.Method] +
                    "): bank(s) " + XFlashBankCheck.BadBanks(image) + " do not start with 0x02 and it is not a rebanked LITEONIT image" +
                    (x.Version == null ? "; the flasher has no version string, so it may be scrambled in a way MtkFlash cannot tell" : string.Empty) +
                    ". It was not extracted.");
                return img;
            }
            img.Bytes = image;
            return img;
        }

        static byte[] Copy(byte[] d, int offset, byte[] into)
        {
            Buffer.BlockCopy(d, offset, into, 0, into.Length);
            return into;
        }

        /// <summary>A revision for messages and file names: characters outside printable ASCII become '?'.</summary>
        public static string Printable(string s)
        {
            var chars = (s ?? string.Empty).ToCharArray();
            for (int i = 0; i < chars.Length; i++) if (chars[i] < 0x20 || chars[i] > 0x7E) chars[i] = '?';
            return new string(chars);
        }
    }
}
