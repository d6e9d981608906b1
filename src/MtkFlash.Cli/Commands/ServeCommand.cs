using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.IO;
using System.Net;
using System.Runtime.InteropServices;
using System.Threading;
using MtkFlash.Iscsi;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Transports;

namespace MtkFlash.Cli.Commands
{
    /// <summary>
    /// `mtkflash virtual serve NAME --iscsi ADDRESS:PORT`: serves one virtual drive as an iSCSI target, so an OS initiator
    /// (QEMU, Linux open-iscsi, the Windows iSCSI initiator) sees it as a real SCSI CD/DVD/BD drive. Only virtual drives:
    /// a real drive served this way would take any command from anyone who can log in. Loopback unless CHAP is set up.
    /// Every value is checked at parse time (exit 2) before anything is opened or bound.
    /// </summary>
    public static class ServeCommand
    {
        /// <summary>The longest --seconds: what a wait handle can wait (int.MaxValue ms, about 24.8 days).</summary>
        public const double MaxSeconds = 2147483;
        public const double MaxCommandTimeout = 3600;

        public static Command Create(CommandServices s)
        {
            var name = new Argument<string>("name") { Description = "Virtual drive name (demo → virtual:demo). Only virtual drives can be served." };
            name.Validators.Add(r =>
            {
                var value = r.GetValueOrDefault<string>();
                if (!DeviceEntry.ForPath(ServeOperation.DrivePath(value)).IsVirtual)
                    r.AddError("'" + value + "' is not a virtual drive: only virtual drives can be served over iSCSI (a real drive would take any command " +
                               "from anyone who can log in). Give a virtual drive's name; 'mtkflash virtual list' shows them.");
            });
            var portal = new Option<IPEndPoint>("--iscsi")
            {
                Description = "Portal to listen on, ADDRESS:PORT (port 0 picks a free one). Loopback by default; any other address needs CHAP.",
                HelpName = "ADDRESS:PORT",
                DefaultValueFactory = _ => new IPEndPoint(IPAddress.Loopback, 3260),
                CustomParser = r =>
                {
                    try { return IscsiTarget.ParsePortal(r.Tokens.Count > 0 ? r.Tokens[0].Value : null); }
                    catch (FormatException ex) { r.AddError("--iscsi: " + ex.Message); return null; }
                },
            };
            var lun = OptionRules.WholeNumber(new Option<int>("--lun") { Description = "LUN the drive appears as (QEMU's default is 0).", DefaultValueFactory = _ => 0 }, 0, 255, "a LUN");
            var targetName = new Option<string>("--target-name") { Description = "iSCSI name to serve under (iqn., eui. or naa. form, RFC 7143 §4.2.7). Default: iqn.2024-01.org.mtkflash:NAME.", HelpName = "IQN" };
            targetName.Validators.Add(r =>
            {
                var problem = IscsiName.Problem(r.GetValueOrDefault<string>());
                if (problem != null) r.AddError("--target-name: " + problem + ".");
            });
            // Conversion and range in one custom parser: a validator would also run after a failed conversion and throw.
            var seconds = new Option<double?>("--seconds")
            {
                Description = "Stop after N seconds (0.." + MaxSeconds + "; default: until Ctrl+C or SIGTERM).", HelpName = "N",
                CustomParser = r =>
                {
                    var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty;
                    if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 && v <= MaxSeconds) return v;
                    r.AddError("--seconds must be a number of seconds from 0 to " + MaxSeconds.ToString(CultureInfo.InvariantCulture) + " (about 24 days), not '" + text +
                               "'; leave it out to serve until stopped.");
                    return null;
                },
            };
            var commandTimeout = new Option<double>("--command-timeout")
            {
                Description = "Seconds the drive gets per command before the target answers with an error (0 < SECONDS ≤ 3600); keep it above the initiator's timeouts.",
                HelpName = "SECONDS", DefaultValueFactory = _ => 60,
                CustomParser = r =>
                {
                    var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty;
                    if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && v <= MaxCommandTimeout) return v;
                    r.AddError("--command-timeout must be more than 0 and at most " + MaxCommandTimeout.ToString(CultureInfo.InvariantCulture) + " seconds, not '" + text + "'.");
                    return 0;
                },
            };
            var chapUser = new Option<string>("--chap-user") { Description = "Require CHAP (RFC 7143 §12.1.3) from every initiator, as this user (the initiator's CHAP_N).", HelpName = "NAME" };
            chapUser.Validators.Add(r =>
            {
                var problem = IscsiChapCredentials.UserNameProblem(r.GetValueOrDefault<string>());
                if (problem != null) r.AddError("--chap-user: " + problem + ".");
            });
            var chapSecretFile = new Option<string>("--chap-secret-file") { Description = "Read the CHAP secret (12 to 255 bytes; one trailing line end is ignored) from FILE. Never on the command line.", HelpName = "FILE" };
            var chapSecretEnv = new Option<string>("--chap-secret-env") { Description = "Read the CHAP secret from the environment variable VARIABLE.", HelpName = "VARIABLE" };
            var stdinEof = new Option<bool>("--until-stdin-closes") { Description = "Also stop when standard input reaches end of file (for a parent process holding a pipe)." };
            var cmd = new Command("serve", "Serve a virtual drive as an iSCSI target (e.g. to a QEMU guest or an OS initiator).")
            {
                name, portal, lun, targetName, seconds, commandTimeout, chapUser, chapSecretFile, chapSecretEnv, stdinEof,
            };
            cmd.Validators.Add(r =>
            {
                var user = r.GetValue(chapUser);
                var file = r.GetValue(chapSecretFile);
                var env = r.GetValue(chapSecretEnv);
                if (file != null && env != null) r.AddError("Give the CHAP secret once: --chap-secret-file or --chap-secret-env, not both.");
                else if (user != null && file == null && env == null) r.AddError("--chap-user needs the secret: --chap-secret-file FILE or --chap-secret-env VARIABLE (never on the command line).");
                else if (user == null && (file != null || env != null)) r.AddError("The CHAP secret needs --chap-user NAME.");
                else if (user != null && IscsiChapCredentials.UserNameProblem(user) == null && ReadChap(user, file, env, out var problem) == null) r.AddError(problem);
                // The portal's own parser reports a malformed value; read it again here without throwing.
                var given = r.GetResult(portal);
                IPEndPoint endpoint = null;
                if (given == null || given.Tokens.Count == 0) endpoint = new IPEndPoint(IPAddress.Loopback, 3260);
                else try { endpoint = IscsiTarget.ParsePortal(given.Tokens[0].Value); } catch (FormatException) { }
                if (endpoint != null && !IscsiTarget.IsLoopback(endpoint.Address) && user == null)
                    r.AddError("Serving on " + IscsiTarget.FormatPortal(endpoint) + " needs CHAP: only loopback addresses may be served without authentication. " +
                               "Add --chap-user NAME and --chap-secret-file FILE (or --chap-secret-env VARIABLE).");
            });
            cmd.SetAction(parse => s.Run(parse, context =>
            {
                var host = new ConsoleHost(s.Env, json: false, verbose: parse.GetValue(s.Verbose));
                var endpoint = parse.GetValue(portal);
                IscsiChapCredentials chap = null;
                if (parse.GetValue(chapUser) != null)
                {
                    // Checked by the validator above; read again here (the file could have changed in between).
                    chap = ReadChap(parse.GetValue(chapUser), parse.GetValue(chapSecretFile), parse.GetValue(chapSecretEnv), out var problem);
                    if (chap == null) { s.Env.Err.WriteLine("error: " + problem); return ExitCodes.Usage; }
                }

                var path = ServeOperation.DrivePath(parse.GetValue(name));
                using (var stop = CancellationTokenSource.CreateLinkedTokenSource(s.Env.Cancellation))
                using (StopOnSignal(PosixSignal.SIGTERM, stop))
                {
                    var options = new IscsiTargetOptions
                    {
                        Endpoint = endpoint,
                        Lun = parse.GetValue(lun),
                        TargetName = parse.GetValue(targetName),
                        Chap = chap,
                        CommandTimeout = TimeSpan.FromSeconds(parse.GetValue(commandTimeout)),
                        // Connection events go to stderr so a harness log shows why a guest saw what it saw.
                        Log = line => { lock (s.Env.Err) s.Env.Err.WriteLine(line); },
                    };
                    var limit = parse.GetValue(seconds);
                    var served = new ServeOperation(context).Run(host, path, options, limit.HasValue ? TimeSpan.FromSeconds(limit.Value) : (TimeSpan?)null, target =>
                    {
                        lock (s.Env.Err)
                        {
                            // Parseable lines: a harness reads the portal (with the real port when 0 was asked) from stdout.
                            // The portal line comes last: once it is printed, everything is ready.
                            s.Env.Out.WriteLine("drive: " + path);
                            s.Env.Out.WriteLine("target: " + target.TargetName);
                            s.Env.Out.WriteLine("lun: " + options.Lun);
                            s.Env.Out.WriteLine("auth: " + (chap != null ? "chap " + chap.UserName : "none"));
                            s.Env.Out.WriteLine("portal: " + target.Portal);
                            s.Env.Out.Flush();
                        }
                        if (parse.GetValue(stdinEof)) WatchStdin(s.Env, stop);
                    }, stop.Token);
                    if (served != null)
                        s.Env.Err.WriteLine("stopped serving " + path + " (" + served.ConnectionsAccepted + " connection(s)" +
                                            (served.ConnectionsEvicted + served.ConnectionsRefused > 0 ? ", " + served.ConnectionsEvicted + " pushed out, " + served.ConnectionsRefused + " refused" : "") + ").");
                }
                return ExitCodes.From(host);
            }));
            return cmd;
        }

        /// <summary>
        /// The CHAP credentials from a file or an environment variable, or null and why not. The file must be a regular
        /// file: its size is checked before it is opened, so a FIFO or a device (size 0) is refused instead of blocking.
        /// </summary>
        static IscsiChapCredentials ReadChap(string user, string file, string variable, out string problem)
        {
            problem = null;
            try
            {
                if (file != null)
                {
                    var info = new FileInfo(file);
                    if (!info.Exists) { problem = "--chap-secret-file: " + file + " does not exist (or is a directory)."; return null; }
                    if (info.Length < IscsiChapCredentials.MinSecretBytes || info.Length > IscsiChapCredentials.MaxSecretBytes + 2)
                    {
                        problem = "--chap-secret-file: " + file + " must be a regular file holding the secret (" + IscsiChapCredentials.MinSecretBytes + " to " +
                                  IscsiChapCredentials.MaxSecretBytes + " bytes); it has " + info.Length + " bytes.";
                        return null;
                    }
                    return IscsiChapCredentials.FromFileBytes(user, File.ReadAllBytes(file));
                }
                var text = Environment.GetEnvironmentVariable(variable);
                if (string.IsNullOrEmpty(text)) { problem = "--chap-secret-env: the environment variable " + variable + " is not set or empty."; return null; }
                return IscsiChapCredentials.FromText(user, text);
            }
            catch (ArgumentException ex) { problem = (file != null ? "--chap-secret-file: " : "--chap-secret-env: ") + ex.Message.Split(new[] { " (Parameter" }, StringSplitOptions.None)[0] + "."; }
            catch (IOException ex) { problem = "--chap-secret-file: cannot read " + file + ": " + ex.Message; }
            catch (UnauthorizedAccessException ex) { problem = "--chap-secret-file: cannot read " + file + ": " + ex.Message; }
            return null;
        }

        static string Show(double v) => double.IsNaN(v) ? "NaN" : v.ToString("R", CultureInfo.InvariantCulture);

        static IDisposable StopOnSignal(PosixSignal signal, CancellationTokenSource stop)
        {
            try
            {
                // SIGTERM (kill, service managers, CI teardown) stops the target cleanly like Ctrl+C.
                return PosixSignalRegistration.Create(signal, ctx => { ctx.Cancel = true; try { stop.Cancel(); } catch (ObjectDisposedException) { } });
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
