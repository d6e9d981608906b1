using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using MtkFlash.Core.Flashing;
using MtkFlash.Core.Infrastructure;

namespace MtkFlash.Cli.Commands
{
    /// <summary>`mtkflash history [--drive PATH] [--json]`: the write audit trail (history.jsonl in MTKFLASH_HOME).</summary>
    public static class HistoryCommand
    {
        public static Command Create(CommandServices s)
        {
            var drive = new Option<string>("--drive") { Description = "Only the entries of this drive (wildcards allowed).", HelpName = "PATH" };
            var json = new Option<bool>("--json") { Description = "Print the entries as a JSON array." };
            var cmd = new Command("history", "Show every write attempt recorded in history.jsonl: drive, image, revisions, backup, outcome.") { drive, json };
            cmd.SetAction(parse =>
            {
                var file = Path.Combine(s.Env.HomeDirectory, "history.jsonl");
                // Attempt and outcome lines are paired; an attempt without an outcome (killed write) shows as "unknown".
                IEnumerable<HistoryEntry> entries = HistoryLog.ReadEntries(file, warning => s.Env.Err.WriteLine("warning: " + warning));
                var filter = parse.GetValue(drive);
                if (!string.IsNullOrEmpty(filter)) entries = entries.Where(e => Wildcard.IsMatch(e.Drive ?? string.Empty, filter));
                var list = entries.ToList();
                if (parse.GetValue(json)) s.WriteJson(list.Select(e => e.ToJson()).ToList());
                else if (list.Count == 0) s.Env.Err.WriteLine("No write attempts recorded in " + file + ".");
                else
                {
                    TextTable.Write(s.Env.Out, list,
                        ("Started (UTC)", e => e.StartedUtc), ("Drive", e => e.Drive),
                        ("From", e => e.PreviousRevision), ("To", e => e.NewRevision ?? e.ExpectedRevision),
                        ("Outcome", e => e.Outcome), ("Error", e => e.ErrorId), ("Image", e => Path.GetFileName(e.Image ?? string.Empty)));
                    if (list.Any(e => e.Outcome == HistoryEntry.UnknownOutcome))
                        s.Env.Err.WriteLine("note: an \"unknown\" outcome is a write that started sending to the drive but recorded no result " +
                                            "(the process was killed or the computer lost power): check that drive with 'mtkflash list'.");
                }
                return ExitCodes.Success;
            });
            return cmd;
        }
    }
}
