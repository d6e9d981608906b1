using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace MtkFlash.HelpGen
{
    /// <summary>A file that does not follow the PlatyPS schema (the message names the file and what is wrong).</summary>
    public sealed class HelpFormatException : Exception
    {
        public HelpFormatException(string message) : base(message) { }
    }

    /// <summary>
    /// Reads PlatyPS markdown (schema 2.0.0): cmdlet pages (# Name, ## SYNOPSIS … ## RELATED LINKS, one ### -Parameter
    /// with a yaml block each) and about_ topics (# about_Name, then ## sections).
    /// </summary>
    public static class PlatyPsMarkdown
    {
        static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

        public static bool IsAboutTopic(string fileName) =>
            System.IO.Path.GetFileName(fileName).StartsWith("about_", StringComparison.OrdinalIgnoreCase);

        public static CommandHelp ParseCommand(string markdown, string source)
        {
            var doc = Markdown.Parse(markdown, Pipeline);
            var blocks = doc.Where(b => !(b is YamlFrontMatterBlock)).ToList();
            var help = new CommandHelp();
            var title = blocks.OfType<HeadingBlock>().FirstOrDefault(h => h.Level == 1)
                ?? throw new HelpFormatException(source + ": no '# Command-Name' heading.");
            help.Name = InlineText(title.Inline).Trim();
            if (!help.Name.Contains('-')) throw new HelpFormatException(source + ": '" + help.Name + "' is not a Verb-Noun cmdlet name.");

            foreach (var (heading, body) in Sections(blocks, 2))
            {
                switch (heading.ToUpperInvariant())
                {
                    case "SYNOPSIS":
                        help.Synopsis = string.Join(" ", Paragraphs(body));
                        break;
                    case "SYNTAX":
                        foreach (var (set, _) in Sections(body, 3))
                        {
                            const string marker = "(Default)";
                            var name = set.EndsWith(marker, StringComparison.Ordinal) ? set.Substring(0, set.Length - marker.Length).Trim() : set;
                            if (name != set) help.DefaultSet = name;
                            help.ParameterSets.Add(name);
                        }
                        break;
                    case "DESCRIPTION":
                        help.Description.AddRange(Paragraphs(body));
                        break;
                    case "EXAMPLES":
                        foreach (var (exampleTitle, exampleBody) in Sections(body, 3))
                            help.Examples.Add(Example(exampleTitle, exampleBody, source));
                        break;
                    case "PARAMETERS":
                        foreach (var (name, parameterBody) in Sections(body, 3))
                        {
                            if (name.Equals("CommonParameters", StringComparison.OrdinalIgnoreCase)) continue;
                            help.Parameters.Add(Parameter(name, parameterBody, source));
                        }
                        break;
                    case "INPUTS":
                        help.Inputs.AddRange(Types(body));
                        break;
                    case "OUTPUTS":
                        help.Outputs.AddRange(Types(body));
                        break;
                    case "NOTES":
                        help.Notes.AddRange(Paragraphs(body));
                        break;
                    case "RELATED LINKS":
                        help.Links.AddRange(Links(body));
                        break;
                }
            }
            if (string.IsNullOrWhiteSpace(help.Synopsis)) throw new HelpFormatException(source + ": ## SYNOPSIS is missing or empty.");
            return help;
        }

        public static AboutHelp ParseAbout(string markdown, string source)
        {
            var doc = Markdown.Parse(markdown, Pipeline);
            var blocks = doc.Where(b => !(b is YamlFrontMatterBlock)).ToList();
            var title = blocks.OfType<HeadingBlock>().FirstOrDefault(h => h.Level == 1)
                ?? throw new HelpFormatException(source + ": no '# about_Name' heading.");
            var about = new AboutHelp { Name = InlineText(title.Inline).Trim() };
            foreach (var (heading, body) in Sections(blocks, 2))
            {
                var section = new AboutSection { Heading = heading };
                foreach (var block in body) AddAboutBlocks(section.Blocks, block);
                about.Sections.Add(section);
            }
            if (!about.Sections.Any(s => s.Heading.Equals("SHORT DESCRIPTION", StringComparison.OrdinalIgnoreCase)))
                throw new HelpFormatException(source + ": ## SHORT DESCRIPTION is missing.");
            return about;
        }

        // ------------------------------------------------------------------ sections

        /// <summary>The headings of one level and the blocks under each, up to the next heading of that level or higher.</summary>
        static IEnumerable<(string Heading, List<Block> Body)> Sections(IEnumerable<Block> blocks, int level)
        {
            string current = null;
            var body = new List<Block>();
            foreach (var block in blocks)
            {
                if (block is HeadingBlock h && h.Level <= level)
                {
                    if (current != null) yield return (current, body);
                    current = h.Level == level ? InlineText(h.Inline).Trim() : null;
                    body = new List<Block>();
                    continue;
                }
                if (current != null) body.Add(block);
            }
            if (current != null) yield return (current, body);
        }

        static ExampleHelp Example(string title, List<Block> body, string source)
        {
            var example = new ExampleHelp { Title = title };
            var code = new List<string>();
            foreach (var block in body)
            {
                if (block is FencedCodeBlock fenced) code.Add(CodeText(fenced));
                else if (code.Count == 0) example.Introduction.AddRange(Paragraphs(new[] { block }));
                else example.Remarks.AddRange(Paragraphs(new[] { block }));
            }
            if (code.Count == 0) throw new HelpFormatException(source + ": example '" + title + "' has no code block.");
            example.Code = string.Join("\n\n", code);
            return example;
        }

        static ParameterHelp Parameter(string heading, List<Block> body, string source)
        {
            var p = new ParameterHelp { Name = heading.TrimStart('-').Trim() };
            var yaml = body.OfType<FencedCodeBlock>().FirstOrDefault(f => (f.Info ?? "").Trim() == "yaml")
                ?? throw new HelpFormatException(source + ": parameter -" + p.Name + " has no yaml block.");
            p.Description.AddRange(Paragraphs(body.Where(b => b != yaml)));
            foreach (var line in CodeText(yaml).Split('\n'))
            {
                var colon = line.IndexOf(':');
                if (colon < 0) continue;
                var key = line.Substring(0, colon).Trim();
                var value = line.Substring(colon + 1).Trim();
                switch (key)
                {
                    case "Type": p.Type = value; break;
                    case "Parameter Sets": p.Sets = SplitList(value); break;
                    case "Aliases": p.Aliases = SplitList(value); break;
                    case "Required": p.Required = value.StartsWith("True", StringComparison.OrdinalIgnoreCase); break;
                    case "Position": p.Position = value.Equals("named", StringComparison.OrdinalIgnoreCase) || value == "" ? "Named" : value; break;
                    case "Default value": p.DefaultValue = value == "" ? "None" : value; break;
                    case "Accept pipeline input": p.PipelineInput = value == "" ? "False" : value; break;
                    case "Accept wildcard characters": p.Globbing = value.StartsWith("True", StringComparison.OrdinalIgnoreCase); break;
                }
            }
            return p;
        }

        static List<string> SplitList(string value) =>
            value.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();

        static IEnumerable<TypeHelp> Types(List<Block> body)
        {
            var sections = Sections(body, 3).ToList();
            foreach (var (name, typeBody) in sections)
            {
                // PlatyPS allows "### A, B" for several types that share a description.
                var t = new TypeHelp { Name = name };
                t.Description.AddRange(Paragraphs(typeBody));
                yield return t;
            }
        }

        static IEnumerable<LinkHelp> Links(List<Block> body)
        {
            foreach (var block in Descendants(body))
            {
                if (!(block is LeafBlock leaf) || leaf.Inline == null) continue;
                foreach (var link in leaf.Inline.Descendants<LinkInline>())
                {
                    var url = link.Url ?? "";
                    bool web = url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
                    yield return new LinkHelp { Text = InlineText(link).Trim(), Uri = web ? url : "" };
                }
            }
        }

        static IEnumerable<Block> Descendants(IEnumerable<Block> blocks)
        {
            foreach (var b in blocks)
            {
                yield return b;
                if (b is ContainerBlock c)
                    foreach (var d in Descendants(c)) yield return d;
            }
        }

        // ------------------------------------------------------------------ text

        /// <summary>
        /// Paragraphs as plain text: each paragraph, list item and code block is one entry; a list item keeps its bullet
        /// ("- " or "1. ") so that Get-Help still shows a list.
        /// </summary>
        static IEnumerable<string> Paragraphs(IEnumerable<Block> blocks)
        {
            var list = new List<AboutBlock>();
            foreach (var b in blocks) AddAboutBlocks(list, b);
            return list.Select(b => b.Kind == AboutBlockKind.ListItem ? b.Bullet + " " + b.Text : b.Text);
        }

        static void AddAboutBlocks(List<AboutBlock> into, Block block)
        {
            switch (block)
            {
                case HeadingBlock h:
                    into.Add(new AboutBlock { Kind = AboutBlockKind.Paragraph, Text = InlineText(h.Inline).Trim() });
                    break;
                case ParagraphBlock p:
                    into.Add(new AboutBlock { Kind = AboutBlockKind.Paragraph, Text = InlineText(p.Inline).Trim() });
                    break;
                case FencedCodeBlock f:
                    into.Add(new AboutBlock { Kind = AboutBlockKind.Code, Text = CodeText(f) });
                    break;
                case CodeBlock c:
                    into.Add(new AboutBlock { Kind = AboutBlockKind.Code, Text = CodeText(c) });
                    break;
                case ListBlock list:
                    int number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
                    foreach (var item in list.OfType<ListItemBlock>())
                    {
                        var text = string.Join(" ", item.OfType<ParagraphBlock>().Select(p => InlineText(p.Inline).Trim()));
                        into.Add(new AboutBlock { Kind = AboutBlockKind.ListItem, Text = text, Bullet = list.IsOrdered ? number++ + "." : "-" });
                        foreach (var nested in item.Where(b => !(b is ParagraphBlock))) AddAboutBlocks(into, nested);
                    }
                    break;
                case QuoteBlock quote:
                    foreach (var inner in quote) AddAboutBlocks(into, inner);
                    break;
                case ContainerBlock container:
                    foreach (var inner in container) AddAboutBlocks(into, inner);
                    break;
            }
        }

        static string CodeText(LeafBlock block)
        {
            var lines = new List<string>();
            foreach (var line in block.Lines.Lines.Take(block.Lines.Count)) lines.Add(line.Slice.ToString().TrimEnd());
            return string.Join("\n", lines);
        }

        /// <summary>Inline markdown as the plain text Get-Help shows: emphasis and link markup dropped, code spans kept as written.</summary>
        static string InlineText(ContainerInline container)
        {
            var sb = new StringBuilder();
            Append(sb, container);
            return sb.ToString();
        }

        static void Append(StringBuilder sb, Inline inline)
        {
            switch (inline)
            {
                case null: return;
                case LiteralInline literal: sb.Append(literal.Content.ToString()); break;
                case CodeInline code: sb.Append(code.Content); break;
                case LineBreakInline br: sb.Append(br.IsHard ? "\n" : " "); break;
                case AutolinkInline auto: sb.Append(auto.Url); break;
                case HtmlEntityInline entity: sb.Append(entity.Transcoded.ToString()); break;
                case HtmlInline html: sb.Append(html.Tag); break;
                case ContainerInline container:
                    for (var child = container.FirstChild; child != null; child = child.NextSibling) Append(sb, child);
                    break;
            }
        }
    }
}
