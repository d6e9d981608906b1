using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.IO;
using System.Linq;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Cli
{
    /// <summary>
    /// Value rules checked at parse time through System.CommandLine's CustomParser and Validators, so a bad value is a
    /// usage error (exit 2) in the user's terms before any work starts, never an exception halfway through.
    /// </summary>
    public static class OptionRules
    {
        /// <summary>A count of commands: a whole number from 0 to int.MaxValue.</summary>
        public static Option<int?> CommandCount(string name, string description) => new Option<int?>(name)
        {
            Description = description,
            HelpName = "N",
            CustomParser = r => WholeNumber(r, name, "a whole number of commands"),
        };

        /// <summary>
        /// A whole number in a range, parsed by the option itself: a validator would run after a failed conversion and get
        /// an exception from GetValueOrDefault, so conversion and range are one step here.
        /// </summary>
        public static Option<int> WholeNumber(Option<int> option, int min, int max, string what)
        {
            option.CustomParser = r => WholeNumber(r, option.Name, what, min, max) ?? min;
            return option;
        }

        static int? WholeNumber(ArgumentResult r, string name, string what, int min = 0, int max = int.MaxValue)
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
            r.AddError(name + " takes " + what + " from " + min.ToString(CultureInfo.InvariantCulture) + " to " + max.ToString(CultureInfo.InvariantCulture) + "; '" + text + "' is not one.");
            return null;
        }

        /// <summary>FILE options MtkFlash writes to (--trace, --out FILE): not a folder, FIFO or device, in a folder that exists.</summary>
        public static Option<string> OutputFile(Option<string> option, string exampleName = "out.bin")
        {
            option.Validators.Add(r =>
            {
                var why = OutputFileProblem(r.GetValueOrDefault<string>(), exampleName);
                if (why != null) r.AddError(option.Name + ": " + why);
            });
            return option;
        }

        /// <summary>Null when MtkFlash can create or append to the file; otherwise why not, in the user's terms.</summary>
        public static string OutputFileProblem(string path, string exampleName = "out.bin")
        {
            if (string.IsNullOrWhiteSpace(path)) return "give the name of a file.";
            if (path.IndexOf('\0') >= 0) return "a file name cannot contain a NUL character.";
            // NAME_MAX on Linux and the NTFS limit; checked here because commands that never open the file must refuse it too.
            if (Path.GetFileName(path).Length > 255) return "the file name is longer than 255 characters.";
            var kind = FileKinds.Of(path);
            if (kind == PathKind.Directory) return "'" + path + "' is a folder; give the name of a file (for example " + Path.Combine(path, exampleName) + ").";
            if (kind != PathKind.File && kind != PathKind.Missing) return FileKinds.SpecialFileProblem(path);
            string folder;
            try { folder = Path.GetDirectoryName(Path.GetFullPath(path)); }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is PathTooLongException) { return "'" + path + "' is not a valid file name."; }
            if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
                return File.Exists(folder) ? "'" + folder + "' is a file, not a folder." : "the folder '" + folder + "' does not exist.";
            return null;
        }

        /// <summary>DIR options MtkFlash writes into (--out DIR, --backup-dir): a folder, or a name a folder can be made under.</summary>
        public static Option<string> OutputFolder(Option<string> option)
        {
            option.Validators.Add(r =>
            {
                var why = OutputFolderProblem(r.GetValueOrDefault<string>());
                if (why != null) r.AddError(option.Name + ": " + why);
            });
            return option;
        }

        /// <summary>Null when the path is a folder or could become one; otherwise why not, in the user's terms.</summary>
        public static string OutputFolderProblem(string path)
        {
            if (string.IsNullOrWhiteSpace(path)) return "give the name of a folder.";
            if (path.IndexOf('\0') >= 0) return "a folder name cannot contain a NUL character.";
            if (Path.GetFileName(path.TrimEnd('/', '\\')).Length > 255) return "the folder name is longer than 255 characters.";
            var kind = FileKinds.Of(path);
            if (kind == PathKind.File) return "'" + path + "' is a file, not a folder.";
            if (kind != PathKind.Directory && kind != PathKind.Missing) return "'" + path + "' is " + FileKinds.Describe(kind) + ", not a folder.";
            return null;
        }

        /// <summary>A virtual drive profile option: the value must name a known profile.</summary>
        public static Option<string> Profile(string description, bool required)
        {
            var option = new Option<string>("--profile") { Description = description, Required = required, HelpName = "PROFILE" };
            option.Validators.Add(r =>
            {
                var value = r.GetValueOrDefault<string>();
                if (value != null && VirtualProfiles.Find(value) == null) r.AddError(UnknownProfile(value));
            });
            return option;
        }

        public static string UnknownProfile(string value) =>
            "unknown profile '" + value + "'. Profiles: " + string.Join(", ", VirtualProfiles.All.Select(x => x.Name)) + " (see 'mtkflash virtual profiles').";
    }
}
