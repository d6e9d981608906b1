using System.Linq;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.PowerShell.Cmdlets
{
    /// <summary>Tab completion as the console asks for it (CommandCompletion.CompleteInput, what TabExpansion2 calls).</summary>
    [Collection(PowerShellCollection.Name)]
    public class ArgumentCompleterTests
    {
        readonly ModuleFixture _module;
        public ArgumentCompleterTests(ModuleFixture module) { _module = module; }

        static PowerShellSession WithDrives(ModuleFixture module)
        {
            var ps = new PowerShellSession(module);
            var store = new VirtualDriveStore(ps.Home);
            store.Create("c-lg", "lg-bh16ns40");
            store.Create("c-tsst", "tsst-se506cb");
            store.Create("z9", "btc-drw1008");
            return ps;
        }

        [Fact]
        public void Profiles_complete_after_New_VirtualOpticalDrive_Profile()
        {
            using var ps = WithDrives(_module);
            Assert.Equal(VirtualProfiles.All.Select(p => p.Name), ps.Complete("New-VirtualOpticalDrive -Name x -Profile ").Select(c => c.CompletionText));
            var tsst = ps.Complete("New-VirtualOpticalDrive x -Profile Tsst-");
            Assert.Equal(new[] { "tsst-se506cb", "tsst-ts-h353c" }, tsst.Select(c => c.CompletionText));
            Assert.Contains("TSSTcorp", tsst[0].ToolTip);
            Assert.Equal(new[] { "'liteon-sohw812s'" }, ps.Complete("New-VirtualOpticalDrive x -Profile 'lite").Select(c => c.CompletionText));
        }

        [Fact]
        public void Virtual_drive_names_complete_after_Remove_VirtualOpticalDrive_Name()
        {
            using var ps = WithDrives(_module);
            Assert.Equal(new[] { "c-lg", "c-tsst" }, ps.Complete("Remove-VirtualOpticalDrive -Name c-").Select(c => c.CompletionText));
            Assert.Equal(new[] { "virtual:z9" }, ps.Complete("Remove-VirtualOpticalDrive virtual:z").Select(c => c.CompletionText));
        }

        [Theory]
        [InlineData("Get-OpticalDrive -Path virtual:c")]
        [InlineData("Get-OpticalDrive virtual:c")]
        [InlineData("Backup-DriveFirmware -Drive virtual:c")]
        [InlineData("Write-DriveFirmware -Path x.bin -Drive virtual:c")]
        [InlineData("Test-FirmwareImage -Path x.bin -Drive virtual:c")]
        public void Drive_paths_complete_on_every_drive_parameter(string line)
        {
            using var ps = WithDrives(_module);
            var found = ps.Complete(line);
            Assert.Equal(new[] { "virtual:c-lg", "virtual:c-tsst" }, found.Select(c => c.CompletionText));
            Assert.Contains("BH16NS40", found[0].ToolTip);
        }

        [Fact]
        public void A_bare_name_completes_to_the_virtual_drive_path()
        {
            using var ps = WithDrives(_module);
            Assert.Equal(new[] { "virtual:z9" }, ps.Complete("Backup-DriveFirmware -Drive z").Select(c => c.CompletionText));
        }
    }
}
