using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Docs
{
    /// <summary>
    /// Every citation of the project's reference in src/, tests/, tools/ and bench/ ("docs/reference/&lt;file&gt;.md §2.3")
    /// names a file under docs/reference/ and a numbered section heading that exists in it, so a newcomer can follow it.
    /// A citation by bare file name, or by a path outside the repository, fails.
    /// </summary>
    public class ReferenceCitationTests
    {
        // Spelt in pieces so this file does not cite the reference itself.
        const string DriveProtocols = "drive-" + "protocols";
        const string Mt1959Notes = "mt1959-" + "notes";
        const string KernelE2e = "kernel-" + "e2e";
        static readonly string[] ReferenceFiles = { DriveProtocols, Mt1959Notes, KernelE2e };
        const string Folder = "docs/reference/";
        static readonly string[] ScannedFolders = { "src", "tests", "tools", "bench" };
        static readonly HashSet<string> TextExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            { ".cs", ".ps1", ".psm1", ".psd1", ".ps1xml", ".sh", ".md", ".txt", ".json", ".xml", ".csproj", ".props", ".targets", ".pubxml", ".yml", ".yaml", "" };

        // A name not inside a longer word or path segment ("docs/iscsi-and-kernel-e2e.md" is not a citation); the kernel
        // recipe's name counts only with ".md", the other two also without it ("mt1959-notes §1.2").
        static readonly Regex Name = new Regex(
            @"(?<![\w-])(?<prefix>(?:[\w.-]+/)*)(?:(?<name>" + Regex.Escape(DriveProtocols) + "|" + Regex.Escape(Mt1959Notes) + @")(?<md>\.md)?|(?<name>" +
            Regex.Escape(KernelE2e) + @")(?<md>\.md))(?![\w-])");

        // "§2.3", "§1–§3", "§1.2/§2", "§4.3, §5" after the name; a § followed by "of" belongs to the document named next.
        const string Section = @"§(?<s>(?>\d+(?:\.\d+)*))(?!\s+of\b)";
        static readonly Regex Sections = new Regex(@"^\s*" + Section + @"(?:\s*(?:,|–|-|/|and)\s*" + Section + ")*");
        // "§10 of kernel-e2e.md": the section stands before the name. Only the one next to "of" is taken: in
        // "(drive-protocols.md §2.3, §10 of kernel-e2e.md)" the §2.3 belongs to the first name.
        static readonly Regex SectionBefore = new Regex(@"§(?<s>\d+(?:\.\d+)*)\s+of\s+$");
        static readonly Regex Heading = new Regex(@"^#{1,6}\s+(?<n>\d+(?:\.\d+)*)\.?\s", RegexOptions.Multiline);
        static readonly Regex CommentLead = new Regex(@"^\s*(?:///|//|#|\*|--)?");

        /// <summary>The numbered headings of a markdown file: "## 2. Families" gives "2", "### 2.3 MT1959" gives "2.3".</summary>
        public static HashSet<string> NumberedHeadings(string markdown) =>
            new HashSet<string>(Heading.Matches(markdown).Cast<Match>().Select(m => m.Groups["n"].Value));

        /// <summary>What is wrong with the citations in one file's text; headings maps a reference file name (no .md) to its sections.</summary>
        public static List<string> Check(string path, string text, IReadOnlyDictionary<string, HashSet<string>> headings)
        {
            var problems = new List<string>();
            var lines = text.Replace("\r\n", "\n").Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                foreach (Match m in Name.Matches(lines[i]))
                {
                    var where = path + ":" + (i + 1) + ": ";
                    var name = m.Groups["name"].Value;
                    if (m.Groups["prefix"].Value != Folder || !m.Groups["md"].Success)
                        problems.Add(where + "'" + m.Value + "' does not point into " + Folder + " (write " + Folder + name + ".md)");

                    // The sections follow the name, or start the next line when the name ends a comment line.
                    var rest = lines[i].Substring(m.Index + m.Length);
                    if (rest.Trim().Length == 0 && i + 1 < lines.Length)
                        rest = CommentLead.Replace(lines[i + 1], string.Empty, 1);
                    var cited = new List<string>();
                    var list = Sections.Match(rest);
                    if (list.Success) cited.AddRange(list.Groups["s"].Captures.Cast<Capture>().Select(c => c.Value));
                    var before = SectionBefore.Match(lines[i].Substring(0, m.Index));
                    if (before.Success) cited.Add(before.Groups["s"].Value);
                    foreach (var s in cited)
                        if (!headings[name].Contains(s))
                            problems.Add(where + Folder + name + ".md has no section §" + s);
                }
            }
            return problems;
        }

        static IReadOnlyDictionary<string, HashSet<string>> ReferenceHeadings() =>
            ReferenceFiles.ToDictionary(
                n => n,
                n => NumberedHeadings(File.ReadAllText(Path.Combine(RepoRoot.Path, "docs", "reference", n + ".md"))));

        static IEnumerable<string> ScannedFiles() =>
            ScannedFolders.Select(f => Path.Combine(RepoRoot.Path, f)).Where(Directory.Exists)
                .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
                .Where(f => TextExtensions.Contains(Path.GetExtension(f)))
                .Where(f => !Path.GetRelativePath(RepoRoot.Path, f).Replace('\\', '/').Split('/')
                    .Any(part => part == "bin" || part == "obj" || part == ".git"))
                .Where(f => !string.Equals(Path.GetFileName(f), nameof(ReferenceCitationTests) + ".cs", StringComparison.Ordinal));

        [Fact]
        public void Every_citation_points_into_docs_reference_at_a_section_that_exists()
        {
            var headings = ReferenceHeadings();
            var problems = new List<string>();
            int citing = 0;
            foreach (var file in ScannedFiles())
            {
                var text = File.ReadAllText(file);
                if (text.IndexOf('\0') >= 0 || !Name.IsMatch(text)) continue; // binary, or cites nothing
                citing++;
                problems.AddRange(Check(Path.GetRelativePath(RepoRoot.Path, file).Replace('\\', '/'), text, headings));
            }
            Assert.True(citing > 0, "no file in " + string.Join(", ", ScannedFolders) + " cites the reference: the scan found nothing to check");
            Assert.True(problems.Count == 0, problems.Count + " citation problem(s):\n" + string.Join("\n", problems));
        }

        [Fact]
        public void The_reference_files_have_the_numbered_sections_the_code_relies_on()
        {
            var headings = ReferenceHeadings();
            // The family sections of drive-protocols.md and the layout section of the MT1959 notes, cited throughout the code.
            foreach (var s in new[] { "1", "2.1", "2.2", "2.3", "2.5", "3.3", "4.6", "5.1", "5.2", "6", "7" })
                Assert.Contains(s, headings[DriveProtocols]);
            foreach (var s in new[] { "0", "1.1", "1.2", "2", "3", "4.1", "4.3", "6" })
                Assert.Contains(s, headings[Mt1959Notes]);
            foreach (var s in new[] { "3", "5", "7", "8", "9", "10", "12" })
                Assert.Contains(s, headings[KernelE2e]);
        }

        public static IEnumerable<object[]> Cases() => new[]
        {
            new object[] { "// layout (" + Folder + DriveProtocols + ".md §2.3 step 1).", null },
            new object[] { "// (" + Folder + DriveProtocols + ".md §1–§2, §2.3; " + Folder + Mt1959Notes + ".md §1.2/§2)", null },
            new object[] { "/// (" + Folder + DriveProtocols + ".md §2.3, §9 of " + Folder + KernelE2e + ".md)", null },
            new object[] { "// see `docs/iscsi-and-" + KernelE2e + ".md` and the " + KernelE2e + " harness", null },
            new object[] { "/// (" + Folder + DriveProtocols + ".md §2.3, §10 of " + KernelE2e + ".md)", "does not point into" },
            new object[] { "/// (" + Folder + DriveProtocols + ".md §2.3, §12 of " + Folder + KernelE2e + ".md)", "has no section §12" },
            new object[] { "// " + Folder + KernelE2e + ".md §9: 88 bytes", null },
            new object[] { "// Recipe: shared/docs/" + KernelE2e + ".md.", "does not point into" },
            new object[] { "/// see " + Folder + DriveProtocols + ".md for the protocols", null },
            new object[] { "// (" + DriveProtocols + ".md §2.3)", "does not point into" },
            new object[] { "// (" + Mt1959Notes + " §1.2)", "does not point into" },
            new object[] { "// (shared/docs/" + DriveProtocols + ".md §2.3)", "does not point into" },
            new object[] { "// (" + Folder + Mt1959Notes + " §1.2)", "does not point into" },
            new object[] { "// (" + Folder + DriveProtocols + ".md §9.9)", "has no section §9.9" },
            new object[] { "// (" + Folder + DriveProtocols + ".md §1–§4)", "has no section §4" },
            new object[] { "// (" + Folder + Mt1959Notes + ".md §1.2, §2.3)", "has no section §2.3" },
            new object[] { "/// boot ID check: " + Folder + DriveProtocols + ".md\n    /// §9 (redumper).", "has no section §9" },
        };

        [Theory]
        [MemberData(nameof(Cases))]
        public void The_check_finds_a_bare_name_an_outside_path_and_a_missing_section(string text, string expected)
        {
            var headings = new Dictionary<string, HashSet<string>>
            {
                [DriveProtocols] = NumberedHeadings("# Title\n## 1. Rules\n## 2. Families\n### 2.3 MT1959\n"),
                [Mt1959Notes] = NumberedHeadings("## 1. Images\n### 1.2 Layout\n## 2. Regions\n"),
                [KernelE2e] = NumberedHeadings("## 9. Guest\n## 10. Results\n"),
            };
            var problems = Check("x.cs", text, headings);
            if (expected == null) Assert.Empty(problems);
            else Assert.Contains(problems, p => p.Contains(expected));
        }
    }
}
