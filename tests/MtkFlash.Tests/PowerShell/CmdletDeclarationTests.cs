using System;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using MtkFlash.Core.Drives;
using MtkFlash.PowerShell;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.PowerShell
{
    /// <summary>
    /// The fast layer: cmdlet declarations checked from metadata (CustomAttributeData) without a runspace: verbs, nouns,
    /// OutputType, ShouldProcess, ConfirmImpact and pipeline binding. The cmdlets themselves run in real runspaces in
    /// PowerShell/Cmdlets (Microsoft.PowerShell.SDK) and in the Pester suite.
    /// </summary>
    public class CmdletDeclarationTests
    {
        static readonly Assembly Module = typeof(GetOpticalDriveCommand).Assembly;

        internal static CustomAttributeData Attr(Type t, Type attribute) => t.GetCustomAttributesData().Single(a => a.AttributeType == attribute);

        internal static object Named(CustomAttributeData a, string name) => a.NamedArguments.Where(n => n.MemberName == name).Select(n => n.TypedValue.Value).FirstOrDefault();

        internal static CustomAttributeData ParameterAttr(Type cmdlet, string property, string parameterSet = null) =>
            cmdlet.GetProperty(property).GetCustomAttributesData().Where(a => a.AttributeType == typeof(ParameterAttribute))
                .Single(a => parameterSet == null || (string)Named(a, "ParameterSetName") == parameterSet);

        [Fact]
        public void Every_cmdlet_uses_an_approved_verb_and_declares_an_output_type()
        {
            var approved = new[] { typeof(VerbsCommon), typeof(VerbsData), typeof(VerbsCommunications), typeof(VerbsDiagnostic), typeof(VerbsLifecycle) }
                .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static)).Select(f => (string)f.GetRawConstantValue()).ToHashSet();
            var cmdlets = Module.GetTypes().Where(t => t.GetCustomAttributesData().Any(a => a.AttributeType == typeof(CmdletAttribute))).ToList();
            Assert.NotEmpty(cmdlets);
            foreach (var t in cmdlets)
            {
                var cmdlet = Attr(t, typeof(CmdletAttribute));
                var verb = (string)cmdlet.ConstructorArguments[0].Value;
                Assert.Contains(verb, approved);
                Assert.True(t.GetCustomAttributesData().Any(a => a.AttributeType == typeof(OutputTypeAttribute)), t.Name + " has no OutputType");
                Assert.True(typeof(PSCmdlet).IsAssignableFrom(t), t.Name + " must derive from PSCmdlet");
            }
        }

        [Fact]
        public void Get_OpticalDrive_is_read_only_with_a_wildcard_path_from_the_pipeline()
        {
            var t = typeof(GetOpticalDriveCommand);
            var cmdlet = Attr(t, typeof(CmdletAttribute));
            Assert.Equal("Get", cmdlet.ConstructorArguments[0].Value);
            Assert.Equal("OpticalDrive", cmdlet.ConstructorArguments[1].Value);
            Assert.NotEqual(true, Named(cmdlet, "SupportsShouldProcess"));
            Assert.Equal(typeof(OpticalDrive), Attr(t, typeof(OutputTypeAttribute)).ConstructorArguments[0].Value is System.Collections.ObjectModel.ReadOnlyCollection<CustomAttributeTypedArgument> types ? types[0].Value : null);
            var path = ParameterAttr(t, "Path");
            Assert.Equal(0, Named(path, "Position"));
            Assert.Equal(true, Named(path, "ValueFromPipeline"));
            Assert.Equal(true, Named(path, "ValueFromPipelineByPropertyName"));
            Assert.Contains(t.GetProperty("Path").GetCustomAttributesData(), a => a.AttributeType == typeof(SupportsWildcardsAttribute));
        }

        [Fact]
        public void Manifest_exports_exactly_the_cmdlets_the_assembly_defines()
        {
            var manifest = System.IO.File.ReadAllText(System.IO.Path.Combine(RepoRoot.Path, "MtkFlash.psd1"));
            var names = Module.GetTypes().Select(t => t.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == typeof(CmdletAttribute)))
                .Where(a => a != null).Select(a => a.ConstructorArguments[0].Value + "-" + a.ConstructorArguments[1].Value).ToList();
            var block = manifest.Substring(manifest.IndexOf("CmdletsToExport", StringComparison.Ordinal));
            block = block.Substring(0, block.IndexOf(')'));
            var exported = System.Text.RegularExpressions.Regex.Matches(block, "'([A-Za-z-]+)'").Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(names.OrderBy(n => n), exported.OrderBy(n => n));
        }
    }
}
