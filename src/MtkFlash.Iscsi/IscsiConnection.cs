using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Iscsi
{
    /// <summary>
    /// One TCP connection (one session: MaxConnections=1). The reading thread handles login, text, NOP, task management,
    /// logout and the data-out phase; a worker thread runs SCSI commands in arrival order, so NOP-Outs and ABORT TASK
    /// are still answered while the drive is busy with (or stuck in) a command.
    ///
    /// Bounds (each one closes or ignores instead of growing): the CmdSN window; write data is solicited with R2T only
    /// for the command whose turn it is and kept as it arrives; the target's watchdog (<see cref="Overdue"/>) ends a
    /// connection whose PDU, login, send or silence takes too long; login and text answers are cut to what the
    /// initiator can receive (Continue bit).
    /// </summary>
    sealed class IscsiConnection
    {
        enum Stage { Security = 0, Operational = 1, FullFeature = 3 }
        enum StatSnUse { None, Current, Advance }

        const byte FlagFinal = 0x80;
        const byte FlagContinue = 0x40;
        /// <summary>RFC 7143 §13.12: what either side may send per PDU before MaxRecvDataSegmentLength is declared, and during login.</summary>
        const int LoginSegmentLength = 8192;
        /// <summary>Largest login or text answer (before cutting it into PDUs); a request that would need more is refused.</summary>
        const int MaxTextAnswer = 65536;
        /// <summary>How long a half-received PDU, a blocked send or an unanswered R2T counts as progress before it makes the connection evictable.</summary>
        static readonly TimeSpan StallGrace = TimeSpan.FromSeconds(1);

        readonly IscsiTarget _target;
        readonly IscsiTargetOptions _options;
        readonly TcpClient _client;
        readonly NetworkStream _stream;
        readonly object _writeLock = new object();
        readonly object _taskLock = new object();
        readonly Dictionary<uint, ScsiTask> _tasks = new Dictionary<uint, ScsiTask>();
        readonly BlockingCollection<ScsiTask> _queue = new BlockingCollection<ScsiTask>();
        readonly CancellationTokenSource _closing = new CancellationTokenSource();
        readonly IscsiSessionParameters _parameters;
        readonly IscsiChapExchange _chap;
        /// <summary>ITTs whose Data-Out may still arrive and is dropped: aborted, ignored (outside the window) or refused commands.</summary>
        readonly HashSet<uint> _dropped = new HashSet<uint>();

        Stage _stage = Stage.Security;
        bool _loginStarted;
        bool _targetNameChecked;
        byte[] _isid;
        ushort _tsih;
        uint _statSn = 1;
        uint _expCmdSn;
        uint _nextTtt = 1;
        // QEMU probes READ CAPACITY once at attach (see IscsiCommandMapping.BlankDiscCapacity).
        bool _attachCapacityPending = true;
        Thread _worker;
        /// <summary>Non-immediate SCSI commands accepted and not yet answered (they take up the CmdSN window).</summary>
        int _windowUsed;
        int _ignoredCommands;
        long _buffered;
        string _closeReason;
        TextAnswer _pendingLogin;
        TextAnswer _pendingText;

        // Clocks for the watchdog and the eviction choice, in the target's NowMs (0 = not happening).
        readonly long _acceptedAt;
        long _loginDeadline;
        long _lastProgressAt;
        long _pduStartedAt;
        long _sendStartedAt;
        long _r2tSentAt;
        long _executingSince;

        public IscsiConnection(IscsiTarget target, TcpClient client, int id)
        {
            _target = target;
            _options = target.Options;
            _client = client;
            _client.NoDelay = true;
            _stream = client.GetStream();
            _parameters = new IscsiSessionParameters(_options);
            if (_options.Chap != null) _chap = new IscsiChapExchange(_options.Chap);
            Id = id;
            Remote = client.Client.RemoteEndPoint?.ToString() ?? "?";
            _acceptedAt = _lastProgressAt = target.NowMs;
            _loginDeadline = _acceptedAt + (long)_options.LoginTimeout.TotalMilliseconds;
        }

        public int Id { get; }
        public string Remote { get; }
        bool LoggedIn => _stage == Stage.FullFeature;

        public void Run()
        {
            Log("connection from " + Remote);
            var reason = "closed by the initiator";
            try
            {
                while (!_closing.IsCancellationRequested)
                {
                    var limit = LoggedIn ? _parameters.TargetMaxRecvDataSegmentLength : LoginSegmentLength;
                    var pdu = IscsiPdu.ReadFrom(_stream, limit, () => Volatile.Write(ref _pduStartedAt, _target.NowMs));
                    Volatile.Write(ref _pduStartedAt, 0);
                    Volatile.Write(ref _lastProgressAt, _target.NowMs);
                    if (pdu == null) break;
                    if (!Handle(pdu)) { reason = "logged out"; break; }
                }
            }
            catch (IscsiLoginException ex) { reason = "login refused: " + ex.Message; }
            catch (IscsiProtocolException ex)
            {
                reason = "protocol error: " + ex.Message;
                if (ex.Pdu != null && !LoggedIn && ex.Pdu.Opcode == IscsiOpcode.LoginRequest) Refuse(ex.Pdu, IscsiLoginStatus.InitiatorError, ex.Message);
                else if (ex.Pdu != null) TrySend(Reject(ex.Pdu, ex.Reason));
            }
            catch (FormatException ex) { reason = "protocol error: " + ex.Message; }
            catch (IOException ex) { reason = "I/O: " + ex.Message; }
            catch (SocketException ex) { reason = "socket: " + ex.Message; }
            catch (ObjectDisposedException) { reason = "closed"; }
            catch (Exception ex) { reason = "internal error: " + ex.GetType().Name + ": " + ex.Message; }
            finally
            {
                if (Interlocked.CompareExchange(ref _closeReason, reason, null) == null) LogClosed(reason);
                Close();
            }
        }

        void LogClosed(string reason) =>
            Log("connection closed (" + reason + ")" + (_ignoredCommands > 0 ? "; " + _ignoredCommands + " command(s) outside the CmdSN window were ignored" : ""));

        /// <summary>Ends the connection gracefully (pending answers may still leave).</summary>
        public void Close() => Close(abortive: false);

        /// <summary>Ends the connection at once (RST); the first reason given is the one logged, before the socket closes.</summary>
        public void Abort(string reason)
        {
            if (Interlocked.CompareExchange(ref _closeReason, reason, null) == null) LogClosed(reason);
            Close(abortive: true);
        }

        void Close(bool abortive)
        {
            lock (_closing)
            {
                if (_closing.IsCancellationRequested) return;
                try { _closing.Cancel(); } catch (ObjectDisposedException) { }
            }
            _queue.CompleteAdding();
            var socket = _client.Client;
            if (abortive) try { socket.LingerState = new LingerOption(true, 0); } catch (Exception) { }
            // shutdown() wakes a thread blocked in recv() or send() on this socket; close() alone may not.
            try { socket.Shutdown(SocketShutdown.Both); } catch (Exception) { }
            try { _client.Close(); } catch (Exception) { }
            lock (_taskLock)
            {
                foreach (var task in _tasks.Values) { task.Aborted = true; Release(task); task.DataReady.Set(); }
                _tasks.Clear();
                _windowUsed = 0;
            }
        }

        // ---- Watchdog and eviction (called from the target's threads) ----------------------------------------------

        /// <summary>Why this connection must end now, or null. Called by the target's watchdog.</summary>
        internal string Overdue(long now)
        {
            if (_closing.IsCancellationRequested) return null;
            var sending = Volatile.Read(ref _sendStartedAt);
            if (sending != 0 && now - sending > Ms(_options.SendTimeout))
                return "send timeout: the initiator did not take a PDU within " + Seconds(_options.SendTimeout);
            var reading = Volatile.Read(ref _pduStartedAt);
            if (reading != 0 && now - reading > Ms(_options.PduTimeout))
                return "read timeout: a PDU was not complete within " + Seconds(_options.PduTimeout) + " of its first byte";
            if (!LoggedIn && now > Volatile.Read(ref _loginDeadline))
                return "login timeout: not logged in within " + Seconds(_options.LoginTimeout);
            var executing = Volatile.Read(ref _executingSince) != 0;
            if (LoggedIn && reading == 0 && !executing && now - Volatile.Read(ref _lastProgressAt) > Ms(_options.IdleTimeout))
                return "idle timeout: nothing received for " + Seconds(_options.IdleTimeout);
            return null;
        }

        /// <summary>
        /// How willing this connection is to make room for a new one: 0 = never (a logged-in session that is working).
        /// Connections still logging in go first, the one without progress for longest first; then stalled sessions.
        /// </summary>
        internal long EvictionRank(long now)
        {
            if (_closing.IsCancellationRequested) return long.MaxValue;
            const long tier = 1L << 40;
            if (!LoggedIn) return 2 * tier + Math.Max(1, now - Volatile.Read(ref _lastProgressAt));
            var stalled = Math.Max(Age(now, Volatile.Read(ref _pduStartedAt)),
                Math.Max(Age(now, Volatile.Read(ref _sendStartedAt)), Age(now, Volatile.Read(ref _r2tSentAt))));
            return stalled > Ms(StallGrace) ? tier + stalled : 0;
        }

        /// <summary>For the log line of an eviction.</summary>
        internal string Describe(long now)
        {
            if (!LoggedIn) return "still logging in after " + (now - _acceptedAt) + " ms";
            if (Volatile.Read(ref _sendStartedAt) != 0) return "not taking what the target sends";
            if (Volatile.Read(ref _pduStartedAt) != 0) return "sending a PDU too slowly";
            return "not answering an R2T";
        }

        static long Age(long now, long since) => since == 0 ? 0 : now - since;
        static long Ms(TimeSpan t) => (long)t.TotalMilliseconds;
        static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " s";

        // ---- Dispatch ------------------------------------------------------------------------------------------------

        /// <summary>Handles one PDU; false ends the connection normally (logout).</summary>
        bool Handle(IscsiPdu pdu)
        {
            if (!LoggedIn)
            {
                if (pdu.Opcode != IscsiOpcode.LoginRequest)
                    throw Refuse(pdu, IscsiLoginStatus.InvalidDuringLogin, pdu.Opcode + " before the login finished");
                HandleLogin(pdu);
                return true;
            }

            switch (pdu.Opcode)
            {
                case IscsiOpcode.NopOut: if (AcceptCmdSn(pdu)) HandleNopOut(pdu); return true;
                case IscsiOpcode.TextRequest: if (AcceptCmdSn(pdu)) HandleText(pdu); return true;
                case IscsiOpcode.ScsiCommand:
                    if (_parameters.IsDiscovery) throw new IscsiProtocolException(pdu, IscsiRejectReason.CommandNotSupported, "SCSI command in a discovery session");
                    HandleScsiCommand(pdu);
                    return true;
                case IscsiOpcode.DataOut: HandleDataOut(pdu); return true;
                case IscsiOpcode.TaskManagementRequest: return !AcceptCmdSn(pdu) || HandleTaskManagement(pdu);
                case IscsiOpcode.LogoutRequest:
                    if (!AcceptCmdSn(pdu)) return true;
                    HandleLogout(pdu);
                    return false;
                case IscsiOpcode.LoginRequest:
                    throw new IscsiProtocolException(pdu, IscsiRejectReason.ProtocolError, "login request after the login finished");
                default:
                    throw new IscsiProtocolException(pdu, IscsiRejectReason.CommandNotSupported, "opcode 0x" + ((byte)pdu.Opcode).ToString("X2") + " is not supported");
            }
        }

        // ---- Login (RFC 7143 §6.3, §11.12, §11.13, §12.1.3) ---------------------------------------------------------

        void HandleLogin(IscsiPdu request)
        {
            var flags = request.Flags;
            var transit = (flags & 0x80) != 0;
            var csg = (flags >> 2) & 0x03;
            var nsg = flags & 0x03;
            if ((flags & FlagContinue) != 0) throw Refuse(request, IscsiLoginStatus.InitiatorError, "text continuation (C bit) in a login request is not supported");
            if (_pendingLogin != null)
            {
                // RFC 7143 §6.1: the initiator fetches the rest of a long answer with empty requests.
                if (request.Data.Length > 0) throw Refuse(request, IscsiLoginStatus.InitiatorError, "new keys while the rest of a login answer was pending");
                SendLoginPart(request);
                return;
            }
            if (request.Header[3] > 0x00) throw Refuse(request, IscsiLoginStatus.UnsupportedVersion, "Version-min " + request.Header[3] + " (only version 0 exists)");
            if (csg == 2 || csg == 3 || csg < (int)_stage) throw Refuse(request, IscsiLoginStatus.InitiatorError, "login stage " + csg + " is not valid here");
            if (transit && (nsg == 2 || nsg <= csg)) throw Refuse(request, IscsiLoginStatus.InitiatorError, "transit from stage " + csg + " to " + nsg + " is not valid");

            var isid = new byte[6];
            Buffer.BlockCopy(request.Header, 8, isid, 0, 6);
            if (!_loginStarted)
            {
                _isid = isid;
                _expCmdSn = request.Get32(24); // the login is immediate: the first command carries this CmdSN
                _loginStarted = true;
            }
            else if (!isid.SequenceEqual(_isid)) throw Refuse(request, IscsiLoginStatus.InitiatorError, "ISID changed during login");

            List<KeyValuePair<string, string>> keys;
            try { keys = IscsiText.Parse(request.Data); }
            catch (FormatException ex) { throw Refuse(request, IscsiLoginStatus.InitiatorError, ex.Message); }

            var answer = new List<KeyValuePair<string, string>>();
            try
            {
                if (_chap != null)
                {
                    // RFC 7143 §12.1.3: the security stage is where CHAP happens; a target that requires it refuses a
                    // login that skips the stage, and does not leave it before the initiator is authenticated.
                    if (csg != (int)Stage.Security && !_chap.Authenticated)
                        throw new IscsiLoginException(IscsiLoginStatus.AuthenticationFailure, "this target requires CHAP; the initiator skipped the security stage");
                    var auth = keys.Where(k => IscsiChapExchange.IsAuthenticationKey(k.Key)).ToList();
                    if (csg == (int)Stage.Security) answer.AddRange(_chap.Handle(auth));
                    else if (auth.Count > 0) throw new IscsiLoginException(IscsiLoginStatus.InitiatorError, "authentication keys outside the security stage");
                    keys = keys.Where(k => !IscsiChapExchange.IsAuthenticationKey(k.Key)).ToList();
                }
                answer.AddRange(_parameters.Negotiate(keys, securityStage: csg == 0));
            }
            catch (IscsiLoginException ex) { throw Refuse(request, ex.Status, ex.Message); }

            if (!_targetNameChecked)
            {
                // RFC 7143 §13.5/§13.21: InitiatorName always, TargetName for a normal session, in the first login request.
                if (string.IsNullOrEmpty(_parameters.InitiatorName)) throw Refuse(request, IscsiLoginStatus.MissingParameter, "InitiatorName is missing");
                if (!_parameters.IsDiscovery)
                {
                    if (string.IsNullOrEmpty(_parameters.TargetName)) throw Refuse(request, IscsiLoginStatus.MissingParameter, "TargetName is missing");
                    if (!string.Equals(_parameters.TargetName, _target.TargetName, StringComparison.OrdinalIgnoreCase))
                        throw Refuse(request, IscsiLoginStatus.TargetNotFound, "no target named " + Shorten(_parameters.TargetName) + " (this is " + _target.TargetName + ")");
                    // RFC 7143 §13.9: the first login response of a normal session carries TargetPortalGroupTag.
                    answer.Add(new KeyValuePair<string, string>("TargetPortalGroupTag", "1"));
                }
                _targetNameChecked = true;
            }

            // With CHAP, the security stage is left only once the initiator proved itself; until then the answer keeps
            // T=0 and the initiator continues the exchange (libiscsi asks to transit from its first request).
            if (transit && _chap != null && csg == (int)Stage.Security && !_chap.Authenticated) transit = false;

            var bytes = IscsiText.Format(answer);
            if (bytes.Length > MaxTextAnswer) throw Refuse(request, IscsiLoginStatus.InitiatorError, "the answer to " + keys.Count + " keys would take " + bytes.Length + " bytes");
            _pendingLogin = new TextAnswer(bytes, (byte)((transit ? 0x80 : 0) | (csg << 2) | (transit ? nsg : 0)), csg);
            SendLoginPart(request);
        }

        /// <summary>Sends the next part of the pending login answer: C=1 while more follows, the real T/NSG on the last one.</summary>
        void SendLoginPart(IscsiPdu request)
        {
            var pending = _pendingLogin;
            var part = pending.Next(LoginSegmentLength);
            var last = pending.Done;
            var response = new IscsiPdu(IscsiOpcode.LoginResponse, last ? pending.FinalFlags : (byte)(FlagContinue | (pending.Stage << 2)));
            response.Header[2] = 0x00; // Version-max
            response.Header[3] = 0x00; // Version-active
            Buffer.BlockCopy(_isid, 0, response.Header, 8, 6);
            var transit = last && (pending.FinalFlags & 0x80) != 0;
            var nsg = pending.FinalFlags & 0x03;
            var finished = transit && nsg == (int)Stage.FullFeature;
            if (finished) _tsih = _target.NextTsih();
            BigEndian.Put16(response.Header, 14, _tsih);
            response.InitiatorTaskTag = request.InitiatorTaskTag;
            response.Data = part;
            Send(response, StatSnUse.Advance);
            if (!last) return;

            _pendingLogin = null;
            if (transit) _stage = (Stage)nsg;
            if (finished)
                Log("logged in: " + Shorten(_parameters.InitiatorName) + (_chap != null ? " (CHAP user " + Shorten(_chap.User) + ")" : "") +
                    (_parameters.IsDiscovery ? " (discovery)" : " → " + _target.TargetName) +
                    ", MaxRecvDataSegmentLength " + _parameters.InitiatorMaxRecvDataSegmentLength + "/" + _parameters.TargetMaxRecvDataSegmentLength +
                    ", ImmediateData " + _parameters.ImmediateData + ", InitialR2T " + _parameters.InitialR2T);
        }

        Exception Refuse(IscsiPdu request, IscsiLoginStatus status, string message)
        {
            var response = new IscsiPdu(IscsiOpcode.LoginResponse, (byte)(request.Flags & 0x0C));
            Buffer.BlockCopy(request.Header, 8, response.Header, 8, 6);
            response.InitiatorTaskTag = request.InitiatorTaskTag;
            BigEndian.Put16(response.Header, 36, (int)status);
            TrySend(response, StatSnUse.Advance);
            return new IscsiLoginException(status, message);
        }

        static string Shorten(string s) => s == null ? "" : s.Length > 80 ? s.Substring(0, 80) + "…" : s;

        /// <summary>A login or text answer being sent in parts of at most what the initiator can receive.</summary>
        sealed class TextAnswer
        {
            readonly byte[] _bytes;
            int _sent;
            public TextAnswer(byte[] bytes, byte finalFlags, int stage) { _bytes = bytes; FinalFlags = finalFlags; Stage = stage; }
            public byte FinalFlags { get; }
            public int Stage { get; }
            public uint Ttt { get; set; } = IscsiPdu.ReservedTag;
            public bool Done => _sent >= _bytes.Length;
            public byte[] Next(int limit)
            {
                var length = Math.Min(limit, _bytes.Length - _sent);
                var part = new byte[length];
                Buffer.BlockCopy(_bytes, _sent, part, 0, length);
                _sent += length;
                return part;
            }
        }

        // ---- Full feature phase ------------------------------------------------------------------------------------

        /// <summary>
        /// RFC 7143 §4.2.2.1: a non-immediate PDU must carry a CmdSN inside [ExpCmdSN, MaxCmdSN]; one outside is ignored
        /// (false), whatever it asks for. An accepted one advances ExpCmdSN (gaps are tolerated: one connection, TCP order);
        /// a SCSI command also takes a place in the window until it is answered, in the same step so that no answer in
        /// between advertises a MaxCmdSN one too high.
        /// </summary>
        bool AcceptCmdSn(IscsiPdu pdu, bool occupiesWindow = false)
        {
            if (pdu.Immediate) return true;
            var cmdSn = pdu.Get32(24);
            lock (_writeLock)
            {
                if ((int)(cmdSn - _expCmdSn) >= 0 && (int)(cmdSn - MaxCmdSn()) <= 0)
                {
                    _expCmdSn = cmdSn + 1;
                    if (occupiesWindow) Interlocked.Increment(ref _windowUsed);
                    return true;
                }
            }
            if (_ignoredCommands++ == 0)
                Log(pdu.Opcode + " with CmdSN " + cmdSn + " is outside the window " + _expCmdSn + ".." + MaxCmdSn() + ": ignored (RFC 7143 §4.2.2.1); further ones are only counted");
            return false;
        }

        /// <summary>ExpCmdSN − 1 + the free places in the window: the window closes while commands are waiting or running.</summary>
        uint MaxCmdSn() => _expCmdSn + (uint)(Math.Max(1, _options.CommandWindow) - Volatile.Read(ref _windowUsed)) - 1;


        void HandleNopOut(IscsiPdu request)
        {
            // RFC 7143 §11.18: ITT 0xFFFFFFFF = no answer wanted; otherwise a NOP-In echoes the ping data.
            if (request.InitiatorTaskTag == IscsiPdu.ReservedTag) return;
            var reply = new IscsiPdu(IscsiOpcode.NopIn, FlagFinal);
            Buffer.BlockCopy(request.Header, 8, reply.Header, 8, 8);
            reply.InitiatorTaskTag = request.InitiatorTaskTag;
            reply.Put32(20, IscsiPdu.ReservedTag);
            var echo = request.Data.Length <= _parameters.InitiatorMaxRecvDataSegmentLength ? request.Data : request.Data.Take(_parameters.InitiatorMaxRecvDataSegmentLength).ToArray();
            reply.Data = echo;
            Send(reply, StatSnUse.Advance);
        }

        void HandleText(IscsiPdu request)
        {
            if ((request.Flags & FlagContinue) != 0) throw new IscsiProtocolException(request, IscsiRejectReason.ProtocolError, "text continuation (C bit) in a request is not supported");
            var ttt = request.Get32(20);
            if (ttt != IscsiPdu.ReservedTag)
            {
                // RFC 7143 §11.10.4: an empty request with the TTT of a Continue answer asks for its next part.
                if (_pendingText == null || ttt != _pendingText.Ttt) throw new IscsiProtocolException(request, IscsiRejectReason.InvalidPduField, "Text Request with an unknown Target Transfer Tag");
                if (request.Data.Length > 0) throw new IscsiProtocolException(request, IscsiRejectReason.ProtocolError, "new keys while the rest of a text answer was pending");
                SendTextPart(request);
                return;
            }
            _pendingText = null; // a request with the reserved TTT starts over
            var answer = new List<KeyValuePair<string, string>>();
            foreach (var p in IscsiText.Parse(request.Data))
            {
                if (p.Key == "SendTargets")
                {
                    // RFC 7143 §13.3 / appendix C: All, or the name of this target, lists it with its portal and group tag 1.
                    if (p.Value == "All" || p.Value.Length == 0 || string.Equals(p.Value, _target.TargetName, StringComparison.OrdinalIgnoreCase))
                    {
                        answer.Add(new KeyValuePair<string, string>("TargetName", _target.TargetName));
                        var local = (IPEndPoint)_client.Client.LocalEndPoint;
                        answer.Add(new KeyValuePair<string, string>("TargetAddress", IscsiTarget.FormatPortal(local) + ",1"));
                    }
                }
                else answer.Add(new KeyValuePair<string, string>(p.Key, "NotUnderstood"));
            }
            var bytes = IscsiText.Format(answer);
            if (bytes.Length > MaxTextAnswer) throw new IscsiProtocolException(request, IscsiRejectReason.ProtocolError, "the answer to this text request would take " + bytes.Length + " bytes");
            uint continueTag;
            lock (_taskLock) continueTag = NextTtt(); // R2Ts take their tags from the same counter on the worker thread
            _pendingText = new TextAnswer(bytes, FlagFinal, 0) { Ttt = continueTag };
            SendTextPart(request);
        }

        /// <summary>The next part of the pending text answer: C=1 and a TTT while more follows, F=1 and the reserved TTT on the last.</summary>
        void SendTextPart(IscsiPdu request)
        {
            var pending = _pendingText;
            var part = pending.Next(_parameters.InitiatorMaxRecvDataSegmentLength);
            var last = pending.Done;
            var response = new IscsiPdu(IscsiOpcode.TextResponse, last ? FlagFinal : FlagContinue);
            Buffer.BlockCopy(request.Header, 8, response.Header, 8, 8);
            response.InitiatorTaskTag = request.InitiatorTaskTag;
            response.Put32(20, last ? IscsiPdu.ReservedTag : pending.Ttt);
            response.Data = part;
            if (last) _pendingText = null;
            Send(response, StatSnUse.Advance);
        }

        /// <summary>The next Target Transfer Tag (never the reserved one). Under _taskLock.</summary>
        uint NextTtt()
        {
            var ttt = _nextTtt++;
            if (_nextTtt == IscsiPdu.ReservedTag) _nextTtt = 1;
            return ttt;
        }

        void HandleLogout(IscsiPdu request)
        {
            // RFC 7143 §11.14/§11.15: answer success, Time2Wait/Time2Retain 0 (ERL 0), then close.
            AbortAll();
            var response = new IscsiPdu(IscsiOpcode.LogoutResponse, FlagFinal);
            response.InitiatorTaskTag = request.InitiatorTaskTag;
            Send(response, StatSnUse.Advance);
            Log("logout (reason " + (request.Flags & 0x7F) + ")");
        }

        bool HandleTaskManagement(IscsiPdu request)
        {
            // RFC 7143 §11.5/§11.6. Responses: 0 function complete, 4 reassignment not supported, 5 not supported, 255 rejected.
            var function = request.Flags & 0x7F;
            byte result = 0;
            var close = false;
            switch (function)
            {
                case 1: // ABORT TASK: a command the drive never answered is dropped here, so the initiator can move on.
                    var referenced = request.Get32(20);
                    Abort(referenced);
                    Log("ABORT TASK for ITT 0x" + referenced.ToString("X8"));
                    break;
                case 2: case 4: case 5: case 6: // ABORT TASK SET, CLEAR TASK SET, LOGICAL UNIT RESET, TARGET WARM RESET
                    AbortAll();
                    Log("task management function " + function + ": all tasks dropped");
                    break;
                case 7: // TARGET COLD RESET: answer, then drop the connection (RFC 7143 §11.5.1)
                    AbortAll();
                    close = true;
                    break;
                case 3: result = 5; break; // CLEAR ACA: no ACA support
                case 8: result = 4; break; // TASK REASSIGN: ERL 0
                default: result = 255; break;
            }
            var response = new IscsiPdu(IscsiOpcode.TaskManagementResponse, FlagFinal);
            response.Header[2] = result;
            response.InitiatorTaskTag = request.InitiatorTaskTag;
            Send(response, StatSnUse.Advance);
            return !close;
        }

        // ---- SCSI commands and their data phases (RFC 7143 §11.3, §11.4, §11.7, §11.8) ------------------------------

        sealed class ScsiTask
        {
            public uint Itt;
            public int Lun;
            public byte[] Cdb;
            public bool Read, Write, Immediate;
            public int ExpectedLength;
            /// <summary>Write data as it arrived: the PDUs' own data segments, nothing allocated ahead of them.</summary>
            public List<byte[]> Chunks = new List<byte[]>();
            /// <summary>Bytes of this task counted in the connection's and the target's buffers.</summary>
            public long Buffered;
            public int Received;
            public bool Discard;
            public SenseData Refusal;
            public bool Unsolicited;     // waiting for unsolicited Data-Out (TTT 0xFFFFFFFF)
            public int UnsolicitedLimit; // FirstBurstLength
            /// <summary>Its turn has come: the worker waits for it, so R2Ts may ask for its data.</summary>
            public bool Solicit;
            public uint Ttt = IscsiPdu.ReservedTag;
            public int BurstEnd;
            public uint R2tSn;
            public readonly ManualResetEventSlim DataReady = new ManualResetEventSlim(false);
            public volatile bool Aborted;
        }

        void HandleScsiCommand(IscsiPdu pdu)
        {
            var itt = pdu.InitiatorTaskTag;
            if (pdu.Immediate)
            {
                // Immediate commands stand outside the window; at most one window's worth more may wait (RFC 7143 §11.17.1 reason 6).
                int open;
                lock (_taskLock) open = _tasks.Count;
                if (open >= 2 * _options.CommandWindow)
                {
                    Send(Reject(pdu, IscsiRejectReason.ImmediateCommandReject), StatSnUse.Advance);
                    return;
                }
            }
            else if (!AcceptCmdSn(pdu, occupiesWindow: true))
            {
                lock (_taskLock) Drop(itt);
                return;
            }

            var flags = pdu.Flags;
            var task = new ScsiTask
            {
                Itt = itt,
                Lun = pdu.Lun,
                Read = (flags & 0x40) != 0,
                Write = (flags & 0x20) != 0,
                Immediate = pdu.Immediate,
                ExpectedLength = (int)Math.Min(pdu.Get32(20), int.MaxValue),
            };
            var field = new byte[16];
            Buffer.BlockCopy(pdu.Header, 32, field, 0, 16);
            task.Cdb = IscsiCommandMapping.TrimCdb(field);
            if (task.ExpectedLength > _options.MaxTransferLength)
            {
                task.Refusal = new SenseData(SenseTexts.IllegalRequest, 0x24, 0x00);
                Log("refusing a " + task.ExpectedLength + "-byte data phase (limit " + _options.MaxTransferLength + ")");
            }

            IscsiPdu r2t;
            lock (_taskLock)
            {
                if (_tasks.ContainsKey(itt))
                {
                    if (!task.Immediate) Interlocked.Decrement(ref _windowUsed);
                    throw new IscsiProtocolException(pdu, IscsiRejectReason.ProtocolError, "ITT 0x" + itt.ToString("X8") + " is already in use");
                }
                _tasks[itt] = task;

                if (task.Write)
                {
                    if (task.Read) task.Refusal = new SenseData(SenseTexts.IllegalRequest, 0x24, 0x00); // bidirectional: not supported
                    task.Discard = task.Refusal != null;
                    if (task.Discard) Drop(itt); // its unsolicited data may still come after the answer
                    if (pdu.Data.Length > 0)
                    {
                        if (!_parameters.ImmediateData) throw new IscsiProtocolException(pdu, IscsiRejectReason.ProtocolError, "immediate data although ImmediateData=No");
                        AcceptData(pdu, task, 0, pdu.Data, Math.Min(task.ExpectedLength, _parameters.FirstBurstLength));
                    }
                    task.UnsolicitedLimit = Math.Min(task.ExpectedLength, _parameters.FirstBurstLength);
                    if (!pdu.Final)
                    {
                        if (_parameters.InitialR2T) throw new IscsiProtocolException(pdu, IscsiRejectReason.ProtocolError, "unsolicited data announced although InitialR2T=Yes");
                        task.Unsolicited = true;
                    }
                }
                else if (pdu.Data.Length > 0) throw new IscsiProtocolException(pdu, IscsiRejectReason.ProtocolError, "data with a command that has no W bit");
                r2t = NextStep(task);
            }
            if (r2t != null) Send(r2t, StatSnUse.Current);

            EnsureWorker();
            try { _queue.Add(task); }
            catch (InvalidOperationException) { /* closing */ }
        }

        void HandleDataOut(IscsiPdu pdu)
        {
            IscsiPdu r2t = null;
            lock (_taskLock)
            {
                var itt = pdu.InitiatorTaskTag;
                _tasks.TryGetValue(itt, out var task);
                // A task dropped by ABORT TASK, ignored or refused may still have data in flight; anything else is a protocol error.
                if (task == null && _dropped.Contains(itt)) return;
                if (task != null && task.Discard) return;
                if (task == null || !task.Write || task.DataReady.IsSet)
                    throw new IscsiProtocolException(pdu, IscsiRejectReason.ProtocolError, "Data-Out for ITT 0x" + itt.ToString("X8") + " that expects no data");
                var ttt = pdu.Get32(20);
                var offset = (long)pdu.Get32(40);
                if (ttt == IscsiPdu.ReservedTag)
                {
                    if (!task.Unsolicited) throw new IscsiProtocolException(pdu, IscsiRejectReason.ProtocolError, "unsolicited Data-Out that was not announced");
                    AcceptData(pdu, task, offset, pdu.Data, task.UnsolicitedLimit);
                    if (pdu.Final) { task.Unsolicited = false; r2t = NextStep(task); }
                }
                else
                {
                    if (ttt != task.Ttt) throw new IscsiProtocolException(pdu, IscsiRejectReason.InvalidPduField, "Data-Out with an unknown Target Transfer Tag");
                    AcceptData(pdu, task, offset, pdu.Data, task.BurstEnd);
                    Volatile.Write(ref _r2tSentAt, _target.NowMs); // the burst is moving
                    if (pdu.Final)
                    {
                        if (task.Received != task.BurstEnd) throw new IscsiProtocolException(pdu, IscsiRejectReason.ProtocolError, "the R2T burst ended early");
                        task.Ttt = IscsiPdu.ReservedTag;
                        Volatile.Write(ref _r2tSentAt, 0);
                        r2t = NextStep(task);
                    }
                }
            }
            if (r2t != null) Send(r2t, StatSnUse.Current);
        }

        /// <summary>
        /// DataPDUInOrder/DataSequenceInOrder=Yes: each segment must continue exactly where the last one ended. The
        /// segment itself is kept (no copy, nothing allocated ahead) and counted against the buffers. Under _taskLock.
        /// </summary>
        void AcceptData(IscsiPdu pdu, ScsiTask task, long offset, byte[] data, int limit)
        {
            if (offset != task.Received) throw new IscsiProtocolException(pdu, IscsiRejectReason.InvalidPduField, "data at offset " + offset + ", expected " + task.Received);
            if (task.Received + (long)data.Length > limit) throw new IscsiProtocolException(pdu, IscsiRejectReason.ProtocolError, "more data than allowed (" + (task.Received + (long)data.Length) + " > " + limit + ")");
            if (!task.Discard && data.Length > 0)
            {
                task.Chunks.Add(data);
                Count(task, data.Length);
            }
            task.Received += data.Length;
        }

        /// <summary>
        /// What the task needs next, under _taskLock: its data is complete (DataReady), or, once it is its turn and no
        /// unsolicited data is still coming, an R2T for the next burst (MaxOutstandingR2T=1, at most MaxBurstLength).
        /// Only the command the worker waits for is asked for data, so the connection holds one command's data at a time.
        /// </summary>
        IscsiPdu NextStep(ScsiTask task)
        {
            if (task.Aborted) return null;
            if (task.Discard || !task.Write || task.Received >= task.ExpectedLength) { task.DataReady.Set(); return null; }
            if (task.Unsolicited || !task.Solicit || task.Ttt != IscsiPdu.ReservedTag) return null;
            var length = Math.Min(_parameters.MaxBurstLength, task.ExpectedLength - task.Received);
            task.Ttt = NextTtt();
            task.BurstEnd = task.Received + length;
            var r2t = new IscsiPdu(IscsiOpcode.ReadyToTransfer, FlagFinal) { Lun = task.Lun };
            r2t.InitiatorTaskTag = task.Itt;
            r2t.Put32(20, task.Ttt);
            r2t.Put32(36, task.R2tSn++);
            r2t.Put32(40, (uint)task.Received);
            r2t.Put32(44, (uint)length);
            Volatile.Write(ref _r2tSentAt, _target.NowMs);
            return r2t;
        }

        /// <summary>The write data in one buffer for the drive; the chunks are let go. Under _taskLock.</summary>
        byte[] Assemble(ScsiTask task)
        {
            if (task.Chunks.Count == 1 && task.Chunks[0].Length == task.ExpectedLength) return task.Chunks[0];
            var data = new byte[task.ExpectedLength];
            Count(task, data.Length);
            var at = 0;
            foreach (var chunk in task.Chunks)
            {
                Buffer.BlockCopy(chunk, 0, data, at, chunk.Length);
                at += chunk.Length;
                Count(task, -chunk.Length);
            }
            task.Chunks = new List<byte[]> { data };
            return data;
        }

        void Count(ScsiTask task, long bytes)
        {
            task.Buffered += bytes;
            Interlocked.Add(ref _buffered, bytes);
            _target.AddBuffered(bytes);
        }

        /// <summary>Lets go of a task's data. Under _taskLock.</summary>
        void Release(ScsiTask task)
        {
            if (task.Buffered != 0) Count(task, -task.Buffered);
            task.Chunks = null;
        }

        /// <summary>Removes an answered or aborted task, freeing its window place and its data; false if it was gone. Under _taskLock.</summary>
        bool Retire(ScsiTask task)
        {
            if (!_tasks.TryGetValue(task.Itt, out var current) || current != task) return false;
            _tasks.Remove(task.Itt);
            if (!task.Immediate) Interlocked.Decrement(ref _windowUsed);
            if (task.Ttt != IscsiPdu.ReservedTag) Volatile.Write(ref _r2tSentAt, 0);
            Release(task);
            return true;
        }

        void Drop(uint itt)
        {
            if (_dropped.Count >= 1024) _dropped.Clear();
            _dropped.Add(itt);
        }

        void Abort(uint itt)
        {
            lock (_taskLock)
            {
                if (_tasks.TryGetValue(itt, out var task))
                {
                    task.Aborted = true;
                    Retire(task);
                    task.DataReady.Set();
                    Drop(itt);
                }
            }
        }

        void AbortAll()
        {
            uint[] all;
            lock (_taskLock) all = _tasks.Keys.ToArray();
            foreach (var itt in all) Abort(itt);
        }

        void EnsureWorker()
        {
            if (_worker != null) return;
            _worker = new Thread(WorkerLoop) { IsBackground = true, Name = "iscsi-worker " + Id };
            _worker.Start();
        }

        void WorkerLoop()
        {
            try
            {
                foreach (var task in _queue.GetConsumingEnumerable(_closing.Token))
                {
                    IscsiPdu r2t;
                    lock (_taskLock)
                    {
                        if (task.Aborted) continue;
                        task.Solicit = true; // its turn: now its data may be asked for
                        r2t = NextStep(task);
                    }
                    if (r2t != null) Send(r2t, StatSnUse.Current);
                    task.DataReady.Wait(_closing.Token);
                    byte[] outData = null;
                    lock (_taskLock)
                    {
                        if (task.Aborted) continue;
                        if (task.Write && !task.Discard && task.ExpectedLength > 0) outData = Assemble(task);
                    }
                    Volatile.Write(ref _executingSince, _target.NowMs);
                    ScsiResponse response;
                    try { response = Execute(task, outData); }
                    finally
                    {
                        // The drive's answer is progress too: the next queued command does not start from an idle clock.
                        Volatile.Write(ref _lastProgressAt, _target.NowMs);
                        Volatile.Write(ref _executingSince, 0);
                    }
                    lock (_taskLock)
                    {
                        if (!Retire(task)) continue; // aborted while the drive had it
                    }
                    SendScsiResult(task, response);
                }
            }
            catch (OperationCanceledException) { }
            catch (ObjectDisposedException) { }
            catch (IOException) { Close(); }
            catch (SocketException) { Close(); }
        }

        /// <summary>Runs one command on the drive and returns what to answer.</summary>
        ScsiResponse Execute(ScsiTask task, byte[] outData)
        {
            var cdb = task.Cdb;
            if (task.Lun != _options.Lun)
            {
                // SPC: INQUIRY to an absent LUN answers qualifier 3; anything else is 5/25/00 (logical unit not supported).
                if (cdb[0] == Cdb.InquiryOpcode && task.Read) return ScsiResponse.Good(IscsiCommandMapping.UnsupportedLunInquiry(task.ExpectedLength));
                return ScsiResponse.Check(SenseTexts.IllegalRequest, 0x25, 0x00);
            }
            if (task.Refusal != null) return ScsiResponse.Check(task.Refusal);

            ScsiRequest request;
            if (task.Write && task.ExpectedLength > 0) request = ScsiRequest.Write(cdb, outData, _options.CommandTimeout);
            else if (task.Read && task.ExpectedLength > 0) request = ScsiRequest.Read(cdb, task.ExpectedLength, _options.CommandTimeout);
            else request = ScsiRequest.NoData(cdb, _options.CommandTimeout);

            ScsiResponse response;
            try
            {
                lock (_target.DriveLock) response = _target.Drive.Execute(request);
            }
            catch (ScsiTimeoutException)
            {
                // The drive gave up after CommandTimeout. Answer only now, and with an error: an initiator whose own
                // timer already fired is waiting in its abort, and QEMU cannot cancel an iSCSI pass-through command
                // (its ABORT TASK never reaches the target), so the guest's SG_IO completes with DID_TIME_OUT when this
                // answer arrives. Leaving the command unanswered would hang the guest for good. Keep CommandTimeout
                // above the initiator's timeouts so the initiator sees a timeout rather than this sense.
                Log(request.Name + " [" + Hex.Format(cdb) + "]: the drive did not answer within " + _options.CommandTimeout.TotalSeconds +
                    " s; answering ITT 0x" + task.Itt.ToString("X8") + " with 4/44/00 now");
                return ScsiResponse.Check(SenseTexts.HardwareError, 0x44, 0x00);
            }
            catch (DriveBusyException ex)
            {
                Log(request.Name + ": " + ex.Message);
                return ScsiResponse.Busy();
            }
            catch (Exception ex)
            {
                // Anything else (drive gone, access denied, emulator bug) must not crash the target: HARDWARE ERROR,
                // INTERNAL TARGET FAILURE (4/44/00, docs/reference/drive-protocols.md §4.6).
                Log(request.Name + " [" + Hex.Format(cdb) + "] failed in the drive: " + ex.Message);
                return ScsiResponse.Check(SenseTexts.HardwareError, 0x44, 0x00);
            }
            if (response == null) return ScsiResponse.Check(SenseTexts.HardwareError, 0x44, 0x00);

            if (_options.AttachCompatibility) response = AttachCompatibility(cdb, task, response);
            return response;
        }

        ScsiResponse AttachCompatibility(byte[] cdb, ScsiTask task, ScsiResponse response)
        {
            if (IscsiCommandMapping.IsSupportedVpdPagesInquiry(cdb) && response.Status == ScsiStatus.CheckCondition)
            {
                Log("INQUIRY VPD 00h refused by the drive; answering a page list with page 00h only (QEMU needs it to attach)");
                return ScsiResponse.Good(IscsiCommandMapping.MinimalSupportedVpdPages(0x05, task.ExpectedLength));
            }
            if (cdb[0] == Cdb.ReadCapacityOpcode && _attachCapacityPending)
            {
                var sense = response.Sense;
                if (response.Status == ScsiStatus.CheckCondition && sense != null && sense.Key == SenseTexts.UnitAttention) return response; // QEMU retries
                _attachCapacityPending = false;
                if (response.Status == ScsiStatus.CheckCondition && sense != null && sense.Key == SenseTexts.NotReady)
                {
                    Log("first READ CAPACITY answered " + sense.Triple + " (no disc); answering 'blank disc, 2048-byte blocks' once so QEMU attaches");
                    return ScsiResponse.Good(IscsiCommandMapping.BlankDiscCapacity());
                }
            }
            return response;
        }

        void SendScsiResult(ScsiTask task, ScsiResponse response)
        {
            var data = task.Read ? response.Data : Array.Empty<byte>();
            var expected = task.ExpectedLength;
            var overflow = 0;
            if (data.Length > expected) { overflow = data.Length - expected; data = data.Take(expected).ToArray(); }
            var underflow = task.Read ? expected - data.Length : 0;
            var residualFlags = (byte)(overflow > 0 ? 0x04 : underflow > 0 ? 0x02 : 0);
            var residual = (uint)(overflow > 0 ? overflow : underflow);
            var good = response.Status == ScsiStatus.Good;

            // Data-In PDUs of at most the initiator's MaxRecvDataSegmentLength. Status rides in the last one only for
            // GOOD: sense data needs a SCSI Response PDU (RFC 7143 §11.7.4 / §11.4.7).
            uint dataSn = 0;
            var segment = _parameters.InitiatorMaxRecvDataSegmentLength;
            for (var offset = 0; offset < data.Length; offset += segment)
            {
                var length = Math.Min(segment, data.Length - offset);
                var last = offset + length >= data.Length;
                var withStatus = last && good;
                var pdu = new IscsiPdu(IscsiOpcode.DataIn, (byte)((last ? 0x80 : 0) | (withStatus ? 0x01 | residualFlags : 0))) { Lun = task.Lun };
                if (withStatus) pdu.Header[3] = response.Status;
                pdu.InitiatorTaskTag = task.Itt;
                pdu.Put32(20, IscsiPdu.ReservedTag);
                pdu.Put32(36, dataSn++);
                pdu.Put32(40, (uint)offset);
                if (withStatus) pdu.Put32(44, residual);
                var chunk = new byte[length];
                Buffer.BlockCopy(data, offset, chunk, 0, length);
                pdu.Data = chunk;
                Send(pdu, withStatus ? StatSnUse.Advance : StatSnUse.None);
                if (withStatus) return;
            }

            var result = new IscsiPdu(IscsiOpcode.ScsiResponse, (byte)(0x80 | residualFlags));
            result.Header[2] = 0x00; // "command completed at target"
            result.Header[3] = response.Status;
            result.InitiatorTaskTag = task.Itt;
            result.Put32(36, dataSn + task.R2tSn); // ExpDataSN: Data-In and R2T PDUs sent for this command
            result.Put32(44, residual);
            if (response.SenseBytes != null)
            {
                // RFC 7143 §11.4.7.2: SenseLength (2 bytes) then the sense data.
                var sense = new byte[2 + response.SenseBytes.Length];
                BigEndian.Put16(sense, 0, response.SenseBytes.Length);
                Buffer.BlockCopy(response.SenseBytes, 0, sense, 2, response.SenseBytes.Length);
                result.Data = sense;
            }
            Send(result, StatSnUse.Advance);
        }

        // ---- Sending ---------------------------------------------------------------------------------------------------

        /// <summary>
        /// Fills StatSN/ExpCmdSN/MaxCmdSN (bytes 24/28/32 in every target PDU that has them) and writes the PDU. The
        /// watchdog ends the connection when one write takes longer than SendTimeout.
        /// </summary>
        void Send(IscsiPdu pdu, StatSnUse statSn)
        {
            lock (_writeLock)
            {
                if (statSn != StatSnUse.None) pdu.Put32(24, _statSn);
                if (statSn == StatSnUse.Advance) _statSn++;
                pdu.Put32(28, _expCmdSn);
                pdu.Put32(32, MaxCmdSn());
                Volatile.Write(ref _sendStartedAt, _target.NowMs);
                try { pdu.WriteTo(_stream); }
                finally { Volatile.Write(ref _sendStartedAt, 0); }
            }
        }

        void TrySend(IscsiPdu pdu, StatSnUse statSn = StatSnUse.Advance)
        {
            try { Send(pdu, statSn); }
            catch (IOException) { }
            catch (SocketException) { }
            catch (ObjectDisposedException) { }
        }

        /// <summary>RFC 7143 §11.17: a Reject carries the rejected PDU's header as its data.</summary>
        static IscsiPdu Reject(IscsiPdu rejected, IscsiRejectReason reason)
        {
            var reject = new IscsiPdu(IscsiOpcode.Reject, FlagFinal);
            reject.Header[2] = (byte)reason;
            reject.InitiatorTaskTag = IscsiPdu.ReservedTag;
            reject.Data = (byte[])rejected.Header.Clone();
            return reject;
        }

        void Log(string message) => _target.Log("#" + Id + " " + message);
    }
}
