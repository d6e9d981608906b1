using System;

namespace MtkFlash.Core.Drives
{
    /// <summary>
    /// Who a drive is: vendor, product and firmware revision (INQUIRY) and serial number (GET CONFIGURATION 0108h), as the
    /// drive reported them. One immutable value, carried whole from the identification to the inventory row, the backup
    /// manifest, the backup result and the write result, so no copy can drop or swap a field. The types that carry it keep
    /// their flat properties (vendor, product, ...) for JSON, the history and PowerShell; this value is never written as
    /// an object of its own.
    /// </summary>
    public sealed class DriveIdentity : IEquatable<DriveIdentity>
    {
        /// <summary>Nothing known yet.</summary>
        public static readonly DriveIdentity Unknown = new DriveIdentity(null, null, null, null);

        public DriveIdentity(string vendor, string product, string revision, string serialNumber)
        {
            Vendor = vendor; Product = product; Revision = revision; SerialNumber = serialNumber;
        }

        public string Vendor { get; }
        public string Product { get; }
        public string Revision { get; }
        public string SerialNumber { get; }

        public DriveIdentity WithVendor(string vendor) => new DriveIdentity(vendor, Product, Revision, SerialNumber);
        public DriveIdentity WithProduct(string product) => new DriveIdentity(Vendor, product, Revision, SerialNumber);
        public DriveIdentity WithRevision(string revision) => new DriveIdentity(Vendor, Product, revision, SerialNumber);
        public DriveIdentity WithSerialNumber(string serialNumber) => new DriveIdentity(Vendor, Product, Revision, serialNumber);

        /// <summary>
        /// Same physical drive: same vendor, product and serial number. Without a serial number a drive cannot be told
        /// apart from its twins, so it never counts as the same drive.
        /// </summary>
        public bool IsSameDrive(DriveIdentity other) =>
            other != null &&
            !string.IsNullOrWhiteSpace(SerialNumber) && string.Equals(SerialNumber?.Trim(), other.SerialNumber?.Trim(), StringComparison.Ordinal) &&
            string.Equals(Vendor?.Trim(), other.Vendor?.Trim(), StringComparison.OrdinalIgnoreCase) &&
            string.Equals(DriveCatalog.NormaliseProduct(Product), DriveCatalog.NormaliseProduct(other.Product), StringComparison.OrdinalIgnoreCase);

        public bool Equals(DriveIdentity other) =>
            other != null && string.Equals(Vendor, other.Vendor, StringComparison.Ordinal) && string.Equals(Product, other.Product, StringComparison.Ordinal) &&
            string.Equals(Revision, other.Revision, StringComparison.Ordinal) && string.Equals(SerialNumber, other.SerialNumber, StringComparison.Ordinal);

        public override bool Equals(object obj) => Equals(obj as DriveIdentity);

        public override int GetHashCode()
        {
            unchecked
            {
                int h = 17;
                foreach (var s in new[] { Vendor, Product, Revision, SerialNumber }) h = h * 31 + (s == null ? 0 : StringComparer.Ordinal.GetHashCode(s));
                return h;
            }
        }

        public override string ToString() => Vendor + " " + Product + " " + Revision + (string.IsNullOrEmpty(SerialNumber) ? string.Empty : " (serial " + SerialNumber + ")");
    }
}
