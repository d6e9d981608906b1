using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;

namespace MtkFlash.Cli.Commands
{
    /// <summary>
    /// `mtkflash bench-sgio PATH [--count N] [--command inquiry|tur]`: hidden (not in --help), for the benchmark harness
    /// (docs/performance.md, figure 7). Opens the drive once through the real transport of its path (Linux SG_IO for
    /// /dev/sg*, /dev/sr*; the virtual drive for virtual:NAME), as inventory does (shared access), sends N INQUIRY (96
    /// bytes) or TEST UNIT READY commands, and prints "commands=N seconds=S" and the first answer's status. Read-only
    /// commands that every drive answers, the same ones `list` sends; nothing else is sent. Exit 1 when a command fails.
    /// </summary>
    public static class BenchSgioCommand
    {
        public static Command Create(CommandServices s)
        {
            var path = new Argument<string>("path") { Description = "The drive (/dev/sg0, virtual:NAME)." };
            var count = OptionRules.WholeNumber(new Option<int>("--count") { Description = "How many commands to send.", HelpName = "N", DefaultValueFactory = _ => 1000 },
                1, 10_000_000, "a whole number of commands");
            var command = new Option<string>("--command") { Description = "inquiry (default) or tur.", DefaultValueFactory = _ => "inquiry" };
            command.AcceptOnlyFromAmong("inquiry", "tur");
            var cmd = new Command("bench-sgio", "Benchmark: send N INQUIRY or TEST UNIT READY commands through the drive's transport and time them.") { path, count, command };
            cmd.Hidden = true;
            cmd.SetAction(parse => s.Run(parse, context =>
            {
                int n = parse.GetValue(count);
                bool inquiry = parse.GetValue(command) == "inquiry";
                IScsiTransport transport;
                try { transport = new DriveRegistry(context).Open(parse.GetValue(path), DriveAccess.Shared); }
                catch (Exception ex) when (!(ex is OperationCanceledException))
                {
                    var host = new ConsoleHost(s.Env, json: false);
                    host.WriteError(OperationErrors.FromException(ex, parse.GetValue(path)));
                    return ExitCodes.From(host);
                }
                using (transport)
                {
                    ScsiRequest Request() => inquiry ? ScsiRequest.Read(Cdb.Inquiry(96), 96, TimeSpan.FromSeconds(10), "INQUIRY")
                                                     : ScsiRequest.NoData(Cdb.TestUnitReady(), TimeSpan.FromSeconds(10), "TEST UNIT READY");
                    var first = transport.Execute(Request());   // outside the timing: the first command after open
                    var watch = Stopwatch.StartNew();
                    int bad = 0;
                    for (int i = 0; i < n; i++)
                        if (transport.Execute(Request()).Status != ScsiStatus.Good) bad++;
                    watch.Stop();
                    s.Env.Out.WriteLine(string.Format(CultureInfo.InvariantCulture, "commands={0} seconds={1:0.000000} first-status=0x{2:X2} not-good={3}",
                        n, watch.Elapsed.TotalSeconds, first.Status, bad));
                    return inquiry && bad > 0 ? ExitCodes.From(failed: true) : ExitCodes.Success;
                }
            }));
            return cmd;
        }
    }
}
