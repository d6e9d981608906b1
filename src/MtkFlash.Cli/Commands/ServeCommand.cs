using System;
using System.CommandLine;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Iscsi;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Cli.Commands
{
    /// <summary>
    /// `mtkflash serve NAME --iscsi ADDRESS:PORT`: serves one drive (normally a virtual one) as an iSCSI target, so an OS
    /// initiator (QEMU, Linux open-iscsi, the Windows iSCSI initiator) sees it as a real SCSI CD/DVD/BD drive.
    /// Create() builds a command named "serve"; the `virtual` group can attach the same object.
    /// </summary>
    public static class ServeCommand
    {
        public static Command Create(CommandServices s)
        {
            var name = new Argument<string>("name") { Description = "Virtual drive name (demo → virtual:demo) or any drive path." };
            var portal = new Option<string>("--iscsi") { Description = "Portal to listen on, ADDRESS:PORT (port 0 picks a free one). Loopback unless you give another address.", HelpName = "ADDRESS:PORT", DefaultValueFactory = _ => "127.0.0.1:3260" };
            portal.Validators.Add(r =>
            {
                try { IscsiTarget.ParsePortal(r.GetValueOrDefault<string>()); }
                catch (FormatException ex) { r.AddError("--iscsi: " + ex.Message); }
            });
            var lun = OptionRules.WholeNumber(new Option<int>("--lun") { Description = "LUN the drive appears as (QEMU's default is 0).", DefaultValueFactory = _ => 0 }, 0, 255, "a LUN");
            var targetName = new Option<string>("--target-name") { Description = "IQN to serve under. Default: iqn.2024-01.org.mtkflash:NAME.", HelpName = "IQN" };
            var seconds = new Option<double?>("--seconds") { Description = "Stop after N seconds (default: until Ctrl+C or SIGTERM).", HelpName = "N" };
            var commandTimeout = new Option<double>("--command-timeout") { Description = "Seconds the drive gets per command before the target answers with an error; keep it above the initiator's timeouts.", HelpName = "SECONDS", DefaultValueFactory = _ => 60 };
            var stdinEof = new Option<bool>("--until-stdin-closes") { Description = "Also stop when standard input reaches end of file (for a parent process holding a pipe)." };
            var cmd = new Command("serve", "Serve a drive as an iSCSI target (e.g. a virtual drive to a QEMU guest or an OS initiator).")
            {
                name, portal, lun, targetName, seconds, commandTimeout, stdinEof,
            };
            cmd.SetAction(parse => s.Run(parse, context =>
            {
                var host = new ConsoleHost(s.Env, json: false, verbose: parse.GetValue(s.Verbose));
                var endpoint = IscsiTarget.ParsePortal(parse.GetValue(portal));   // --iscsi and --lun are checked at parse time
                var lunValue = parse.GetValue(lun);
                var limit = parse.GetValue(seconds);
                if (limit.HasValue && limit.Value < 0) { s.Env.Err.WriteLine("error: --seconds must be 0 or more."); return ExitCodes.Usage; }
                var perCommand = parse.GetValue(commandTimeout);
                if (perCommand <= 0 || perCommand > 3600) { s.Env.Err.WriteLine("error: --command-timeout must be between 0 and 3600 seconds."); return ExitCodes.Usage; }

                var path = DrivePath(parse.GetValue(name));
                IScsiTransport drive;
                try { drive = new DriveRegistry(context).Open(path, DriveAccess.Exclusive); }
                catch (Exception ex) when (!(ex is OperationCanceledException))
                {
                    host.WriteError(OperationErrors.FromException(ex, path, "Cannot open " + path));
                    return ExitCodes.From(host);
                }

                using (drive)
                using (var stop = CancellationTokenSource.CreateLinkedTokenSource(s.Env.Cancellation))
                using (StopOnSigterm(stop))
                {
                    var options = new IscsiTargetOptions
                    {
                        Endpoint = endpoint,
                        Lun = lunValue,
                        TargetName = parse.GetValue(targetName),
                        CommandTimeout = TimeSpan.FromSeconds(perCommand),
                        // Connection events go to stderr so a harness log shows why a guest saw what it saw.
                        Log = line => { lock (s.Env.Err) s.Env.Err.WriteLine(line); },
                    };
                    using (var target = new IscsiTarget(drive, options))
                    {
                        try { target.Start(); }
                        catch (SocketException ex)
                        {
                            host.WriteError(new OperationError("CannotListen", OperationErrorCategory.ResourceUnavailable,
                                "cannot listen on " + IscsiTarget.FormatPortal(endpoint) + ": " + ex.Message, IscsiTarget.FormatPortal(endpoint), ex));
                            return ExitCodes.From(host);
                        }
                        if (!endpoint.Address.Equals(System.Net.IPAddress.Loopback) && !endpoint.Address.Equals(System.Net.IPAddress.IPv6Loopback))
                            host.WriteWarning("serving on " + target.Portal + ": anyone who can reach it can send any command to " + path + " (no authentication).");
                        lock (s.Env.Err)
                        {
                            // Parseable lines: a harness reads the portal (with the real port when 0 was asked) from stdout.
                            // The portal line comes last: once it is printed, everything is ready.
                            s.Env.Out.WriteLine("drive: " + path);
                            s.Env.Out.WriteLine("target: " + target.TargetName);
                            s.Env.Out.WriteLine("lun: " + lunValue);
                            s.Env.Out.WriteLine("portal: " + target.Portal);
                            s.Env.Out.Flush();
                        }
                        if (parse.GetValue(stdinEof)) WatchStdin(s.Env, stop);
                        if (limit.HasValue) s.Env.Clock.Sleep(TimeSpan.FromSeconds(limit.Value), stop.Token);
                        else stop.Token.WaitHandle.WaitOne();
                        target.Stop();
                        s.Env.Err.WriteLine("stopped serving " + path + " (" + target.ConnectionsAccepted + " connection(s)).");
                    }
                }
                return ExitCodes.From(host);
            }));
            return cmd;
        }

        /// <summary>A bare name means a virtual drive; anything with ':' or a path separator is a drive path as given.</summary>
        public static string DrivePath(string nameOrPath)
        {
            if (string.IsNullOrEmpty(nameOrPath)) return nameOrPath;
            return nameOrPath.IndexOf(':') >= 0 || nameOrPath.IndexOf('/') >= 0 || nameOrPath.IndexOf('\\') >= 0
                ? nameOrPath
                : VirtualDrivePlatform.Prefix + nameOrPath;
        }

        static IDisposable StopOnSigterm(CancellationTokenSource stop)
        {
            try
            {
                // SIGTERM (kill, service managers, CI teardown) stops the target cleanly like Ctrl+C.
                return PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; try { stop.Cancel(); } catch (ObjectDisposedException) { } });
            }
            catch (PlatformNotSupportedException) { return null; }
        }

        static void WatchStdin(CliEnvironment env, CancellationTokenSource stop)
        {
            var thread = new Thread(() =>
            {
                try { while (env.In.ReadLine() != null) { } }
                catch (Exception) { }
                try { stop.Cancel(); } catch (ObjectDisposedException) { }
            }) { IsBackground = true, Name = "serve-stdin" };
            thread.Start();
        }
    }
}
