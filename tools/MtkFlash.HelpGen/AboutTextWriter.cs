using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace MtkFlash.HelpGen
{
    /// <summary>
    /// Writes an about_ topic as the plain text Get-Help shows (about_Name.help.txt): TOPIC and the topic name first, then
    /// each section heading in capitals at the margin and its text indented by four spaces, wrapped at 80 columns; list
    /// items keep their bullet, code keeps its lines.
    /// </summary>
    public static class AboutTextWriter
    {
        const int Width = 80;
        const string Indent = "    ";

        public static string ToText(AboutHelp about)
        {
            var sb = new StringBuilder();
            sb.Append("TOPIC\n").Append(Indent).Append(about.Name).Append("\n\n");
            foreach (var section in about.Sections)
            {
                sb.Append(section.Heading.ToUpperInvariant()).Append('\n');
                AboutBlockKind? previous = null;
                foreach (var block in section.Blocks)
                {
                    // A list ends with a blank line before the next paragraph or code.
                    if (previous == AboutBlockKind.ListItem && block.Kind != AboutBlockKind.ListItem) sb.Append('\n');
                    previous = block.Kind;
                    switch (block.Kind)
                    {
                        case AboutBlockKind.Paragraph:
                            Wrap(sb, block.Text, Indent, Indent);
                            sb.Append('\n');
                            break;
                        case AboutBlockKind.ListItem:
                            Wrap(sb, block.Text, Indent + block.Bullet + " ", Indent + new string(' ', block.Bullet.Length + 1));
                            break;
                        case AboutBlockKind.Code:
                            foreach (var line in block.Text.Split('\n')) sb.Append(Indent).Append(Indent).Append(line).Append('\n');
                            sb.Append('\n');
                            break;
                    }
                }
                if (section.Blocks.Count > 0 && section.Blocks[section.Blocks.Count - 1].Kind == AboutBlockKind.ListItem) sb.Append('\n');
            }
            return sb.ToString().TrimEnd('\n') + "\n";
        }

        /// <summary>Greedy word wrap; hard line breaks in the text start a new line; a word longer than a line stays whole.</summary>
        static void Wrap(StringBuilder sb, string text, string first, string rest)
        {
            foreach (var hardLine in text.Split('\n'))
            {
                var line = new StringBuilder(first);
                bool empty = true;
                foreach (var word in hardLine.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!empty && line.Length + 1 + word.Length > Width)
                    {
                        sb.Append(line.ToString()).Append('\n');
                        line = new StringBuilder(rest);
                        empty = true;
                    }
                    if (!empty) line.Append(' ');
                    line.Append(word);
                    empty = false;
                }
                sb.Append(line.ToString().TrimEnd()).Append('\n');
                first = rest;
            }
        }
    }
}
