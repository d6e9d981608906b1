using System;
using System.Management.Automation;
using MtkFlash.Core.Drives;

namespace MtkFlash.PowerShell
{
    /// <summary>
    /// Turns what was bound to -Drive into a drive: a drive object from Get-OpticalDrive, a path string, or any object with
    /// a Drive or Path property (a backup or write result, a deserialized drive after remoting, an Import-Csv row). A Drive
    /// property wins over Path, because on results Path is the bundle or image, not the drive. -Path itself names the image
    /// or backup folder on these cmdlets, hence binding by value and reading the properties here.
    /// </summary>
    internal static class DriveArgument
    {
        public static string ToPath(object value)
        {
            switch (value is PSObject ps ? ps.BaseObject is PSCustomObject ? value : ps.BaseObject : value)
            {
                case null: return null;
                case OpticalDriveInfo info: return info.Path;
                case OpticalDrive d: return d.Path;
                case string s: return s;
                case var other: return Text(other, "Drive") ?? Text(other, "Path");
            }
        }

        /// <summary>
        /// A file or folder from Get-ChildItem. Piped to Test-FirmwareImage it binds -LiteralPath (by FullName) and, because
        /// -Drive takes any object by value, -Drive too: there it is not a drive and is ignored.
        /// </summary>
        public static bool IsFile(object value) => (value is PSObject ps ? ps.BaseObject : value) is System.IO.FileSystemInfo;

        /// <summary>DriveArgumentInvalid: the object names no drive (no Drive or Path property, or an empty one).</summary>
        public static Core.Operations.OperationError Invalid(object value) =>
            new Core.Operations.OperationError("DriveArgumentInvalid", Core.Operations.OperationErrorCategory.InvalidArgument,
                "'" + value + "' is not a drive: give a drive path, an object from Get-OpticalDrive, or an object with a Drive or Path property.", value);

        /// <summary>
        /// The drive as far as it is known without opening it: the identified drive of a live object, or the identity a
        /// deserialized or imported object carries (Vendor, Product, Revision, Family, Model). Null when the object names a
        /// path only; then the caller identifies the drive.
        /// </summary>
        public static OpticalDrive Describe(object value)
        {
            switch (value is PSObject ps ? ps.BaseObject is PSCustomObject ? value : ps.BaseObject : value)
            {
                case OpticalDriveInfo info: return info.Source;
                case OpticalDrive d: return d;
                case null:
                case string _: return null;
                case var other:
                    var path = ToPath(other);
                    var microcode = Property(other, "MicrocodeUpgrade");
                    return path == null ? null : DriveIdentifier.FromIdentity(path, Text(other, "Vendor"), Text(other, "Product"), Text(other, "Revision"),
                        Text(other, "Family"), Text(other, "Model"), Text(other, "SerialNumber"),
                        microcode is bool b ? b : microcode is string m && bool.TryParse(m, out var parsed) && parsed);
            }
        }

        static object Property(object o, string name)
        {
            var p = PSObject.AsPSObject(o).Properties[name];
            try { return p?.Value is PSObject inner ? inner.BaseObject : p?.Value; }
            catch (GetValueException) { return null; }
        }

        static string Text(object o, string name)
        {
            var text = Property(o, name)?.ToString();
            return string.IsNullOrWhiteSpace(text) ? null : text;
        }
    }
}
