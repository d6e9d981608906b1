using System.Security.Cryptography;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Core.Infrastructure
{
    /// <summary>The one SHA-256 (lower-case hex) used by image reports, backup manifests and traces, so they compare equal.</summary>
    public static class Hashing
    {
        public static string Sha256Hex(byte[] data)
        {
            using (var sha = SHA256.Create()) return Hex.Compact(sha.ComputeHash(data));
        }
    }
}
