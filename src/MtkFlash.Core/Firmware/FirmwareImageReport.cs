using System;
using System.Collections.Generic;
using System.Linq;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Serialization;

namespace MtkFlash.Core.Firmware
{
    /// <summary>What a file is, before anything else is said about it.</summary>
    public enum FirmwareFormat
    {
        /// <summary>A raw binary image (.BIN), written to flash as it is.</summary>
        Raw,
        /// <summary>Intel HEX text (MTKFLASH without /B; BTC bank-switch records); the report describes the binary it decodes to.</summary>
        IntelHex,
        /// <summary>A LiteOn/Sony XFlash flasher EXE with an embedded image (docs/reference/drive-protocols.md §3.5).</summary>
        XFlashExe,
        /// <summary>Any other Windows executable: a flasher MtkFlash cannot open, not a firmware image.</summary>
        WindowsExecutable,
        /// <summary>zip, rar, 7z, gzip, bzip2, xz: unpack it first.</summary>
        Archive,
        /// <summary>Text that is not Intel HEX (a saved web page, a readme).</summary>
        Text,
        Directory,
        Empty,
        NotFound,
        /// <summary>The file exists but could not be read (permissions, locked by another program).</summary>
        Unreadable,
        /// <summary>An MtkFlash backup bundle (folder or .zip, docs/backup-format.md); the report describes its firmware.bin.</summary>
        BackupBundle,
        Unknown,
    }

    public enum ProblemSeverity
    {
        /// <summary>The file must not be written as it is; isValid is false.</summary>
        Error,
        /// <summary>Worth knowing before writing; the image can still be valid.</summary>
        Warning,
    }

    /// <summary>One finding. Codes are stable (see <see cref="FirmwareProblemCodes"/>); messages are for people.</summary>
    public sealed class FirmwareProblem
    {
        public FirmwareProblem(string code, ProblemSeverity severity, string message) { Code = code; Severity = severity; Message = message; }
        public string Code { get; }
        public ProblemSeverity Severity { get; }
        public string Message { get; }
        public override string ToString() => Json.EnumName(Severity) + " " + Code + ": " + Message;
    }

    /// <summary>A family checksum: computed always, compared where the image stores one.</summary>
    public sealed class FirmwareChecksum
    {
        /// <summary>"sum16" and its range, e.g. "sum16 bytes[0x10000..0x1E1FFF] stored BE16 @0x1FFFFE".</summary>
        public string Algorithm { get; set; }
        /// <summary>The stored value (4 hex digits), or null where the family keeps none in the image (BTC sends it separately).</summary>
        public string Expected { get; set; }
        /// <summary>The computed value, 4 hex digits, the way the official flashers print it ("A79D").</summary>
        public string Actual { get; set; }
        /// <summary>True/false when a stored value exists; null when there is nothing to compare with.</summary>
        public bool? Ok { get; set; }
    }

    /// <summary>A copy of the INQUIRY identity found inside the image.</summary>
    public sealed class IdentityCopy
    {
        /// <summary>inquiryTemplate, ataIdentify, btcIdentity, infonub, identityBlock, plextorId.</summary>
        public string Source { get; set; }
        public long Offset { get; set; }
        public string Vendor { get; set; }
        public string Product { get; set; }
        public string Revision { get; set; }
    }

    /// <summary>A drive-specific or protected region the image has, and whether it holds data there.</summary>
    public sealed class ImageRegion
    {
        public string Name { get; set; }
        public long Start { get; set; }
        /// <summary>Inclusive end offset.</summary>
        public long End { get; set; }
        /// <summary>The region holds data (not only 0x00/0xFF), i.e. the file carries one drive's values.</summary>
        public bool HasData { get; set; }
        public string Note { get; set; }
    }

    /// <summary>An image embedded in a vendor flasher EXE.</summary>
    public sealed class EmbeddedImage
    {
        public int Index { get; set; }
        /// <summary>Offset in the EXE where the data starts.</summary>
        public long Offset { get; set; }
        public long Size { get; set; }
        /// <summary>NEW_FWn: the firmware revision the flasher announces.</summary>
        public string Revision { get; set; }
        /// <summary>XFlash method: 0 plain copy, 1 flip-n-swap, 2 Fibonacci key walk, 3 and-key walk; null when none could be chosen.</summary>
        public int? Method { get; set; }
        /// <summary>
        /// What the method used: skipPre/skipLen (1); keyOffset, fwKey and signatureOffset (2, 3); andKey, exKey and the votes
        /// of the exkey estimate (3). Null for a plain copy.
        /// </summary>
        public Dictionary<string, object> MethodParameters { get; set; }
        public bool Extracted { get; set; }
        /// <summary>The image passed the check in its rebanked form (LITEONIT at 0xFFF8) rather than bank by bank.</summary>
        public bool Rebanked { get; set; }
        public string Sha256 { get; set; }
    }

    /// <summary>Family-specific facts. Null members were not applicable or not found.</summary>
    public sealed class FirmwareImageDetails
    {
        /// <summary>8051 images: number of 64 KiB banks.</summary>
        public int? BankCount { get; set; }
        /// <summary>8051 images: every bank starts with 0x02 or 0x80 (OmniPatcher's bank sanity).</summary>
        public bool? BankSanityOk { get; set; }
        public int[] BadBanks { get; set; }
        /// <summary>LiteOn: the image is in the rebanked on-flash layout.</summary>
        public bool? Rebanked { get; set; }
        /// <summary>LiteOn: dvdWriter, combo or dvdRom.</summary>
        public string DriveKind { get; set; }
        /// <summary>LiteOn: the first letter of the revision names the hardware family (U = SOHW-812S/802S …).</summary>
        public string FamilyLetter { get; set; }
        public List<IdentityCopy> IdentityCopies { get; set; } = new List<IdentityCopy>();
        /// <summary>Null when there is only one copy to compare.</summary>
        public bool? IdentityCopiesAgree { get; set; }
        /// <summary>LiteOn INQUIRY template timestamp / MTK vendor-specific text.</summary>
        public string Timestamp { get; set; }
        /// <summary>LiteOn hidden revision assembled from MOV Rn,#char patterns, in display form (inferred extraction).</summary>
        public string InternalRevision { get; set; }
        /// <summary>MT1959: the 16-byte boot ID at 0x3000 ("MT1959 Boot JB8 ").</summary>
        public string BootId { get; set; }
        /// <summary>MT1959: MTEKMT1959 or MTEKMT1939 silicon, from the identity block (docs/reference/mt1959-notes.md §1.2).</summary>
        public string Chip { get; set; }
        /// <summary>MT1959: identity byte +0x56 == 0xDE.</summary>
        public bool? DowngradeEnabled { get; set; }
        /// <summary>MT1959: identity block +0x1C (e.g. N003600).</summary>
        public string VendorSpecific { get; set; }
        /// <summary>MT1959: active entries in the integrity table at 0x10400 (the CMAC tags themselves are not verified).</summary>
        public int? IntegrityEntries { get; set; }
        /// <summary>MT1959: the boot page is the decrypted read-back copy, i.e. a raw READ BUFFER dump.</summary>
        public bool? RawDump { get; set; }
        /// <summary>Plextor: the checksum offset for this model.</summary>
        public long? ChecksumOffset { get; set; }
        public List<ImageRegion> Regions { get; set; } = new List<ImageRegion>();
        /// <summary>XFlash EXE: the embedded images.</summary>
        public List<EmbeddedImage> Embedded { get; set; }
        /// <summary>XFlash EXE: the version the flasher names ("2.1.0"), or null when it names none.</summary>
        public string FlasherVersion { get; set; }
        /// <summary>XFlash EXE: "upx" when the flasher was UPX-compressed and MtkFlash unpacked it; offsets are then in the unpacked file.</summary>
        public string FlasherCompression { get; set; }
        /// <summary>Backup bundles: what the bundle's manifest says about itself.</summary>
        public BundleDetails Bundle { get; set; }
        /// <summary>Intel HEX: data records, and banks seen.</summary>
        public int? HexRecords { get; set; }
        public int? HexBanks { get; set; }
    }

    /// <summary>The manifest of a backup bundle given to Test-FirmwareImage: whose drive, when, and how complete.</summary>
    public sealed class BundleDetails
    {
        public Backup.BackupCompleteness Completeness { get; set; }
        /// <summary>Why the backup is not full; null when it is.</summary>
        public string Reason { get; set; }
        public DateTimeOffset CreatedUtc { get; set; }
        public string Tool { get; set; }
        /// <summary>The machine the backup was made on (null in bundles older than that field).</summary>
        public string ComputerName { get; set; }
        /// <summary>The drive the backup was read from (its drive-specific regions go back only to that drive).</summary>
        public Backup.BackupDriveIdentity Drive { get; set; }
        /// <summary>The bundle's files (name, kind, offset, length, SHA-256), all verified when the report was made.</summary>
        public List<Backup.BackupPart> Parts { get; set; }
    }

    public enum CompatibilityVerdict
    {
        /// <summary>Same family, same model, same vendor and product: the drive's own firmware.</summary>
        Fits,
        /// <summary>Same hardware, another vendor's or product's firmware: allowed only on explicit request.</summary>
        CrossFlash,
        /// <summary>Another family, model or chip, or an image that is not valid.</summary>
        Incompatible,
    }

    public enum RevisionComparison { Newer, Same, Older, Unknown }

    /// <summary>Whether an image fits one drive.</summary>
    public sealed class CompatibilityResult
    {
        /// <summary>The drive's path.</summary>
        public string Drive { get; set; }
        public CompatibilityVerdict Verdict { get; set; }
        public List<string> Reasons { get; set; } = new List<string>();
        /// <summary>The image's revision compared with the drive's.</summary>
        public RevisionComparison Newer { get; set; }
        public string DriveRevision { get; set; }
        public string ImageRevision { get; set; }
    }

    /// <summary>
    /// The answer to "what is this file?". JSON names are the camelCase property names (issue 6): path, isValid, format,
    /// family, model, vendor, product, revision, size, sha256, checksum, problems, details, compatibility.
    /// </summary>
    public sealed class FirmwareImageReport
    {
        public string Path { get; set; }
        /// <summary>A whole, recognised image with no error-severity problem.</summary>
        public bool IsValid { get; set; }
        public FirmwareFormat Format { get; set; }
        public DriveFamily Family { get; set; }
        /// <summary>The family model (DriveCatalog model; mt1959 family: the chip, mt1959 or mt1939).</summary>
        public string Model { get; set; }
        public string Vendor { get; set; }
        public string Product { get; set; }
        public string Revision { get; set; }
        /// <summary>Bytes of the image as it would be written (the decoded binary for HEX/EXE); the file size otherwise.</summary>
        public long Size { get; set; }
        /// <summary>File size on disk (differs from Size for HEX and EXE).</summary>
        public long FileSize { get; set; }
        /// <summary>SHA-256 (lower-case hex) of the image as it would be written; null when there is none.</summary>
        public string Sha256 { get; set; }
        public FirmwareChecksum Checksum { get; set; }
        public List<FirmwareProblem> Problems { get; set; } = new List<FirmwareProblem>();
        public FirmwareImageDetails Details { get; set; } = new FirmwareImageDetails();
        /// <summary>Set when the image was checked against a drive (Test-FirmwareImage -Drive, mtkflash test --drive).</summary>
        public CompatibilityResult Compatibility { get; set; }

        public bool HasProblem(string code) => Problems.Any(p => p.Code == code);

        internal void Error(string code, string message) => Problems.Add(new FirmwareProblem(code, ProblemSeverity.Error, message));
        internal void Warn(string code, string message) => Problems.Add(new FirmwareProblem(code, ProblemSeverity.Warning, message));

        /// <summary>A copy with another compatibility answer (one report per file and drive).</summary>
        public FirmwareImageReport WithCompatibility(CompatibilityResult compatibility)
        {
            var copy = (FirmwareImageReport)MemberwiseClone();
            copy.Compatibility = compatibility;
            return copy;
        }

        public override string ToString() => (Path ?? "(image)") + ": " + (IsValid ? "valid " : "not valid ") + Json.EnumName(Format) + " " + Json.EnumName(Family);
    }
}
