using System.CommandLine;
using System.Linq;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Serialization;

namespace MtkFlash.Cli.Commands
{
    /// <summary>`mtkflash backup DRIVE... [--out DIR] [--zip] [--json]` (Backup-DriveFirmware).</summary>
    public static class BackupCommand
    {
        public static Command Create(CommandServices s)
        {
            var drives = new Argument<string[]>("drive") { Description = "Drive paths (/dev/sr0, virtual:NAME).", Arity = ArgumentArity.OneOrMore };
            var output = OptionRules.OutputFolder(new Option<string>("--out") { Description = "Folder for the backup bundles (default: MTKFLASH_HOME/backups).", HelpName = "DIR" });
            var zip = new Option<bool>("--zip") { Description = "Write each backup as one .zip file instead of a folder." };
            var json = new Option<bool>("--json") { Description = "Print JSON (an array of backup objects)." };
            var cmd = new Command("backup", "Back up the firmware and drive-specific regions of drives into verified bundles.") { drives, output, zip, json };
            cmd.SetAction(parse => s.Run(parse, context =>
            {
                var host = new ConsoleHost(s.Env, parse.GetValue(json), parse.GetValue(s.Verbose));
                var op = new BackupOperation(context);
                var options = new BackupOptions { Destination = parse.GetValue(output), Format = parse.GetValue(zip) ? BackupFormat.Zip : BackupFormat.Folder };
                foreach (var d in parse.GetValue(drives)) op.Run(host, d, options);
                var results = host.Objects.OfType<BackupResult>().ToList();
                if (parse.GetValue(json)) s.WriteJson(results);
                else foreach (var r in results)
                    s.Env.Out.WriteLine(r.Drive + ": " + Json.EnumName(r.Completeness) + " backup, " + r.Size + " bytes, SHA-256 " + r.Sha256 + "\n  " + r.Path);
                return ExitCodes.From(host);
            }));
            return cmd;
        }
    }
}
