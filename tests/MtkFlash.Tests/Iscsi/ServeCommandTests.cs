using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MtkFlash.Cli;
using MtkFlash.Cli.Commands;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Iscsi;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Iscsi
{
    public sealed class ServeCommandTests
    {
        sealed class OnePlatform : IDrivePlatform
        {
            readonly IScsiTransport _drive;
            public OnePlatform(IScsiTransport drive) { _drive = drive; }
            public List<string> Opened { get; } = new List<string>();
            public string Name => "virtual";
            public bool Handles(string path) => path.StartsWith("virtual:", StringComparison.Ordinal);
            public IReadOnlyList<DeviceEntry> Enumerate() => new DeviceEntry[0];
            public IScsiTransport Open(string path, DriveAccess access)
            {
                if (path != _drive.Path) throw new DriveNotRespondingException(path, "no virtual drive named " + path);
                Opened.Add(path + " " + access);
                return _drive;
            }
        }

        /// <summary>A stdout that lets the test wait for a line without polling.</summary>
        sealed class SignallingWriter : StringWriter
        {
            public readonly ManualResetEventSlim PortalPrinted = new ManualResetEventSlim();
            public override void WriteLine(string value)
            {
                lock (this) base.WriteLine(value);
                if (value != null && value.StartsWith("portal: ", StringComparison.Ordinal)) PortalPrinted.Set();
            }
            public override string ToString() { lock (this) return base.ToString(); }
        }

        static (CliEnvironment env, SignallingWriter output, StringWriter errors, OnePlatform platform) Environment(FakeDrive drive, TempHome home, CancellationToken cancel)
        {
            var output = new SignallingWriter();
            var errors = new StringWriter();
            var platform = new OnePlatform(drive);
            var env = new CliEnvironment
            {
                Out = output, Err = TextWriter.Synchronized(errors), In = new StringReader(""), IsInteractive = false,
                HomeDirectory = home.Path, Clock = new FakeClock(), Platforms = _ => new IDrivePlatform[] { platform }, Cancellation = cancel,
            };
            return (env, output, errors, platform);
        }

        [Fact]
        public async Task Serve_exposes_the_drive_until_cancelled_and_prints_a_parseable_portal()
        {
            var drive = new FakeDrive(r => r.Opcode == Cdb.InquiryOpcode ? ScsiResponse.Good(FakeDrive.Inquiry("MTKTEST", "SERVED", "2.00")) : ScsiResponse.Good());
            using (var home = new TempHome())
            using (var cancel = new CancellationTokenSource())
            {
                var (env, output, errors, platform) = Environment(drive, home, cancel.Token);
                var run = Task.Run(() => CliApp.Run(new[] { "virtual", "serve", "fake", "--iscsi", "127.0.0.1:0" }, env));
                Assert.True(output.PortalPrinted.Wait(TimeSpan.FromSeconds(30)), "no portal line; stderr: " + errors);

                var lines = output.ToString().Split('\n').Select(l => l.Trim()).ToList();
                Assert.Contains("drive: virtual:fake", lines);
                Assert.Contains("target: iqn.2024-01.org.mtkflash:fake", lines);
                Assert.Contains("lun: 0", lines);
                var portal = lines.Single(l => l.StartsWith("portal: ")).Substring(8);
                var endpoint = IscsiTarget.ParsePortal(portal);
                Assert.NotEqual(0, endpoint.Port);

                using (var i = new TestInitiator(endpoint, "iqn.2024-01.org.mtkflash:fake"))
                {
                    Assert.Equal(0, TestInitiator.LoginStatus(i.Login()));
                    var inquiry = i.Read(Cdb.Inquiry(36), 36);
                    Assert.Equal("SERVED", Encoding.ASCII.GetString(inquiry.Data, 16, 16).Trim());
                }
                cancel.Cancel();
                Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30))));
                Assert.Equal(ExitCodes.Success, await run);
                Assert.Equal(new[] { "virtual:fake Exclusive" }, platform.Opened);
                Assert.Contains("stopped serving virtual:fake (1 connection(s))", errors.ToString());
            }
        }

        [Fact]
        public void Seconds_limit_stops_the_target_by_itself()
        {
            var drive = new FakeDrive(r => ScsiResponse.Good());
            using (var home = new TempHome())
            {
                var (env, output, _, _) = Environment(drive, home, CancellationToken.None);
                Assert.Equal(ExitCodes.Success, CliApp.Run(new[] { "virtual", "serve", "fake", "--iscsi", "127.0.0.1:0", "--seconds", "5" }, env));
                Assert.Contains("portal: 127.0.0.1:", output.ToString());
            }
        }

        [Theory]
        [InlineData("3260")]
        [InlineData("example.org:3260")]
        public void A_bad_portal_is_a_usage_error(string portal)
        {
            using (var home = new TempHome())
            {
                var (env, _, errors, platform) = Environment(new FakeDrive(r => ScsiResponse.Good()), home, CancellationToken.None);
                Assert.Equal(ExitCodes.Usage, CliApp.Run(new[] { "virtual", "serve", "fake", "--iscsi", portal, "--seconds", "0" }, env));
                Assert.Contains("--iscsi", errors.ToString());
                Assert.Empty(platform.Opened);
            }
        }

        [Fact]
        public void An_unknown_drive_fails_without_listening()
        {
            using (var home = new TempHome())
            {
                var (env, output, errors, _) = Environment(new FakeDrive(r => ScsiResponse.Good()), home, CancellationToken.None);
                Assert.Equal(ExitCodes.Failure, CliApp.Run(new[] { "virtual", "serve", "missing", "--iscsi", "127.0.0.1:0", "--seconds", "0" }, env));
                Assert.DoesNotContain("portal:", output.ToString());
                Assert.Contains("virtual:missing", errors.ToString());
            }
        }

        [Theory]
        [InlineData("demo", "virtual:demo")]
        [InlineData("virtual:demo", "virtual:demo")]
        [InlineData("/dev/sg1", "/dev/sg1")]
        public void Bare_names_are_virtual_drives(string argument, string path)
        {
            Assert.Equal(path, ServeCommand.DrivePath(argument));
        }
    }
}
