using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Cli.Commands
{
    /// <summary>
    /// `mtkflash demo`: the main job end to end on a fresh virtual drive, by running the real commands one after the other
    /// and showing each command line: create, list, back up, test a newer synthetic image, write it, list, history.
    /// </summary>
    public static class DemoCommand
    {
        public static Command Create(CommandServices s)
        {
            var profile = OptionRules.Profile("Virtual drive profile (see 'mtkflash virtual profiles').", required: false);
            profile.DefaultValueFactory = _ => "lg-bh16ns40";
            var remove = new Option<bool>("--remove") { Description = "Remove the demo drive afterwards." };
            var cmd = new Command("demo", "Show the main job on a new virtual drive: list, back up, test an image, flash it, verify, history.") { profile, remove };
            cmd.SetAction(parse =>
            {
                // Not through s.Run: each step is a full run that opens --trace itself.
                if (s.HomeUnusable() is int unusable) return unusable;
                var p = VirtualProfiles.Get(parse.GetValue(profile));   // checked at parse time
                var name = "demo-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss");
                var drive = "virtual:" + name;
                var work = Path.Combine(s.Env.HomeDirectory, "demo", name);
                Directory.CreateDirectory(work);
                var newer = NextRevision(p.Revision);
                var image = Path.Combine(work, p.Name + "-" + newer + ".bin");
                var backups = Path.Combine(work, "backups");
                Directory.CreateDirectory(backups);
                var trace = parse.GetValue(s.Trace);
                var steps = new[]
                {
                    ("Create a virtual " + p.Vendor + " " + p.Product + " (" + p.Family.ToString().ToLowerInvariant() + ") with firmware " + p.Revision, new[] { "virtual", "new", name, "--profile", p.Name }),
                    ("List the drives", new[] { "list" }),
                    ("Back it up (verified bundle)", new[] { "backup", drive, "--out", backups }),
                    ("Make a newer synthetic image (" + newer + ")", new[] { "virtual", "image", "--profile", p.Name, "--revision", newer, "--out", image }),
                    ("Test the image against the drive", new[] { "test", image, "--drive", drive }),
                    ("Flash it: checks, automatic backup, progress, wait, verify", new[] { "write", drive, image, "--yes", "--backup-dir", backups }),
                    ("The drive now reports", new[] { "list", drive }),
                };
                int n = 0;
                foreach (var (title, args) in steps)
                {
                    n++;
                    var full = string.IsNullOrEmpty(trace) ? args : args.Concat(new[] { "--trace", trace }).ToArray();
                    s.Env.Out.WriteLine();
                    s.Env.Out.WriteLine("== " + n + ". " + title);
                    s.Env.Out.WriteLine("$ mtkflash " + string.Join(" ", args.Select(Quote)));
                    s.Env.Out.Flush();
                    var rc = CliApp.Run(full, s.Env);
                    if (rc != ExitCodes.Success)
                    {
                        s.Env.Err.WriteLine("demo: step " + n + " exited with " + rc + "; stopping.");
                        return ExitCodes.From(failed: true);
                    }
                }
                s.Env.Out.WriteLine();
                s.Env.Out.WriteLine("== " + (++n) + ". The history entry (" + Path.Combine(s.Env.HomeDirectory, "history.jsonl") + ")");
                var history = Path.Combine(s.Env.HomeDirectory, "history.jsonl");
                var last = File.Exists(history) ? File.ReadAllLines(history).LastOrDefault(l => l.Contains("\"" + drive + "\"")) : null;
                s.Env.Out.WriteLine(last ?? "(no history entry found)");
                if (parse.GetValue(remove)) CliApp.Run(new[] { "virtual", "remove", name }, s.Env);
                else s.Env.Out.WriteLine("\nThe demo drive stays as " + drive + " (remove it with: mtkflash virtual remove " + name + ").");
                return ExitCodes.From(failed: last == null);
            });
            return cmd;
        }

        static string Quote(string a) => a.IndexOf(' ') >= 0 ? "\"" + a + "\"" : a;

        /// <summary>The next revision: the last digit or letter counted up ("1.02" → "1.03", "TS01" → "TS02").</summary>
        internal static string NextRevision(string revision)
        {
            var chars = revision.ToCharArray();
            for (int i = chars.Length - 1; i >= 0; i--)
            {
                char c = chars[i];
                if (c >= '0' && c < '9' || c >= 'A' && c < 'Z') { chars[i] = (char)(c + 1); return new string(chars); }
                if (c == '9') { chars[i] = '0'; continue; }
                if (c == 'Z') { chars[i] = 'A'; continue; }
            }
            return revision + "1";
        }
    }
}
