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

namespace MtkFlash.Core.Iscsi
{
    /// <summary>
    /// One TCP connection (one session: MaxConnections=1). The reading thread handles login, text, NOP, task management,
    /// logout and the data-out phase; a worker thread runs SCSI commands in arrival order, so NOP-Outs and ABORT TASK
    /// are still answered while the drive is busy with (or stuck in) a command.
    /// </summary>
    sealed class IscsiConnection
    {
        enum Stage { Security = 0, Operational = 1, FullFeature = 3 }
        enum StatSnUse { None, Current, Advance }

        const byte FlagFinal = 0x80;

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

        public IscsiConnection(IscsiTarget target, TcpClient client, int id)
        {
            _target = target;
            _options = target.Options;
            _client = client;
            _client.NoDelay = true;
            _stream = client.GetStream();
            _parameters = new IscsiSessionParameters(_options);
            Id = id;
            Remote = client.Client.RemoteEndPoint?.ToString() ?? "?";
        }

        public int Id { get; }
        public string Remote { get; }

        public void Run()
        {
            Log("connection from " + Remote);
            var reason = "closed by the initiator";
            try
            {
                while (!_closing.IsCancellationRequested)
                {
                    _stream.ReadTimeout = Millis(_stage == Stage.FullFeature ? _options.IdleTimeout : _options.PduTimeout);
                    var limit = _stage == Stage.FullFeature ? _parameters.TargetMaxRecvDataSegmentLength : Math.Max(8192, _parameters.TargetMaxRecvDataSegmentLength);
                    var pdu = IscsiPdu.ReadFrom(_stream, limit, () => _stream.ReadTimeout = Millis(_options.PduTimeout));
                    if (pdu == null) break;
                    if (!Handle(pdu)) { reason = "logged out"; break; }
                }
            }
            catch (IscsiLoginException ex) { reason = "login refused: " + ex.Message; }
            catch (IscsiProtocolException ex)
            {
                reason = "protocol error: " + ex.Message;
                if (ex.Pdu != null) TrySend(Reject(ex.Pdu, ex.Reason));
            }
            catch (FormatException ex) { reason = "protocol error: " + ex.Message; }
            catch (IOException ex) { reason = ex.InnerException is SocketException se && se.SocketErrorCode == SocketError.TimedOut ? "read timeout" : "I/O: " + ex.Message; }
            catch (SocketException ex) { reason = "socket: " + ex.Message; }
            catch (ObjectDisposedException) { reason = "closed"; }
            catch (Exception ex) { reason = "internal error: " + ex.GetType().Name + ": " + ex.Message; }
            finally
            {
                Log("connection closed (" + reason + ")");
                Close();
            }
        }

        public void Close()
        {
            if (_closing.IsCancellationRequested) return;
            try { _closing.Cancel(); } catch (ObjectDisposedException) { }
            _queue.CompleteAdding();
            try { _client.Close(); } catch (Exception) { }
        }

        /// <summary>Handles one PDU; false ends the connection normally (logout).</summary>
        bool Handle(IscsiPdu pdu)
        {
            if (_stage != Stage.FullFeature)
            {
                if (pdu.Opcode != IscsiOpcode.LoginRequest)
                    throw Refuse(pdu, IscsiLoginStatus.InvalidDuringLogin, pdu.Opcode + " before the login finished");
                HandleLogin(pdu);
                return true;
            }

            switch (pdu.Opcode)
            {
                case IscsiOpcode.NopOut: AdvanceCmdSn(pdu); HandleNopOut(pdu); return true;
                case IscsiOpcode.TextRequest: AdvanceCmdSn(pdu); HandleText(pdu); return true;
                case IscsiOpcode.ScsiCommand:
                    if (_parameters.IsDiscovery) throw new IscsiProtocolException(pdu, IscsiRejectReason.CommandNotSupported, "SCSI command in a discovery session");
                    AdvanceCmdSn(pdu);
                    HandleScsiCommand(pdu);
                    return true;
                case IscsiOpcode.DataOut: HandleDataOut(pdu); return true;
                case IscsiOpcode.TaskManagementRequest: AdvanceCmdSn(pdu); return HandleTaskManagement(pdu);
                case IscsiOpcode.LogoutRequest: AdvanceCmdSn(pdu); HandleLogout(pdu); return false;
                case IscsiOpcode.LoginRequest:
                    throw new IscsiProtocolException(pdu, IscsiRejectReason.ProtocolError, "login request after the login finished");
                default:
                    throw new IscsiProtocolException(pdu, IscsiRejectReason.CommandNotSupported, "opcode 0x" + ((byte)pdu.Opcode).ToString("X2") + " is not supported");
            }
        }

        // ---- Login (RFC 7143 §6.3, §11.12, §11.13) -----------------------------------------------------------------

        void HandleLogin(IscsiPdu request)
        {
            var flags = request.Flags;
            var transit = (flags & 0x80) != 0;
            var csg = (flags >> 2) & 0x03;
            var nsg = flags & 0x03;
            if ((flags & 0x40) != 0) throw Refuse(request, IscsiLoginStatus.InitiatorError, "text continuation (C bit) is not supported");
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

            List<KeyValuePair<string, string>> answer;
            try { answer = _parameters.Negotiate(IscsiText.Parse(request.Data), securityStage: csg == 0); }
            catch (FormatException ex) { throw Refuse(request, IscsiLoginStatus.InitiatorError, ex.Message); }
            catch (IscsiLoginException ex) { throw Refuse(request, ex.Status, ex.Message); }

            if (!_targetNameChecked)
            {
                // RFC 7143 §13.5/§13.21: InitiatorName always, TargetName for a normal session, in the first login request.
                if (string.IsNullOrEmpty(_parameters.InitiatorName)) throw Refuse(request, IscsiLoginStatus.MissingParameter, "InitiatorName is missing");
                if (!_parameters.IsDiscovery)
                {
                    if (string.IsNullOrEmpty(_parameters.TargetName)) throw Refuse(request, IscsiLoginStatus.MissingParameter, "TargetName is missing");
                    if (!string.Equals(_parameters.TargetName, _target.TargetName, StringComparison.OrdinalIgnoreCase))
                        throw Refuse(request, IscsiLoginStatus.TargetNotFound, "no target named " + _parameters.TargetName + " (this is " + _target.TargetName + ")");
                    // RFC 7143 §13.9: the first login response of a normal session carries TargetPortalGroupTag.
                    answer.Add(new KeyValuePair<string, string>("TargetPortalGroupTag", "1"));
                }
                _targetNameChecked = true;
            }

            var finished = transit && nsg == (int)Stage.FullFeature;
            if (finished) _tsih = _target.NextTsih();
            var response = new IscsiPdu(IscsiOpcode.LoginResponse, (byte)((transit ? 0x80 : 0) | (csg << 2) | (transit ? nsg : 0)));
            response.Header[2] = 0x00; // Version-max
            response.Header[3] = 0x00; // Version-active
            Buffer.BlockCopy(_isid, 0, response.Header, 8, 6);
            BigEndian.Put16(response.Header, 14, _tsih);
            response.InitiatorTaskTag = request.InitiatorTaskTag;
            response.Data = IscsiText.Format(answer);
            Send(response, StatSnUse.Advance);

            if (transit) _stage = (Stage)nsg;
            if (finished)
                Log("logged in: " + _parameters.InitiatorName + (_parameters.IsDiscovery ? " (discovery)" : " → " + _target.TargetName) +
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

        // ---- Full feature phase ------------------------------------------------------------------------------------

        /// <summary>A non-immediate command advances ExpCmdSN (RFC 7143 §4.2.2.1); duplicates and gaps are tolerated.</summary>
        void AdvanceCmdSn(IscsiPdu pdu)
        {
            if (pdu.Immediate) return;
            var cmdSn = pdu.Get32(24);
            lock (_writeLock)
            {
                if ((int)(cmdSn - _expCmdSn) >= 0) _expCmdSn = cmdSn + 1;
            }
        }

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
            if ((request.Flags & 0x40) != 0) throw new IscsiProtocolException(request, IscsiRejectReason.ProtocolError, "text continuation (C bit) is not supported");
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
            var response = new IscsiPdu(IscsiOpcode.TextResponse, FlagFinal);
            Buffer.BlockCopy(request.Header, 8, response.Header, 8, 8);
            response.InitiatorTaskTag = request.InitiatorTaskTag;
            response.Put32(20, IscsiPdu.ReservedTag);
            response.Data = IscsiText.Format(answer);
            Send(response, StatSnUse.Advance);
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
            public bool Read, Write;
            public int ExpectedLength;
            public byte[] OutData;
            public int Received;
            public bool Discard;
            public SenseData Refusal;
            public bool Unsolicited;     // waiting for unsolicited Data-Out (TTT 0xFFFFFFFF)
            public int UnsolicitedLimit; // FirstBurstLength
            public uint Ttt = IscsiPdu.ReservedTag;
            public int BurstEnd;
            public uint R2tSn;
            public readonly ManualResetEventSlim DataReady = new ManualResetEventSlim(false);
            public volatile bool Aborted;
        }

        void HandleScsiCommand(IscsiPdu pdu)
        {
            var flags = pdu.Flags;
            var task = new ScsiTask
            {
                Itt = pdu.InitiatorTaskTag,
                Lun = pdu.Lun,
                Read = (flags & 0x40) != 0,
                Write = (flags & 0x20) != 0,
                ExpectedLength = (int)Math.Min(pdu.Get32(20), int.MaxValue),
            };
            var field = new byte[16];
            Buffer.BlockCopy(pdu.Header, 32, field, 0, 16);
            task.Cdb = IscsiCommandMapping.TrimCdb(field);

            lock (_taskLock)
            {
                if (_tasks.ContainsKey(task.Itt)) throw new IscsiProtocolException(pdu, IscsiRejectReason.ProtocolError, "ITT 0x" + task.Itt.ToString("X8") + " is already in use");
                _tasks[task.Itt] = task;
            }

            if (task.Write)
            {
                if (task.Read) task.Refusal = new SenseData(SenseTexts.IllegalRequest, 0x24, 0x00); // bidirectional: not supported
                if (task.ExpectedLength > _options.MaxTransferLength)
                {
                    task.Refusal = new SenseData(SenseTexts.IllegalRequest, 0x24, 0x00);
                    Log("refusing a " + task.ExpectedLength + "-byte write (limit " + _options.MaxTransferLength + ")");
                }
                task.Discard = task.Refusal != null;
                if (!task.Discard) task.OutData = new byte[task.ExpectedLength];
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
                else RequestMoreOrComplete(task);
            }
            else
            {
                if (pdu.Data.Length > 0) throw new IscsiProtocolException(pdu, IscsiRejectReason.ProtocolError, "data with a command that has no W bit");
                task.DataReady.Set();
            }

            EnsureWorker();
            try { _queue.Add(task); }
            catch (InvalidOperationException) { /* closing */ }
        }

        void HandleDataOut(IscsiPdu pdu)
        {
            ScsiTask task;
            lock (_taskLock) _tasks.TryGetValue(pdu.InitiatorTaskTag, out task);
            if (task == null || !task.Write || task.DataReady.IsSet)
            {
                // A task dropped by ABORT TASK may still have data in flight; anything else is a protocol error.
                if (task == null && _recentlyAborted.Contains(pdu.InitiatorTaskTag)) return;
                throw new IscsiProtocolException(pdu, IscsiRejectReason.ProtocolError, "Data-Out for ITT 0x" + pdu.InitiatorTaskTag.ToString("X8") + " that expects no data");
            }
            var ttt = pdu.Get32(20);
            var offset = (long)pdu.Get32(40);
            if (ttt == IscsiPdu.ReservedTag)
            {
                if (!task.Unsolicited) throw new IscsiProtocolException(pdu, IscsiRejectReason.ProtocolError, "unsolicited Data-Out that was not announced");
                AcceptData(pdu, task, offset, pdu.Data, task.UnsolicitedLimit);
                if (pdu.Final) { task.Unsolicited = false; RequestMoreOrComplete(task); }
            }
            else
            {
                if (ttt != task.Ttt) throw new IscsiProtocolException(pdu, IscsiRejectReason.InvalidPduField, "Data-Out with an unknown Target Transfer Tag");
                AcceptData(pdu, task, offset, pdu.Data, task.BurstEnd);
                if (pdu.Final)
                {
                    if (task.Received != task.BurstEnd) throw new IscsiProtocolException(pdu, IscsiRejectReason.ProtocolError, "the R2T burst ended early");
                    task.Ttt = IscsiPdu.ReservedTag;
                    RequestMoreOrComplete(task);
                }
            }
        }

        /// <summary>DataPDUInOrder/DataSequenceInOrder=Yes: each segment must continue exactly where the last one ended.</summary>
        void AcceptData(IscsiPdu pdu, ScsiTask task, long offset, byte[] data, int limit)
        {
            if (offset != task.Received) throw new IscsiProtocolException(pdu, IscsiRejectReason.InvalidPduField, "data at offset " + offset + ", expected " + task.Received);
            if (task.Received + (long)data.Length > limit) throw new IscsiProtocolException(pdu, IscsiRejectReason.ProtocolError, "more data than allowed (" + (task.Received + (long)data.Length) + " > " + limit + ")");
            if (!task.Discard) Buffer.BlockCopy(data, 0, task.OutData, task.Received, data.Length);
            task.Received += data.Length;
        }

        void RequestMoreOrComplete(ScsiTask task)
        {
            if (task.Discard || task.Received >= task.ExpectedLength) { task.DataReady.Set(); return; }
            // MaxOutstandingR2T=1: one R2T at a time, each for at most MaxBurstLength bytes.
            var length = Math.Min(_parameters.MaxBurstLength, task.ExpectedLength - task.Received);
            task.Ttt = _nextTtt++;
            if (_nextTtt == IscsiPdu.ReservedTag) _nextTtt = 1;
            task.BurstEnd = task.Received + length;
            var r2t = new IscsiPdu(IscsiOpcode.ReadyToTransfer, FlagFinal) { Lun = task.Lun };
            r2t.InitiatorTaskTag = task.Itt;
            r2t.Put32(20, task.Ttt);
            r2t.Put32(36, task.R2tSn++);
            r2t.Put32(40, (uint)task.Received);
            r2t.Put32(44, (uint)length);
            Send(r2t, StatSnUse.Current);
        }

        readonly HashSet<uint> _recentlyAborted = new HashSet<uint>();

        void Abort(uint itt)
        {
            lock (_taskLock)
            {
                if (_tasks.TryGetValue(itt, out var task))
                {
                    task.Aborted = true;
                    task.DataReady.Set();
                    _tasks.Remove(itt);
                    if (_recentlyAborted.Count > 1024) _recentlyAborted.Clear();
                    _recentlyAborted.Add(itt);
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
                    task.DataReady.Wait(_closing.Token);
                    if (task.Aborted) continue;
                    var response = Execute(task);
                    lock (_taskLock)
                    {
                        if (task.Aborted) continue;
                        _tasks.Remove(task.Itt);
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
        ScsiResponse Execute(ScsiTask task)
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
            if (task.Write && task.ExpectedLength > 0) request = ScsiRequest.Write(cdb, task.OutData, _options.CommandTimeout);
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
                // INTERNAL TARGET FAILURE (4/44/00, drive-protocols.md §4.6).
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

        /// <summary>Fills StatSN/ExpCmdSN/MaxCmdSN (bytes 24/28/32 in every target PDU that has them) and writes the PDU.</summary>
        void Send(IscsiPdu pdu, StatSnUse statSn)
        {
            lock (_writeLock)
            {
                if (statSn != StatSnUse.None) pdu.Put32(24, _statSn);
                if (statSn == StatSnUse.Advance) _statSn++;
                pdu.Put32(28, _expCmdSn);
                pdu.Put32(32, _expCmdSn + (uint)Math.Max(1, _options.CommandWindow) - 1);
                pdu.WriteTo(_stream);
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

        static int Millis(TimeSpan t) => t <= TimeSpan.Zero ? Timeout.Infinite : (int)Math.Min(int.MaxValue, t.TotalMilliseconds);
    }
}
