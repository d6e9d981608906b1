using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security;
using System.Security.Cryptography;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware.Families;
using MtkFlash.Core.Firmware.Formats;

namespace MtkFlash.Core.Firmware
{
    /// <summary>A file's report plus the image bytes as they would be written (for extraction and the write operation).</summary>
    public sealed class FirmwareImage
    {
        internal FirmwareImage(FirmwareImageReport report, byte[] bytes, IReadOnlyList<byte[]> embedded, IReadOnlyList<EmbeddedImage> entries = null)
        {
            Report = report; Bytes = bytes; Embedded = embedded ?? (bytes == null ? new byte[0][] : new[] { bytes });
            EmbeddedEntries = entries ?? new EmbeddedImage[Embedded.Count];
        }

        public FirmwareImageReport Report { get; }
        /// <summary>The image as it would be written (decoded for HEX, extracted for XFlash EXEs); null when there is none.</summary>
        public byte[] Bytes { get; }
        /// <summary>Every image the file yields (an XFlash EXE may embed up to four); Bytes is the first.</summary>
        public IReadOnlyList<byte[]> Embedded { get; }
        /// <summary>For each of Embedded, its flasher entry (revision, method); null entries for files that are not flashers.</summary>
        public IReadOnlyList<EmbeddedImage> EmbeddedEntries { get; }
    }

    /// <summary>
    /// Firmware image analysis (issue 6): what a file is, which drive it is for, whether it is whole. Pure parsing with
    /// bounded memory: a file is never read beyond the largest plausible size for its format. Bad input yields a report
    /// with a problem code, never an exception (only a null argument throws).
    /// </summary>
    public static class FirmwareAnalyzer
    {
        /// <summary>Largest image: 2 MiB is the largest documented (BD drives, §1 rule 3); 4 MiB leaves room.</summary>
        public const int MaxImageSize = 4 * 1024 * 1024;
        /// <summary>Intel HEX text is ~2.8 × its binary (44 characters per 16 data bytes).</summary>
        public const int MaxHexFileSize = 16 * 1024 * 1024;
        /// <summary>Vendor flasher EXEs are a few MiB (the ASUS BC-12D2HT flasher embeds 2 MiB at 0x070EA0, docs/reference/mt1959-notes.md §1.1).</summary>
        public const int MaxExecutableSize = 32 * 1024 * 1024;
        const int HeaderSize = 4096;

        // The Analyze methods want the report only: the images a flasher yields are then decoded into reused arrays.
        public static FirmwareImageReport AnalyzeFile(string path, FirmwareAnalysisOptions options = null) => LoadFile(path, options, false).Report;

        public static FirmwareImageReport Analyze(byte[] data, string name = null, FirmwareAnalysisOptions options = null) => Load(data, name, options, false).Report;

        public static FirmwareImageReport Analyze(Stream stream, string name = null, FirmwareAnalysisOptions options = null) => Load(stream, name, options, false).Report;

        public static FirmwareImage Load(byte[] data, string name = null, FirmwareAnalysisOptions options = null) => Load(data, name, options, true);

        public static FirmwareImage Load(Stream stream, string name = null, FirmwareAnalysisOptions options = null) => Load(stream, name, options, true);

        public static FirmwareImage LoadFile(string path, FirmwareAnalysisOptions options = null) => LoadFile(path, options, true);

        /// <param name="keep">false: only the report is wanted, so extracted images may go into reused arrays.</param>
        static FirmwareImage Load(byte[] data, string name, FirmwareAnalysisOptions options, bool keep)
        {
            if (data == null) throw new ArgumentNullException(nameof(data));
            var r = new FirmwareImageReport { Path = name, FileSize = data.Length, Size = data.Length };
            var format = FormatSniffer.Sniff(data, data.Length, out var kind);
            if (data.Length > CapFor(format)) return TooLarge(r, format, data.Length);
            return FromBytes(data, data.Length, r, format, kind, options, keep);
        }

        static FirmwareImage Load(Stream stream, string name, FirmwareAnalysisOptions options, bool keep)
        {
            if (stream == null) throw new ArgumentNullException(nameof(stream));
            var r = new FirmwareImageReport { Path = name };
            try
            {
                long known = -1;
                try { if (stream.CanSeek) known = stream.Length - stream.Position; } catch (NotSupportedException) { }
                return FromStream(stream, known, r, options, keep);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ObjectDisposedException)
            {
                return Unreadable(r, ex.Message);
            }
        }

        static FirmwareImage LoadFile(string path, FirmwareAnalysisOptions options, bool keep)
        {
            var r = new FirmwareImageReport { Path = path };
            if (string.IsNullOrWhiteSpace(path)) return Finish(r, FirmwareFormat.NotFound, FirmwareProblemCodes.NotFound, "No path given.");
            try
            {
                // Before anything opens it: a FIFO blocks the open, a device never ends. The path is looked at once (speed: a
                // folder of small images costs as much in file-system calls as in hashing otherwise).
                var kind = FileKinds.Of(path);
                if (kind != PathKind.Missing && kind != PathKind.File && kind != PathKind.Directory)
                    return Finish(r, FirmwareFormat.Unreadable, FirmwareProblemCodes.NotARegularFile, FileKinds.SpecialFileProblem(path) ?? "'" + path + "' is " + FileKinds.Describe(kind) + ".");
                if (kind == PathKind.Directory)
                {
                    if (BackupBundle.IsBundle(path)) return FromBundle(path, r);
                    return Finish(r, FirmwareFormat.Directory, FirmwareProblemCodes.IsDirectory, "'" + path + "' is a folder, not a firmware file. Give the files inside it (e.g. folder/*.bin).");
                }
                if (kind == PathKind.Missing) return Finish(r, FirmwareFormat.NotFound, FirmwareProblemCodes.NotFound, "'" + path + "' does not exist.");
                using (var fs = Open(path))
                {
                    long known = fs.Length;
                    var header = new byte[HeaderSize];
                    int h = ReadFully(fs, header, 0, HeaderSize);
                    // Only a zip can be a backup bundle: it is opened as one; every other file is read on from here.
                    if (!(h >= 4 && header[0] == 'P' && header[1] == 'K' && header[2] == 3 && header[3] == 4)) return FromHeader(fs, header, h, known, r, options, keep);
                }
                if (BackupBundle.IsBundle(path)) return FromBundle(path, r);
                using (var fs = Open(path))
                    return FromStream(fs, fs.Length, r, options, keep);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is SecurityException || ex is NotSupportedException || ex is ArgumentException)
            {
                return Unreadable(r, ex.Message);
            }
        }

        static FileStream Open(string path) =>
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);

        /// <summary>
        /// An MtkFlash backup (folder or .zip): every part is verified against the manifest, then firmware.bin is analysed
        /// like a raw image. Bundles without an image (identityOnly, regionsOnly) and damaged bundles are reports with a problem.
        /// </summary>
        static FirmwareImage FromBundle(string path, FirmwareImageReport r)
        {
            BackupBundle bundle;
            try { bundle = BackupBundle.Open(path); }
            catch (Exception ex) when (ex is InvalidDataException || ex is IOException || ex is UnauthorizedAccessException)
            {
                return Finish(r, FirmwareFormat.BackupBundle, FirmwareProblemCodes.BackupDamaged, ex.Message);
            }
            var m = bundle.Manifest;
            r.Details.Bundle = new BundleDetails
            {
                Completeness = m.Completeness, Reason = m.Reason, CreatedUtc = m.CreatedUtc, Tool = m.Tool, ComputerName = m.ComputerName, Drive = m.Drive, Parts = m.Parts,
            };
            r.FileSize = File.Exists(path) ? new FileInfo(path).Length : m.Parts.Sum(p => p.Length);
            var firmware = bundle.FirmwareImage;
            if (firmware == null)
            {
                // Say whose drive it is, but never name a family for an image that is not there.
                r.Vendor = m.Drive?.Vendor; r.Product = m.Drive?.Product; r.Revision = m.Drive?.Revision;
                return Finish(r, FirmwareFormat.BackupBundle, FirmwareProblemCodes.BackupHasNoImage,
                    "The backup is " + Serialization.Json.EnumName(m.Completeness) + ": it holds no firmware image to analyse (" + m.Reason + ").");
            }
            var image = FromBytes(firmware, firmware.Length, r, FirmwareFormat.Raw, null, null, true);
            r.Format = FirmwareFormat.BackupBundle;
            return image;
        }

        static FirmwareImage Unreadable(FirmwareImageReport r, string why) =>
            Finish(r, FirmwareFormat.Unreadable, FirmwareProblemCodes.Unreadable, "The file could not be read (locked by another program or no permission): " + why);

        static FirmwareImage Finish(FirmwareImageReport r, FirmwareFormat format, string code, string message)
        {
            r.Format = format;
            r.Error(code, message);
            r.IsValid = false;
            return new FirmwareImage(r, null, null);
        }

        static int CapFor(FirmwareFormat format)
        {
            switch (format)
            {
                case FirmwareFormat.WindowsExecutable: return MaxExecutableSize;
                case FirmwareFormat.IntelHex: return MaxHexFileSize;
                case FirmwareFormat.Raw: return MaxImageSize;
                default: return int.MaxValue; // archives and text are named from their header only
            }
        }

        static FirmwareImage TooLarge(FirmwareImageReport r, FirmwareFormat format, long length)
        {
            r.FileSize = length; r.Size = length;
            return Finish(r, format, FirmwareProblemCodes.TooLarge, "The file has " + length + " bytes, more than any " +
                (format == FirmwareFormat.WindowsExecutable ? "flasher EXE" : "firmware image") + " (" + CapFor(format) + " bytes): it was not read. A disk image or a wrong file?");
        }

        /// <summary>Reads the header, names the format, then reads at most the cap for that format.</summary>
        static FirmwareImage FromStream(Stream s, long known, FirmwareImageReport r, FirmwareAnalysisOptions options, bool keep)
        {
            var header = new byte[HeaderSize];
            int h = ReadFully(s, header, 0, HeaderSize);
            return FromHeader(s, header, h, known, r, options, keep);
        }

        /// <summary>FromStream once the first h bytes (at most HeaderSize) are in header.</summary>
        static FirmwareImage FromHeader(Stream s, byte[] header, int h, long known, FirmwareImageReport r, FirmwareAnalysisOptions options, bool keep)
        {
            var format = FormatSniffer.Sniff(header, h, out var kind);
            if (h < HeaderSize) known = h;
            if (format == FirmwareFormat.Archive || format == FirmwareFormat.Text || format == FirmwareFormat.Empty)
            {
                r.FileSize = r.Size = known >= 0 ? known : h;
                return FromBytes(header, h, r, format, kind, options, keep);
            }
            int cap = CapFor(format);
            if (known > cap) return TooLarge(r, format, known);
            byte[] data;
            int length;
            // A flasher's or a HEX file's own bytes are not kept (its images are decoded into their own arrays), so they are
            // read into the thread's scratch buffer and given back afterwards.
            bool scratch = known >= 0 && (format == FirmwareFormat.WindowsExecutable || format == FirmwareFormat.IntelHex);
            if (known >= 0)
            {
                data = scratch ? RentScratch((int)known) : new byte[known];
                Array.Copy(header, data, h);
                length = h + ReadFully(s, data, h, (int)known - h);
            }
            else
            {
                data = header;
                length = h;
                while (true)
                {
                    if (length == data.Length)
                    {
                        if (data.Length > cap) return TooLarge(r, format, length);
                        Array.Resize(ref data, (int)Math.Min((long)data.Length * 2, (long)cap + 1));
                    }
                    int n = s.Read(data, length, data.Length - length);
                    if (n <= 0) break;
                    length += n;
                }
                if (length > cap) return TooLarge(r, format, length);
            }
            r.FileSize = r.Size = length;
            try { return FromBytes(data, length, r, format, kind, options, keep); }
            finally { if (scratch) ReturnScratch(data); }
        }

        /// <summary>
        /// One buffer per thread for file bytes that are not kept, held weakly so that a collection can take it back. Reading
        /// a folder of flashers into fresh arrays costs about as much in page faults and zeroing as hashing them.
        /// </summary>
        [ThreadStatic] static WeakReference<byte[]> scratchBuffer;

        static byte[] RentScratch(int size)
        {
            var held = scratchBuffer;
            scratchBuffer = null; // taken: a nested analysis gets its own
            if (held != null && held.TryGetTarget(out var buffer) && buffer.Length >= size) return buffer;
            return new byte[(size + 0xFFFFF) & ~0xFFFFF]; // whole MiB, so that a slightly larger file fits next time
        }

        static void ReturnScratch(byte[] buffer) => scratchBuffer = new WeakReference<byte[]>(buffer);

        static int ReadFully(Stream s, byte[] buffer, int offset, int count)
        {
            int total = 0;
            while (total < count)
            {
                int n = s.Read(buffer, offset + total, count - total);
                if (n <= 0) break;
                total += n;
            }
            return total;
        }

        static FirmwareImage FromBytes(byte[] d, int length, FirmwareImageReport r, FirmwareFormat format, string kind, FirmwareAnalysisOptions options, bool keep)
        {
            r.Format = format;
            if (r.FileSize == 0) r.FileSize = r.Size = length;
            byte[] image = null;
            List<byte[]> embedded = null;
            List<EmbeddedImage> entries = null;
            switch (format)
            {
                case FirmwareFormat.Empty:
                    r.Error(FirmwareProblemCodes.Empty, "The file is empty (0 bytes): a failed download or copy.");
                    break;
                case FirmwareFormat.Archive:
                    r.Error(FirmwareProblemCodes.Archive, "A " + kind + " archive, not a firmware image: unpack it and test the .BIN inside.");
                    break;
                case FirmwareFormat.Text:
                    r.Error(FirmwareProblemCodes.TextFile, "A text file, not a firmware image (a saved web page or a readme?).");
                    break;
                case FirmwareFormat.WindowsExecutable:
                    entries = new List<EmbeddedImage>();
                    embedded = AnalyzeExecutable(d, length, r, options ?? FirmwareAnalysisOptions.Default, entries, keep ? null : (Func<int, byte[]>)ImageArrays.Rent);
                    image = embedded.Count > 0 ? embedded[0] : null;
                    break;
                case FirmwareFormat.IntelHex:
                    image = AnalyzeHex(d, length, r);
                    break;
                default:
                    image = length == d.Length ? d : Copy(d, 0, length);
                    RawImageAnalyzer.Analyze(image, r);
                    break;
            }
            if (image != null)
            {
                r.Size = image.Length;
                // A flasher's images were hashed when they were extracted; hash each image once.
                r.Sha256 = entries != null && entries.Count > 0 ? entries[0].Sha256 : Sha256Hex(image);
            }
            else if (format != FirmwareFormat.Raw) r.Size = 0;
            r.IsValid = image != null && image.Length > 0 && r.Family != DriveFamily.Unknown && !r.Problems.Exists(p => p.Severity == ProblemSeverity.Error);
            if (!keep && embedded != null)
            {
                foreach (var e in embedded) ImageArrays.Return(e);
                return new FirmwareImage(r, null, null);
            }
            return new FirmwareImage(r, image, embedded, entries);
        }

        static byte[] AnalyzeHex(byte[] d, int length, FirmwareImageReport r)
        {
            var hex = IntelHexDecoder.Decode(d, length, MaxImageSize);
            r.Problems.AddRange(hex.Problems);
            r.Details.HexRecords = hex.DataRecords;
            r.Details.HexBanks = hex.Banks;
            if (hex.Image.Length == 0) return null;
            RawImageAnalyzer.Analyze(hex.Image, r);
            return hex.Image;
        }

        /// <summary>
        /// A Windows executable: an XFlash flasher's images, decoded and checked (docs/xflash-flashers.md), or a report of why
        /// there are none. A flasher without a descriptor table may be UPX-compressed: then upx (if there is one) unpacks a
        /// copy and the result is read instead. Fills entries with the report entry of each image returned.
        /// </summary>
        static List<byte[]> AnalyzeExecutable(byte[] d, int length, FirmwareImageReport r, FirmwareAnalysisOptions options, List<EmbeddedImage> entries, Func<int, byte[]> allocate)
        {
            var images = new List<byte[]>();
            var x = XFlashExe.Extract(d, length, false, MaxImageSize, allocate);
            if (x == null)
            {
                x = Unpacked(d, length, r, options, allocate);
                if (x == null) return images;
                r.Details.FlasherCompression = "upx";
            }
            r.Format = FirmwareFormat.XFlashExe;
            r.Details.FlasherVersion = x.Version?.Text;
            r.Details.Embedded = new List<EmbeddedImage>();
            r.Problems.AddRange(x.Problems);
            var revisions = new List<string>();
            foreach (var img in x.Images)
            {
                var e = img.Entry;
                var emb = new EmbeddedImage
                {
                    Index = e.Index, Offset = img.DataOffset, Size = e.Size, Revision = XFlashExe.Printable(e.Revision).Trim(),
                    Method = img.Method >= 0 ? img.Method : (int?)null, MethodParameters = img.Parameters,
                    Extracted = img.Bytes != null, Rebanked = img.Rebanked,
                };
                r.Details.Embedded.Add(emb);
                if (RevisionRules.HasLetterOForZero(emb.Revision))
                    r.Error(FirmwareProblemCodes.RevisionLetterO, "NEW_FW" + e.Index + " '" + emb.Revision + "' has the letter O where a zero belongs.");
                if (img.Bytes == null) continue;
                emb.Sha256 = Sha256Hex(img.Bytes);
                images.Add(img.Bytes);
                entries.Add(emb);
                revisions.Add(emb.Revision);
            }
            for (int i = 0; i < images.Count; i++)
            {
                var target = i == 0 ? r : new FirmwareImageReport();
                RawImageAnalyzer.Analyze(images[i], target);
                if (i > 0)
                    foreach (var p in target.Problems)
                        if (p.Severity == ProblemSeverity.Error) r.Error(p.Code, "Embedded image " + entries[i].Index + ": " + p.Message);
                var announced = revisions[i];
                if (!string.IsNullOrEmpty(announced) && target.Revision != null && !string.Equals(announced, target.Revision.Trim(), StringComparison.OrdinalIgnoreCase))
                    r.Warn(FirmwareProblemCodes.IdentityMismatch, "The flasher announces revision '" + announced + "' but embedded image " + entries[i].Index + " says '" + target.Revision + "'.");
            }
            return images;
        }

        /// <summary>An EXE without a descriptor table: unpacked with upx and read again, or null with the reason reported.</summary>
        static XFlashExtraction Unpacked(byte[] d, int length, FirmwareImageReport r, FirmwareAnalysisOptions options, Func<int, byte[]> allocate)
        {
            bool looksPacked = UpxUnpacker.LooksPacked(d, length);
            var tool = options.LocateUnpacker?.Invoke();
            if (tool == null)
            {
                if (looksPacked)
                    r.Error(FirmwareProblemCodes.XFlashCompressed, "A UPX-compressed flasher EXE (official LiteOn flashers from mid-2004 on are): its descriptor table and images " +
                        "are inside the compressed part. The upx tool unpacks it: install " + UpxUnpacker.ToolHint + " and test it again.");
                else
                    r.Error(FirmwareProblemCodes.WindowsExecutable, "A Windows executable, not a firmware image: no XFlash descriptor table (HOW_MANY_BIN … NEW_FW4) inside. " +
                        "If it is a LiteOn flasher it may be UPX-compressed: with " + UpxUnpacker.ToolHint + ", MtkFlash unpacks a copy and looks again.");
                return null;
            }
            var u = UpxUnpacker.Unpack(tool, d, length, options.UnpackTimeout, MaxExecutableSize);
            if (u.Data == null)
            {
                if (u.NotPacked && !looksPacked)
                    r.Error(FirmwareProblemCodes.WindowsExecutable, "A Windows executable, not a firmware image: no XFlash descriptor table inside, and upx finds nothing to unpack (" + u.Error + ").");
                else
                    r.Error(FirmwareProblemCodes.XFlashUnpackFailed, "The EXE has no descriptor table in the clear and upx could not unpack it (" + u.Error + "): no image can be taken out.");
                return null;
            }
            var x = XFlashExe.Extract(u.Data, u.Data.Length, true, MaxImageSize, allocate);
            if (x == null)
                r.Error(FirmwareProblemCodes.WindowsExecutable, "A Windows executable, not a firmware image: upx unpacked it, but there is no XFlash descriptor table inside either.");
            return x;
        }

        static byte[] Copy(byte[] d, int offset, int count)
        {
            var r = new byte[count];
            Buffer.BlockCopy(d, offset, r, 0, count);
            return r;
        }

        internal static string Sha256Hex(byte[] data) => Infrastructure.Hashing.Sha256Hex(data);
    }
}
