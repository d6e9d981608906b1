using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Virtual;

namespace MtkFlash.PowerShell
{
    /// <summary>
    /// Tab completion of drive paths: the drives the OS lists (/dev/sr0 and /dev/sg0 on Linux, \\.\CdRom0 on Windows) and
    /// the virtual drives (virtual:NAME). Listing sends no command to a drive. "lab" also completes to "virtual:lab1".
    /// </summary>
    public sealed class DrivePathCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var word = Completion.Unquote(wordToComplete, out var quote);
            var results = new List<CompletionResult>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var platform in Completion.Platforms())
            {
                IReadOnlyList<DeviceEntry> entries;
                try { entries = platform.Enumerate(); }
                catch (Exception) { continue; }   // a platform that cannot list (no sysfs, no rights) offers nothing
                foreach (var entry in entries)
                {
                    var description = string.Join(" ", new[] { entry.Vendor, entry.Product, entry.Revision }.Where(s => !string.IsNullOrWhiteSpace(s)));
                    foreach (var path in new[] { entry.Path }.Concat(entry.AlternatePaths ?? new string[0]))
                    {
                        if (string.IsNullOrEmpty(path) || !seen.Add(path)) continue;
                        bool match = Completion.Matches(path, word)
                                     || (entry.IsVirtual && Completion.Matches(VirtualDriveStore.NameFromPath(path), word));
                        if (!match) continue;
                        var tip = (description.Length > 0 ? description : path) + (entry.IsVirtual ? " (virtual)" : "");
                        results.Add(new CompletionResult(Completion.Quote(path, quote), path, CompletionResultType.ParameterValue, tip));
                    }
                }
            }
            return results.OrderBy(r => r.ListItemText, StringComparer.OrdinalIgnoreCase);
        }
    }

    /// <summary>Tab completion of the virtual drives' names (NAME, or virtual:NAME when the word starts with "virtual:").</summary>
    public sealed class VirtualDriveNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var word = Completion.Unquote(wordToComplete, out var quote);
            bool prefixed = word.StartsWith(VirtualDrivePlatform.Prefix, StringComparison.OrdinalIgnoreCase);
            var name = VirtualDriveStore.NameFromPath(word);
            IReadOnlyList<VirtualDriveInfo> drives;
            try { drives = new VirtualDriveStore(MtkFlashContext.DefaultHomeDirectory()).List(); }
            catch (Exception) { return Enumerable.Empty<CompletionResult>(); }
            return drives.Where(d => Completion.Matches(d.Name, name))
                .Select(d =>
                {
                    var text = prefixed ? d.Path : d.Name;
                    return new CompletionResult(Completion.Quote(text, quote), d.Name, CompletionResultType.ParameterValue,
                        d.Path + ": " + d.Vendor + " " + d.Product + " " + d.Revision + " (" + d.Profile + ")");
                }).ToList();
        }
    }

    /// <summary>Tab completion of the virtual drive profiles (lg-bh16ns40, tsst-se506cb, …) with the model each imitates.</summary>
    public sealed class VirtualProfileCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var word = Completion.Unquote(wordToComplete, out var quote);
            return VirtualProfiles.All.Where(p => Completion.Matches(p.Name, word))
                .Select(p => new CompletionResult(Completion.Quote(p.Name, quote), p.Name, CompletionResultType.ParameterValue,
                    p.Vendor + " " + p.Product + " " + p.Revision + " (" + p.Family + (p.CanFlash ? "" : ", identity only") + ")"))
                .ToList();
        }
    }

    /// <summary>What the completers share: the word as typed (quotes), matching, and the platforms of this machine.</summary>
    internal static class Completion
    {
        public static IReadOnlyList<IDrivePlatform> Platforms() => PlatformFactory.ForThisMachine(MtkFlashContext.DefaultHomeDirectory());

        /// <summary>The word without its opening (and closing) quote; <paramref name="quote"/> is the quote character typed, or '\0'.</summary>
        public static string Unquote(string word, out char quote)
        {
            quote = '\0';
            word = word ?? string.Empty;
            if (word.Length > 0 && (word[0] == '\'' || word[0] == '"'))
            {
                quote = word[0];
                word = word.Substring(1);
                if (word.Length > 0 && word[word.Length - 1] == quote) word = word.Substring(0, word.Length - 1);
            }
            return word;
        }

        /// <summary>Prefix match, case-insensitive; a word with wildcards matches as a pattern.</summary>
        public static bool Matches(string candidate, string word)
        {
            if (candidate == null) return false;
            if (string.IsNullOrEmpty(word)) return true;
            return Wildcard.HasWildcard(word) ? Wildcard.IsMatch(candidate, word + "*") : candidate.StartsWith(word, StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>The text to insert: in the quote the user opened, else single-quoted when PowerShell would split or expand it.</summary>
        public static string Quote(string text, char quote)
        {
            if (quote == '"') return "\"" + text.Replace("\"", "\"\"").Replace("`", "``").Replace("$", "`$") + "\"";
            if (quote == '\'' || NeedsQuotes(text)) return "'" + text.Replace("'", "''") + "'";
            return text;
        }

        static bool NeedsQuotes(string text) => text.Length == 0 || text.IndexOfAny(" \t$`'\"(){}[],;|&<>@#".ToCharArray()) >= 0;
    }
}
