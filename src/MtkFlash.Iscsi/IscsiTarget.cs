using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using MtkFlash.Core.Transports;

namespace MtkFlash.Iscsi
{
    /// <summary>Settings of one <see cref="IscsiTarget"/>. Defaults suit QEMU's libiscsi initiator and the OS initiators.</summary>
    public sealed class IscsiTargetOptions
    {
        /// <summary>
        /// Where to listen. Loopback by default: a virtual drive is not meant for the network. Any other address needs
        /// <see cref="Chap"/>; the target refuses to start without it.
        /// </summary>
        public IPEndPoint Endpoint { get; set; } = new IPEndPoint(IPAddress.Loopback, 3260);
        /// <summary>The iSCSI name (RFC 7143 §4.2.7); null means <see cref="IscsiTarget.DefaultTargetName"/> of the drive path.</summary>
        public string TargetName { get; set; }
        /// <summary>The LUN the drive appears as (QEMU's iscsi driver uses lun=0 unless told otherwise).</summary>
        public int Lun { get; set; }
        /// <summary>
        /// When set, every login (normal and discovery) must authenticate with CHAP as this user (RFC 7143 §12.1.3);
        /// a login without it is refused with Authentication failure. Required for any non-loopback endpoint.
        /// </summary>
        public IscsiChapCredentials Chap { get; set; }
        /// <summary>The largest data segment this target accepts per PDU (declared in login, RFC 7143 §13.12).</summary>
        public int MaxRecvDataSegmentLength { get; set; } = 65536;
        public int MaxBurstLength { get; set; } = 262144;
        public int FirstBurstLength { get; set; } = 65536;
        /// <summary>
        /// Largest data phase of one command, either direction; larger ones are refused with 5/24/00 without buffering.
        /// Firmware flashers write in chunks of 4–64 KiB; 8 MiB leaves room for a whole image in one command.
        /// </summary>
        public int MaxTransferLength { get; set; } = 8 * 1024 * 1024;
        /// <summary>
        /// Timeout handed to the drive for each command (iSCSI itself carries none). Keep it above the initiator's own
        /// command timeouts (MtkFlash: 10–20 s for inventory and reads) so that a stuck drive shows up as a timeout there.
        /// </summary>
        public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(60);
        /// <summary>How long one PDU may take from its first byte to its last (a slow sender cannot hold it open).</summary>
        public TimeSpan PduTimeout { get; set; } = TimeSpan.FromSeconds(10);
        /// <summary>How long the whole login may take, from the TCP connection to the full feature phase.</summary>
        public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromSeconds(10);
        /// <summary>How long one PDU may take to leave (an initiator that stops reading cannot block the target).</summary>
        public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);
        /// <summary>How long a logged-in connection may stay silent while the drive is not busy (QEMU sends a NOP-Out every 5 s).</summary>
        public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);
        /// <summary>
        /// Commands the initiator may have queued (the CmdSN window, MaxCmdSN − ExpCmdSN + 1, when none is running).
        /// libiscsi holds back further non-immediate PDUs, its NOP-Outs included, until an answer reopens the window.
        /// </summary>
        public int CommandWindow { get; set; } = 32;
        /// <summary>
        /// Open TCP connections. When all are taken, a new connection pushes out one that is still logging in (the one
        /// that made no progress for longest) or one that is stalled (a PDU half sent, a send the initiator does not
        /// take, an R2T not answered); a logged-in, working session is never pushed out.
        /// </summary>
        public int MaxConnections { get; set; } = 8;
        /// <summary>
        /// Answer the two probes QEMU's iscsi driver needs at attach when the drive itself refuses them (INQUIRY VPD 00h;
        /// the first READ CAPACITY with no disc). See <see cref="IscsiCommandMapping"/>.
        /// </summary>
        public bool AttachCompatibility { get; set; } = true;
        /// <summary>Receives one line per connection event and per error; null for silence.</summary>
        public Action<string> Log { get; set; }

        /// <summary>
        /// The write data one connection can hold at a time: the command whose turn it is (solicited with R2T only then,
        /// kept as the PDUs arrive, and copied once into one buffer for the drive) plus the immediate and unsolicited
        /// data of the commands queued behind it (at most 2 × <see cref="CommandWindow"/> commands).
        /// </summary>
        public long WriteBufferLimitPerConnection => 2L * MaxTransferLength + 2L * CommandWindow * Math.Min(FirstBurstLength, MaxBurstLength);
    }

    /// <summary>
    /// A minimal iSCSI target (RFC 7143) that serves ONE drive transport as one LUN over TCP: login with optional CHAP,
    /// discovery (SendTargets), SCSI commands with immediate, unsolicited and R2T-solicited data, Data-In, SCSI Response
    /// with sense, NOP, task management and logout. One thread per connection reads PDUs; one worker per connection runs
    /// the commands in order; the drive sees one command at a time across all connections. Resources are bounded: the
    /// CmdSN window, write data solicited one command at a time, deadlines on every PDU, on the login, on every send and
    /// on silence, and a connection limit that pushes out stalled connections before it refuses a new one.
    /// </summary>
    public sealed class IscsiTarget : IDisposable
    {
        readonly object _gate = new object();
        readonly List<IscsiConnection> _connections = new List<IscsiConnection>();
        readonly Stopwatch _clock = Stopwatch.StartNew();
        TcpListener _listener;
        Thread _acceptThread;
        Timer _watchdog;
        volatile bool _stopping;
        ushort _nextTsih;
        long _bufferedBytes;
        long _peakBufferedBytes;

        public IscsiTarget(IScsiTransport drive, IscsiTargetOptions options = null)
        {
            Drive = drive ?? throw new ArgumentNullException(nameof(drive));
            Options = options ?? new IscsiTargetOptions();
            // A real drive served over iSCSI would take commands from anyone who can log in, past the CAP_SYS_RAWIO
            // check of the write path and its refusal to flash unknown drives.
            if (!DeviceEntry.ForPath(drive.Path).IsVirtual)
                throw new ArgumentException("Only virtual drives can be served over iSCSI; '" + drive.Path + "' is not one.", nameof(drive));
            if (Options.Endpoint == null) throw new ArgumentException("An endpoint is required.", nameof(options));
            if (!IsLoopback(Options.Endpoint.Address) && Options.Chap == null)
                throw new ArgumentException("Serving on " + FormatPortal(Options.Endpoint) + " needs CHAP: only loopback addresses may be served without authentication.", nameof(options));
            if (Options.Lun < 0 || Options.Lun > 16383) throw new ArgumentOutOfRangeException(nameof(options), "LUN must be 0..16383.");
            if (Options.MaxRecvDataSegmentLength < 512 || Options.MaxRecvDataSegmentLength > 16777215)
                throw new ArgumentOutOfRangeException(nameof(options), "MaxRecvDataSegmentLength must be 512..16777215 (RFC 7143 §13.12).");
            if (Options.MaxTransferLength < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxTransferLength must be positive.");
            if (Options.CommandWindow < 1 || Options.CommandWindow > 1024) throw new ArgumentOutOfRangeException(nameof(options), "CommandWindow must be 1..1024.");
            if (Options.MaxConnections < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxConnections must be at least 1.");
            foreach (var t in new[] { Options.PduTimeout, Options.LoginTimeout, Options.SendTimeout, Options.IdleTimeout, Options.CommandTimeout })
                if (t <= TimeSpan.Zero || t > TimeSpan.FromDays(1)) throw new ArgumentOutOfRangeException(nameof(options), "Timeouts must be positive and at most a day.");
            var name = string.IsNullOrEmpty(Options.TargetName) ? DefaultTargetName(drive.Path) : Options.TargetName;
            var problem = IscsiName.Problem(name);
            if (problem != null) throw new ArgumentException("Target name: " + problem + ".", nameof(options));
            TargetName = name.ToLowerInvariant();
        }

        public IScsiTransport Drive { get; }
        public IscsiTargetOptions Options { get; }
        /// <summary>The iSCSI name initiators log in to (lower case).</summary>
        public string TargetName { get; }
        /// <summary>The bound endpoint (with the real port when 0 was asked), after <see cref="Start"/>.</summary>
        public IPEndPoint LocalEndpoint { get; private set; }
        /// <summary>"address:port" as initiators write it.</summary>
        public string Portal => LocalEndpoint == null ? null : FormatPortal(LocalEndpoint);
        /// <summary>Connections accepted since start (tests and the serve command's summary).</summary>
        public int ConnectionsAccepted { get; private set; }
        /// <summary>Connections pushed out to make room for a new one (see <see cref="IscsiTargetOptions.MaxConnections"/>).</summary>
        public int ConnectionsEvicted { get; private set; }
        /// <summary>New connections refused because every slot held a working session.</summary>
        public int ConnectionsRefused { get; private set; }
        /// <summary>Write data held for commands right now, over all connections.</summary>
        public long BufferedBytes => Interlocked.Read(ref _bufferedBytes);
        /// <summary>The most write data held at once since start.</summary>
        public long PeakBufferedBytes => Interlocked.Read(ref _peakBufferedBytes);
        /// <summary>Open connections right now.</summary>
        public int ConnectionCount { get { lock (_gate) return _connections.Count; } }
        /// <summary>Serialises commands to the drive across connections.</summary>
        internal object DriveLock { get; } = new object();
        /// <summary>Milliseconds since the target was created, never 0 (0 means "not set" in the connections' clocks).</summary>
        internal long NowMs => _clock.ElapsedMilliseconds + 1;

        public static bool IsLoopback(IPAddress address) =>
            IPAddress.IsLoopback(address) || (address.IsIPv4MappedToIPv6 && IPAddress.IsLoopback(address.MapToIPv4()));

        /// <summary>iqn.2024-01.org.mtkflash:&lt;drive name&gt;, the name reduced to the IQN character set (RFC 7143 §4.2.7.2).</summary>
        public static string DefaultTargetName(string drivePath)
        {
            const string prefix = "iqn.2024-01.org.mtkflash:";
            var name = drivePath ?? "drive";
            var colon = name.LastIndexOf(':');
            if (colon >= 0 && colon < name.Length - 1) name = name.Substring(colon + 1);
            var sb = new StringBuilder();
            foreach (var c in name.ToLowerInvariant())
                sb.Append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ? c : '-');
            var clean = sb.ToString().Trim('-', '.');
            if (clean.Length > IscsiName.MaxBytes - prefix.Length) clean = clean.Substring(0, IscsiName.MaxBytes - prefix.Length).Trim('-', '.');
            return prefix + (clean.Length == 0 ? "drive" : clean);
        }

        public void Start()
        {
            lock (_gate)
            {
                if (_listener != null) throw new InvalidOperationException("The target is already started.");
                _listener = new TcpListener(Options.Endpoint);
                _listener.Start();
                LocalEndpoint = (IPEndPoint)_listener.LocalEndpoint;
                _acceptThread = new Thread(AcceptLoop) { IsBackground = true, Name = "iscsi-accept " + Portal };
                _acceptThread.Start();
                var shortest = new[] { Options.PduTimeout, Options.LoginTimeout, Options.SendTimeout, Options.IdleTimeout }.Min();
                var period = (int)Math.Max(10, Math.Min(250, shortest.TotalMilliseconds / 5));
                _watchdog = new Timer(_ => Watch(), null, period, period);
            }
            Log("listening on " + Portal + " as " + TargetName + ", LUN " + Options.Lun + (Options.Chap != null ? ", CHAP user " + Options.Chap.UserName : ", no authentication"));
        }

        public void Stop()
        {
            IscsiConnection[] open;
            lock (_gate)
            {
                if (_listener == null || _stopping) return;
                _stopping = true;
                try { _listener.Stop(); } catch (SocketException) { }
                _watchdog?.Dispose();
                open = _connections.ToArray();
            }
            foreach (var c in open) c.Close();
            _acceptThread?.Join(TimeSpan.FromSeconds(2));
            Log("stopped");
        }

        public void Dispose() => Stop();

        void AcceptLoop()
        {
            while (!_stopping)
            {
                TcpClient client;
                try { client = _listener.AcceptTcpClient(); }
                catch (SocketException) { if (_stopping) return; continue; }
                catch (ObjectDisposedException) { return; }
                catch (InvalidOperationException) { return; }

                IscsiConnection connection, evicted = null;
                lock (_gate)
                {
                    if (_stopping) { client.Close(); return; }
                    if (_connections.Count >= Options.MaxConnections)
                    {
                        evicted = Evictable();
                        if (evicted == null)
                        {
                            ConnectionsRefused++;
                            Log("refused a connection from " + client.Client.RemoteEndPoint + ": " + Options.MaxConnections + " logged-in sessions are working");
                            client.Close();
                            continue;
                        }
                        _connections.Remove(evicted);
                        ConnectionsEvicted++;
                    }
                    ConnectionsAccepted++;
                    connection = new IscsiConnection(this, client, ConnectionsAccepted);
                    _connections.Add(connection);
                }
                evicted?.Abort("pushed out for a new connection (" + Options.MaxConnections + " connections open, this one " + evicted.Describe(NowMs) + ")");
                var thread = new Thread(() =>
                {
                    try { connection.Run(); }
                    finally { lock (_gate) _connections.Remove(connection); }
                }) { IsBackground = true, Name = "iscsi-connection " + connection.Id };
                thread.Start();
            }
        }

        /// <summary>The connection to push out for a new one, or null when every one is a working session. Call under _gate.</summary>
        IscsiConnection Evictable()
        {
            var now = NowMs;
            IscsiConnection best = null;
            long bestRank = 0;
            foreach (var c in _connections)
            {
                var rank = c.EvictionRank(now);
                if (rank > bestRank) { best = c; bestRank = rank; }
            }
            return best;
        }

        void Watch()
        {
            try
            {
                IscsiConnection[] open;
                lock (_gate) open = _connections.ToArray();
                var now = NowMs;
                foreach (var c in open)
                {
                    var overdue = c.Overdue(now);
                    if (overdue != null) c.Abort(overdue);
                }
            }
            catch (Exception ex) { Log("watchdog: " + ex.Message); }
        }

        internal void AddBuffered(long delta)
        {
            var now = Interlocked.Add(ref _bufferedBytes, delta);
            long peak;
            while (now > (peak = Interlocked.Read(ref _peakBufferedBytes)) && Interlocked.CompareExchange(ref _peakBufferedBytes, now, peak) != peak) { }
        }

        internal ushort NextTsih()
        {
            lock (_gate)
            {
                _nextTsih++;
                if (_nextTsih == 0) _nextTsih = 1; // TSIH 0 means "new session" (RFC 7143 §11.12.5)
                return _nextTsih;
            }
        }

        internal void Log(string message)
        {
            var log = Options.Log;
            if (log == null) return;
            try { log("iscsi: " + message); } catch (Exception) { /* a broken log sink must not stop the target */ }
        }

        public static string FormatPortal(IPEndPoint ep) =>
            (ep.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + ep.Address + "]" : ep.Address.ToString()) + ":" + ep.Port;

        /// <summary>Parses "127.0.0.1:3260", "[::1]:3260" or "localhost:3260" (resolved to loopback).</summary>
        public static IPEndPoint ParsePortal(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) throw new FormatException("A portal is address:port, e.g. 127.0.0.1:3260.");
            var colon = text.LastIndexOf(':');
            if (colon <= 0 || colon == text.Length - 1) throw new FormatException("'" + text + "' is not address:port (e.g. 127.0.0.1:3260).");
            var host = text.Substring(0, colon).Trim('[', ']');
            if (!int.TryParse(text.Substring(colon + 1), out var port) || port < 0 || port > 65535)
                throw new FormatException("'" + text + "': the port must be 0..65535.");
            IPAddress address;
            if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) address = IPAddress.Loopback;
            else if (!IPAddress.TryParse(host, out address)) throw new FormatException("'" + host + "' is not an IP address.");
            return new IPEndPoint(address, port);
        }
    }
}
