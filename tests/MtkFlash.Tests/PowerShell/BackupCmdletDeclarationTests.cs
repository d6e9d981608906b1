using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using MtkFlash.Core.Backup;
using MtkFlash.PowerShell;
using Xunit;
using static MtkFlash.Tests.PowerShell.CmdletDeclarationTests;

namespace MtkFlash.Tests.PowerShell
{
    /// <summary>Backup-DriveFirmware's declaration: `Get-OpticalDrive | Backup-DriveFirmware -Path \\server\backups` binds as documented.</summary>
    public class BackupCmdletDeclarationTests
    {
        static readonly System.Type Cmdlet = typeof(BackupDriveFirmwareCommand);

        [Fact]
        public void It_is_Backup_DriveFirmware_with_ShouldProcess_at_medium_impact()
        {
            var cmdlet = Attr(Cmdlet, typeof(CmdletAttribute));
            Assert.Equal(VerbsData.Backup, cmdlet.ConstructorArguments[0].Value);
            Assert.Equal("DriveFirmware", cmdlet.ConstructorArguments[1].Value);
            Assert.Equal(true, Named(cmdlet, "SupportsShouldProcess"));
            Assert.Equal(ConfirmImpact.Medium, (ConfirmImpact)(int)Named(cmdlet, "ConfirmImpact"));
            Assert.True(typeof(MtkFlashCmdlet).IsAssignableFrom(Cmdlet));
        }

        [Fact]
        public void It_declares_BackupResult_as_its_output()
        {
            var output = Attr(Cmdlet, typeof(OutputTypeAttribute));
            var types = (ReadOnlyCollection<CustomAttributeTypedArgument>)output.ConstructorArguments[0].Value;
            Assert.Equal(new object[] { typeof(DriveFirmwareBackup) }, types.Select(t => t.Value).ToArray());
        }

        [Fact]
        public void Drive_comes_from_the_pipeline_at_position_0_with_the_InputObject_alias()
        {
            var drive = ParameterAttr(Cmdlet, "Drive");
            Assert.Equal(0, Named(drive, "Position"));
            Assert.Equal(true, Named(drive, "ValueFromPipeline"));
            Assert.Equal(true, Named(drive, "Mandatory"));
            Assert.Equal(typeof(object[]), Cmdlet.GetProperty("Drive").PropertyType);
            var alias = Cmdlet.GetProperty("Drive").GetCustomAttributesData().Single(a => a.AttributeType == typeof(AliasAttribute));
            var names = (ReadOnlyCollection<CustomAttributeTypedArgument>)alias.ConstructorArguments[0].Value;
            Assert.Equal(new object[] { "InputObject" }, names.Select(n => n.Value).ToArray());
        }

        [Fact]
        public void Path_is_a_plain_optional_folder_not_bound_from_the_pipeline()
        {
            var path = ParameterAttr(Cmdlet, "Path");
            Assert.Equal(1, Named(path, "Position"));
            Assert.NotEqual(true, Named(path, "ValueFromPipeline"));
            Assert.NotEqual(true, Named(path, "ValueFromPipelineByPropertyName"));
            Assert.NotEqual(true, Named(path, "Mandatory"));
            Assert.Equal(typeof(string), Cmdlet.GetProperty("Path").PropertyType);
            Assert.Contains(Cmdlet.GetProperty("Path").GetCustomAttributesData(), a => a.AttributeType == typeof(ValidateNotNullOrEmptyAttribute));
        }

        [Fact]
        public void AsZip_is_a_named_switch()
        {
            var zip = ParameterAttr(Cmdlet, "AsZip");
            Assert.Null(Named(zip, "Position"));
            Assert.NotEqual(true, Named(zip, "ValueFromPipeline"));
            Assert.Equal(typeof(SwitchParameter), Cmdlet.GetProperty("AsZip").PropertyType);
        }

        [Fact]
        public void Only_the_declared_parameters_exist()
        {
            var parameters = Cmdlet.GetProperties().Where(p => p.GetCustomAttributesData().Any(a => a.AttributeType == typeof(ParameterAttribute)))
                .Select(p => p.Name).OrderBy(n => n);
            Assert.Equal(new[] { "AsZip", "Drive", "Path", "TracePath" }, parameters);
        }
    }
}
