using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MtkFlash.Cli;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Iscsi;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;
using MtkFlash.Tests.Iscsi;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Cli
{
    public sealed class ServeCommandTests
    {
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

        /// <summary>The CLI's environment for CliRunner: only <paramref name="drive"/> (virtual:fake), a stdout that signals the portal line, a synchronised stderr.</summary>
        static (Action<CliEnvironment> env, SignallingWriter output, StringWriter errors, ScriptedPlatform platform) Environment(ScriptedTransport drive, CancellationToken cancel)
        {
            var output = new SignallingWriter();
            var errors = new StringWriter();
            var platform = new ScriptedPlatform("virtual").Add(drive);
            Action<CliEnvironment> env = e =>
            {
                e.Out = output; e.Err = TextWriter.Synchronized(errors); e.Clock = new FakeClock(); e.Cancellation = cancel;
                e.Platforms = _ => new IDrivePlatform[] { platform };
            };
            return (env, output, errors, platform);
        }

        static int Run(TempHome home, Action<CliEnvironment> env, params string[] args) => CliRunner.Run(home.Path, null, env, args).Exit;

        [Fact]
        public async Task Serve_exposes_the_drive_until_cancelled_and_prints_a_parseable_portal()
        {
            var drive = ScriptedTransport.Answering(r => r.Opcode == Cdb.InquiryOpcode ? ScsiResponse.Good(InquiryData.Build("MTKTEST", "SERVED", "2.00", length: 36)) : ScsiResponse.Good());
            using (var home = new TempHome())
            using (var cancel = new CancellationTokenSource())
            {
                var (env, output, errors, platform) = Environment(drive, cancel.Token);
                var run = Task.Run(() => Run(home, env, new[] { "virtual", "serve", "fake", "--iscsi", "127.0.0.1:0" }));
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
            var drive = ScriptedTransport.Answering(r => ScsiResponse.Good());
            using (var home = new TempHome())
            {
                var (env, output, _, _) = Environment(drive, CancellationToken.None);
                Assert.Equal(ExitCodes.Success, Run(home, env, new[] { "virtual", "serve", "fake", "--iscsi", "127.0.0.1:0", "--seconds", "5" }));
                Assert.Contains("portal: 127.0.0.1:", output.ToString());
            }
        }

        [Theory]
        [InlineData("3260")]
        [InlineData("example.org:3260")]
        [InlineData("127.0.0.1:70000")]
        public void A_bad_portal_is_a_usage_error(string portal)
        {
            AssertRefusedAtParseTime(RunServe("fake", "--iscsi", portal, "--seconds", "0"), "--iscsi");
        }

        [Fact]
        public void An_unknown_drive_fails_without_listening()
        {
            using (var home = new TempHome())
            {
                var (env, output, errors, _) = Environment(ScriptedTransport.Answering(r => ScsiResponse.Good()), CancellationToken.None);
                Assert.Equal(ExitCodes.Failure, Run(home, env, new[] { "virtual", "serve", "missing", "--iscsi", "127.0.0.1:0", "--seconds", "0" }));
                Assert.DoesNotContain("portal:", output.ToString());
                Assert.Contains("virtual:missing", errors.ToString());
            }
        }

        // ---- values checked at parse time (exit 2, nothing opened, nothing bound) -----------------------------------

        (int code, string errors, ScriptedPlatform platform, string output) RunServe(params string[] extra)
        {
            using (var home = new TempHome())
            {
                var (env, output, errors, platform) = Environment(ScriptedTransport.Answering(r => ScsiResponse.Good()), CancellationToken.None);
                var args = new[] { "virtual", "serve" }.Concat(extra).ToArray();
                var code = Run(home, env, args);
                return (code, errors.ToString(), platform, output.ToString());
            }
        }

        static void AssertRefusedAtParseTime((int code, string errors, ScriptedPlatform platform, string output) r, string mentions)
        {
            Assert.Equal(ExitCodes.Usage, r.code);
            Assert.Contains(mentions, r.errors);
            // Refused by the parser (System.CommandLine validators), not by a check in the action: CliApp adds this line.
            Assert.Contains("--help' for usage.", r.errors);
            Assert.DoesNotContain("Exception", r.errors);
            Assert.DoesNotContain("   at ", r.errors);
            Assert.Empty(r.platform.Opened);
            Assert.DoesNotContain("portal:", r.output);
        }

        [Theory]
        [InlineData("NaN")]
        [InlineData("Infinity")]
        [InlineData("-Infinity")]
        [InlineData("1e308")]
        [InlineData("-1")]
        [InlineData("2147484")]
        public void Seconds_that_are_not_a_usable_duration_are_refused_before_the_target_starts(string value)
        {
            AssertRefusedAtParseTime(RunServe("fake", "--iscsi", "127.0.0.1:0", "--seconds", value), "--seconds must be a number of seconds from 0 to 2147483");
        }

        [Theory]
        [InlineData("NaN")]
        [InlineData("Infinity")]
        [InlineData("0")]
        [InlineData("-5")]
        [InlineData("1e308")]
        public void Command_timeouts_outside_0_to_3600_seconds_are_refused_before_the_target_starts(string value)
        {
            AssertRefusedAtParseTime(RunServe("fake", "--iscsi", "127.0.0.1:0", "--seconds", "0", "--command-timeout", value), "--command-timeout must be more than 0");
        }

        [Theory]
        [InlineData("not-an-iqn", "starts with iqn.")]
        [InlineData("iqn.2024-13.org.example:x", "iqn.YYYY-MM")]
        [InlineData("iqn.2024-01.org.example:a b", "not allowed")]
        [InlineData("LONG", "at most 223 bytes")]
        public void Target_names_must_be_iSCSI_names(string value, string problem)
        {
            if (value == "LONG") value = new string('a', 100000); // a 100,000-character non-IQN was once served
            AssertRefusedAtParseTime(RunServe("fake", "--iscsi", "127.0.0.1:0", "--seconds", "0", "--target-name", value), problem);
        }

        [Fact]
        public void A_valid_target_name_is_served_in_lower_case()
        {
            var drive = ScriptedTransport.Answering(r => ScsiResponse.Good());
            using (var home = new TempHome())
            {
                var (env, output, _, _) = Environment(drive, CancellationToken.None);
                Assert.Equal(ExitCodes.Success, Run(home, env, new[] { "virtual", "serve", "fake", "--iscsi", "127.0.0.1:0", "--seconds", "0", "--target-name", "IQN.2024-01.org.Example:Drive" }));
                Assert.Contains("target: iqn.2024-01.org.example:drive", output.ToString());
            }
        }

        [Theory]
        [InlineData("/dev/sg1")]
        [InlineData("/dev/sr0")]
        [InlineData(@"\\.\CdRom0")]
        [InlineData("scsi:0:0")]
        public void Real_drive_paths_are_refused(string path)
        {
            AssertRefusedAtParseTime(RunServe(path, "--iscsi", "127.0.0.1:0", "--seconds", "0"), "only virtual drives can be served");
        }

        [Theory]
        [InlineData("192.0.2.1:3260")]
        [InlineData("0.0.0.0:3260")]
        [InlineData("[::]:3260")]
        public void A_non_loopback_portal_needs_CHAP(string portal)
        {
            AssertRefusedAtParseTime(RunServe("fake", "--iscsi", portal, "--seconds", "0"), "needs CHAP");
        }

        [Theory]
        [InlineData("--lun", "256", "--lun takes a LUN from 0 to 255")]
        [InlineData("--lun", "-1", "--lun takes a LUN from 0 to 255")]
        [InlineData("--chap-user", "u", "--chap-user needs the secret")]
        [InlineData("--chap-secret-env", "X", "needs --chap-user")]
        public void Other_bad_values_are_refused_at_parse_time(string option, string value, string problem)
        {
            AssertRefusedAtParseTime(RunServe("fake", "--iscsi", "127.0.0.1:0", "--seconds", "0", option, value), problem);
        }

        [Fact]
        public void A_CHAP_secret_that_is_too_short_missing_or_not_a_regular_file_is_refused()
        {
            using (var dir = new TempHome())
            {
                var shortFile = Path.Combine(dir.Path, "short");
                File.WriteAllText(shortFile, "short\n");
                AssertRefusedAtParseTime(RunServe("fake", "--iscsi", "127.0.0.1:0", "--seconds", "0", "--chap-user", "u", "--chap-secret-file", shortFile), "regular file holding the secret");
                AssertRefusedAtParseTime(RunServe("fake", "--iscsi", "127.0.0.1:0", "--seconds", "0", "--chap-user", "u", "--chap-secret-file", Path.Combine(dir.Path, "missing")), "does not exist");
                AssertRefusedAtParseTime(RunServe("fake", "--iscsi", "127.0.0.1:0", "--seconds", "0", "--chap-user", "u", "--chap-secret-file", "/dev/zero"), "regular file");
                AssertRefusedAtParseTime(RunServe("fake", "--iscsi", "127.0.0.1:0", "--seconds", "0", "--chap-user", "u", "--chap-secret-env", "MTKFLASH_TEST_UNSET_" + Guid.NewGuid().ToString("N")), "not set");
            }
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task With_CHAP_set_up_on_loopback_a_CHAP_less_login_is_refused_and_a_CHAP_login_works(bool fromEnvironment)
        {
            var drive = ScriptedTransport.Answering(r => r.Opcode == Cdb.InquiryOpcode ? ScsiResponse.Good(InquiryData.Build("MTKTEST", "CHAP", "1.00", length: 36)) : ScsiResponse.Good());
            var secret = "s3cret-from-" + (fromEnvironment ? "environment" : "a-file");
            var variable = "MTKFLASH_TEST_CHAP_" + Guid.NewGuid().ToString("N");
            using (var home = new TempHome())
            using (var cancel = new CancellationTokenSource())
            {
                var file = Path.Combine(home.Path, "chap.secret");
                File.WriteAllText(file, secret + "\n");
                System.Environment.SetEnvironmentVariable(variable, secret);
                try
                {
                    var (env, output, errors, _) = Environment(drive, cancel.Token);
                    var source = fromEnvironment ? new[] { "--chap-secret-env", variable } : new[] { "--chap-secret-file", file };
                    var run = Task.Run(() => Run(home, env, new[] { "virtual", "serve", "fake", "--iscsi", "127.0.0.1:0", "--chap-user", "initiator-1" }.Concat(source).ToArray()));
                    Assert.True(output.PortalPrinted.Wait(TimeSpan.FromSeconds(30)), "no portal line; stderr: " + errors);
                    var lines = output.ToString().Split('\n').Select(l => l.Trim()).ToList();
                    Assert.Contains("auth: chap initiator-1", lines);
                    var endpoint = IscsiTarget.ParsePortal(lines.Single(l => l.StartsWith("portal: ")).Substring(8));
                    using (var i = new TestInitiator(endpoint, "iqn.2024-01.org.mtkflash:fake"))
                    {
                        Assert.Equal(0x0201, TestInitiator.LoginStatus(i.Login()));
                        Assert.True(i.IsClosedByTarget());
                    }
                    using (var i = new TestInitiator(endpoint, "iqn.2024-01.org.mtkflash:fake"))
                        Assert.Equal(0x0201, TestInitiator.LoginStatus(i.ChapLogin("initiator-1", Encoding.UTF8.GetBytes(secret + "\n"))));
                    using (var i = new TestInitiator(endpoint, "iqn.2024-01.org.mtkflash:fake"))
                    {
                        Assert.Equal(0, TestInitiator.LoginStatus(i.ChapLogin("initiator-1", Encoding.UTF8.GetBytes(secret))));
                        Assert.Equal("CHAP", Encoding.ASCII.GetString(i.Read(Cdb.Inquiry(36), 36).Data, 16, 16).Trim());
                    }
                    cancel.Cancel();
                    Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30))));
                    Assert.Equal(ExitCodes.Success, await run);
                    Assert.DoesNotContain(secret, errors.ToString() + output);
                }
                finally { System.Environment.SetEnvironmentVariable(variable, null); }
            }
        }

        [Fact]
        public void The_help_offers_no_way_to_give_the_secret_on_the_command_line()
        {
            using (var home = new TempHome())
            {
                var (env, output, _, _) = Environment(ScriptedTransport.Answering(r => ScsiResponse.Good()), CancellationToken.None);
                Run(home, env, new[] { "virtual", "serve", "--help" });
                var help = output.ToString();
                Assert.Contains("--chap-secret-file", help);
                Assert.Contains("--chap-secret-env", help);
                Assert.DoesNotContain("--chap-secret ", help);
                Assert.DoesNotContain("--chap-password", help);
            }
        }

        [Theory]
        [InlineData("demo", "virtual:demo")]
        [InlineData("virtual:demo", "virtual:demo")]
        [InlineData("/dev/sg1", "/dev/sg1")]
        public void Bare_names_are_virtual_drives(string argument, string path)
        {
            Assert.Equal(path, ServeOperation.DrivePath(argument));
        }
    }
}
