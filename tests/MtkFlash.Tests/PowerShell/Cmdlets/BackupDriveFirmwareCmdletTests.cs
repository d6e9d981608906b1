using System.IO;
using System.Linq;
using System.Management.Automation;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.PowerShell.Cmdlets
{
    /// <summary>Backup-DriveFirmware in a real pipeline: every binding form, -WhatIf, -Confirm:$false, progress, errors.</summary>
    [Collection(PowerShellCollection.Name)]
    public class BackupDriveFirmwareCmdletTests
    {
        readonly ModuleFixture _module;
        public BackupDriveFirmwareCmdletTests(ModuleFixture module) { _module = module; }

        [Fact]
        public void Drives_bind_as_objects_strings_Path_objects_and_deserialised_drives()
        {
            using var ps = new PowerShellSession(_module);
            var store = new VirtualDriveStore(ps.Home);
            foreach (var n in new[] { "b1", "b2", "b3", "b4" }) store.Create(n, "tsst-se506cb");
            var dir = ps.Folder("bundles");
            var results = ps.Ok(@"
                $remote = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize((Get-OpticalDrive virtual:b4)))
                (Get-OpticalDrive virtual:b1), 'virtual:b2', [pscustomobject]@{ Path = 'virtual:b3' }, $remote | Backup-DriveFirmware -Path $dir -Confirm:$false",
                ("dir", dir)).Select(o => (BackupResult)o.BaseObject).ToList();
            Assert.Equal(new[] { "virtual:b1", "virtual:b2", "virtual:b3", "virtual:b4" }, results.Select(r => r.Drive));
            Assert.All(results, r => Assert.Equal(BackupCompleteness.Full, r.Completeness));
            Assert.All(results, r => Assert.True(Directory.Exists(r.Path) && Path.GetDirectoryName(r.Path) == dir, r.Path));
        }

        [Fact]
        public void WhatIf_reads_and_writes_nothing_and_emits_nothing()
        {
            using var ps = new PowerShellSession(_module);
            new VirtualDriveStore(ps.Home).Create("bw", "lg-bh16ns40");
            var dir = ps.Folder("whatif");
            var run = ps.Run("Get-OpticalDrive virtual:bw | Backup-DriveFirmware -Path $dir -WhatIf", ("dir", dir));
            Assert.Empty(run.Output);
            Assert.Empty(run.Errors);
            Assert.Empty(Directory.EnumerateFileSystemEntries(dir));
            Assert.False(Directory.Exists(Path.Combine(ps.Home, "backups")));
            Assert.DoesNotContain(run.Progress, p => p.Activity.StartsWith("Backing up"));
        }

        [Fact]
        public void Progress_names_the_drive_and_ends_completed()
        {
            using var ps = new PowerShellSession(_module);
            new VirtualDriveStore(ps.Home).Create("bp", "lg-bh16ns40");
            var run = ps.Run("Backup-DriveFirmware -Drive virtual:bp -Path $dir", ("dir", ps.Folder("p")));
            Assert.Single(run.Objects<BackupResult>());
            Assert.NotEmpty(run.Progress);
            Assert.All(run.Progress, p => Assert.Contains("virtual:bp", p.Activity + " " + p.StatusDescription));
            Assert.All(run.Progress, p => Assert.InRange(p.PercentComplete, -1, 100));
            Assert.Equal(ProgressRecordType.Completed, run.Progress.Last().RecordType);
            var percents = run.Progress.Where(p => p.RecordType == ProgressRecordType.Processing).Select(p => p.PercentComplete).ToList();
            Assert.Equal(percents.OrderBy(p => p), percents);   // never goes backwards
        }

        [Fact]
        public void A_drive_that_loses_power_is_a_non_terminating_error_and_the_next_drive_is_backed_up()
        {
            using var ps = new PowerShellSession(_module);
            var store = new VirtualDriveStore(ps.Home);
            store.Create("dead", "tsst-se506cb");
            store.Create("alive", "lg-bh16ns40");
            store.SetFaults("dead", f => f.PowerLossAfter = 30);
            var dir = ps.Folder("pl");
            var run = ps.Run("'virtual:dead', 'virtual:alive' | Backup-DriveFirmware -Path $dir", ("dir", dir));
            Assert.Null(run.Terminating);
            Assert.Equal("virtual:alive", run.Objects<BackupResult>().Single().Drive);
            var error = run.SingleError();
            Assert.Equal("DriveNotResponding,MtkFlash.PowerShell.BackupDriveFirmwareCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
            Assert.Equal("virtual:dead", error.TargetObject);
            Assert.Single(Directory.EnumerateFileSystemEntries(dir));   // nothing kept of the dead drive
        }

        [Fact]
        public void Something_that_is_not_a_drive_is_DriveArgumentInvalid()
        {
            using var ps = new PowerShellSession(_module);
            var run = ps.Run("[pscustomobject]@{ Name = 'no path here' } | Backup-DriveFirmware -Path $dir", ("dir", ps.Folder("x")));
            var error = run.SingleError();
            Assert.Equal("DriveArgumentInvalid,MtkFlash.PowerShell.BackupDriveFirmwareCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        }
    }
}
