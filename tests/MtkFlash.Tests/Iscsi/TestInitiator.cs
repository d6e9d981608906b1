using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Iscsi;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;

namespace MtkFlash.Tests.Iscsi
{
    /// <summary>A drive stand-in: answers through a function and records every request.</summary>
    sealed class FakeDrive : IScsiTransport
    {
        public FakeDrive(Func<ScsiRequest, ScsiResponse> answer) { Answer = answer; }
        public Func<ScsiRequest, ScsiResponse> Answer { get; set; }
        public List<ScsiRequest> Requests { get; } = new List<ScsiRequest>();
        public string Path => "virtual:fake";
        public ScsiResponse Execute(ScsiRequest request)
        {
            lock (Requests) Requests.Add(request);
            return Answer(request);
        }
        public void Dispose() { }

        public static byte[] Inquiry(string vendor, string product, string revision)
        {
            var d = new byte[36];
            d[0] = 0x05; d[1] = 0x80; d[3] = 0x32; d[4] = 31;
            void Put(string s, int at, int len) { for (var i = 0; i < len; i++) d[at + i] = (byte)(i < s.Length ? s[i] : ' '); }
            Put(vendor, 8, 8); Put(product, 16, 16); Put(revision, 32, 4);
            return d;
        }
    }

    /// <summary>The result of one SCSI command as the test initiator saw it.</summary>
    sealed class CommandResult
    {
        public byte Status;
        public byte[] Data = Array.Empty<byte>();
        public byte[] Sense;
        public List<IscsiPdu> Pdus = new List<IscsiPdu>();
        public IscsiPdu Final;
    }

    /// <summary>
    /// A minimal initiator over loopback for the target tests: it builds PDUs by hand (RFC 7143 §11) so tests can
    /// also send malformed ones. Every read has a generous safety timeout so a target bug fails the test instead of hanging it.
    /// </summary>
    sealed class TestInitiator : IDisposable
    {
        readonly TcpClient _client;
        uint _itt = 0x100;
        uint _cmdSn = 1000;

        public TestInitiator(IscsiTarget target) : this(target.LocalEndpoint, target.TargetName) { }

        public TestInitiator(System.Net.IPEndPoint endpoint, string targetName)
        {
            _client = new TcpClient();
            _client.Connect(endpoint);
            Stream = _client.GetStream();
            Stream.ReadTimeout = 10000;
            TargetName = targetName;
        }

        public NetworkStream Stream { get; }
        public string TargetName { get; }
        public int TargetMaxRecv { get; private set; } = 8192;
        public int FirstBurst { get; private set; } = 65536;
        public int MaxBurst { get; private set; } = 262144;
        public bool InitialR2T { get; private set; } = true;
        public uint ExpStatSn { get; private set; }
        public Dictionary<string, string> LastAnswer { get; private set; }

        public static Dictionary<string, string> Keys(IscsiPdu pdu) => IscsiText.Parse(pdu.Data).ToDictionary(p => p.Key, p => p.Value);

        public IscsiPdu LoginPdu(int csg, int nsg, bool transit, params (string, string)[] keys)
        {
            var pdu = new IscsiPdu(IscsiOpcode.LoginRequest, (byte)((transit ? 0x80 : 0) | (csg << 2) | nsg)) { Immediate = true };
            pdu.Header[8] = 0x80; pdu.Header[13] = 0x42; // ISID: random format, any value
            pdu.InitiatorTaskTag = 0x1;
            pdu.Put32(24, _cmdSn);
            pdu.Data = IscsiText.Format(keys.Select(k => new KeyValuePair<string, string>(k.Item1, k.Item2)));
            return pdu;
        }

        /// <summary>Normal-session login straight into the operational stage, as libiscsi does without CHAP (libiscsi lib/login.c).</summary>
        public IscsiPdu Login(params (string, string)[] extra)
        {
            var keys = new List<(string, string)>
            {
                ("InitiatorName", "iqn.2024-01.test:initiator"), ("TargetName", TargetName), ("SessionType", "Normal"),
                ("HeaderDigest", "None,CRC32C"), ("DataDigest", "None"), ("InitialR2T", "Yes"), ("ImmediateData", "Yes"),
                ("MaxBurstLength", "262144"), ("FirstBurstLength", "65536"), ("MaxRecvDataSegmentLength", "262144"),
                ("ErrorRecoveryLevel", "0"), ("MaxOutstandingR2T", "1"),
            };
            foreach (var e in extra) { keys.RemoveAll(k => k.Item1 == e.Item1); keys.Add(e); }
            Send(LoginPdu(1, 3, true, keys.ToArray()));
            var response = Receive();
            LastAnswer = Keys(response);
            if (LastAnswer.TryGetValue("MaxRecvDataSegmentLength", out var mrdsl)) TargetMaxRecv = int.Parse(mrdsl);
            if (LastAnswer.TryGetValue("FirstBurstLength", out var fb)) FirstBurst = int.Parse(fb);
            if (LastAnswer.TryGetValue("MaxBurstLength", out var mb)) MaxBurst = int.Parse(mb);
            if (LastAnswer.TryGetValue("InitialR2T", out var ir)) InitialR2T = ir == "Yes";
            ExpStatSn = response.Get32(24) + 1;
            return response;
        }

        public static int LoginStatus(IscsiPdu response) => BigEndian.Get16(response.Header, 36);

        public void Send(IscsiPdu pdu) => pdu.WriteTo(Stream);

        public void SendRaw(byte[] bytes) { Stream.Write(bytes, 0, bytes.Length); Stream.Flush(); }

        public IscsiPdu Receive()
        {
            var pdu = IscsiPdu.ReadFrom(Stream, 16 * 1024 * 1024);
            if (pdu == null) throw new EndOfStreamException("the target closed the connection");
            return pdu;
        }

        /// <summary>True when the target closed the connection (EOF or reset) before sending anything more.</summary>
        public bool IsClosedByTarget()
        {
            try { return Stream.Read(new byte[1], 0, 1) == 0; }
            catch (IOException ex) when (ex.InnerException is SocketException se && se.SocketErrorCode != SocketError.TimedOut) { return true; }
        }

        public uint NextItt() => _itt++;

        public IscsiPdu CommandPdu(byte[] cdb, bool read, bool write, int expectedLength, int lun = 0, uint? itt = null)
        {
            var pdu = new IscsiPdu(IscsiOpcode.ScsiCommand, (byte)(0x80 | (read ? 0x40 : 0) | (write ? 0x20 : 0) | 0x01)) { Lun = lun };
            pdu.InitiatorTaskTag = itt ?? NextItt();
            pdu.Put32(20, (uint)expectedLength);
            pdu.Put32(24, _cmdSn++);
            pdu.Put32(28, ExpStatSn);
            Buffer.BlockCopy(cdb, 0, pdu.Header, 32, cdb.Length);
            return pdu;
        }

        /// <summary>A read (or no-data) command: collects Data-In until status arrives.</summary>
        public CommandResult Read(byte[] cdb, int length, int lun = 0)
        {
            var cmd = CommandPdu(cdb, length > 0, false, length, lun);
            Send(cmd);
            return Collect(cmd.InitiatorTaskTag);
        }

        /// <summary>A write: immediate data up to FirstBurstLength, unsolicited Data-Out if InitialR2T=No, then R2T-driven Data-Out.</summary>
        public CommandResult Write(byte[] cdb, byte[] data, int? immediate = null, int segment = 4096)
        {
            var immediateLength = Math.Min(immediate ?? Math.Min(FirstBurst, TargetMaxRecv), data.Length);
            var unsolicitedEnd = InitialR2T ? immediateLength : Math.Min(FirstBurst, data.Length);
            var cmd = CommandPdu(cdb, false, true, data.Length);
            cmd.Data = data.Take(immediateLength).ToArray();
            if (unsolicitedEnd > immediateLength) cmd.Flags &= 0x7F; // F=0: unsolicited Data-Out follows
            Send(cmd);
            var itt = cmd.InitiatorTaskTag;
            if (unsolicitedEnd > immediateLength) SendDataOut(itt, IscsiPdu.ReservedTag, data, immediateLength, unsolicitedEnd, segment);
            var result = new CommandResult();
            while (true)
            {
                var pdu = Receive();
                result.Pdus.Add(pdu);
                if (pdu.Opcode == IscsiOpcode.ReadyToTransfer)
                {
                    var offset = (int)pdu.Get32(40);
                    var length = (int)pdu.Get32(44);
                    SendDataOut(itt, pdu.Get32(20), data, offset, offset + length, segment);
                    continue;
                }
                return Finish(result, pdu);
            }
        }

        public void SendDataOut(uint itt, uint ttt, byte[] data, int from, int to, int segment)
        {
            uint dataSn = 0;
            for (var offset = from; offset < to; offset += segment)
            {
                var length = Math.Min(segment, to - offset);
                var pdu = new IscsiPdu(IscsiOpcode.DataOut, (byte)(offset + length >= to ? 0x80 : 0));
                pdu.InitiatorTaskTag = itt;
                pdu.Put32(20, ttt);
                pdu.Put32(28, ExpStatSn);
                pdu.Put32(36, dataSn++);
                pdu.Put32(40, (uint)offset);
                pdu.Data = data.Skip(offset).Take(length).ToArray();
                Send(pdu);
            }
        }

        public CommandResult Collect(uint itt)
        {
            var result = new CommandResult();
            var data = new MemoryStream();
            while (true)
            {
                var pdu = Receive();
                result.Pdus.Add(pdu);
                if (pdu.InitiatorTaskTag != itt) throw new InvalidDataException("PDU " + pdu.Opcode + " for another task 0x" + pdu.InitiatorTaskTag.ToString("X"));
                if (pdu.Opcode == IscsiOpcode.DataIn)
                {
                    if (pdu.Get32(40) != data.Length) throw new InvalidDataException("Data-In out of order");
                    data.Write(pdu.Data, 0, pdu.Data.Length);
                    if ((pdu.Flags & 0x01) != 0) { result.Data = data.ToArray(); return Finish(result, pdu); }
                    continue;
                }
                result.Data = data.ToArray();
                return Finish(result, pdu);
            }
        }

        CommandResult Finish(CommandResult result, IscsiPdu pdu)
        {
            if (pdu.Opcode != IscsiOpcode.ScsiResponse && pdu.Opcode != IscsiOpcode.DataIn)
                throw new InvalidDataException("expected a SCSI Response, got " + pdu.Opcode);
            result.Final = pdu;
            result.Status = pdu.Header[3];
            if (pdu.Opcode == IscsiOpcode.ScsiResponse && pdu.Data.Length >= 2)
            {
                var length = BigEndian.Get16(pdu.Data, 0);
                result.Sense = pdu.Data.Skip(2).Take(length).ToArray();
            }
            ExpStatSn = pdu.Get32(24) + 1;
            return result;
        }

        public IscsiPdu Nop(uint itt, byte[] ping = null)
        {
            var pdu = new IscsiPdu(IscsiOpcode.NopOut, 0x80) { Immediate = true };
            pdu.InitiatorTaskTag = itt;
            pdu.Put32(20, IscsiPdu.ReservedTag);
            pdu.Put32(24, _cmdSn);
            pdu.Data = ping ?? Array.Empty<byte>();
            return pdu;
        }

        public IscsiPdu TaskManagement(int function, uint referencedItt)
        {
            var pdu = new IscsiPdu(IscsiOpcode.TaskManagementRequest, (byte)(0x80 | function)) { Immediate = true };
            pdu.InitiatorTaskTag = NextItt();
            pdu.Put32(20, referencedItt);
            pdu.Put32(24, _cmdSn);
            return pdu;
        }

        public IscsiPdu Logout()
        {
            var pdu = new IscsiPdu(IscsiOpcode.LogoutRequest, 0x80) { Immediate = true };
            pdu.InitiatorTaskTag = NextItt();
            pdu.Put32(24, _cmdSn);
            return pdu;
        }

        public void Dispose() => _client.Dispose();
    }
}
