using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;

namespace MtkFlash.Cli
{
    public static class Program
    {
        public static int Main(string[] args)
        {
            using (var cts = new CancellationTokenSource())
            {
                // Ctrl+C, SIGTERM (kill, systemd, a robot's supervisor) and SIGHUP (the terminal went away) ask the operation to
                // stop at its next safe point instead of killing the process: a write past its point of no return finishes the
                // flash, waits for the drive and records the outcome first (issue 9 §5). Only SIGKILL cannot be deferred; the
                // write-ahead history line then shows the attempt with an unknown outcome.
                Console.CancelKeyPress += (_, e) => { e.Cancel = true; RequestStop(cts, "Ctrl+C"); };
                var registrations = new List<IDisposable>();
                foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGHUP })
                {
                    try { registrations.Add(PosixSignalRegistration.Create(signal, ctx => { ctx.Cancel = true; RequestStop(cts, ctx.Signal.ToString()); })); }
                    catch (PlatformNotSupportedException) { }
                }
                try { return CliApp.Run(args, new CliEnvironment { Cancellation = cts.Token }); }
                finally { foreach (var r in registrations) r.Dispose(); }
            }
        }

        static void RequestStop(CancellationTokenSource cts, string what)
        {
            try { Console.Error.WriteLine(what + ": stopping at the next safe point (a flash that has begun is finished first)…"); }
            catch (Exception) { /* SIGHUP: the terminal may be gone */ }
            try { cts.Cancel(); } catch (ObjectDisposedException) { }
        }
    }
}
