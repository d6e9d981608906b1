using System;
using System.IO;

namespace MtkFlash.Core.Transports.Linux
{
    /// <summary>Group names for error messages, read from /etc/group (groups served by LDAP/NSS only are shown by number).</summary>
    internal static class LinuxGroups
    {
        public static string NameOf(int gid, string groupFile = "/etc/group")
        {
            try
            {
                foreach (var line in File.ReadLines(groupFile))
                {
                    // name:password:gid:members
                    var fields = line.Split(':');
                    if (fields.Length >= 3 && int.TryParse(fields[2], out var id) && id == gid && fields[0].Length > 0) return fields[0];
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { }
            return "gid " + gid;
        }
    }
}
