using System.Collections.Generic;
using System.Management.Automation;

namespace MtkFlash.PowerShell
{
    /// <summary>-Path (provider wildcards) and -LiteralPath resolution shared by the firmware cmdlets.</summary>
    internal static class FirmwarePathResolver
    {
        public static List<string> Resolve(PSCmdlet cmdlet, string[] paths, bool literal)
        {
            var result = new List<string>();
            foreach (var p in paths ?? new string[0])
            {
                if (literal) { result.Add(cmdlet.GetUnresolvedProviderPathFromPSPath(p)); continue; }
                try
                {
                    ProviderInfo provider;
                    result.AddRange(cmdlet.GetResolvedProviderPathFromPSPath(p, out provider));
                }
                catch (ItemNotFoundException ex)
                {
                    // A plain missing file still gets a report (problem NotFound); a wildcard that matches nothing is an error.
                    if (!WildcardPattern.ContainsWildcardCharacters(p)) result.Add(cmdlet.GetUnresolvedProviderPathFromPSPath(p));
                    else cmdlet.WriteError(new ErrorRecord(ex, "PathNotFound", ErrorCategory.ObjectNotFound, p));
                }
            }
            return result;
        }
    }
}
