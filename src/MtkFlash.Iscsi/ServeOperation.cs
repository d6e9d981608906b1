using System;
using System.Net.Sockets;
using System.Threading;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Iscsi
{
    /// <summary>What one serve run did, for the front end's closing line.</summary>
    public sealed class ServeResult
    {
        public string Drive { get; set; }
        public string TargetName { get; set; }
        public string Portal { get; set; }
        public int ConnectionsAccepted { get; set; }
        public int ConnectionsEvicted { get; set; }
        public int ConnectionsRefused { get; set; }
    }

    /// <summary>
    /// `mtkflash virtual serve`: opens a virtual drive exclusively and serves it as an iSCSI target until stopped or until a
    /// time limit passes. Only virtual drives (the target refuses any other); the front end checks its values first.
    /// </summary>
    public sealed class ServeOperation
    {
        readonly MtkFlashContext _context;

        public ServeOperation(MtkFlashContext context) { _context = context ?? throw new ArgumentNullException(nameof(context)); }

        /// <summary>A bare name means a virtual drive; anything with ':' or a path separator is a drive path as given.</summary>
        public static string DrivePath(string nameOrPath)
        {
            if (string.IsNullOrEmpty(nameOrPath)) return nameOrPath;
            return nameOrPath.IndexOf(':') >= 0 || nameOrPath.IndexOf('/') >= 0 || nameOrPath.IndexOf('\\') >= 0
                ? nameOrPath
                : VirtualDrivePlatform.Prefix + nameOrPath;
        }

        /// <summary>
        /// Serves <paramref name="drive"/> (a path or a bare virtual name) with <paramref name="options"/>.
        /// <paramref name="listening"/> runs once the portal is bound (with the real port when 0 was asked); the target then
        /// serves until <paramref name="stop"/> is cancelled or, when given, <paramref name="limit"/> has passed on the
        /// context's clock. Returns the summary, or null when the drive could not be opened or the portal not bound (the
        /// error is on the host).
        /// </summary>
        public ServeResult Run(IOperationHost host, string drive, IscsiTargetOptions options, TimeSpan? limit, Action<IscsiTarget> listening, CancellationToken stop)
        {
            if (host == null) throw new ArgumentNullException(nameof(host));
            if (options == null) throw new ArgumentNullException(nameof(options));
            var path = DrivePath(drive);
            IScsiTransport transport;
            try { transport = new DriveRegistry(_context).Open(path, DriveAccess.Exclusive); }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                host.WriteError(OperationErrors.FromException(ex, path, "Cannot open " + path));
                return null;
            }
            using (transport)
            using (var target = new IscsiTarget(transport, options))
            {
                try { target.Start(); }
                catch (SocketException ex)
                {
                    var portal = IscsiTarget.FormatPortal(options.Endpoint);
                    host.WriteError(new OperationError("CannotListen", OperationErrorCategory.ResourceUnavailable, "cannot listen on " + portal + ": " + ex.Message, portal, ex));
                    return null;
                }
                listening?.Invoke(target);
                if (limit.HasValue) _context.Clock.Sleep(limit.Value, stop);
                else stop.WaitHandle.WaitOne();
                target.Stop();
                return new ServeResult
                {
                    Drive = path, TargetName = target.TargetName, Portal = target.Portal,
                    ConnectionsAccepted = target.ConnectionsAccepted, ConnectionsEvicted = target.ConnectionsEvicted, ConnectionsRefused = target.ConnectionsRefused,
                };
            }
        }
    }
}
