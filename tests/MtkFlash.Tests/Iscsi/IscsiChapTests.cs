using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using MtkFlash.Iscsi;
using MtkFlash.Core.Scsi;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Iscsi
{
    /// <summary>CHAP (RFC 7143 §12.1.3) on a loopback target that requires it, and what may be served at all.</summary>
    public sealed class IscsiChapTests : IDisposable
    {
        const string Iqn = "iqn.2024-01.org.mtkflash:chap";
        const string User = "mtkflash-e2e";
        static readonly byte[] Secret = Encoding.UTF8.GetBytes("correct horse battery");
        readonly ScriptedTransport _drive = ScriptedTransport.Answering(r => ScsiResponse.Good());
        readonly List<string> _log = new List<string>();
        readonly IscsiTarget _target;

        public IscsiChapTests()
        {
            _target = new IscsiTarget(_drive, new IscsiTargetOptions
            {
                Endpoint = new IPEndPoint(IPAddress.Loopback, 0),
                TargetName = Iqn,
                Chap = new IscsiChapCredentials(User, Secret),
                Log = line => { lock (_log) _log.Add(line); },
            });
            _target.Start();
        }

        public void Dispose() => _target.Dispose();

        string[] LogLines() { lock (_log) return _log.ToArray(); }

        static void AssertRefusedAsAuthenticationFailure(TestInitiator i, IscsiPdu response)
        {
            Assert.Equal(IscsiOpcode.LoginResponse, response.Opcode);
            Assert.Equal(0x0201, TestInitiator.LoginStatus(response));
            Assert.True(i.IsClosedByTarget());
        }

        [Fact]
        public void A_login_without_CHAP_is_refused()
        {
            using (var i = new TestInitiator(_target))
                AssertRefusedAsAuthenticationFailure(i, i.Login()); // straight to the operational stage, as libiscsi without a user
            Assert.Empty(_drive.Requests);
            Assert.Contains(LogLines(), l => l.Contains("login refused") && l.Contains("requires CHAP"));
        }

        [Fact]
        public void Offering_only_AuthMethod_None_is_refused()
        {
            using (var i = new TestInitiator(_target))
                AssertRefusedAsAuthenticationFailure(i, i.Exchange(i.LoginPdu(0, 1, true, ("InitiatorName", "iqn.2024-01.test:i"), ("TargetName", Iqn), ("AuthMethod", "None"))));
        }

        [Fact]
        public void The_security_stage_is_not_left_before_the_initiator_is_authenticated()
        {
            using (var i = new TestInitiator(_target))
            {
                var first = i.Exchange(i.LoginPdu(0, 1, true, ("InitiatorName", "iqn.2024-01.test:i"), ("TargetName", Iqn), ("AuthMethod", "CHAP,None")));
                Assert.Equal(0, TestInitiator.LoginStatus(first));
                Assert.Equal("CHAP", i.LastAnswer["AuthMethod"]);
                Assert.Equal(0x00, first.Flags & 0x83); // T=0, still in the security stage
                // Jumping to the operational stage now is refused.
                AssertRefusedAsAuthenticationFailure(i, i.Exchange(i.LoginPdu(1, 3, true, ("MaxRecvDataSegmentLength", "8192"))));
            }
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_correct_CHAP_login_succeeds_and_the_session_serves_commands(bool base64)
        {
            using (var i = new TestInitiator(_target))
            {
                var response = i.ChapLogin(User, Secret, base64);
                Assert.Equal(0, TestInitiator.LoginStatus(response));
                Assert.Equal(0x80 | (1 << 2) | 3, response.Flags);
                Assert.Equal(ScsiStatus.Good, i.Read(Cdb.TestUnitReady(), 0).Status);
            }
            Assert.Contains(LogLines(), l => l.Contains("logged in") && l.Contains("CHAP user " + User));
        }

        [Fact]
        public void The_challenge_is_16_random_bytes_and_changes_every_login()
        {
            var challenges = new HashSet<string>();
            for (var n = 0; n < 3; n++)
                using (var i = new TestInitiator(_target))
                {
                    i.Exchange(i.LoginPdu(0, 1, true, ("InitiatorName", "iqn.2024-01.test:i"), ("TargetName", Iqn), ("AuthMethod", "CHAP")));
                    i.Exchange(i.LoginPdu(0, 1, false, ("CHAP_A", "7,5")));
                    Assert.Equal("5", i.LastAnswer["CHAP_A"]);
                    Assert.InRange(int.Parse(i.LastAnswer["CHAP_I"]), 0, 255);
                    Assert.Matches("^0x[0-9a-f]{32}$", i.LastAnswer["CHAP_C"]);
                    challenges.Add(i.LastAnswer["CHAP_C"]);
                }
            Assert.Equal(3, challenges.Count);
        }

        [Fact]
        public void A_wrong_CHAP_response_is_refused()
        {
            using (var i = new TestInitiator(_target))
                AssertRefusedAsAuthenticationFailure(i, i.ChapLogin(User, Encoding.UTF8.GetBytes("wrong horse battery")));
            using (var i = new TestInitiator(_target))
            {
                // The right digest of the wrong identifier (a replayed response would look like this).
                var response = i.ChapLogin(User, Secret, respond: (id, challenge) => IscsiChapCredentials.Md5Response((byte)(id + 1), Secret, challenge));
                AssertRefusedAsAuthenticationFailure(i, response);
            }
            Assert.Empty(_drive.Requests);
        }

        [Fact]
        public void A_wrong_CHAP_user_is_refused()
        {
            using (var i = new TestInitiator(_target))
                AssertRefusedAsAuthenticationFailure(i, i.ChapLogin("someone-else", Secret));
        }

        [Fact]
        public void Algorithms_other_than_MD5_and_mutual_CHAP_are_refused()
        {
            using (var i = new TestInitiator(_target))
            {
                i.Exchange(i.LoginPdu(0, 1, true, ("InitiatorName", "iqn.2024-01.test:i"), ("TargetName", Iqn), ("AuthMethod", "CHAP")));
                AssertRefusedAsAuthenticationFailure(i, i.Exchange(i.LoginPdu(0, 1, false, ("CHAP_A", "7"))));
            }
            using (var i = new TestInitiator(_target))
            {
                i.Exchange(i.LoginPdu(0, 1, true, ("InitiatorName", "iqn.2024-01.test:i"), ("TargetName", Iqn), ("AuthMethod", "CHAP")));
                i.Exchange(i.LoginPdu(0, 1, false, ("CHAP_A", "5")));
                var id = byte.Parse(i.LastAnswer["CHAP_I"]);
                var challenge = i.LastAnswer["CHAP_C"];
                var bytes = Enumerable.Range(0, 16).Select(n => Convert.ToByte(challenge.Substring(2 + 2 * n, 2), 16)).ToArray();
                var r = IscsiChapCredentials.Md5Response(id, Secret, bytes);
                AssertRefusedAsAuthenticationFailure(i, i.Exchange(i.LoginPdu(0, 1, true, ("CHAP_N", User),
                    ("CHAP_R", "0x" + string.Concat(r.Select(b => b.ToString("x2")))), ("CHAP_I", "1"), ("CHAP_C", "0x00112233445566778899aabbccddeeff"))));
            }
        }

        [Fact]
        public void Discovery_sessions_need_CHAP_too()
        {
            using (var i = new TestInitiator(_target))
                AssertRefusedAsAuthenticationFailure(i, i.Exchange(i.LoginPdu(1, 3, true, ("InitiatorName", "iqn.2024-01.test:i"), ("SessionType", "Discovery"))));
            using (var i = new TestInitiator(_target))
            {
                Assert.Equal(0, TestInitiator.LoginStatus(i.ChapLogin(User, Secret, discovery: true)));
                Assert.Equal(Iqn, i.Text(("SendTargets", "All"))["TargetName"]);
            }
        }

        [Theory]
        [InlineData("0x")]
        [InlineData("0xZZ")]
        [InlineData("0bnot base64!")]
        [InlineData("12345")]
        public void Malformed_binary_values_decode_to_nothing(string value)
        {
            Assert.Null(IscsiChapExchange.DecodeBinary(value));
        }

        [Fact]
        public void Binary_values_in_hex_and_base64_decode_alike()
        {
            Assert.Equal(new byte[] { 0x01, 0xAB }, IscsiChapExchange.DecodeBinary("0x01ab"));
            Assert.Equal(new byte[] { 0x01, 0xAB }, IscsiChapExchange.DecodeBinary("0X01AB"));
            Assert.Equal(new byte[] { 0x01, 0xAB }, IscsiChapExchange.DecodeBinary("0bAas="));
            Assert.Null(IscsiChapExchange.DecodeBinary("0x" + new string('a', 2050))); // over 1024 bytes
        }

        // ---- credentials -----------------------------------------------------------------------------------------

        [Fact]
        public void Secrets_shorter_than_12_bytes_or_with_NUL_are_refused()
        {
            Assert.Throws<ArgumentException>(() => new IscsiChapCredentials(User, Encoding.UTF8.GetBytes("short-11-by")));
            Assert.Throws<ArgumentException>(() => new IscsiChapCredentials(User, new byte[20]));
            Assert.Throws<ArgumentException>(() => new IscsiChapCredentials("", Secret));
            Assert.NotNull(new IscsiChapCredentials(User, Encoding.UTF8.GetBytes("twelve-bytes")));
        }

        [Fact]
        public void A_secret_read_from_text_loses_one_trailing_line_end_only()
        {
            Assert.Equal(Secret, IscsiChapCredentials.FromText(User, "correct horse battery\n").Secret);
            Assert.Equal(Secret, IscsiChapCredentials.FromText(User, "correct horse battery\r\n").Secret);
            Assert.Equal(Encoding.UTF8.GetBytes("correct horse battery "), IscsiChapCredentials.FromText(User, "correct horse battery ").Secret);
        }

        // ---- what may be served ----------------------------------------------------------------------------------

        [Fact]
        public void A_target_on_a_non_loopback_address_cannot_be_built_without_CHAP()
        {
            // Refused in the constructor: nothing is bound. 192.0.2.1 is TEST-NET-1 (RFC 5737), not an address of this machine.
            var ex = Assert.Throws<ArgumentException>(() => new IscsiTarget(_drive, new IscsiTargetOptions { Endpoint = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 3260) }));
            Assert.Contains("CHAP", ex.Message);
            Assert.Throws<ArgumentException>(() => new IscsiTarget(_drive, new IscsiTargetOptions { Endpoint = new IPEndPoint(IPAddress.Any, 3260) }));
            Assert.Throws<ArgumentException>(() => new IscsiTarget(_drive, new IscsiTargetOptions { Endpoint = new IPEndPoint(IPAddress.IPv6Any, 3260) }));
            Assert.NotNull(new IscsiTarget(_drive, new IscsiTargetOptions { Endpoint = new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0) }));
            Assert.NotNull(new IscsiTarget(_drive, new IscsiTargetOptions { Endpoint = new IPEndPoint(IPAddress.IPv6Loopback, 0) }));
        }

        [Theory]
        [InlineData("/dev/sg1")]
        [InlineData("/dev/sr0")]
        [InlineData(@"\\.\CdRom0")]
        public void Only_virtual_drives_can_be_served(string path)
        {
            var real = ScriptedTransport.Answering(r => ScsiResponse.Good(), path);
            var ex = Assert.Throws<ArgumentException>(() => new IscsiTarget(real, new IscsiTargetOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0) }));
            Assert.Contains("virtual", ex.Message);
            Assert.Empty(real.Requests);
        }

        [Theory]
        [InlineData("iqn.2024-01.org.mtkflash:demo", null)]
        [InlineData("IQN.2024-01.ORG.Example:Drive", null)]
        [InlineData("iqn.1992-08.com.netapp:sn.84183797", null)]
        [InlineData("iqn.2024-01.org.example", null)]
        [InlineData("eui.02004567A425678D", null)]
        [InlineData("naa.52004567BA64678D", null)]
        [InlineData("naa.600A0B800017ABCD0000000000000001", null)]
        [InlineData("", "empty")]
        [InlineData("not-an-iqn", "starts with iqn.")]
        [InlineData("iqn.2024-13.org.example:x", "iqn.YYYY-MM")]
        [InlineData("iqn.24-01.org.example:x", "iqn.YYYY-MM")]
        [InlineData("iqn.2024-01.:x", "iqn.YYYY-MM")]
        [InlineData("iqn.2024-01.org..example", "iqn.YYYY-MM")]
        [InlineData("iqn.2024-01.org.example:", "iqn.YYYY-MM")]
        [InlineData("iqn.2024-01.org.example:a b", "' ' is not allowed")]
        [InlineData("iqn.2024-01.org.example:a_b", "'_' is not allowed")]
        [InlineData("iqn.2024-01.org.example:ä", "U+00E4")]
        [InlineData("eui.02004567A425678", "16 hex digits")]
        [InlineData("naa.52004567BA64678DX", "16 or 32 hex digits")]
        public void Iscsi_names_follow_RFC_7143(string name, string problem)
        {
            var found = IscsiName.Problem(name);
            if (problem == null) Assert.Null(found);
            else Assert.Contains(problem, found);
        }

        [Fact]
        public void Names_longer_than_223_bytes_are_refused_and_the_target_checks_its_name()
        {
            var name = "iqn.2024-01.org.example:" + new string('a', 200);
            Assert.Contains("223", IscsiName.Problem(name));
            Assert.Null(IscsiName.Problem(name.Substring(0, 223)));
            Assert.Throws<ArgumentException>(() => new IscsiTarget(_drive, new IscsiTargetOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), TargetName = new string('x', 100000) }));
            Assert.Null(IscsiName.Problem(IscsiTarget.DefaultTargetName("virtual:" + new string('d', 400))));
        }
    }
}
