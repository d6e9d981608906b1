using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using MtkFlash.Core.Flashing;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Serialization;

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
            cmd.SetAction(parse => s.Run(parse, context =>
            {
                var host = new ConsoleHost(s.Env, parse.GetValue(json), parse.GetValue(s.Verbose));
                var file = context.HistoryFile;
                var entries = new List<Dictionary<string, object>>();
                int line = 0;
                string[] lines;
                try
                {
                    // A FIFO or device in its place would block or never end; refuse it before opening.
                    var special = FileKinds.SpecialFileProblem(file);
                    if (special != null) throw new IOException(special);
                    lines = HistoryLog.ReadLines(file);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    host.WriteError(new Core.Operations.OperationError("HistoryUnreadable", Core.Operations.OperationErrorCategory.ReadError,
                        "Cannot read the history " + file + ": " + CommandServices.Reason(ex), file, ex));
                    return ExitCodes.From(host);
                }
                foreach (var text in lines)
                {
                    line++;
                    if (text.Trim().Length == 0) continue;
                    try { entries.Add(Json.ParseObject(text)); }
                    catch (System.FormatException ex) { s.Env.Err.WriteLine("warning: " + file + " line " + line + " is not valid JSON (" + ex.Message + "); skipped."); }
                }
                var filter = parse.GetValue(drive);
                if (!string.IsNullOrEmpty(filter)) entries = entries.Where(e => Wildcard.IsMatch(e.GetString("drive") ?? string.Empty, filter)).ToList();
                if (parse.GetValue(json)) s.WriteJson(entries);
                else if (entries.Count == 0) s.Env.Err.WriteLine("No write attempts recorded in " + file + ".");
                else TextTable.Write(s.Env.Out, entries,
                    ("Started (UTC)", e => e.GetString("startedUtc")), ("Drive", e => e.GetString("drive")),
                    ("From", e => e.GetString("previousRevision")), ("To", e => e.GetString("newRevision") ?? e.GetString("expectedRevision")),
                    ("Outcome", e => e.GetString("outcome")), ("Error", e => e.GetString("errorId")), ("Image", e => Path.GetFileName(e.GetString("image") ?? string.Empty)));
                return ExitCodes.From(host);
            }));
            return cmd;
        }
    }
}
