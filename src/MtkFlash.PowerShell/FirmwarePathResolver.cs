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
                bool wildcard = WildcardPattern.ContainsWildcardCharacters(p);
                try
                {
                    ProviderInfo provider;
                    var resolved = cmdlet.GetResolvedProviderPathFromPSPath(p, out provider);
                    // A wildcard that matches nothing comes back as an empty list, not as an exception.
                    if (resolved.Count == 0) cmdlet.WriteError(NotFound(p, null));
                    result.AddRange(resolved);
                }
                catch (ItemNotFoundException ex)
                {
                    // A plain missing file still gets a report (problem NotFound); a pattern that matches nothing is an error
                    // (so 'plex[1].bin' through -Path, which looks for 'plex1.bin', is reported; -LiteralPath finds the file).
                    if (!wildcard) result.Add(cmdlet.GetUnresolvedProviderPathFromPSPath(p));
                    else cmdlet.WriteError(NotFound(p, ex));
                }
            }
            return result;
        }

        static ErrorRecord NotFound(string path, System.Exception inner) =>
            new ErrorRecord(new ItemNotFoundException("No file matches '" + path + "'. Use -LiteralPath for a name with [ ] or other wildcard characters.", inner),
                "PathNotFound", ErrorCategory.ObjectNotFound, path);
    }
}
