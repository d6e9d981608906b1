using System;
using System.Threading;

namespace MtkFlash.Cli
{
    public static class Program
    {
        public static int Main(string[] args)
        {
            using (var cts = new CancellationTokenSource())
            {
                // Ctrl+C asks the operation to stop at its next safe point instead of killing the process mid-flash.
                Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); Console.Error.WriteLine("stopping at the next safe point…"); };
                return CliApp.Run(args, new CliEnvironment { Cancellation = cts.Token });
            }
        }
    }
}
