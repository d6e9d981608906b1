using System.Linq;
using System.Management.Automation;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.PowerShell.Cmdlets
{
    /// <summary>Get-OpticalDrive in a real pipeline: wildcards, binding by value and by property name, errors.</summary>
    [Collection(PowerShellCollection.Name)]
    public class GetOpticalDriveCmdletTests
    {
        readonly ModuleFixture _module;
        public GetOpticalDriveCmdletTests(ModuleFixture module) { _module = module; }

        static PowerShellSession WithDrives(ModuleFixture module)
        {
            var ps = new PowerShellSession(module);
            var store = new VirtualDriveStore(ps.Home);
            store.Create("g-lg", "lg-bh16ns40");
            store.Create("g-tsst", "tsst-se506cb");
            store.Create("other", "btc-drw1008");
            return ps;
        }

        [Fact]
        public void A_wildcard_lists_the_matching_virtual_drives_as_OpticalDrive_objects()
        {
            using var ps = WithDrives(_module);
            var drives = ps.Ok("Get-OpticalDrive -Path 'virtual:g-*'").Select(o => (OpticalDrive)o.BaseObject).ToList();
            Assert.Equal(new[] { "virtual:g-lg", "virtual:g-tsst" }, drives.Select(d => d.Path).OrderBy(p => p));
            Assert.All(drives, d => Assert.True(d.IsVirtual));
            Assert.Equal(DriveFamily.Mt1959, drives.Single(d => d.Path == "virtual:g-lg").Family);
        }

        [Fact]
        public void Paths_bind_from_the_pipeline_by_value()
        {
            using var ps = WithDrives(_module);
            var paths = ps.Ok("'virtual:g-lg', 'virtual:other' | Get-OpticalDrive").Select(o => ((OpticalDrive)o.BaseObject).Path);
            Assert.Equal(new[] { "virtual:g-lg", "virtual:other" }, paths);
        }

        [Fact]
        public void Paths_bind_from_the_pipeline_by_property_name()
        {
            using var ps = WithDrives(_module);
            // Import-Csv rows and deserialised drives carry a Path property.
            var paths = ps.Ok("[pscustomobject]@{ Path = 'virtual:g-tsst' }, [pscustomobject]@{ Path = 'virtual:other' } | Get-OpticalDrive")
                .Select(o => ((OpticalDrive)o.BaseObject).Path);
            Assert.Equal(new[] { "virtual:g-tsst", "virtual:other" }, paths);
        }

        [Fact]
        public void A_missing_drive_is_a_non_terminating_DriveNotFound_and_the_rest_is_listed()
        {
            using var ps = WithDrives(_module);
            var run = ps.Run("Get-OpticalDrive -Path 'virtual:absent', 'virtual:g-lg'");
            Assert.Null(run.Terminating);
            Assert.Equal("virtual:g-lg", run.Objects<OpticalDrive>().Single().Path);
            var error = run.SingleError();
            Assert.Equal("DriveNotFound,MtkFlash.PowerShell.GetOpticalDriveCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal("virtual:absent", error.TargetObject);
        }

        [Fact]
        public void A_wildcard_that_matches_nothing_is_an_empty_result_not_an_error()
        {
            using var ps = WithDrives(_module);
            var run = ps.Run("Get-OpticalDrive -Path 'virtual:none-*' -ErrorAction Stop");
            Assert.Null(run.Terminating);
            Assert.Empty(run.Output);
            Assert.Empty(run.Errors);
        }
    }
}
