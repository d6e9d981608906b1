using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Serialization;

namespace MtkFlash.Cli.Commands
{
    /// <summary>`mtkflash history [--drive PATH] [--since TIME] [--until TIME] [--json]`: the write audit trail (history.jsonl in MTKFLASH_HOME).</summary>
    public static class HistoryCommand
    {
        public static Command Create(CommandServices s)
        {
            var drive = new Option<string[]>("--drive") { Description = "Only the entries of this drive (wildcards allowed; repeatable).", HelpName = "PATH" };
            var since = new Option<string>("--since") { Description = "Only attempts started at or after TIME (ISO 8601, e.g. 2025-01-31 or 2025-01-31T08:00Z; no zone = local time).", HelpName = "TIME" };
            var until = new Option<string>("--until") { Description = "Only attempts started at or before TIME.", HelpName = "TIME" };
            var json = new Option<bool>("--json") { Description = "Print the entries as a JSON array." };
            var cmd = new Command("history", "Show every write attempt recorded in history.jsonl: host, drive, image, revisions, backup, outcome.") { drive, since, until, json };
            cmd.SetAction(parse => s.Run(parse, context =>
            {
                DateTimeOffset? from = null, to = null;
                foreach (var (option, set) in new (Option<string>, Action<DateTimeOffset>)[] { (since, v => from = v), (until, v => to = v) })
                {
                    var text = parse.GetValue(option);
                    if (text == null) continue;
                    // ISO 8601 only (a date first): a lenient parse would take "1.5" for the 5th of January.
                    if (!System.Text.RegularExpressions.Regex.IsMatch(text, @"^\d{4}-\d{2}-\d{2}") ||
                        !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var value))
                    {
                        s.Env.Err.WriteLine("error: " + option.Name + " '" + text + "' is not a date and time (use ISO 8601, e.g. 2025-01-31T08:00Z).");
                        return ExitCodes.Usage;
                    }
                    set(value);
                }
                var host = new ConsoleHost(s.Env, parse.GetValue(json), parse.GetValue(s.Verbose));
                // Attempt and outcome lines are paired; an attempt without an outcome (killed write) shows as "unknown".
                var entries = new GetHistoryOperation(context).Run(host, new HistoryQuery { Drives = parse.GetValue(drive), Since = from, Until = to }).ToList();
                if (host.Errors.Count > 0) return ExitCodes.From(host);
                if (parse.GetValue(json)) s.WriteJson(entries.Select(e => e.ToJson()).ToList());
                else if (entries.Count == 0) s.Env.Err.WriteLine("No write attempts recorded in " + context.HistoryFile + ".");
                else
                {
                    TextTable.Write(s.Env.Out, entries,
                        ("Started (UTC)", e => e.Attempt.StartedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)), ("Host", e => e.Attempt.ComputerName),
                        ("Drive", e => e.Drive), ("From", e => e.PreviousRevision), ("To", e => e.NewRevision ?? e.ExpectedRevision),
                        ("Outcome", e => e.Outcome), ("Error", e => e.ErrorId), ("Image", e => Path.GetFileName(e.Image ?? string.Empty)));
                    if (entries.Any(e => e.Outcome == HistoryEntry.UnknownOutcome))
                        s.Env.Err.WriteLine("note: an \"unknown\" outcome is a write that started sending to the drive but recorded no result " +
                                            "(the process was killed or the computer lost power): check that drive with 'mtkflash list'.");
                }
                return ExitCodes.From(host);
            }));
            return cmd;
        }
    }
}
