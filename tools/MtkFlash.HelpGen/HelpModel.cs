using System.Collections.Generic;

namespace MtkFlash.HelpGen
{
    /// <summary>One cmdlet's help as the PlatyPS markdown schema (2.0.0) describes it.</summary>
    public sealed class CommandHelp
    {
        public string Name;
        public string Synopsis;
        /// <summary>Paragraphs (list items and code blocks become paragraphs of their own).</summary>
        public List<string> Description = new List<string>();
        /// <summary>Parameter set names from the SYNTAX section, in order; the one marked "(Default)" is named in DefaultSet.</summary>
        public List<string> ParameterSets = new List<string>();
        public string DefaultSet;
        public List<ExampleHelp> Examples = new List<ExampleHelp>();
        public List<ParameterHelp> Parameters = new List<ParameterHelp>();
        public List<TypeHelp> Inputs = new List<TypeHelp>();
        public List<TypeHelp> Outputs = new List<TypeHelp>();
        public List<string> Notes = new List<string>();
        public List<LinkHelp> Links = new List<LinkHelp>();

        public string Verb => Name.Split('-')[0];
        public string Noun => Name.Substring(Name.IndexOf('-') + 1);
    }

    public sealed class ExampleHelp
    {
        public string Title;
        public List<string> Introduction = new List<string>();
        public string Code;
        public List<string> Remarks = new List<string>();
    }

    public sealed class ParameterHelp
    {
        public string Name;
        public List<string> Description = new List<string>();
        public string Type = "String";
        /// <summary>"(All)" or the set names.</summary>
        public List<string> Sets = new List<string>();
        public List<string> Aliases = new List<string>();
        public bool Required;
        /// <summary>"0", "1", … or "Named".</summary>
        public string Position = "Named";
        public string DefaultValue = "None";
        public string PipelineInput = "False";
        public bool Globbing;

        public bool IsSwitch => Type == "SwitchParameter";
        public bool InAllSets => Sets.Count == 0 || Sets.Contains("(All)");
    }

    public sealed class TypeHelp
    {
        public string Name;
        public List<string> Description = new List<string>();
    }

    public sealed class LinkHelp
    {
        public string Text;
        /// <summary>Absolute web address, or empty for a link to another help topic.</summary>
        public string Uri = "";
    }

    /// <summary>An about_ topic: its name and its sections (heading, then paragraphs and list items).</summary>
    public sealed class AboutHelp
    {
        public string Name;
        public List<AboutSection> Sections = new List<AboutSection>();
    }

    public sealed class AboutSection
    {
        public string Heading;
        public List<AboutBlock> Blocks = new List<AboutBlock>();
    }

    public enum AboutBlockKind { Paragraph, ListItem, Code }

    public sealed class AboutBlock
    {
        public AboutBlockKind Kind;
        public string Text;
        /// <summary>For list items: "-" or "1." …</summary>
        public string Bullet;
    }
}
