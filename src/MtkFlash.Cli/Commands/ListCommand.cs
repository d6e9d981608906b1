using System.CommandLine;
using System.Linq;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Serialization;

namespace MtkFlash.Cli.Commands
{
    /// <summary>`mtkflash list [PATH...] [--json]`: the inventory (Get-OpticalDrive).</summary>
    public static class ListCommand
    {
        public static Command Create(CommandServices s)
        {
            var paths = new Argument<string[]>("path") { Description = "Drive paths or wildcards (/dev/sr*, virtual:*). Default: all drives.", Arity = ArgumentArity.ZeroOrMore };
            var json = new Option<bool>("--json") { Description = "Print JSON (an array of drive objects)." };
            var cmd = new Command("list", "List optical drives, real and virtual.") { paths, json };
            cmd.SetAction(parse => s.Run(parse, context =>
            {
                var host = new ConsoleHost(s.Env, parse.GetValue(json), parse.GetValue(s.Verbose));
                var drives = new GetDrivesOperation(context).Run(host, parse.GetValue(paths));
                if (parse.GetValue(json)) s.WriteJson(drives);
                else if (drives.Count == 0) s.Env.Err.WriteLine("No optical drives found. Create a virtual one: mtkflash virtual new demo --profile lg-bh16ns40");
                else TextTable.Write(s.Env.Out, drives,
                    ("Path", d => d.Path), ("Vendor", d => d.Vendor), ("Product", d => d.Product), ("Revision", d => d.Revision),
                    ("Family", d => Json.EnumName(d.Family)), ("State", d => Json.EnumName(d.State)),
                    ("Flash", d => d.CanFlash ? "yes" : "no"));
                return ExitCodes.From(host);
            }));
            return cmd;
        }
    }
}
