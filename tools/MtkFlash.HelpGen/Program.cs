using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace MtkFlash.HelpGen
{
    /// <summary>
    /// `dotnet run --project tools/MtkFlash.HelpGen -- DOCS_FOLDER OUTPUT_FOLDER [ASSEMBLY_NAME]`: compiles the PlatyPS
    /// markdown of DOCS_FOLDER (e.g. docs/en-US) into OUTPUT_FOLDER/ASSEMBLY_NAME-Help.xml (MAML, all cmdlet pages) and
    /// OUTPUT_FOLDER/about_*.help.txt (one per about_ page). It stands in for platyPS' New-ExternalHelp, which is not
    /// available everywhere the module is built. Exit codes: 0 written, 1 a page does not follow the schema, 2 usage.
    /// </summary>
    public static class Program
    {
        public const string DefaultHelpFile = "MtkFlash.PowerShell.dll-Help.xml";

        public static int Main(string[] args)
        {
            if (args.Length < 2 || args.Length > 3)
            {
                Console.Error.WriteLine("usage: MtkFlash.HelpGen DOCS_FOLDER OUTPUT_FOLDER [HELP_FILE_NAME]   (default " + DefaultHelpFile + ")");
                return 2;
            }
            try
            {
                var written = Generate(args[0], args[1], args.Length == 3 ? args[2] : DefaultHelpFile);
                foreach (var file in written) Console.WriteLine(file);
                return 0;
            }
            catch (HelpFormatException ex)
            {
                Console.Error.WriteLine("error: " + ex.Message);
                return 1;
            }
            catch (IOException ex)
            {
                Console.Error.WriteLine("error: " + ex.Message);
                return 1;
            }
        }

        /// <summary>Writes the MAML file and the about_ topics; returns the paths written.</summary>
        public static IReadOnlyList<string> Generate(string docsFolder, string outputFolder, string helpFileName = DefaultHelpFile)
        {
            if (!Directory.Exists(docsFolder)) throw new HelpFormatException("no folder " + docsFolder);
            Directory.CreateDirectory(outputFolder);
            var written = new List<string>();
            var commands = new List<CommandHelp>();
            foreach (var file in Directory.GetFiles(docsFolder, "*.md").OrderBy(f => f, StringComparer.Ordinal))
            {
                var text = File.ReadAllText(file);
                if (PlatyPsMarkdown.IsAboutTopic(file))
                {
                    var about = PlatyPsMarkdown.ParseAbout(text, file);
                    var target = Path.Combine(outputFolder, about.Name + ".help.txt");
                    File.WriteAllText(target, AboutTextWriter.ToText(about), new UTF8Encoding(false));
                    written.Add(target);
                }
                else commands.Add(PlatyPsMarkdown.ParseCommand(text, file));
            }
            var duplicate = commands.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (duplicate != null) throw new HelpFormatException("two pages describe " + duplicate.Key);
            var maml = Path.Combine(outputFolder, helpFileName);
            MamlWriter.Save(commands, maml);
            written.Insert(0, maml);
            return written;
        }
    }
}
