using System.Linq;
using System.Management.Automation;
using MtkFlash.Core.Operations;
using MtkFlash.PowerShell;
using Xunit;
using static MtkFlash.Tests.PowerShell.CmdletDeclarationTests;

namespace MtkFlash.Tests.PowerShell
{
    /// <summary>Write-DriveFirmware's declaration (issue 5): ShouldProcess with ConfirmImpact High, pipeline binding, parameter sets.</summary>
    public class WriteCmdletDeclarationTests
    {
        static readonly System.Type T = typeof(WriteDriveFirmwareCommand);

        [Fact]
        public void Is_Write_DriveFirmware_with_ShouldProcess_and_ConfirmImpact_High()
        {
            var cmdlet = Attr(T, typeof(CmdletAttribute));
            Assert.Equal(VerbsCommunications.Write, cmdlet.ConstructorArguments[0].Value);
            Assert.Equal("DriveFirmware", cmdlet.ConstructorArguments[1].Value);
            Assert.Equal(true, Named(cmdlet, "SupportsShouldProcess"));
            Assert.Equal((int)ConfirmImpact.High, (int)Named(cmdlet, "ConfirmImpact"));
            Assert.Equal("Path", Named(cmdlet, "DefaultParameterSetName"));
            var output = Attr(T, typeof(OutputTypeAttribute)).ConstructorArguments[0].Value as System.Collections.ObjectModel.ReadOnlyCollection<System.Reflection.CustomAttributeTypedArgument>;
            Assert.Equal(typeof(DriveFirmwareWrite), output[0].Value);
        }

        [Fact]
        public void Drives_come_from_the_pipeline_by_value_and_the_image_by_Path_or_LiteralPath()
        {
            var drive = ParameterAttr(T, "Drive");
            Assert.Equal(true, Named(drive, "ValueFromPipeline"));
            Assert.Equal(true, Named(drive, "Mandatory"));
            Assert.Equal(0, Named(drive, "Position"));
            Assert.Contains("InputObject", Aliases("Drive"));

            var path = ParameterAttr(T, "Path", "Path");
            Assert.Equal(true, Named(path, "Mandatory"));
            Assert.Equal(1, Named(path, "Position"));
            Assert.NotEqual(true, Named(path, "ValueFromPipelineByPropertyName"));   // a piped drive's Path must never become the image
            Assert.Contains(T.GetProperty("Path").GetCustomAttributesData(), a => a.AttributeType == typeof(SupportsWildcardsAttribute));

            var literal = ParameterAttr(T, "LiteralPath", "LiteralPath");
            Assert.Equal(true, Named(literal, "Mandatory"));
            Assert.Contains("PSPath", Aliases("LiteralPath"));
        }

        static string[] Aliases(string property) =>
            T.GetProperty(property).GetCustomAttributesData().Where(a => a.AttributeType == typeof(AliasAttribute))
                .SelectMany(a => (System.Collections.Generic.IEnumerable<System.Reflection.CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value)
                .Select(v => (string)v.Value).ToArray();

        [Theory]
        [InlineData("AllowCrossFlash")]
        [InlineData("SkipBackup")]
        [InlineData("Recover")]
        [InlineData("Force")]
        public void Safety_switches_are_switches_and_never_declared_by_hand_as_WhatIf_or_Confirm(string name)
        {
            Assert.Equal(typeof(SwitchParameter), T.GetProperty(name).PropertyType);
            Assert.Null(T.GetProperty("WhatIf"));
            Assert.Null(T.GetProperty("Confirm"));
        }

        [Fact]
        public void Cmdlet_holds_no_flash_logic()
        {
            // Thin cmdlets: the write decisions live in MtkFlash.Core.Operations.WriteOperation (tested through RecordingHost).
            var methods = T.GetMethods(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.DeclaredOnly);
            Assert.True(methods.Count(m => !m.IsSpecialName) <= 2, string.Join(", ", methods.Select(m => m.Name)));
        }
    }
}
