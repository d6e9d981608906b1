using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Iscsi;
using MtkFlash.Core.Scsi;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Iscsi
{
    /// <summary>The target's bounds, one at a time: CmdSN window, write data solicited as it is needed, deadlines, connection limit, answer sizes.</summary>
    public sealed class IscsiLimitsTests : IDisposable
    {
        const string Iqn = "iqn.2024-01.org.mtkflash:limits";
        readonly List<string> _log = new List<string>();
        readonly List<IscsiTarget> _targets = new List<IscsiTarget>();

        public void Dispose() { foreach (var t in _targets) t.Dispose(); }

        IscsiTarget Target(ScriptedTransport drive, Action<IscsiTargetOptions> configure = null)
        {
            var options = new IscsiTargetOptions
            {
                Endpoint = new IPEndPoint(IPAddress.Loopback, 0),
                TargetName = Iqn,
                Log = line => { lock (_log) _log.Add(line); },
            };
            configure?.Invoke(options);
            var target = new IscsiTarget(drive, options);
            _targets.Add(target);
            target.Start();
            return target;
        }

        string[] LogLines() { lock (_log) return _log.ToArray(); }

        static ScriptedTransport Good() => ScriptedTransport.Answering(r => ScsiResponse.Good());

        static TestInitiator LoggedIn(IscsiTarget target, params (string, string)[] extra)
        {
            var i = new TestInitiator(target);
            Assert.Equal(0, TestInitiator.LoginStatus(i.Login(extra)));
            return i;
        }

        static void WaitFor(Func<bool> condition, TimeSpan limit, string what)
        {
            var until = DateTime.UtcNow + limit;
            while (!condition())
            {
                if (DateTime.UtcNow > until) throw new Xunit.Sdk.XunitException("timed out waiting for " + what);
                Thread.Sleep(10);
            }
        }

        // ---- CmdSN window ------------------------------------------------------------------------------------------

        [Fact]
        public void Commands_beyond_MaxCmdSN_are_ignored_and_never_reach_the_drive()
        {
            using (var release = new ManualResetEventSlim())
            {
                var drive = ScriptedTransport.Answering(r => { release.Wait(TimeSpan.FromSeconds(20)); return ScsiResponse.Good(); });
                var target = Target(drive, o => o.CommandWindow = 4);
                using (var i = new TestInitiator(target))
                {
                    var login = i.Login();
                    var expCmdSn = login.Get32(28);
                    Assert.Equal(expCmdSn + 3, login.Get32(32)); // MaxCmdSN = ExpCmdSN + window − 1
                    var sent = Enumerable.Range(0, 12).Select(_ => i.CommandPdu(Cdb.TestUnitReady(), false, false, 0)).ToList();
                    foreach (var cmd in sent) i.Send(cmd);
                    // While four commands wait, the window is closed: an (immediate) NOP-In says MaxCmdSN = ExpCmdSN − 1.
                    i.Send(i.Nop(0x99));
                    var nop = i.Receive();
                    Assert.Equal(IscsiOpcode.NopIn, nop.Opcode);
                    Assert.Equal(nop.Get32(28) - 1, nop.Get32(32));
                    release.Set();
                    var answers = sent.Take(4).Select(cmd => i.Collect(cmd.InitiatorTaskTag)).ToList();
                    Assert.All(answers, a => Assert.Equal(ScsiStatus.Good, a.Status));
                    Assert.Equal(answers.Last().Final.Get32(28) + 3, answers.Last().Final.Get32(32)); // open again
                    i.Send(i.Nop(0x9A));
                    Assert.Equal(0x9Au, i.Receive().InitiatorTaskTag); // nothing else was answered in between
                }
                Assert.Equal(4, drive.Requests.Count);
                Assert.Contains(LogLines(), l => l.Contains("outside the window") && l.Contains("ignored"));
                WaitFor(() => LogLines().Any(l => l.Contains("8 command(s) outside the CmdSN window were ignored")), TimeSpan.FromSeconds(5), "the count of ignored commands");
            }
        }

        [Fact]
        public void Immediate_commands_past_twice_the_window_are_rejected()
        {
            using (var release = new ManualResetEventSlim())
            {
                var drive = ScriptedTransport.Answering(r => { release.Wait(TimeSpan.FromSeconds(20)); return ScsiResponse.Good(); });
                var target = Target(drive, o => o.CommandWindow = 2);
                using (var i = LoggedIn(target))
                {
                    var sent = Enumerable.Range(0, 5).Select(_ =>
                    {
                        var cmd = i.CommandPdu(Cdb.TestUnitReady(), false, false, 0);
                        cmd.Immediate = true;
                        i.Send(cmd);
                        return cmd;
                    }).ToList();
                    var reject = i.Receive();
                    Assert.Equal(IscsiOpcode.Reject, reject.Opcode);
                    Assert.Equal((byte)IscsiRejectReason.ImmediateCommandReject, reject.Header[2]);
                    Assert.Equal(sent[4].Header, reject.Data);
                    release.Set();
                    foreach (var cmd in sent.Take(4)) Assert.Equal(ScsiStatus.Good, i.Collect(cmd.InitiatorTaskTag).Status);
                }
                Assert.Equal(4, drive.Requests.Count);
            }
        }

        // ---- write data ----------------------------------------------------------------------------------------------

        [Fact]
        public void Write_data_is_held_only_as_it_arrives()
        {
            var target = Target(Good());
            using (var i = LoggedIn(target, ("MaxBurstLength", "262144")))
            {
                const int length = 4 * 1024 * 1024;
                var cmd = i.CommandPdu(Cdb.WriteBuffer(6, 0, 0, length), false, true, length);
                cmd.Data = new byte[8192];
                i.Send(cmd);
                var r2t = i.Receive();
                Assert.Equal(IscsiOpcode.ReadyToTransfer, r2t.Opcode);
                Assert.Equal(8192u, r2t.Get32(40));
                Assert.Equal(262144u, r2t.Get32(44));
                Assert.Equal(8192, target.BufferedBytes); // the immediate data, not the 4 MiB announced
                var dataOut = new IscsiPdu(IscsiOpcode.DataOut, 0x00) { Data = new byte[65536] }; // a quarter of the burst, F=0
                dataOut.InitiatorTaskTag = cmd.InitiatorTaskTag;
                dataOut.Put32(20, r2t.Get32(20));
                dataOut.Put32(40, 8192);
                i.Send(dataOut);
                WaitFor(() => target.BufferedBytes == 8192 + 65536, TimeSpan.FromSeconds(5), "the first Data-Out to be counted");
            }
            WaitFor(() => target.BufferedBytes == 0, TimeSpan.FromSeconds(5), "the data to be let go when the initiator left");
            Assert.Equal(8192 + 65536, target.PeakBufferedBytes);
        }

        [Fact]
        public void Only_the_command_whose_turn_it_is_gets_an_R2T()
        {
            var drive = Good();
            var target = Target(drive);
            using (var i = LoggedIn(target))
            {
                var first = i.CommandPdu(Cdb.WriteBuffer(6, 0, 0, 1000), false, true, 1000);
                var second = i.CommandPdu(Cdb.WriteBuffer(6, 0, 0x1000, 1000), false, true, 1000);
                i.Send(first);
                i.Send(second);
                var r2t = i.Receive();
                Assert.Equal(IscsiOpcode.ReadyToTransfer, r2t.Opcode);
                Assert.Equal(first.InitiatorTaskTag, r2t.InitiatorTaskTag);
                Assert.False(i.Stream.DataAvailable || SomethingArrives(i, 300), "the second command was asked for data before the first ran");
                i.SendDataOut(first.InitiatorTaskTag, r2t.Get32(20), Enumerable.Repeat((byte)1, 1000).ToArray(), 0, 1000, 1000);
                var answer = i.Receive();
                Assert.Equal(IscsiOpcode.ScsiResponse, answer.Opcode);
                Assert.Equal(first.InitiatorTaskTag, answer.InitiatorTaskTag);
                var r2t2 = i.Receive();
                Assert.Equal(IscsiOpcode.ReadyToTransfer, r2t2.Opcode);
                Assert.Equal(second.InitiatorTaskTag, r2t2.InitiatorTaskTag);
                i.SendDataOut(second.InitiatorTaskTag, r2t2.Get32(20), Enumerable.Repeat((byte)2, 1000).ToArray(), 0, 1000, 1000);
                Assert.Equal(ScsiStatus.Good, i.Collect(second.InitiatorTaskTag).Status);
            }
            Assert.Equal(new byte[] { 1, 2 }, drive.Requests.Select(r => r.OutData[0]));
        }

        static bool SomethingArrives(TestInitiator i, int ms)
        {
            Thread.Sleep(ms);
            return i.Stream.DataAvailable;
        }

        [Fact]
        public void Reads_above_the_transfer_limit_are_refused_without_asking_the_drive()
        {
            var drive = Good();
            var target = Target(drive, o => o.MaxTransferLength = 1024 * 1024);
            using (var i = LoggedIn(target))
            {
                var r = i.Read(Cdb.ReadBuffer(2, 0, 0, 0xFFFFFF), 0x7FFFFFFF);
                Assert.True(SenseData.TryParse(r.Sense).Is(5, 0x24, 0x00));
            }
            Assert.Empty(drive.Requests);
        }

        // ---- deadlines -------------------------------------------------------------------------------------------

        [Fact]
        public void A_PDU_sent_slower_than_its_deadline_ends_the_connection()
        {
            var target = Target(Good(), o => o.PduTimeout = TimeSpan.FromMilliseconds(800));
            using (var i = LoggedIn(target))
            {
                var bytes = new MemoryStream();
                i.CommandPdu(Cdb.TestUnitReady(), false, false, 0).WriteTo(bytes);
                var started = DateTime.UtcNow;
                var closed = false;
                // One byte every 100 ms: each read is quick, the whole PDU (4.8 s) is not.
                foreach (var b in bytes.ToArray())
                {
                    try { i.Stream.WriteByte(b); }
                    catch (IOException) { closed = true; break; }
                    Thread.Sleep(100);
                    if (DateTime.UtcNow - started > TimeSpan.FromSeconds(3)) break;
                }
                Assert.True(closed || i.IsClosedByTarget(), "the connection is still open");
                Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(3));
            }
            Assert.Contains(LogLines(), l => l.Contains("read timeout") && l.Contains("of its first byte"));
        }

        [Fact]
        public void A_login_that_never_finishes_is_ended_at_its_deadline()
        {
            var target = Target(Good(), o => { o.LoginTimeout = TimeSpan.FromSeconds(1); o.PduTimeout = TimeSpan.FromSeconds(5); });
            using (var i = new TestInitiator(target))
            {
                var started = DateTime.UtcNow;
                var first = true;
                var closed = false;
                // Valid requests that never ask to go on (T=0), each well within the PDU deadline.
                while (DateTime.UtcNow - started < TimeSpan.FromSeconds(4))
                {
                    try
                    {
                        i.Send(first
                            ? i.LoginPdu(1, 3, false, ("InitiatorName", "iqn.2024-01.test:stall"), ("TargetName", Iqn))
                            : i.LoginPdu(1, 3, false, ("InitialR2T", "Yes")));
                        first = false;
                        var response = i.Receive();
                        Assert.Equal(0, TestInitiator.LoginStatus(response));
                    }
                    catch (IOException) { closed = true; break; }
                    Thread.Sleep(150);
                }
                Assert.True(closed, "the login was still going after 4 s");
                Assert.InRange((DateTime.UtcNow - started).TotalSeconds, 0.9, 3.5);
            }
            Assert.Contains(LogLines(), l => l.Contains("login timeout"));
        }

        [Fact]
        public void A_silent_session_is_not_idle_while_the_drive_works_on_its_command()
        {
            var drive = ScriptedTransport.Answering(r => { Thread.Sleep(1500); return ScsiResponse.Good(); });
            var target = Target(drive, o => o.IdleTimeout = TimeSpan.FromMilliseconds(500));
            using (var i = LoggedIn(target))
            {
                Assert.Equal(ScsiStatus.Good, i.Read(Cdb.TestUnitReady(), 0).Status);
                // Now really idle: the session ends.
                Thread.Sleep(1200);
                Assert.True(i.IsClosedByTarget());
            }
            Assert.Contains(LogLines(), l => l.Contains("idle timeout"));
        }

        [Fact]
        public void An_initiator_that_stops_reading_is_dropped_at_the_send_deadline()
        {
            var target = Target(Good(), o => o.SendTimeout = TimeSpan.FromSeconds(1));
            using (var i = LoggedIn(target))
            {
                i.Stream.WriteTimeout = 500;
                try
                {
                    for (var k = 0; k < 1000; k++) i.Send(i.Nop((uint)k + 1, new byte[60000]));
                }
                catch (IOException) { }
                WaitFor(() => LogLines().Any(l => l.Contains("send timeout")), TimeSpan.FromSeconds(10), "the send deadline");
            }
            WaitFor(() => target.ConnectionCount == 0, TimeSpan.FromSeconds(5), "the connection to close");
        }

        // ---- connection limit ------------------------------------------------------------------------------------

        [Fact]
        public void A_full_target_pushes_out_a_connection_still_logging_in_but_never_a_working_session()
        {
            var target = Target(Good(), o => { o.MaxConnections = 2; o.LoginTimeout = TimeSpan.FromSeconds(30); o.PduTimeout = TimeSpan.FromSeconds(30); });
            using (var working = LoggedIn(target))
            using (var stalled = new TcpClient())
            {
                stalled.Connect(target.LocalEndpoint);
                stalled.GetStream().Write(new byte[10], 0, 10); // a login PDU that never completes
                WaitFor(() => target.ConnectionCount == 2, TimeSpan.FromSeconds(5), "two connections");
                using (var newcomer = new TestInitiator(target))
                {
                    newcomer.Stream.ReadTimeout = 3000;
                    Assert.Equal(0, TestInitiator.LoginStatus(newcomer.Login()));
                    Assert.Equal(ScsiStatus.Good, newcomer.Read(Cdb.TestUnitReady(), 0).Status);
                }
                Assert.Equal(ScsiStatus.Good, working.Read(Cdb.TestUnitReady(), 0).Status);
                Assert.Equal(1, target.ConnectionsEvicted);
                Assert.Contains(LogLines(), l => l.Contains("pushed out") && l.Contains("still logging in"));
                WaitFor(() => target.ConnectionCount == 1, TimeSpan.FromSeconds(5), "the newcomer's connection to close");

                // Two working sessions: a third connection is refused and both keep working.
                using (var second = LoggedIn(target))
                using (var third = new TcpClient())
                {
                    third.Connect(target.LocalEndpoint);
                    third.GetStream().ReadTimeout = 15000;   // generous: a loaded CI machine may take a moment to accept and refuse
                    Assert.Equal(0, third.GetStream().Read(new byte[1], 0, 1));
                    Assert.Equal(1, target.ConnectionsRefused);
                    Assert.Equal(ScsiStatus.Good, second.Read(Cdb.TestUnitReady(), 0).Status);
                    Assert.Equal(ScsiStatus.Good, working.Read(Cdb.TestUnitReady(), 0).Status);
                }
            }
        }

        // ---- answer sizes (MaxRecvDataSegmentLength) -------------------------------------------------------------

        [Fact]
        public void A_long_login_answer_is_cut_into_continued_PDUs_of_at_most_8192_bytes()
        {
            var target = Target(Good());
            using (var i = new TestInitiator(target))
            {
                // 1000 unknown keys fit in one 8 KiB request; their NotUnderstood answers take 18 KiB.
                var unknown = Enumerable.Range(0, 1000).Select(n => ("X" + n.ToString("x3"), "1")).ToArray();
                var keys = new[] { ("InitiatorName", "iqn.2024-01.test:i"), ("TargetName", Iqn) }.Concat(unknown).ToArray();
                var request = i.LoginPdu(1, 3, true, keys);
                Assert.True(request.Data.Length <= 8192);
                var last = i.Exchange(request);
                Assert.Equal(0, TestInitiator.LoginStatus(last));
                Assert.True(i.LastResponses.Count >= 3, i.LastResponses.Count + " PDU(s)");
                Assert.All(i.LastResponses, p => Assert.True(p.Data.Length <= 8192, p.Data.Length + " bytes"));
                Assert.All(i.LastResponses.Take(i.LastResponses.Count - 1), p => Assert.Equal(0x40 | (1 << 2), p.Flags)); // C=1, T=0
                Assert.Equal(0x80 | (1 << 2) | 3, last.Flags); // the last one carries T=1, NSG=3
                Assert.All(unknown, k => Assert.Equal("NotUnderstood", i.LastAnswer[k.Item1]));
                Assert.Equal(ScsiStatus.Good, i.Read(Cdb.TestUnitReady(), 0).Status);
            }
        }

        [Fact]
        public void A_login_request_above_8192_bytes_is_refused()
        {
            var target = Target(Good());
            using (var i = new TestInitiator(target))
            {
                var request = i.LoginPdu(1, 3, true, ("InitiatorName", "iqn.2024-01.test:i"), ("TargetName", Iqn), ("X-pad", new string('a', 9000)));
                i.Send(request);
                var response = i.Receive();
                Assert.Equal(IscsiOpcode.LoginResponse, response.Opcode);
                Assert.Equal(0x0200, TestInitiator.LoginStatus(response));
                Assert.True(i.IsClosedByTarget());
            }
        }

        [Fact]
        public void Text_answers_respect_the_initiators_MaxRecvDataSegmentLength()
        {
            var target = Target(Good());
            using (var i = new TestInitiator(target))
            {
                i.Send(i.LoginPdu(1, 3, true, ("InitiatorName", "iqn.2024-01.test:i"), ("SessionType", "Discovery"), ("MaxRecvDataSegmentLength", "512")));
                Assert.Equal(0, TestInitiator.LoginStatus(i.Receive()));
                var unknown = Enumerable.Range(0, 300).Select(n => ("Y" + n.ToString("x3"), "1")).ToArray();
                var answer = i.Text(new[] { ("SendTargets", "All") }.Concat(unknown).ToArray());
                Assert.True(i.LastResponses.Count >= 10, i.LastResponses.Count + " PDU(s)");
                Assert.All(i.LastResponses, p => Assert.True(p.Data.Length <= 512, p.Data.Length + " bytes"));
                Assert.All(i.LastResponses.Take(i.LastResponses.Count - 1), p =>
                {
                    Assert.Equal(0x40, p.Flags); // C=1, F=0
                    Assert.NotEqual(IscsiPdu.ReservedTag, p.Get32(20));
                });
                Assert.Equal(0x80, i.LastResponses.Last().Flags);
                Assert.Equal(IscsiPdu.ReservedTag, i.LastResponses.Last().Get32(20));
                Assert.Equal(Iqn, answer["TargetName"]);
                Assert.Equal(target.Portal + ",1", answer["TargetAddress"]);
                Assert.All(unknown, k => Assert.Equal("NotUnderstood", answer[k.Item1]));
            }
        }
    }
}
