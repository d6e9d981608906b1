using System.Linq;
using System.Management.Automation;
using MtkFlash.Core.Drives;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.PowerShell.Cmdlets
{
    /// <summary>The module loads into a real runspace and exports what its manifest says, with the format views applied.</summary>
    [Collection(PowerShellCollection.Name)]
    public class ModuleImportTests
    {
        readonly ModuleFixture _module;
        public ModuleImportTests(ModuleFixture module) { _module = module; }

        [Fact]
        public void Import_exports_exactly_the_manifest_cmdlets()
        {
            using var ps = new PowerShellSession(_module);
            var manifest = ps.Ok("(Import-PowerShellDataFile -LiteralPath $m).CmdletsToExport", ("m", _module.ManifestPath)).Select(o => (string)o.BaseObject).OrderBy(n => n);
            var exported = ps.Ok("(Get-Module MtkFlash).ExportedCmdlets.Keys").Select(o => (string)o.BaseObject).OrderBy(n => n);
            Assert.Equal(manifest, exported);
            Assert.NotEmpty(exported);
            var info = (PSModuleInfo)ps.Ok("Get-Module MtkFlash").Single().BaseObject;
            Assert.Equal(ModuleType.Binary, info.ModuleType);
            Assert.Equal(typeof(MtkFlash.PowerShell.MtkFlashCmdlet).Assembly.Location, info.ImplementingAssembly.Location);
        }

        [Fact]
        public void Drives_format_as_the_inventory_table()
        {
            using var ps = new PowerShellSession(_module);
            new Core.Virtual.VirtualDriveStore(ps.Home).Create("fmt1", "lg-bh16ns40");
            var table = string.Join("\n", ps.Ok("Get-OpticalDrive virtual:fmt1 | Format-Table | Out-String -Width 200").Select(o => o.ToString()));
            Assert.Matches(@"Path\s+Vendor\s+Product\s+Revision\s+Family\s+State", table);
            Assert.Matches(@"virtual:fmt1\s+HL-DT-ST\s+BD-RE BH16NS40\s+1\.02\s+Mt1959\s+NoMedium", table);
            Assert.IsType<OpticalDrive>(ps.Ok("Get-OpticalDrive virtual:fmt1").Single().BaseObject);
        }
    }
}
