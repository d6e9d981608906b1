using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MtkFlash.HelpGen;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.PowerShell
{
    /// <summary>
    /// The help converter (tools/MtkFlash.HelpGen) on the project's own pages: the MAML Get-Help reads and the about_ text.
    /// (The Pester suite reads the result back through Get-Help on the laid-out module.)
    /// </summary>
    public class HelpGenTests : IDisposable
    {
        static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
        static readonly string Docs = Path.Combine(RepoRoot.Path, "docs", "en-US");
        readonly TempHome _out = new TempHome();

        public void Dispose() => _out.Dispose();

        XElement CommandElement(string name)
        {
            Program.Generate(Docs, _out.Path);
            var doc = XDocument.Load(Path.Combine(_out.Path, Program.DefaultHelpFile));
            return doc.Root.Elements(Command + "command").Single(c => c.Element(Command + "details").Element(Command + "name").Value == name);
        }

        [Fact]
        public void Every_cmdlet_page_becomes_one_command_with_its_synopsis_and_all_its_examples()
        {
            var written = Program.Generate(Docs, _out.Path);
            Assert.Contains(written, f => f.EndsWith("about_MtkFlash.help.txt", StringComparison.Ordinal));
            var doc = XDocument.Load(Path.Combine(_out.Path, Program.DefaultHelpFile));
            Assert.Equal("helpItems", doc.Root.Name.LocalName);
            var pages = Directory.GetFiles(Docs, "*.md").Where(f => !Path.GetFileName(f).StartsWith("about_", StringComparison.Ordinal)).ToList();
            var commands = doc.Root.Elements(Command + "command").ToList();
            Assert.Equal(pages.Count, commands.Count);
            foreach (var page in pages)
            {
                var name = Path.GetFileNameWithoutExtension(page);
                var c = commands.Single(x => x.Element(Command + "details").Element(Command + "name").Value == name);
                Assert.Equal(name.Split('-')[0], c.Element(Command + "details").Element(Command + "verb").Value);
                Assert.NotEmpty(c.Element(Command + "details").Element(Maml + "description").Elements(Maml + "para"));
                var examples = Regex.Matches(File.ReadAllText(page), @"^### Example", RegexOptions.Multiline).Count;
                Assert.Equal(examples, c.Element(Command + "examples").Elements(Command + "example").Count());
                Assert.All(c.Element(Command + "examples").Elements(Command + "example"), e => Assert.False(string.IsNullOrWhiteSpace(e.Element(Dev + "code").Value)));
            }
        }

        [Fact]
        public void Each_parameter_set_is_a_syntax_item_with_only_its_parameters_positional_first()
        {
            var write = CommandElement("Write-DriveFirmware");
            var items = write.Element(Command + "syntax").Elements(Command + "syntaxItem").ToList();
            Assert.Equal(2, items.Count);
            string[] Names(XElement item) => item.Elements(Command + "parameter").Select(p => p.Element(Maml + "name").Value).ToArray();
            Assert.Equal(new[] { "Drive", "Path" }, Names(items[0]).Take(2));          // the default set (Path) first, by position
            Assert.DoesNotContain("LiteralPath", Names(items[0]));
            Assert.Contains("LiteralPath", Names(items[1]));
            Assert.DoesNotContain("Path", Names(items[1]));
            Assert.Contains("WhatIf", Names(items[1]));

            var drive = items[0].Elements(Command + "parameter").First();
            Assert.Equal("true", (string)drive.Attribute("required"));
            Assert.Equal("0", (string)drive.Attribute("position"));
            Assert.Equal("True (ByValue)", (string)drive.Attribute("pipelineInput"));
            Assert.Equal("InputObject", (string)drive.Attribute("aliases"));
            var path = items[0].Elements(Command + "parameter").ElementAt(1);
            Assert.Equal("true", (string)path.Attribute("globbing"));
        }

        [Fact]
        public void A_switch_has_no_value_in_the_syntax_but_its_type_in_the_parameter_list()
        {
            var write = CommandElement("Write-DriveFirmware");
            var inSyntax = write.Element(Command + "syntax").Elements(Command + "syntaxItem").First()
                .Elements(Command + "parameter").Single(p => p.Element(Maml + "name").Value == "Force");
            Assert.Null(inSyntax.Element(Command + "parameterValue"));
            var inList = write.Element(Command + "parameters").Elements(Command + "parameter").Single(p => p.Element(Maml + "name").Value == "Force");
            Assert.Equal("SwitchParameter", inList.Element(Command + "parameterValue").Value);
            Assert.Contains("Never skips a safety check", inList.Element(Maml + "description").Value);
        }

        [Fact]
        public void Related_links_to_other_pages_carry_no_address_and_inline_markup_is_plain_text()
        {
            var test = CommandElement("Test-FirmwareImage");
            var links = test.Element(Command + "relatedLinks").Elements(Maml + "navigationLink").ToList();
            Assert.Contains(links, l => l.Element(Maml + "linkText").Value == "Expand-FirmwareImage" && l.Element(Maml + "uri").Value == "");
            var description = string.Join("\n", test.Element(Maml + "description").Elements(Maml + "para").Select(p => p.Value));
            Assert.Contains("mtkflash test <image>... [--drive PATH] [--json]", description);
            Assert.DoesNotContain("`", description);
        }

        [Fact]
        public void About_text_starts_with_TOPIC_keeps_lists_and_wraps_at_80_columns()
        {
            Program.Generate(Docs, _out.Path);
            var lines = File.ReadAllLines(Path.Combine(_out.Path, "about_MtkFlash.help.txt"));
            Assert.Equal("TOPIC", lines[0]);
            Assert.Equal("    about_MtkFlash", lines[1]);
            Assert.Contains("SHORT DESCRIPTION", lines);
            Assert.Contains(lines, l => l.StartsWith("    - Write-DriveFirmware:", StringComparison.Ordinal));
            Assert.Contains(lines, l => l == "        Get-OpticalDrive | Backup-DriveFirmware -Path ./backups");   // code keeps its line
            Assert.All(lines.Where(l => !l.StartsWith("        ", StringComparison.Ordinal)), l => Assert.True(l.Length <= 80, l));
        }

        [Fact]
        public void A_page_without_a_synopsis_is_refused_with_the_file_name_and_exit_code_1()
        {
            var docs = _out.Sub("bad-docs");
            Directory.CreateDirectory(docs);
            File.WriteAllText(Path.Combine(docs, "Get-Thing.md"), "---\nschema: 2.0.0\n---\n\n# Get-Thing\n\n## DESCRIPTION\nNo synopsis.\n");
            var ex = Assert.Throws<HelpFormatException>(() => Program.Generate(docs, _out.Sub("bad-out")));
            Assert.Contains("Get-Thing.md", ex.Message);
            Assert.Contains("SYNOPSIS", ex.Message);
            Assert.Equal(1, Program.Main(new[] { docs, _out.Sub("bad-out") }));
            Assert.Equal(2, Program.Main(new string[0]));
        }
    }
}
