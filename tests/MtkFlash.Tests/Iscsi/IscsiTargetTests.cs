using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Iscsi;
using MtkFlash.Core.Scsi;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Iscsi
{
    public sealed class IscsiTargetTests : IDisposable
    {
        readonly ScriptedTransport _drive;
        readonly IscsiTarget _target;
        readonly List<string> _log = new List<string>();

        static readonly byte[] InquiryData = MtkFlash.Core.Scsi.InquiryData.Build("MTKTEST", "ISCSI-DRIVE", "1.00", length: 36);

        public IscsiTargetTests()
        {
            _drive = ScriptedTransport.Answering(DefaultAnswer);
            _target = new IscsiTarget(_drive, new IscsiTargetOptions
            {
                Endpoint = new IPEndPoint(IPAddress.Loopback, 0), // ephemeral port
                TargetName = "iqn.2024-01.org.mtkflash:test",
                PduTimeout = TimeSpan.FromMilliseconds(500),
                Log = line => { lock (_log) _log.Add(line); },
            });
            _target.Start();
        }

        public void Dispose() => _target.Dispose();

        string[] LogLines() { lock (_log) return _log.ToArray(); }

        static ScsiResponse DefaultAnswer(ScsiRequest r)
        {
            switch (r.Opcode)
            {
                case Cdb.InquiryOpcode: return ScsiResponse.Good(InquiryData.Take(r.InLength).ToArray());
                case Cdb.TestUnitReadyOpcode: return ScsiResponse.Good();
                case Cdb.WriteBufferOpcode: return ScsiResponse.Good();
                default: return ScsiResponse.Check(5, 0x20, 0x00);
            }
        }

        TestInitiator LoggedIn(params (string, string)[] extra)
        {
            var initiator = new TestInitiator(_target);
            var response = initiator.Login(extra);
            Assert.Equal(0, TestInitiator.LoginStatus(response));
            return initiator;
        }

        // ---- login -----------------------------------------------------------------------------------------------

        [Fact]
        public void Login_reaches_full_feature_phase_and_answers_every_negotiated_key()
        {
            using (var i = new TestInitiator(_target))
            {
                var response = i.Login(("X-com.example.Unknown", "1"));
                Assert.Equal(IscsiOpcode.LoginResponse, response.Opcode);
                Assert.Equal(0, TestInitiator.LoginStatus(response));
                Assert.Equal(0x80 | (1 << 2) | 3, response.Flags); // T=1, CSG=1, NSG=3
                Assert.NotEqual(0, BigEndian.Get16(response.Header, 14)); // TSIH assigned
                var keys = i.LastAnswer;
                Assert.Equal("None", keys["HeaderDigest"]);
                Assert.Equal("None", keys["DataDigest"]);
                Assert.Equal("0", keys["ErrorRecoveryLevel"]);
                Assert.Equal("1", keys["MaxOutstandingR2T"]);
                Assert.Equal("Yes", keys["ImmediateData"]);
                Assert.Equal("65536", keys["FirstBurstLength"]);
                Assert.Equal("65536", keys["MaxRecvDataSegmentLength"]); // the target's own declaration
                Assert.Equal("1", keys["TargetPortalGroupTag"]);
                Assert.Equal("NotUnderstood", keys["X-com.example.Unknown"]);
            }
        }

        [Fact]
        public void Login_through_the_security_stage_answers_AuthMethod_None()
        {
            using (var i = new TestInitiator(_target))
            {
                i.Send(i.LoginPdu(0, 1, true, ("InitiatorName", "iqn.x:i"), ("TargetName", i.TargetName), ("AuthMethod", "CHAP,None")));
                var first = i.Receive();
                Assert.Equal(0, TestInitiator.LoginStatus(first));
                Assert.Equal("None", TestInitiator.Keys(first)["AuthMethod"]);
                Assert.Equal(0x80 | 1, first.Flags); // T=1, CSG=0, NSG=1
                i.Send(i.LoginPdu(1, 3, true, ("MaxRecvDataSegmentLength", "8192")));
                var second = i.Receive();
                Assert.Equal(0, TestInitiator.LoginStatus(second));
                Assert.Equal(0x80 | 4 | 3, second.Flags);
            }
        }

        [Fact]
        public void Login_to_an_unknown_target_is_refused_with_target_not_found_and_closed()
        {
            using (var i = new TestInitiator(_target))
            {
                i.Send(i.LoginPdu(1, 3, true, ("InitiatorName", "iqn.x:i"), ("TargetName", "iqn.2024-01.other:nope")));
                Assert.Equal(0x0203, TestInitiator.LoginStatus(i.Receive()));
                Assert.True(i.IsClosedByTarget());
            }
        }

        [Fact]
        public void Login_without_InitiatorName_is_refused_with_missing_parameter()
        {
            using (var i = new TestInitiator(_target))
            {
                i.Send(i.LoginPdu(1, 3, true, ("TargetName", i.TargetName)));
                Assert.Equal(0x0207, TestInitiator.LoginStatus(i.Receive()));
                Assert.True(i.IsClosedByTarget());
            }
        }

        [Fact]
        public void Login_offering_only_CHAP_is_refused_with_authentication_failure()
        {
            using (var i = new TestInitiator(_target))
            {
                i.Send(i.LoginPdu(0, 1, true, ("InitiatorName", "iqn.x:i"), ("TargetName", i.TargetName), ("AuthMethod", "CHAP")));
                Assert.Equal(0x0201, TestInitiator.LoginStatus(i.Receive()));
                Assert.True(i.IsClosedByTarget());
            }
        }

        [Fact]
        public void Discovery_session_lists_the_target_with_its_portal()
        {
            using (var i = new TestInitiator(_target))
            {
                i.Send(i.LoginPdu(1, 3, true, ("InitiatorName", "iqn.x:i"), ("SessionType", "Discovery")));
                Assert.Equal(0, TestInitiator.LoginStatus(i.Receive()));
                var text = new IscsiPdu(IscsiOpcode.TextRequest, 0x80) { Immediate = true };
                text.InitiatorTaskTag = 7;
                text.Put32(20, IscsiPdu.ReservedTag);
                text.Data = IscsiText.Format(new[] { new KeyValuePair<string, string>("SendTargets", "All") });
                i.Send(text);
                var response = i.Receive();
                Assert.Equal(IscsiOpcode.TextResponse, response.Opcode);
                var keys = TestInitiator.Keys(response);
                Assert.Equal("iqn.2024-01.org.mtkflash:test", keys["TargetName"]);
                Assert.Equal(_target.Portal + ",1", keys["TargetAddress"]);
            }
        }

        // ---- commands ------------------------------------------------------------------------------------------

        [Fact]
        public void Inquiry_returns_the_drive_data_with_status_in_the_final_data_in()
        {
            using (var i = LoggedIn())
            {
                var r = i.Read(Cdb.Inquiry(96), 96);
                Assert.Equal(ScsiStatus.Good, r.Status);
                Assert.Equal(InquiryData, r.Data);
                Assert.Equal(IscsiOpcode.DataIn, r.Final.Opcode);
                Assert.Equal(0x80 | 0x02 | 0x01, r.Final.Flags); // F, underflow, S
                Assert.Equal(96u - 36u, r.Final.Get32(44));
                var sent = _drive.Requests.Single();
                Assert.Equal(Cdb.Inquiry(96), sent.Cdb); // 6-byte CDB recovered from the 16-byte field
                Assert.Equal(96, sent.InLength);
            }
        }

        [Fact]
        public void Long_reads_are_split_to_the_initiators_receive_length_in_order()
        {
            var payload = Enumerable.Range(0, 3000).Select(n => (byte)(n * 7)).ToArray();
            _drive.Override = r => ScsiResponse.Good(payload);
            using (var i = LoggedIn(("MaxRecvDataSegmentLength", "1024")))
            {
                var r = i.Read(Cdb.ReadBuffer(2, 0, 0, 3000), 3000);
                Assert.Equal(payload, r.Data);
                var dataIns = r.Pdus.Where(p => p.Opcode == IscsiOpcode.DataIn).ToList();
                Assert.Equal(new[] { 1024, 1024, 952 }, dataIns.Select(p => p.Data.Length));
                Assert.Equal(new uint[] { 0, 1, 2 }, dataIns.Select(p => p.Get32(36)));
            }
        }

        [Fact]
        public void Write_with_immediate_data_and_R2T_delivers_every_byte_in_order()
        {
            var image = Enumerable.Range(0, 10000).Select(n => (byte)(n % 251)).ToArray();
            using (var i = LoggedIn(("FirstBurstLength", "1024"), ("MaxBurstLength", "4096")))
            {
                var r = i.Write(Cdb.WriteBuffer(6, 0, 0, image.Length), image);
                Assert.Equal(ScsiStatus.Good, r.Status);
                var r2ts = r.Pdus.Where(p => p.Opcode == IscsiOpcode.ReadyToTransfer).ToList();
                Assert.Equal(new uint[] { 1024, 5120, 9216 }, r2ts.Select(p => p.Get32(40)));
                Assert.Equal(new uint[] { 4096, 4096, 784 }, r2ts.Select(p => p.Get32(44)));
                Assert.Equal(new uint[] { 0, 1, 2 }, r2ts.Select(p => p.Get32(36)));
                var sent = _drive.Requests.Single();
                Assert.Equal(DataDirection.Out, sent.Direction);
                Assert.Equal(image, sent.OutData);
            }
        }

        [Fact]
        public void Write_with_unsolicited_data_out_then_R2T_delivers_every_byte()
        {
            var image = Enumerable.Range(0, 6000).Select(n => (byte)(n * 13)).ToArray();
            using (var i = LoggedIn(("InitialR2T", "No"), ("FirstBurstLength", "2048"), ("MaxBurstLength", "8192")))
            {
                Assert.False(i.InitialR2T);
                var r = i.Write(Cdb.WriteBuffer(6, 0, 0, image.Length), image, immediate: 512, segment: 700);
                Assert.Equal(ScsiStatus.Good, r.Status);
                var r2t = r.Pdus.Single(p => p.Opcode == IscsiOpcode.ReadyToTransfer);
                Assert.Equal(2048u, r2t.Get32(40));
                Assert.Equal(image, _drive.Requests.Single().OutData);
            }
        }

        [Fact]
        public void Check_condition_carries_the_drive_sense_with_its_length_prefix()
        {
            using (var i = LoggedIn())
            {
                var r = i.Read(new byte[] { 0xF1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 0);
                Assert.Equal(ScsiStatus.CheckCondition, r.Status);
                Assert.Equal(IscsiOpcode.ScsiResponse, r.Final.Opcode);
                var sense = SenseData.TryParse(r.Sense);
                Assert.True(sense.Is(5, 0x20, 0x00));
                Assert.Equal(12, _drive.Requests.Single().Cdb.Length); // vendor opcode → 12-byte CDB
            }
        }

        [Fact]
        public void Nop_out_is_echoed_and_a_nop_without_tag_gets_no_answer()
        {
            using (var i = LoggedIn())
            {
                i.Send(i.Nop(IscsiPdu.ReservedTag)); // no answer expected
                i.Send(i.Nop(0x77, new byte[] { 1, 2, 3, 4, 5 }));
                var reply = i.Receive();
                Assert.Equal(IscsiOpcode.NopIn, reply.Opcode);
                Assert.Equal(0x77u, reply.InitiatorTaskTag);
                Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, reply.Data);
            }
        }

        [Fact]
        public void Logout_is_answered_then_the_connection_closes()
        {
            using (var i = LoggedIn())
            {
                var logout = i.Logout();
                i.Send(logout);
                var response = i.Receive();
                Assert.Equal(IscsiOpcode.LogoutResponse, response.Opcode);
                Assert.Equal(logout.InitiatorTaskTag, response.InitiatorTaskTag);
                Assert.Equal(0, response.Header[2]);
                Assert.True(i.IsClosedByTarget());
            }
        }

        [Fact]
        public void A_stuck_drive_keeps_NOPs_answered_and_its_timeout_becomes_a_late_check_condition()
        {
            using (var release = new System.Threading.ManualResetEventSlim())
            {
                _drive.Override = r =>
                {
                    if (r.Opcode != Cdb.WriteBufferOpcode) return DefaultAnswer(r);
                    release.Wait(TimeSpan.FromSeconds(30));
                    throw new ScsiTimeoutException(_drive.Path, r);
                };
                using (var i = LoggedIn())
                {
                    var stuck = i.CommandPdu(Cdb.WriteBuffer(1, 0, 0, 0), false, false, 0);
                    i.Send(stuck);
                    // While the drive is stuck inside the command, NOP-Out is still answered (QEMU would reconnect otherwise).
                    i.Send(i.Nop(0x55));
                    var nop = i.Receive();
                    Assert.Equal(IscsiOpcode.NopIn, nop.Opcode);
                    Assert.Equal(0x55u, nop.InitiatorTaskTag);
                    release.Set();
                    var r = i.Collect(stuck.InitiatorTaskTag);
                    Assert.True(SenseData.TryParse(r.Sense).Is(4, 0x44, 0x00));
                    Assert.Equal(ScsiStatus.Good, i.Read(Cdb.TestUnitReady(), 0).Status);
                }
            }
            Assert.Contains(LogLines(), l => l.Contains("did not answer"));
        }

        [Fact]
        public void Abort_task_drops_the_answer_of_a_command_still_in_the_drive()
        {
            using (var release = new System.Threading.ManualResetEventSlim())
            {
                _drive.Override = r => { if (r.Opcode == Cdb.WriteBufferOpcode) release.Wait(TimeSpan.FromSeconds(30)); return DefaultAnswer(r); };
                using (var i = LoggedIn())
                {
                    var stuck = i.CommandPdu(Cdb.WriteBuffer(1, 0, 0, 0), false, false, 0);
                    i.Send(stuck);
                    i.Send(i.TaskManagement(1, stuck.InitiatorTaskTag));
                    var tmf = i.Receive();
                    Assert.Equal(IscsiOpcode.TaskManagementResponse, tmf.Opcode);
                    Assert.Equal(0, tmf.Header[2]); // function complete
                    release.Set();
                    // Commands run in order: the next status is the TEST UNIT READY's, the aborted one gets none.
                    var tur = i.Read(Cdb.TestUnitReady(), 0);
                    Assert.Equal(ScsiStatus.Good, tur.Status);
                    Assert.All(tur.Pdus, p => Assert.NotEqual(stuck.InitiatorTaskTag, p.InitiatorTaskTag));
                }
            }
        }

        [Fact]
        public void Logical_unit_reset_is_function_complete_and_unknown_functions_are_rejected()
        {
            using (var i = LoggedIn())
            {
                i.Send(i.TaskManagement(5, IscsiPdu.ReservedTag));
                Assert.Equal(0, i.Receive().Header[2]);
                i.Send(i.TaskManagement(0x33, IscsiPdu.ReservedTag));
                Assert.Equal(255, i.Receive().Header[2]);
            }
        }

        [Fact]
        public void Other_luns_answer_qualifier_3_inquiry_and_logical_unit_not_supported()
        {
            using (var i = LoggedIn())
            {
                var inquiry = i.Read(Cdb.Inquiry(36), 36, lun: 3);
                Assert.Equal(0x7F, inquiry.Data[0]);
                var tur = i.Read(Cdb.TestUnitReady(), 0, lun: 3);
                Assert.True(SenseData.TryParse(tur.Sense).Is(5, 0x25, 0x00));
                Assert.Empty(_drive.Requests);
            }
        }

        [Fact]
        public void Attach_probes_QEMU_needs_are_answered_when_the_drive_refuses_them()
        {
            _drive.Override = r => r.Opcode == Cdb.ReadCapacityOpcode ? ScsiResponse.Check(2, 0x3A, 0x00) : ScsiResponse.Check(5, 0x24, 0x00);
            using (var i = LoggedIn())
            {
                var vpd = i.Read(new byte[] { 0x12, 0x01, 0x00, 0x00, 0xFF, 0x00 }, 255);
                Assert.Equal(ScsiStatus.Good, vpd.Status);
                Assert.Equal(new byte[] { 0x05, 0x00, 0x00, 0x01, 0x00 }, vpd.Data);
                var readCapacity = new byte[10]; readCapacity[0] = Cdb.ReadCapacityOpcode;
                var first = i.Read(readCapacity, 8);
                Assert.Equal(ScsiStatus.Good, first.Status);
                Assert.Equal(2048u, BigEndian.Get32(first.Data, 4));
                var second = i.Read(readCapacity, 8); // the guest's own READ CAPACITY sees the drive's real answer
                Assert.True(SenseData.TryParse(second.Sense).Is(2, 0x3A, 0x00));
            }
        }

        [Fact]
        public void Oversized_writes_are_refused_without_buffering()
        {
            using (var i = LoggedIn())
            {
                var cmd = i.CommandPdu(Cdb.WriteBuffer(6, 0, 0, 0), false, true, 64 * 1024 * 1024);
                cmd.Data = new byte[100];
                i.Send(cmd);
                var r = i.Collect(cmd.InitiatorTaskTag);
                Assert.True(SenseData.TryParse(r.Sense).Is(5, 0x24, 0x00));
                Assert.Empty(_drive.Requests);
            }
        }

        // ---- hostile input ---------------------------------------------------------------------------------------

        void AssertTargetStillServes()
        {
            using (var i = LoggedIn())
                Assert.Equal(ScsiStatus.Good, i.Read(Cdb.TestUnitReady(), 0).Status);
        }

        [Fact]
        public void Unknown_opcode_is_rejected_and_the_connection_closed()
        {
            using (var i = LoggedIn())
            {
                var bad = new IscsiPdu((IscsiOpcode)0x1C, 0x80);
                i.Send(bad);
                var reject = i.Receive();
                Assert.Equal(IscsiOpcode.Reject, reject.Opcode);
                Assert.Equal((byte)IscsiRejectReason.CommandNotSupported, reject.Header[2]);
                Assert.Equal(bad.Header, reject.Data);
                Assert.True(i.IsClosedByTarget());
            }
            AssertTargetStillServes();
        }

        [Fact]
        public void Huge_data_segment_length_is_refused_before_the_data_arrives()
        {
            using (var i = LoggedIn())
            {
                var header = i.CommandPdu(Cdb.TestUnitReady(), false, true, 16).Header;
                BigEndian.Put24(header, 5, 0xFFFFFF);
                i.SendRaw(header); // no data follows: the target must not wait for 16 MB
                var reject = i.Receive();
                Assert.Equal(IscsiOpcode.Reject, reject.Opcode);
                Assert.True(i.IsClosedByTarget());
            }
            AssertTargetStillServes();
        }

        [Fact]
        public void Truncated_pdu_ends_the_connection_instead_of_hanging()
        {
            using (var i = LoggedIn())
            {
                i.SendRaw(new byte[20]);
                Assert.True(i.IsClosedByTarget());
            }
            Assert.Contains(LogLines(), l => l.Contains("read timeout"));
            AssertTargetStillServes();
        }

        [Fact]
        public void Commands_before_login_are_refused_as_invalid_during_login()
        {
            using (var i = new TestInitiator(_target))
            {
                i.Send(i.CommandPdu(Cdb.TestUnitReady(), false, false, 0));
                var response = i.Receive();
                Assert.Equal(IscsiOpcode.LoginResponse, response.Opcode);
                Assert.Equal(0x020B, TestInitiator.LoginStatus(response));
                Assert.True(i.IsClosedByTarget());
            }
            Assert.Empty(_drive.Requests);
            AssertTargetStillServes();
        }

        [Fact]
        public void Data_out_for_an_unknown_task_and_malformed_login_text_close_the_connection()
        {
            using (var i = LoggedIn())
            {
                i.SendDataOut(0xDEAD, 0x1234, new byte[64], 0, 64, 64);
                Assert.Equal(IscsiOpcode.Reject, i.Receive().Opcode);
                Assert.True(i.IsClosedByTarget());
            }
            using (var i = new TestInitiator(_target))
            {
                var login = i.LoginPdu(1, 3, true);
                login.Data = System.Text.Encoding.ASCII.GetBytes("garbage-without-equals\0");
                i.Send(login);
                Assert.Equal(0x0200, TestInitiator.LoginStatus(i.Receive()));
                Assert.True(i.IsClosedByTarget());
            }
            AssertTargetStillServes();
        }

        [Fact]
        public void Data_out_at_the_wrong_offset_is_a_protocol_error()
        {
            using (var i = LoggedIn(("FirstBurstLength", "512")))
            {
                var cmd = i.CommandPdu(Cdb.WriteBuffer(6, 0, 0, 2048), false, true, 2048);
                cmd.Data = new byte[512];
                i.Send(cmd);
                var r2t = i.Receive();
                Assert.Equal(IscsiOpcode.ReadyToTransfer, r2t.Opcode);
                i.SendDataOut(cmd.InitiatorTaskTag, r2t.Get32(20), new byte[2048], 1000, 2048, 2048); // should start at 512
                Assert.Equal(IscsiOpcode.Reject, i.Receive().Opcode);
                Assert.True(i.IsClosedByTarget());
            }
            Assert.Empty(_drive.Requests);
        }
    }

    public sealed class IscsiCommandMappingTests
    {
        [Theory]
        [InlineData(0x00, 6)]  // TEST UNIT READY
        [InlineData(0x12, 6)]  // INQUIRY
        [InlineData(0x25, 10)] // READ CAPACITY
        [InlineData(0x3B, 10)] // WRITE BUFFER
        [InlineData(0x5A, 10)] // MODE SENSE(10)
        [InlineData(0xA8, 12)] // READ(12)
        [InlineData(0x88, 16)] // READ(16)
        [InlineData(0xF1, 12)] // MediaTek vendor
        [InlineData(0xFF, 12)] // TSST vendor
        public void Cdb_length_follows_the_group_code(byte opcode, int length)
        {
            var field = new byte[16];
            field[0] = opcode;
            Assert.Equal(length, IscsiCommandMapping.TrimCdb(field).Length);
        }

        [Fact]
        public void Non_zero_bytes_past_the_group_length_are_kept()
        {
            var field = new byte[16];
            field[0] = 0x3B; field[11] = 0x07; // 12-byte WRITE BUFFER form
            Assert.Equal(12, IscsiCommandMapping.TrimCdb(field).Length);
            field[14] = 1;
            Assert.Equal(16, IscsiCommandMapping.TrimCdb(field).Length);
        }

        [Theory]
        [InlineData("virtual:demo", "iqn.2024-01.org.mtkflash:demo")]
        [InlineData("virtual:My Drive_1", "iqn.2024-01.org.mtkflash:my-drive-1")]
        [InlineData("/dev/sr0", "iqn.2024-01.org.mtkflash:dev-sr0")]
        public void Default_target_name_uses_the_iqn_character_set(string path, string expected)
        {
            Assert.Equal(expected, IscsiTarget.DefaultTargetName(path));
        }

        [Theory]
        [InlineData("127.0.0.1:3260", "127.0.0.1", 3260)]
        [InlineData("localhost:0", "127.0.0.1", 0)]
        [InlineData("[::1]:3261", "::1", 3261)]
        public void Portals_parse(string text, string address, int port)
        {
            var ep = IscsiTarget.ParsePortal(text);
            Assert.Equal(IPAddress.Parse(address), ep.Address);
            Assert.Equal(port, ep.Port);
        }

        [Theory]
        [InlineData("3260")]
        [InlineData("127.0.0.1:")]
        [InlineData("127.0.0.1:70000")]
        [InlineData("example.org:3260")]
        public void Bad_portals_are_refused(string text)
        {
            Assert.Throws<FormatException>(() => IscsiTarget.ParsePortal(text));
        }
    }
}
