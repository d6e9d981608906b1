using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using MtkFlash.PowerShell;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.PowerShell
{
    /// <summary>Every cmdlet has PlatyPS help in docs/en-US that documents each of its parameters.</summary>
    public class HelpDocsTests
    {
        [Fact]
        public void Each_cmdlet_has_platyps_help_naming_every_parameter()
        {
            var cmdlets = typeof(GetOpticalDriveCommand).Assembly.GetTypes()
                .Select(t => (Type: t, Attr: t.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == typeof(CmdletAttribute))))
                .Where(x => x.Attr != null).ToList();
            Assert.NotEmpty(cmdlets);
            foreach (var (type, attr) in cmdlets)
            {
                var name = attr.ConstructorArguments[0].Value + "-" + attr.ConstructorArguments[1].Value;
                var file = Path.Combine(RepoRoot.Path, "docs", "en-US", name + ".md");
                Assert.True(File.Exists(file), "no help for " + name);
                var text = File.ReadAllText(file);
                Assert.Contains("schema: 2.0.0", text);
                Assert.Contains("# " + name, text);
                foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                             .Where(p => p.GetCustomAttributesData().Any(a => a.AttributeType == typeof(ParameterAttribute))))
                    Assert.True(text.Contains("### -" + p.Name), name + " help lacks -" + p.Name);
            }
            Assert.True(File.Exists(Path.Combine(RepoRoot.Path, "docs", "en-US", "about_MtkFlash.md")));
        }
    }
}
