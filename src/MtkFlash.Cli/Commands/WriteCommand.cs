using System.CommandLine;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Serialization;

namespace MtkFlash.Cli.Commands
{
    /// <summary>
    /// `mtkflash write DRIVE IMAGE [--yes] [--dry-run] [--recover] [--allow-crossflash] [--allow-unlisted-model] [--no-backup] [--backup-dir DIR] [--json]`.
    /// Exit 0 flashed and verified, 1 failed, 2 usage, 3 refused by a safety check (the drive was not touched).
    /// </summary>
    public static class WriteCommand
    {
        public static Command Create(CommandServices s)
        {
            var drive = new Argument<string>("drive") { Description = "Drive path (/dev/sg0, virtual:NAME)." };
            var image = new Argument<string>("image") { Description = "Firmware image (.bin, .hex) or an MtkFlash backup bundle." };
            var yes = new Option<bool>("--yes") { Description = "Do not ask; needed when there is no terminal (scripts)." };
            var dryRun = new Option<bool>("--dry-run") { Description = "Check everything and print the plan; send nothing that changes the drive." };
            var recover = new Option<bool>("--recover") { Description = "Flash a drive in boot mode through its boot loader." };
            var cross = new Option<bool>("--allow-crossflash") { Description = "Allow an image of the same hardware from another vendor/model." };
            var unlisted = new Option<bool>("--allow-unlisted-model") { Description = "Allow a drive of a known chipset whose model the cited flasher does not list (recorded in the history; --yes does not imply it)." };
            var noBackup = new Option<bool>("--no-backup") { Description = "Skip the automatic backup before writing." };
            var backupDir = OptionRules.OutputFolder(new Option<string>("--backup-dir") { Description = "Folder for the automatic backup (default: MTKFLASH_HOME/backups).", HelpName = "DIR" });
            var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
            var cmd = new Command("write", "Flash firmware safely: checks, automatic backup, progress, wait and verify.") { drive, image, yes, dryRun, recover, cross, unlisted, noBackup, backupDir, json };
            cmd.SetAction(parse => s.Run(parse, context =>
            {
                bool isJson = parse.GetValue(json), assumeYes = parse.GetValue(yes), dry = parse.GetValue(dryRun);
                var host = new ConsoleHost(s.Env, isJson, parse.GetValue(s.Verbose), assumeYes, dry);
                if (!assumeYes && !dry && !s.Env.IsInteractive)
                {
                    host.WriteError(new Core.Operations.OperationError("ConfirmationRequired", Core.Operations.OperationErrorCategory.InvalidOperation,
                        "No terminal to confirm the write, and --yes was not given; nothing was sent to the drive.", parse.GetValue(drive), null,
                        Core.Operations.Remedies.Unattended));
                    return ExitCodes.From(host, refused: true);
                }
                var result = new WriteOperation(context).Run(host, parse.GetValue(drive), new WriteOptions
                {
                    ImagePath = parse.GetValue(image),
                    AllowCrossFlash = parse.GetValue(cross),
                    AllowUnlistedModel = parse.GetValue(unlisted),
                    SkipBackup = parse.GetValue(noBackup),
                    BackupDirectory = parse.GetValue(backupDir),
                    BackupFormat = BackupFormat.Folder,
                    Recover = parse.GetValue(recover),
                    Force = assumeYes,
                });
                if (isJson) s.WriteJson(result);
                else
                {
                    s.Env.Out.WriteLine(result.Drive + ": " + Json.EnumName(result.Outcome) + (result.Message == null ? string.Empty : " - " + result.Message));
                    if (result.Outcome == WriteOutcome.Planned)
                        foreach (var n in result.PlanNotes) s.Env.Out.WriteLine("  note: " + n);
                    if (result.PreviousRevision != null) s.Env.Out.WriteLine("  revision: " + result.PreviousRevision + " -> " + (result.NewRevision ?? result.ExpectedRevision ?? "?"));
                    if (result.BackupPath != null) s.Env.Out.WriteLine("  backup: " + result.BackupPath);
                    if (result.Outcome != WriteOutcome.Planned) s.Env.Out.WriteLine("  duration: " + result.Duration.TotalSeconds.ToString("0.0") + " s; history: " + context.HistoryFile);
                }
                return ExitCodes.From(host, failed: result.Outcome != WriteOutcome.Succeeded && result.Outcome != WriteOutcome.Planned,
                    refused: result.Outcome == WriteOutcome.Refused);
            }));
            return cmd;
        }
    }
}
