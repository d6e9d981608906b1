using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using MtkFlash.Cli;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Serialization;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Virtual;
using MtkFlash.PowerShell;
using MtkFlash.Tests.PowerShell;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Virtual
{
    /// <summary>VirtualDriveOperations (behind the cmdlets), the `mtkflash virtual` CLI and the cmdlet declarations.</summary>
    public class VirtualFrontEndTests
    {
        static MtkFlashContext Context(TempHome home, IClock clock) =>
            new MtkFlashContext(home.Path, clock, new IDrivePlatform[] { new VirtualDrivePlatform(home.Path, clock) });

        [Fact]
        public void New_creates_and_returns_the_identified_drive_and_honours_WhatIf()
        {
            using (var home = new TempHome())
            {
                var ops = new VirtualDriveOperations(Context(home, new FakeClock()));
                var whatIf = new RecordingHost(shouldProcess: false);
                Assert.Null(ops.New(whatIf, "demo", "lg-bh16ns40"));
                Assert.Single(whatIf.ShouldProcessCalls);
                Assert.Equal("virtual:demo", whatIf.ShouldProcessCalls[0].Target);
                Assert.False(ops.Store.Exists("demo"));

                var host = new RecordingHost();
                var drive = ops.New(host, "demo", "asus-bw16d1ht", "3.10", withDisc: true);
                Assert.Empty(host.Errors);
                Assert.Same(drive, host.ObjectsOf<OpticalDrive>().Single());
                Assert.Equal("virtual:demo", drive.Path);
                Assert.Equal("3.10", drive.Revision);
                Assert.Equal(DriveFamily.Mt1959, drive.Family);
                Assert.Equal(DriveState.MediumPresent, drive.State);
                Assert.True(drive.IsVirtual);
            }
        }

        [Theory]
        [InlineData("bad name", "lg-bh16ns40", null, "InvalidDriveName")]
        [InlineData("ok", "nope", null, "UnknownProfile")]
        [InlineData("ok", "lg-bh16ns40", "12345", "InvalidRevision")]
        public void New_reports_bad_arguments_as_invalid_argument_errors_without_creating_anything(string name, string profile, string revision, string errorId)
        {
            using (var home = new TempHome())
            {
                var ops = new VirtualDriveOperations(Context(home, new FakeClock()));
                var host = new RecordingHost();
                Assert.Null(ops.New(host, name, profile, revision));
                var error = Assert.Single(host.Errors);
                Assert.Equal(errorId, error.ErrorId);
                Assert.Equal(OperationErrorCategory.InvalidArgument, error.Category);
                Assert.Empty(host.ShouldProcessCalls);
                Assert.Empty(ops.Store.List());
            }
        }

        [Fact]
        public void Remove_accepts_a_path_asks_first_and_reports_missing_and_busy_drives()
        {
            using (var home = new TempHome())
            {
                var ops = new VirtualDriveOperations(Context(home, new FakeClock()));
                ops.Store.Create("a", "btc-drw1008");
                var host = new RecordingHost(shouldProcess: false);
                Assert.Null(ops.Remove(host, "virtual:a"));
                Assert.True(ops.Store.Exists("a"));

                using (ops.Store.Open("a", DriveAccess.Exclusive))
                {
                    host = new RecordingHost();
                    Assert.Null(ops.Remove(host, "a"));
                    Assert.Equal("DriveInUse", host.Errors.Single().ErrorId);
                }
                host = new RecordingHost();
                Assert.Equal("virtual:a", ops.Remove(host, "virtual:a").Path);
                Assert.False(ops.Store.Exists("a"));
                host = new RecordingHost();
                Assert.Null(ops.Remove(host, "a"));
                Assert.Equal("DriveNotFound", host.Errors.Single().ErrorId);
            }
        }

        // ------------------------------------------------------------------ CLI

        static CliRun Cli(TempHome home, IClock clock, params string[] args) => CliRunner.Run(home.Path, clock, null, args);

        [Fact]
        public void Cli_new_list_fault_and_remove_round_trip()
        {
            using (var home = new TempHome())
            {
                var clock = new FakeClock();
                var r = Cli(home, clock, "virtual", "new", "bd", "--profile", "lg-bh16ns40", "--disc");
                Assert.Equal(0, r.Exit);
                Assert.Contains("virtual:bd", r.Out);
                Assert.Equal(0, Cli(home, clock, "virtual", "new", "dvd", "--profile", "btc-drw1008", "--revision", "B231").Exit);

                r = Cli(home, clock, "virtual", "list", "--json");
                Assert.Equal(0, r.Exit);
                var list = (System.Collections.Generic.List<object>)Json.Parse(r.Out);
                Assert.Equal(2, list.Count);
                var bd = (System.Collections.Generic.Dictionary<string, object>)list[0];
                Assert.Equal("virtual:bd", bd.GetString("path"));
                Assert.Equal("mt1959", bd.GetString("family"));
                Assert.Equal("disc", bd.GetString("tray"));
                Assert.Equal("B231", ((System.Collections.Generic.Dictionary<string, object>)list[1]).GetString("revision"));

                r = Cli(home, clock, "virtual", "fault", "dvd", "--hang-after", "0", "--transient", "busy:2", "--disc", "in");
                Assert.Equal(0, r.Exit);
                Assert.Contains("busy:2", r.Out);
                r = Cli(home, clock, "list", "--json");
                var drives = (System.Collections.Generic.List<object>)Json.Parse(r.Out);
                Assert.Equal("notResponding", ((System.Collections.Generic.Dictionary<string, object>)drives[1]).GetString("state"));
                Assert.True(((System.Collections.Generic.Dictionary<string, object>)drives[0]).GetBool("isVirtual"));
                Assert.Contains("virtual:dvd", r.Err);

                Assert.Equal(0, Cli(home, clock, "virtual", "fault", "dvd", "--clear").Exit);
                Assert.True(new VirtualDriveStore(home.Path).Get("dvd").Faults.IsEmpty);
                Assert.Equal(0, Cli(home, clock, "virtual", "remove", "dvd").Exit);
                Assert.False(new VirtualDriveStore(home.Path).Exists("dvd"));
                Assert.Equal(1, Cli(home, clock, "virtual", "remove", "dvd").Exit);
            }
        }

        [Theory]
        [InlineData("virtual", "new", "bad/name", "--profile", "lg-bh16ns40")]
        [InlineData("virtual", "new", "x", "--profile", "no-such")]
        [InlineData("virtual", "new", "x")]
        [InlineData("virtual", "image", "--profile", "no-such", "--out", "x.bin")]
        [InlineData("virtual", "fault", "x", "--transient", "sneeze")]
        [InlineData("virtual", "fault", "x", "--disc", "sideways")]
        public void Cli_usage_errors_exit_2_with_a_message(params string[] args)
        {
            using (var home = new TempHome())
            {
                var r = Cli(home, new FakeClock(), args);
                Assert.Equal(ExitCodes.Usage, r.Exit);
                Assert.Contains("error", r.Err);
            }
        }

        [Fact]
        public void Cli_profiles_json_lists_every_profile_with_its_fields()
        {
            using (var home = new TempHome())
            {
                var r = Cli(home, new FakeClock(), "virtual", "profiles", "--json");
                Assert.Equal(0, r.Exit);
                var list = ((System.Collections.Generic.List<object>)Json.Parse(r.Out)).Cast<System.Collections.Generic.Dictionary<string, object>>().ToList();
                Assert.Equal(VirtualProfiles.All.Select(p => p.Name), list.Select(p => p.GetString("name")));
                var lg = list.Single(p => p.GetString("name") == "lg-bh16ns40");
                Assert.Equal(new[] { "name", "family", "vendor", "product", "revision", "canFlash", "model", "listed", "flashSize" }, lg.Keys.ToArray());
                Assert.Equal(0x200000, lg.GetInt64("flashSize"));
                Assert.False(list.Single(p => p.GetString("name") == "liteon-sohw812s").GetBool("canFlash", true));
                Assert.False(list.Single(p => p.GetString("name") == "lg-wh16ns60").GetBool("listed", true));
                Assert.True(lg.GetBool("listed"));
            }
        }

        [Fact]
        public void Cli_image_writes_the_synthetic_image_and_refuses_to_overwrite_without_force()
        {
            using (var home = new TempHome())
            {
                var file = home.Sub("fw.bin");
                Assert.Equal(0, Cli(home, new FakeClock(), "virtual", "image", "--profile", "tsst-se506cb", "--revision", "TS02", "--out", file).Exit);
                Assert.Equal(SyntheticImages.Build("tsst-se506cb", "TS02"), File.ReadAllBytes(file));
                var r = Cli(home, new FakeClock(), "virtual", "image", "--profile", "tsst-se506cb", "--revision", "TS03", "--out", file);
                Assert.Equal(ExitCodes.Failure, r.Exit);
                Assert.Contains("--force", r.Err);
                Assert.Equal(SyntheticImages.Build("tsst-se506cb", "TS02"), File.ReadAllBytes(file));
                Assert.Equal(0, Cli(home, new FakeClock(), "virtual", "image", "--profile", "tsst-se506cb", "--revision", "TS03", "--out", file, "--force").Exit);
                Assert.Equal(SyntheticImages.Build("tsst-se506cb", "TS03"), File.ReadAllBytes(file));
            }
        }

        // ------------------------------------------------------------------ cmdlet declarations

        [Fact]
        public void New_VirtualOpticalDrive_declares_ShouldProcess_OpticalDrive_output_and_mandatory_name_and_profile()
        {
            var t = typeof(NewVirtualOpticalDriveCommand);
            var cmdlet = CmdletDeclarationTests.Attr(t, typeof(CmdletAttribute));
            Assert.Equal("New", cmdlet.ConstructorArguments[0].Value);
            Assert.Equal("VirtualOpticalDrive", cmdlet.ConstructorArguments[1].Value);
            Assert.Equal(true, CmdletDeclarationTests.Named(cmdlet, "SupportsShouldProcess"));
            var output = (System.Collections.ObjectModel.ReadOnlyCollection<System.Reflection.CustomAttributeTypedArgument>)
                CmdletDeclarationTests.Attr(t, typeof(OutputTypeAttribute)).ConstructorArguments[0].Value;
            Assert.Equal(typeof(OpticalDriveInfo), output[0].Value);
            Assert.Equal(true, CmdletDeclarationTests.Named(CmdletDeclarationTests.ParameterAttr(t, "Name"), "Mandatory"));
            Assert.Equal(true, CmdletDeclarationTests.Named(CmdletDeclarationTests.ParameterAttr(t, "Profile"), "Mandatory"));
            Assert.Equal(typeof(SwitchParameter), t.GetProperty("WithDisc").PropertyType);
            Assert.NotNull(t.GetProperty("Revision"));
        }

        [Fact]
        public void Remove_VirtualOpticalDrive_binds_the_path_of_piped_drives_and_confirms_at_medium_impact()
        {
            var t = typeof(RemoveVirtualOpticalDriveCommand);
            var cmdlet = CmdletDeclarationTests.Attr(t, typeof(CmdletAttribute));
            Assert.Equal("Remove", cmdlet.ConstructorArguments[0].Value);
            Assert.Equal(true, CmdletDeclarationTests.Named(cmdlet, "SupportsShouldProcess"));
            Assert.Equal(ConfirmImpact.Medium, (ConfirmImpact)(int)CmdletDeclarationTests.Named(cmdlet, "ConfirmImpact"));
            var name = CmdletDeclarationTests.ParameterAttr(t, "Name");
            Assert.Equal(true, CmdletDeclarationTests.Named(name, "ValueFromPipelineByPropertyName"));
            var alias = t.GetProperty("Name").GetCustomAttributesData().Single(a => a.AttributeType == typeof(AliasAttribute));
            var aliases = (System.Collections.ObjectModel.ReadOnlyCollection<System.Reflection.CustomAttributeTypedArgument>)alias.ConstructorArguments[0].Value;
            Assert.Contains("Path", aliases.Select(a => (string)a.Value));
            Assert.NotNull(typeof(OpticalDriveInfo).GetProperty("Path"));   // what Get-OpticalDrive pipes
        }
    }
}
