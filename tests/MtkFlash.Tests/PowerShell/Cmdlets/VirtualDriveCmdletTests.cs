using System.Linq;
using System.Management.Automation;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.PowerShell.Cmdlets
{
    /// <summary>New-/Remove-VirtualOpticalDrive in a real pipeline.</summary>
    [Collection(PowerShellCollection.Name)]
    public class VirtualDriveCmdletTests
    {
        readonly ModuleFixture _module;
        public VirtualDriveCmdletTests(ModuleFixture module) { _module = module; }

        [Fact]
        public void New_with_WhatIf_creates_nothing_and_with_Confirm_false_emits_the_new_drive_and_a_verbose_line()
        {
            using var ps = new PowerShellSession(_module);
            var store = new VirtualDriveStore(ps.Home);
            var whatIf = ps.Run("New-VirtualOpticalDrive -Name n1 -Profile lg-bh16ns40 -WhatIf");
            Assert.Empty(whatIf.Output);
            Assert.False(store.Exists("n1"));

            var run = ps.Run("New-VirtualOpticalDrive n1 tsst-se506cb -Revision TS00 -WithDisc -Confirm:$false -Verbose");
            var drive = run.Objects<OpticalDrive>().Single();
            Assert.Equal("virtual:n1", drive.Path);
            Assert.Equal("TS00", drive.Revision);
            Assert.True(store.Exists("n1"));
            Assert.Contains(run.Verbose, v => v.Contains("virtual:n1"));
        }

        [Theory]
        [InlineData("New-VirtualOpticalDrive -Name n2 -Profile no-such-drive", "UnknownProfile", ErrorCategory.InvalidArgument, "no-such-drive")]
        [InlineData("New-VirtualOpticalDrive -Name 'bad name' -Profile lg-bh16ns40", "InvalidDriveName", ErrorCategory.InvalidArgument, "bad name")]
        [InlineData("New-VirtualOpticalDrive -Name taken -Profile lg-bh16ns40", "DriveExists", ErrorCategory.ResourceExists, "virtual:taken")]
        public void New_reports_bad_input_as_ErrorRecords(string script, string errorId, ErrorCategory category, string target)
        {
            using var ps = new PowerShellSession(_module);
            new VirtualDriveStore(ps.Home).Create("taken", "btc-drw1008");
            var error = ps.Run(script).SingleError();
            Assert.Equal(errorId + ",MtkFlash.PowerShell.NewVirtualOpticalDriveCommand", error.FullyQualifiedErrorId);
            Assert.Equal(category, error.CategoryInfo.Category);
            Assert.Equal(target, error.TargetObject);
        }

        [Fact]
        public void Remove_takes_piped_drives_by_property_name_and_names_by_value()
        {
            using var ps = new PowerShellSession(_module);
            var store = new VirtualDriveStore(ps.Home);
            foreach (var n in new[] { "r-a", "r-b", "keep", "s1" }) store.Create(n, "spc-generic");
            ps.Ok("Get-OpticalDrive 'virtual:r-*' | Remove-VirtualOpticalDrive -Confirm:$false");
            ps.Ok("'s1' | Remove-VirtualOpticalDrive -Confirm:$false");
            Assert.Equal(new[] { "keep" }, store.List().Select(d => d.Name));
        }

        [Fact]
        public void Remove_with_WhatIf_keeps_the_drive_and_PassThru_emits_what_was_removed()
        {
            using var ps = new PowerShellSession(_module);
            var store = new VirtualDriveStore(ps.Home);
            store.Create("gone", "plextor-px716a");
            Assert.Empty(ps.Ok("Remove-VirtualOpticalDrive gone -WhatIf"));
            Assert.True(store.Exists("gone"));
            var info = (VirtualDriveInfo)ps.Ok("Remove-VirtualOpticalDrive -Name virtual:gone -PassThru -Confirm:$false").Single().BaseObject;
            Assert.Equal("plextor-px716a", info.Profile);
            Assert.False(store.Exists("gone"));
        }

        [Fact]
        public void Remove_of_a_missing_drive_is_DriveNotFound()
        {
            using var ps = new PowerShellSession(_module);
            var error = ps.Run("Remove-VirtualOpticalDrive -Name ghost -Confirm:$false").SingleError();
            Assert.Equal("DriveNotFound,MtkFlash.PowerShell.RemoveVirtualOpticalDriveCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal("virtual:ghost", error.TargetObject);
        }
    }
}
