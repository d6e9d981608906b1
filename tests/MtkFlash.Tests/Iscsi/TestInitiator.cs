using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Iscsi;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;

namespace MtkFlash.Tests.Iscsi
{
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
        public Dictionary<string, string> LastAnswer { get; private set; } = new Dictionary<string, string>();

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
        public IscsiPdu Login(params (string, string)[] extra) => LoginFrom(1, extra);

        /// <summary>
        /// Login with one-way CHAP as libiscsi does it (lib/login.c): AuthMethod=CHAP,None with T=1; CHAP_A=5; CHAP_N and
        /// CHAP_R (hex, or base64 with <paramref name="base64"/>) with T=1; then the operational stage. Returns the first
        /// response that is not a success, or the last one.
        /// </summary>
        public IscsiPdu ChapLogin(string user, byte[] secret, bool base64 = false, bool discovery = false, Func<byte, byte[], byte[]> respond = null)
        {
            var first = discovery
                ? new[] { ("InitiatorName", "iqn.2024-01.test:initiator"), ("SessionType", "Discovery"), ("AuthMethod", "CHAP,None") }
                : new[] { ("InitiatorName", "iqn.2024-01.test:initiator"), ("TargetName", TargetName), ("SessionType", "Normal"), ("AuthMethod", "CHAP,None") };
            var r = Exchange(LoginPdu(0, 1, true, first));
            if (LoginStatus(r) != 0) return r;
            if (LastAnswer.TryGetValue("AuthMethod", out var method) && method != "CHAP") throw new InvalidDataException("the target chose AuthMethod=" + method);
            r = Exchange(LoginPdu(0, 1, false, ("CHAP_A", "5")));
            if (LoginStatus(r) != 0) return r;
            var identifier = byte.Parse(LastAnswer["CHAP_I"]);
            var challenge = Hex(LastAnswer["CHAP_C"].Substring(2));
            var response = respond != null ? respond(identifier, challenge) : IscsiChapCredentials.Md5Response(identifier, secret, challenge);
            var encoded = base64 ? "0b" + Convert.ToBase64String(response) : "0x" + string.Concat(response.Select(b => b.ToString("X2")));
            r = Exchange(LoginPdu(0, 1, true, ("CHAP_N", user), ("CHAP_R", encoded)));
            if (LoginStatus(r) != 0) return r;
            if ((r.Flags & 0x83) != 0x81) throw new InvalidDataException("the target did not move to the operational stage after CHAP (flags 0x" + r.Flags.ToString("X2") + ")");
            return discovery ? Exchange(LoginPdu(1, 3, true, ("MaxRecvDataSegmentLength", "262144"))) : LoginFrom(1, Array.Empty<(string, string)>(), declareNames: false);
        }

        IscsiPdu LoginFrom(int stage, (string, string)[] extra, bool declareNames = true)
        {
            var keys = new List<(string, string)>
            {
                ("HeaderDigest", "None,CRC32C"), ("DataDigest", "None"), ("InitialR2T", "Yes"), ("ImmediateData", "Yes"),
                ("MaxBurstLength", "262144"), ("FirstBurstLength", "65536"), ("MaxRecvDataSegmentLength", "262144"),
                ("ErrorRecoveryLevel", "0"), ("MaxOutstandingR2T", "1"),
            };
            if (declareNames) keys.InsertRange(0, new[] { ("InitiatorName", "iqn.2024-01.test:initiator"), ("TargetName", TargetName), ("SessionType", "Normal") });
            foreach (var e in extra) { keys.RemoveAll(k => k.Item1 == e.Item1); keys.Add(e); }
            var response = Exchange(LoginPdu(stage, 3, true, keys.ToArray()));
            if (LastAnswer.TryGetValue("MaxRecvDataSegmentLength", out var mrdsl)) TargetMaxRecv = int.Parse(mrdsl);
            if (LastAnswer.TryGetValue("FirstBurstLength", out var fb)) FirstBurst = int.Parse(fb);
            if (LastAnswer.TryGetValue("MaxBurstLength", out var mb)) MaxBurst = int.Parse(mb);
            if (LastAnswer.TryGetValue("InitialR2T", out var ir)) InitialR2T = ir == "Yes";
            return response;
        }

        /// <summary>Every login response PDU of the last exchange (more than one when the target used the Continue bit).</summary>
        public List<IscsiPdu> LastResponses { get; } = new List<IscsiPdu>();

        /// <summary>
        /// Sends a login request and gathers the answer: while a response has C=1, asks for the rest with an empty
        /// request of the same stages (RFC 7143 §6.1). Sets <see cref="LastAnswer"/>; returns the last response.
        /// </summary>
        public IscsiPdu Exchange(IscsiPdu request)
        {
            LastResponses.Clear();
            var data = new MemoryStream();
            Send(request);
            while (true)
            {
                var response = Receive();
                LastResponses.Add(response);
                data.Write(response.Data, 0, response.Data.Length);
                if (response.Opcode == IscsiOpcode.LoginResponse && (response.Flags & 0x40) != 0 && LoginStatus(response) == 0)
                {
                    if (LastResponses.Count > 64) throw new InvalidDataException("more than 64 continued login responses");
                    var more = new IscsiPdu(IscsiOpcode.LoginRequest, (byte)(request.Flags & 0x0F)) { Immediate = true };
                    Buffer.BlockCopy(request.Header, 8, more.Header, 8, 8);
                    more.InitiatorTaskTag = request.InitiatorTaskTag;
                    more.Put32(24, _cmdSn);
                    Send(more);
                    continue;
                }
                LastAnswer = IscsiText.Parse(data.ToArray()).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);
                if (response.Opcode == IscsiOpcode.LoginResponse) ExpStatSn = response.Get32(24) + 1;
                return response;
            }
        }

        /// <summary>A Text request (full feature phase), following Continue answers with empty requests carrying their TTT.</summary>
        public Dictionary<string, string> Text(params (string, string)[] keys)
        {
            LastResponses.Clear();
            var data = new MemoryStream();
            var itt = NextItt();
            var ttt = IscsiPdu.ReservedTag;
            var payload = IscsiText.Format(keys.Select(k => new KeyValuePair<string, string>(k.Item1, k.Item2)));
            while (true)
            {
                var request = new IscsiPdu(IscsiOpcode.TextRequest, 0x80) { Immediate = true };
                request.InitiatorTaskTag = itt;
                request.Put32(20, ttt);
                request.Put32(24, _cmdSn);
                request.Put32(28, ExpStatSn);
                request.Data = payload;
                Send(request);
                var response = Receive();
                LastResponses.Add(response);
                if (response.Opcode != IscsiOpcode.TextResponse) throw new InvalidDataException("expected a Text Response, got " + response.Opcode);
                data.Write(response.Data, 0, response.Data.Length);
                ExpStatSn = response.Get32(24) + 1;
                if ((response.Flags & 0x40) == 0) return IscsiText.Parse(data.ToArray()).ToDictionary(p => p.Key, p => p.Value);
                if (LastResponses.Count > 1024) throw new InvalidDataException("more than 1024 continued text responses");
                ttt = response.Get32(20);
                payload = Array.Empty<byte>();
            }
        }

        static byte[] Hex(string hex) => Enumerable.Range(0, hex.Length / 2).Select(i => Convert.ToByte(hex.Substring(2 * i, 2), 16)).ToArray();

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
