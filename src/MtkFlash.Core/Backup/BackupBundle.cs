using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Core.Backup
{
    /// <summary>The bundle's final name is taken: backups are never overwritten.</summary>
    public sealed class BackupExistsException : IOException
    {
        public BackupExistsException(string message) : base(message) { }
    }

    /// <summary>Folder (default) or a single .zip file; both hold the same files.</summary>
    public enum BackupFormat { Folder, Zip }

    /// <summary>
    /// A backup on disk: manifest.json plus one file per part. Written to a temporary name in the destination folder and
    /// renamed at the end, so a partial bundle never carries the final name; an existing bundle is never overwritten.
    /// Reading verifies every part's SHA-256.
    /// </summary>
    public sealed class BackupBundle
    {
        BackupBundle(string path, BackupManifest manifest, Dictionary<string, byte[]> files)
        {
            Path = path; Manifest = manifest; _files = files;
        }

        readonly Dictionary<string, byte[]> _files;

        public string Path { get; }
        public BackupManifest Manifest { get; }

        public byte[] Read(BackupPart part) => (byte[])_files[part.File].Clone();
        public byte[] FirmwareImage => Manifest.Firmware == null ? null : Read(Manifest.Firmware);

        public static string Sha256(byte[] data) => Infrastructure.Hashing.Sha256Hex(data);

        /// <summary>True when the path looks like a bundle (a folder or zip with an MtkFlash manifest).</summary>
        public static bool IsBundle(string path)
        {
            try
            {
                if (Directory.Exists(path)) return File.Exists(System.IO.Path.Combine(path, BackupManifest.FileName));
                if (Infrastructure.FileKinds.Of(path) != Infrastructure.PathKind.File) return false;   // a FIFO would block the open
                using (var fs = File.OpenRead(path))
                {
                    var magic = new byte[4];
                    if (fs.Read(magic, 0, 4) != 4 || magic[0] != 'P' || magic[1] != 'K' || magic[2] != 3 || magic[3] != 4) return false;
                    fs.Position = 0;
                    using (var zip = new ZipArchive(fs, ZipArchiveMode.Read)) return zip.GetEntry(BackupManifest.FileName) != null;
                }
            }
            catch (IOException) { return false; }
            catch (UnauthorizedAccessException) { return false; }
            catch (InvalidDataException) { return false; }
        }

        /// <summary>Writes a bundle named <paramref name="name"/> (".zip" added for zip) into <paramref name="destinationDirectory"/>.</summary>
        public static string Write(string destinationDirectory, string name, BackupFormat format, BackupManifest manifest, IReadOnlyDictionary<string, byte[]> files) =>
            Write(destinationDirectory, name, format, manifest, files, null);

        /// <param name="createFile">
        /// Test seam: creates each new file of the bundle (default: FileStream, FileMode.CreateNew). Lets tests reproduce an
        /// access-denied share or a full disk, which a test running as root cannot provoke with permissions.
        /// </param>
        internal static string Write(string destinationDirectory, string name, BackupFormat format, BackupManifest manifest, IReadOnlyDictionary<string, byte[]> files,
            Func<string, Stream> createFile)
        {
            createFile = createFile ?? CreateNewFile;
            if (!Directory.Exists(destinationDirectory))
                throw new DirectoryNotFoundException("The backup folder '" + destinationDirectory + "' does not exist.");
            foreach (var part in manifest.Parts)
            {
                if (!files.TryGetValue(part.File, out var data)) throw new InvalidOperationException("No data for part " + part.File);
                part.Length = data.Length;
                part.Sha256 = Sha256(data);
            }
            // Never overwrite: a taken name (two backups of one drive in the same second, the automatic backup right after a
            // manual one) gets "-2", "-3", … The rename below also fails rather than replace anything that appears meanwhile.
            string finalPath = null;
            for (int n = 1; n <= 99 && finalPath == null; n++)
            {
                var candidate = System.IO.Path.Combine(destinationDirectory, (n == 1 ? name : name + "-" + n) + (format == BackupFormat.Zip ? ".zip" : string.Empty));
                if (!File.Exists(candidate) && !Directory.Exists(candidate)) finalPath = candidate;
            }
            if (finalPath == null)
                throw new BackupExistsException("Backups named '" + name + "' up to '-99' already exist in '" + destinationDirectory + "'; MtkFlash never overwrites a backup.");
            var temp = System.IO.Path.Combine(destinationDirectory, "." + name + ".partial-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            var manifestBytes = new UTF8Encoding(false).GetBytes(manifest.ToJson());
            // Built under the temporary name and renamed when complete; on any failure the partial bundle is deleted.
            AtomicFile.Publish(temp, finalPath, t =>
            {
                if (format == BackupFormat.Folder)
                {
                    Directory.CreateDirectory(t);
                    foreach (var f in files) AtomicFile.WriteNew(System.IO.Path.Combine(t, f.Key), f.Value, durable: true, create: createFile);
                    AtomicFile.WriteNew(System.IO.Path.Combine(t, BackupManifest.FileName), manifestBytes, durable: true, create: createFile);
                }
                else
                {
                    using (var fs = createFile(t))
                    {
                        using (var zip = new ZipArchive(fs, ZipArchiveMode.Create, leaveOpen: true))
                        {
                            foreach (var f in files) AddEntry(zip, f.Key, f.Value);
                            AddEntry(zip, BackupManifest.FileName, manifestBytes);
                        }
                        AtomicFile.FlushToDisk(fs);
                    }
                }
                return true;
            });
            return finalPath;
        }

        static void AddEntry(ZipArchive zip, string name, byte[] data)
        {
            using (var s = zip.CreateEntry(name, CompressionLevel.Optimal).Open()) s.Write(data, 0, data.Length);
        }

        static Stream CreateNewFile(string path) => new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);

        /// <summary>Opens a bundle and verifies every part against the manifest. Throws InvalidDataException on any mismatch.</summary>
        public static BackupBundle Open(string path)
        {
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            if (Directory.Exists(path))
            {
                foreach (var f in Directory.GetFiles(path))
                {
                    var info = new FileInfo(f);
                    var special = Infrastructure.FileKinds.SpecialFileProblem(f);
                    if (special != null) throw new InvalidDataException("The backup '" + path + "' is damaged: " + special);
                    if (info.Length > 64L * 1024 * 1024) throw new InvalidDataException("Bundle file '" + info.Name + "' is implausibly large.");
                    files[info.Name] = File.ReadAllBytes(f);
                }
            }
            else
            {
                using (var zip = ZipFile.OpenRead(path))
                    foreach (var e in zip.Entries)
                    {
                        if (e.Length > 64L * 1024 * 1024) throw new InvalidDataException("Bundle entry '" + e.Name + "' is implausibly large.");
                        using (var s = e.Open())
                        using (var ms = new MemoryStream())
                        {
                            s.CopyTo(ms);
                            files[e.FullName] = ms.ToArray();
                        }
                    }
            }
            if (!files.TryGetValue(BackupManifest.FileName, out var manifestBytes))
                throw new InvalidDataException("'" + path + "' is not an MtkFlash backup: it has no " + BackupManifest.FileName + ".");
            BackupManifest manifest;
            try { manifest = BackupManifest.FromJson(Encoding.UTF8.GetString(manifestBytes)); }
            catch (FormatException ex) { throw new InvalidDataException("The backup manifest of '" + path + "' is damaged: " + ex.Message, ex); }
            foreach (var part in manifest.Parts)
            {
                if (!files.TryGetValue(part.File, out var data))
                    throw new InvalidDataException("The backup '" + path + "' lacks its part '" + part.File + "'.");
                if (data.Length != part.Length || !string.Equals(Sha256(data), part.Sha256, StringComparison.OrdinalIgnoreCase))
                    throw new InvalidDataException("The backup part '" + part.File + "' of '" + path + "' does not match its SHA-256 in the manifest: the backup is damaged.");
            }
            // Never imply a full backup that is not there (issue 3): "full" and a firmware part go together.
            if ((manifest.Completeness == BackupCompleteness.Full) != (manifest.Firmware != null))
                throw new InvalidDataException("The backup '" + path + "' says it is " + Serialization.Json.EnumName(manifest.Completeness) + " but " +
                    (manifest.Firmware == null ? "holds no firmware image" : "holds a firmware image") + ": the manifest is damaged.");
            return new BackupBundle(path, manifest, files);
        }
    }
}
