using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace MtkFlash.HelpGen
{
    /// <summary>
    /// Writes cmdlet help as MAML, the XML that Get-Help reads from &lt;module&gt;/&lt;culture&gt;/&lt;Assembly&gt;.dll-Help.xml:
    /// details (name, verb, noun, synopsis), description, one syntax item per parameter set, parameters, inputs, outputs,
    /// notes, examples and related links — the elements platyPS' New-ExternalHelp writes for the same markdown.
    /// </summary>
    public static class MamlWriter
    {
        static readonly XNamespace Msh = "http://msh";
        static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
        static readonly XNamespace MsHelp = "http://msdn.microsoft.com/mshelp";

        public static XDocument ToDocument(IEnumerable<CommandHelp> commands)
        {
            var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"));
            foreach (var c in commands.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)) root.Add(CommandElement(c));
            return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
        }

        public static void Save(IEnumerable<CommandHelp> commands, string path)
        {
            var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
            using (var writer = XmlWriter.Create(path, settings)) ToDocument(commands).Save(writer);
        }

        static XElement CommandElement(CommandHelp c)
        {
            return new XElement(Command + "command",
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                new XAttribute(XNamespace.Xmlns + "MSHelp", MsHelp),
                new XElement(Command + "details",
                    new XElement(Command + "name", c.Name),
                    new XElement(Command + "verb", c.Verb),
                    new XElement(Command + "noun", c.Noun),
                    Description(new[] { c.Synopsis })),
                Description(c.Description),
                new XElement(Command + "syntax", SyntaxItems(c)),
                new XElement(Command + "parameters", c.Parameters.Select(p => Parameter(p, inSyntax: false))),
                new XElement(Command + "inputTypes", c.Inputs.Select(t => TypeElement("inputType", t))),
                new XElement(Command + "returnValues", c.Outputs.Select(t => TypeElement("returnValue", t))),
                new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paras(c.Notes))),
                new XElement(Command + "examples", c.Examples.Select(Example)),
                new XElement(Command + "relatedLinks", c.Links.Select(l =>
                    new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", l.Text), new XElement(Maml + "uri", l.Uri)))));
        }

        /// <summary>One syntax item per parameter set of the SYNTAX section (the default set first); positional parameters by position, then the rest in page order.</summary>
        static IEnumerable<XElement> SyntaxItems(CommandHelp c)
        {
            var sets = c.ParameterSets.Count == 0 ? new List<string> { null } : c.ParameterSets.ToList();
            if (c.DefaultSet != null) { sets.Remove(c.DefaultSet); sets.Insert(0, c.DefaultSet); }
            foreach (var set in sets)
            {
                var inSet = c.Parameters.Where(p => set == null || p.InAllSets || p.Sets.Contains(set)).ToList();
                var ordered = inSet.Where(p => p.Position != "Named").OrderBy(p => int.TryParse(p.Position, out var n) ? n : int.MaxValue)
                    .Concat(inSet.Where(p => p.Position == "Named"));
                yield return new XElement(Command + "syntaxItem", new XElement(Maml + "name", c.Name), ordered.Select(p => Parameter(p, inSyntax: true)));
            }
        }

        static XElement Parameter(ParameterHelp p, bool inSyntax)
        {
            var e = new XElement(Command + "parameter",
                new XAttribute("required", p.Required ? "true" : "false"),
                new XAttribute("variableLength", p.Type.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
                new XAttribute("globbing", p.Globbing ? "true" : "false"),
                new XAttribute("pipelineInput", p.PipelineInput),
                new XAttribute("position", p.Position == "Named" ? "named" : p.Position),
                new XAttribute("aliases", p.Aliases.Count == 0 ? "none" : string.Join(", ", p.Aliases)),
                new XElement(Maml + "name", p.Name),
                Description(p.Description));
            // A switch shows as [-Name] in the syntax, so it carries no value there.
            if (!(inSyntax && p.IsSwitch))
                e.Add(new XElement(Command + "parameterValue", new XAttribute("required", p.IsSwitch ? "false" : "true"), new XAttribute("variableLength", "false"), p.Type));
            e.Add(new XElement(Dev + "type", new XElement(Maml + "name", p.Type), new XElement(Maml + "uri")));
            e.Add(new XElement(Dev + "defaultValue", p.DefaultValue));
            return e;
        }

        static XElement TypeElement(string name, TypeHelp t) =>
            new XElement(Command + name, new XElement(Dev + "type", new XElement(Maml + "name", t.Name)), Description(t.Description));

        static XElement Example(ExampleHelp x) =>
            new XElement(Command + "example",
                new XElement(Maml + "title", "--------- " + x.Title + " ---------"),
                x.Introduction.Count > 0 ? new XElement(Maml + "introduction", Paras(x.Introduction)) : null,
                new XElement(Dev + "code", x.Code),
                new XElement(Dev + "remarks", Paras(x.Remarks)));

        static XElement Description(IEnumerable<string> paragraphs) => new XElement(Maml + "description", Paras(paragraphs));

        static IEnumerable<XElement> Paras(IEnumerable<string> paragraphs) =>
            paragraphs.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => new XElement(Maml + "para", p));
    }
}
