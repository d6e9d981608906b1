using System.Management.Automation;
using MtkFlash.Core.Drives;

namespace MtkFlash.PowerShell
{
    /// <summary>
    /// Turns what was bound to -Drive into a drive path: an OpticalDrive (by value), a string path, or any object with a
    /// Path property (deserialised drives from remoting, Import-Csv rows) — "by Path property" without a -Path clash,
    /// because -Path already names the image or backup folder on these cmdlets.
    /// </summary>
    internal static class DriveArgument
    {
        public static string ToPath(object value)
        {
            if (value is PSObject ps)
            {
                if (ps.BaseObject is OpticalDrive || ps.BaseObject is string) return ToPath(ps.BaseObject);
                var prop = ps.Properties["Path"];
                return prop?.Value?.ToString();
            }
            switch (value)
            {
                case null: return null;
                case OpticalDrive d: return d.Path;
                case string s: return s;
                default:
                    var p = value.GetType().GetProperty("Path");
                    return p?.GetValue(value)?.ToString();
            }
        }
    }
}
