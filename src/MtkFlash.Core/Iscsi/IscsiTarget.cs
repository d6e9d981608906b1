using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using MtkFlash.Core.Transports;

namespace MtkFlash.Core.Iscsi
{
    /// <summary>Settings of one <see cref="IscsiTarget"/>. Defaults suit QEMU's libiscsi initiator and the OS initiators.</summary>
    public sealed class IscsiTargetOptions
    {
        /// <summary>Where to listen. Loopback by default: a virtual drive is not meant for the network.</summary>
        public IPEndPoint Endpoint { get; set; } = new IPEndPoint(IPAddress.Loopback, 3260);
        /// <summary>The IQN; null means <see cref="IscsiTarget.DefaultTargetName"/> of the drive path.</summary>
        public string TargetName { get; set; }
        /// <summary>The LUN the drive appears as (QEMU's iscsi driver uses lun=0 unless told otherwise).</summary>
        public int Lun { get; set; }
        /// <summary>The largest data segment this target accepts per PDU (declared in login, RFC 7143 §13.12).</summary>
        public int MaxRecvDataSegmentLength { get; set; } = 65536;
        public int MaxBurstLength { get; set; } = 262144;
        public int FirstBurstLength { get; set; } = 65536;
        /// <summary>Largest data phase of one command; larger writes are refused with 5/24/00 without buffering them.</summary>
        public int MaxTransferLength { get; set; } = 16 * 1024 * 1024;
        /// <summary>
        /// Timeout handed to the drive for each command (iSCSI itself carries none). Keep it above the initiator's own
        /// command timeouts (MtkFlash: 10–20 s for inventory and reads) so that a stuck drive shows up as a timeout there.
        /// </summary>
        public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(60);
        /// <summary>How long a login may wait for its next PDU, and how long the rest of a started PDU may take.</summary>
        public TimeSpan PduTimeout { get; set; } = TimeSpan.FromSeconds(10);
        /// <summary>How long a logged-in connection may stay silent (QEMU sends a NOP-Out every 5 s).</summary>
        public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);
        /// <summary>Commands the initiator may have queued (MaxCmdSN − ExpCmdSN + 1).</summary>
        public int CommandWindow { get; set; } = 16;
        public int MaxConnections { get; set; } = 8;
        /// <summary>
        /// Answer the two probes QEMU's iscsi driver needs at attach when the drive itself refuses them (INQUIRY VPD 00h;
        /// the first READ CAPACITY with no disc). See <see cref="IscsiCommandMapping"/>.
        /// </summary>
        public bool AttachCompatibility { get; set; } = true;
        /// <summary>Receives one line per connection event and per error; null for silence.</summary>
        public Action<string> Log { get; set; }
    }

    /// <summary>
    /// A minimal iSCSI target (RFC 7143) that serves ONE drive transport as one LUN over TCP: login without authentication,
    /// discovery (SendTargets), SCSI commands with immediate, unsolicited and R2T-solicited data, Data-In, SCSI Response
    /// with sense, NOP, task management and logout. One thread per connection reads PDUs; one worker per connection runs
    /// the commands in order; the drive sees one command at a time across all connections.
    /// </summary>
    public sealed class IscsiTarget : IDisposable
    {
        readonly object _gate = new object();
        readonly List<IscsiConnection> _connections = new List<IscsiConnection>();
        TcpListener _listener;
        Thread _acceptThread;
        volatile bool _stopping;
        ushort _nextTsih;

        public IscsiTarget(IScsiTransport drive, IscsiTargetOptions options = null)
        {
            Drive = drive ?? throw new ArgumentNullException(nameof(drive));
            Options = options ?? new IscsiTargetOptions();
            if (Options.Endpoint == null) throw new ArgumentException("An endpoint is required.", nameof(options));
            if (Options.Lun < 0 || Options.Lun > 16383) throw new ArgumentOutOfRangeException(nameof(options), "LUN must be 0..16383.");
            if (Options.MaxRecvDataSegmentLength < 512 || Options.MaxRecvDataSegmentLength > 16777215)
                throw new ArgumentOutOfRangeException(nameof(options), "MaxRecvDataSegmentLength must be 512..16777215 (RFC 7143 §13.12).");
            TargetName = string.IsNullOrEmpty(Options.TargetName) ? DefaultTargetName(drive.Path) : Options.TargetName;
        }

        public IScsiTransport Drive { get; }
        public IscsiTargetOptions Options { get; }
        /// <summary>The IQN initiators log in to.</summary>
        public string TargetName { get; }
        /// <summary>The bound endpoint (with the real port when 0 was asked), after <see cref="Start"/>.</summary>
        public IPEndPoint LocalEndpoint { get; private set; }
        /// <summary>"address:port" as initiators write it.</summary>
        public string Portal => LocalEndpoint == null ? null : FormatPortal(LocalEndpoint);
        /// <summary>Connections accepted since start (tests and the serve command's summary).</summary>
        public int ConnectionsAccepted { get; private set; }
        /// <summary>Serialises commands to the drive across connections.</summary>
        internal object DriveLock { get; } = new object();

        /// <summary>iqn.2024-01.org.mtkflash:&lt;drive name&gt;, the name reduced to the IQN character set (RFC 7143 §4.2.7.2).</summary>
        public static string DefaultTargetName(string drivePath)
        {
            var name = drivePath ?? "drive";
            var colon = name.LastIndexOf(':');
            if (colon >= 0 && colon < name.Length - 1) name = name.Substring(colon + 1);
            var sb = new StringBuilder();
            foreach (var c in name.ToLowerInvariant())
                sb.Append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ? c : '-');
            var clean = sb.ToString().Trim('-', '.');
            return "iqn.2024-01.org.mtkflash:" + (clean.Length == 0 ? "drive" : clean);
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
            }
            Log("listening on " + Portal + " as " + TargetName + ", LUN " + Options.Lun);
        }

        public void Stop()
        {
            IscsiConnection[] open;
            lock (_gate)
            {
                if (_listener == null || _stopping) return;
                _stopping = true;
                try { _listener.Stop(); } catch (SocketException) { }
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

                IscsiConnection connection;
                lock (_gate)
                {
                    if (_stopping) { client.Close(); return; }
                    if (_connections.Count >= Options.MaxConnections)
                    {
                        Log("refused a connection from " + client.Client.RemoteEndPoint + ": " + Options.MaxConnections + " connections are open");
                        client.Close();
                        continue;
                    }
                    ConnectionsAccepted++;
                    connection = new IscsiConnection(this, client, ConnectionsAccepted);
                    _connections.Add(connection);
                }
                var thread = new Thread(() =>
                {
                    try { connection.Run(); }
                    finally { lock (_gate) _connections.Remove(connection); }
                }) { IsBackground = true, Name = "iscsi-connection " + connection.Id };
                thread.Start();
            }
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
