using System;
using System.Linq;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Scsi
{
    /// <summary>
    /// Issue 9 §1: retries (with limits) are for identification, reads and polling only. A state-changing command goes on the
    /// wire exactly once, whatever the drive answers: a unit attention means the drive was reset and its download state is
    /// gone, and a TSST block carries no offset, so a block sent twice shifts everything after it.
    /// </summary>
    public class ScsiDeviceRetryTests
    {
        static ScsiResponse Answer(string kind)
        {
            switch (kind)
            {
                case "unit-attention": return ScsiResponse.Check(6, 0x29, 0x00);
                case "microcode-changed": return ScsiResponse.Check(6, 0x3F, 0x01);
                case "not-ready": return ScsiResponse.Check(2, 0x04, 0x01);
                case "long-write": return ScsiResponse.Check(2, 0x04, 0x08);
                case "busy": return ScsiResponse.Busy();
                default: throw new ArgumentException(kind);
            }
        }

        public static TheoryData<string, string> StateChangingCdbs()
        {
            var data = new TheoryData<string, string>();
            foreach (var kind in new[] { "unit-attention", "microcode-changed", "not-ready", "long-write", "busy" })
            {
                data.Add(kind, "3B 06 00 00 40 20 00 10 00 00");             // BTC chunk (the one a 6/3F/01 sent twice)
                data.Add(kind, "FF 00 01 00 00 FF 00 00 00 00 00 00");       // TSST continuation block
                data.Add(kind, "3B 01 00 00 00 00 00 00 00 00");             // MT1959 arm
                data.Add(kind, "3B 07 00 00 00 00 00 00 00 00");             // BTC commit
            }
            return data;
        }

        [Theory]
        [MemberData(nameof(StateChangingCdbs))]
        public void A_state_changing_command_is_sent_once_and_a_transient_answer_is_an_error(string kind, string cdb)
        {
            var transport = new ScriptedTransport { Override = r => Answer(kind) };
            var clock = new FakeClock();
            var device = new ScsiDevice(transport, clock);
            var bytes = Hex.Parse(cdb);
            var request = bytes[0] == 0x3B && bytes[8] == 0 && bytes[7] == 0 ? ScsiRequest.NoData(bytes, TimeSpan.FromSeconds(20)) : ScsiRequest.Write(bytes, new byte[0x1000], TimeSpan.FromSeconds(20));
            var ex = Assert.Throws<ScsiCommandException>(() => device.Execute(request));
            Assert.Single(transport.Requests);
            Assert.Equal(TimeSpan.Zero, clock.Elapsed);   // no retry delay either
            Assert.Equal(Answer(kind).Status, ex.Status);
        }

        [Fact]
        public void WriteBuffer_is_sent_once_on_a_unit_attention()
        {
            var transport = new ScriptedTransport { Override = r => r.Opcode == Cdb.WriteBufferOpcode ? ScsiResponse.Check(6, 0x29, 0) : null };
            var device = new ScsiDevice(transport, new FakeClock());
            Assert.Throws<ScsiCommandException>(() => device.WriteBuffer(6, 0, 0x20, new byte[0x1000]));
            Assert.Single(transport.Requests);
        }

        [Theory]
        [InlineData("unit-attention", 3)]
        [InlineData("microcode-changed", 3)]
        [InlineData("not-ready", 10)]
        [InlineData("busy", 10)]
        public void Reads_keep_their_limited_retries(string kind, int retries)
        {
            int calls = 0;
            var transport = new ScriptedTransport { Inquiry = new byte[96], Override = r => calls++ < retries ? Answer(kind) : null };
            var device = new ScsiDevice(transport, new FakeClock());
            device.Inquiry();
            Assert.Equal(retries + 1, transport.Requests.Count);

            // One more than the limit: the read fails instead of being retried for ever.
            calls = 0;
            transport.Requests.Clear();
            transport.Override = r => calls++ <= retries ? Answer(kind) : null;
            Assert.Throws<ScsiCommandException>(() => device.Inquiry());
            Assert.Equal(retries + 1, transport.Requests.Count);
            Assert.All(transport.Requests, r => Assert.False(r.IsStateChanging));
        }

        [Fact]
        public void ExecuteOnce_sends_a_read_once_too()
        {
            var transport = new ScriptedTransport { Override = r => ScsiResponse.Busy() };
            var device = new ScsiDevice(transport, new FakeClock());
            Assert.Throws<ScsiCommandException>(() => device.ExecuteOnce(ScsiRequest.Read(Cdb.Inquiry(96), 96, TimeSpan.FromSeconds(10))));
            Assert.Equal(1, transport.Requests.Count(r => r.Cdb[0] == Cdb.InquiryOpcode));
        }
    }
}
