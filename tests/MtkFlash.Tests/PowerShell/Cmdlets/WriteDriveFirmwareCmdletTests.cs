using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography;
using MtkFlash.Core.Flashing;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.PowerShell.Cmdlets
{
    /// <summary>
    /// Write-DriveFirmware in a real pipeline on virtual drives: -WhatIf changes nothing on the drive, -Force -Confirm:$false
    /// flashes with progress and verbose steps, refusals are ErrorRecords naming the drive.
    /// </summary>
    [Collection(PowerShellCollection.Name)]
    public class WriteDriveFirmwareCmdletTests
    {
        readonly ModuleFixture _module;
        public WriteDriveFirmwareCmdletTests(ModuleFixture module) { _module = module; }

        static string Image(PowerShellSession ps, string profile, string revision)
        {
            var path = Path.Combine(ps.Folder("images"), profile + "-" + revision + ".bin");
            File.WriteAllBytes(path, SyntheticImages.Build(profile, revision));
            return path;
        }

        static string FlashHash(VirtualDriveStore store, string name) => System.Convert.ToHexString(SHA256.HashData(store.ReadFlash(name)));

        [Fact]
        public void WhatIf_changes_nothing_on_the_drive_takes_no_backup_and_records_no_history()
        {
            using var ps = new PowerShellSession(_module);
            var store = new VirtualDriveStore(ps.Home);
            store.Create("ww", "lg-bh16ns40");
            var before = FlashHash(store, "ww");
            var run = ps.Run("Get-OpticalDrive virtual:ww | Write-DriveFirmware -Path $img -WhatIf", ("img", Image(ps, "lg-bh16ns40", "1.03")));
            Assert.Empty(run.Output);
            Assert.True(run.Errors.Count == 0, run.ToString());
            Assert.Equal(before, FlashHash(store, "ww"));
            Assert.Equal("1.02", store.Get("ww").Revision);
            Assert.False(Directory.Exists(Path.Combine(ps.Home, "backups")));
            Assert.False(File.Exists(Path.Combine(ps.Home, "history.jsonl")));
        }

        [Fact]
        public void Force_and_Confirm_false_flash_unattended_with_progress_verbose_steps_and_a_verified_result()
        {
            using var ps = new PowerShellSession(_module);
            var store = new VirtualDriveStore(ps.Home);
            store.Create("wf", "lg-bh16ns40");
            var run = ps.Run("'virtual:wf' | Write-DriveFirmware -Path $img -Force -Confirm:$false -Verbose", ("img", Image(ps, "lg-bh16ns40", "1.03")));
            Assert.True(run.Errors.Count == 0 && run.Terminating == null, run.ToString());
            var result = run.Objects<WriteResult>().Single();
            Assert.Equal(WriteOutcome.Succeeded, result.Outcome);
            Assert.Equal("1.03", result.NewRevision);
            Assert.True(result.Verified);
            Assert.True(Directory.Exists(result.BackupPath), result.BackupPath);
            Assert.Equal("1.03", store.Get("wf").Revision);
            Assert.True(File.Exists(Path.Combine(ps.Home, "history.jsonl")));

            Assert.NotEmpty(run.Verbose);
            Assert.Contains(run.Verbose, v => v.Contains("1.02") && v.Contains("1.03"));   // the plan: revision before and after
            Assert.Contains(run.Progress, p => p.Activity.Contains("virtual:wf") || p.StatusDescription.Contains("virtual:wf"));
            Assert.Contains(run.Progress, p => p.RecordType == ProgressRecordType.Completed);
            Assert.All(run.Progress, p => Assert.InRange(p.PercentComplete, -1, 100));
        }

        [Fact]
        public void A_cross_flash_with_Force_alone_is_refused_for_a_drive_bound_by_its_Path_property()
        {
            using var ps = new PowerShellSession(_module);
            var store = new VirtualDriveStore(ps.Home);
            store.Create("wx", "lg-bh16ns40");
            var before = FlashHash(store, "wx");
            var run = ps.Run("[pscustomobject]@{ Path = 'virtual:wx' } | Write-DriveFirmware -Path $img -Force -Confirm:$false",
                ("img", Image(ps, "asus-bw16d1ht", "3.10")));
            Assert.Empty(run.Output);
            var error = run.SingleError();
            Assert.Equal("CrossFlashNotAllowed,MtkFlash.PowerShell.WriteDriveFirmwareCommand", error.FullyQualifiedErrorId);
            Assert.Equal("virtual:wx", error.TargetObject);
            Assert.NotEqual(ErrorCategory.NotSpecified, error.CategoryInfo.Category);
            Assert.Equal(before, FlashHash(store, "wx"));
        }

        [Fact]
        public void A_classic_LiteOn_drive_is_refused_as_ProtocolNotPublic_before_anything_is_sent()
        {
            using var ps = new PowerShellSession(_module);
            var store = new VirtualDriveStore(ps.Home);
            store.Create("wl", "liteon-sohw812s");
            var run = ps.Run("Write-DriveFirmware -Drive virtual:wl -Path $img -Force -Confirm:$false", ("img", Image(ps, "liteon-sohw812s", "US0P")));
            var error = run.SingleError();
            Assert.Equal("ProtocolNotPublic,MtkFlash.PowerShell.WriteDriveFirmwareCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.NotImplemented, error.CategoryInfo.Category);
            Assert.Equal("virtual:wl", error.TargetObject);
            Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.Message));
            Assert.Equal("US0N", store.Get("wl").Revision);
        }
    }
}
