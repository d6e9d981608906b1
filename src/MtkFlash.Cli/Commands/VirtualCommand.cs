using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Serialization;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Cli.Commands
{
    /// <summary>`mtkflash virtual new|remove|list|profiles|image|fault`: the virtual-drive emulator's store.</summary>
    public static class VirtualCommand
    {
        public static Command Create(CommandServices s)
        {
            var cmd = new Command("virtual", "Create, list and remove virtual drives (emulated MediaTek and friends), make synthetic images, inject faults.");
            cmd.Subcommands.Add(New(s));
            cmd.Subcommands.Add(Remove(s));
            cmd.Subcommands.Add(List(s));
            cmd.Subcommands.Add(Profiles(s));
            cmd.Subcommands.Add(Image(s));
            cmd.Subcommands.Add(Fault(s));
            cmd.Subcommands.Add(ServeCommand.Create(s));   // mtkflash virtual serve NAME --iscsi ADDRESS:PORT
            return cmd;
        }

        static Argument<string> NameArgument() => new Argument<string>("name") { Description = "Drive name (letters, digits, '.', '_', '-'); used as virtual:NAME." };

        static Command New(CommandServices s)
        {
            var name = NameArgument();
            var profile = OptionRules.Profile("Profile (see 'mtkflash virtual profiles').", required: true);
            var revision = new Option<string>("--revision") { Description = "Firmware revision of the initial flash (default: the profile's)." };
            var disc = new Option<bool>("--disc") { Description = "Start with a disc in the tray." };
            var json = new Option<bool>("--json") { Description = "Print the new drive as JSON." };
            var cmd = new Command("new", "Create a virtual drive.") { name, profile, revision, disc, json };
            cmd.SetAction(parse => s.Run(parse, context =>
            {
                var host = new ConsoleHost(s.Env, parse.GetValue(json), parse.GetValue(s.Verbose));
                var drive = new VirtualDriveOperations(context).New(host, parse.GetValue(name), parse.GetValue(profile), parse.GetValue(revision), parse.GetValue(disc));
                if (drive != null)
                {
                    if (parse.GetValue(json)) s.WriteJson(drive);
                    else s.Env.Out.WriteLine("Created " + drive.Path + ": " + drive.Vendor + " " + drive.Product + " " + drive.Revision + " (" + Json.EnumName(drive.Family) + ").");
                }
                return ExitCodes.From(host);
            }));
            return cmd;
        }

        static Command Remove(CommandServices s)
        {
            var name = NameArgument();
            var force = new Option<bool>("--force") { Description = "Also clear a folder of that name that is not a valid drive (no drive.json). Only MtkFlash's own files are ever removed." };
            var cmd = new Command("remove", "Remove a virtual drive (damaged ones too): MtkFlash's own files in its folder, nothing else.") { name, force };
            cmd.SetAction(parse => s.Run(parse, context =>
            {
                var host = new ConsoleHost(s.Env, false, parse.GetValue(s.Verbose));
                var removed = new VirtualDriveOperations(context).Remove(host, parse.GetValue(name), parse.GetValue(force));
                if (removed != null) s.Env.Out.WriteLine("Removed " + removed.Path + ".");
                return ExitCodes.From(host);
            }));
            return cmd;
        }

        static Command List(CommandServices s)
        {
            var json = new Option<bool>("--json") { Description = "Print JSON (an array of virtual drives)." };
            var cmd = new Command("list", "List virtual drives with their state, tray and faults.") { json };
            cmd.SetAction(parse => s.Run(parse, context =>
            {
                var host = new ConsoleHost(s.Env, parse.GetValue(json), parse.GetValue(s.Verbose));
                var drives = new VirtualDriveOperations(context).List(host);
                foreach (var d in drives.Where(d => d.Damage != null))
                    host.WriteWarning(d.Path + " is damaged: " + d.Damage + " Remove it with 'mtkflash virtual remove " + d.Name + "'.");
                if (parse.GetValue(json)) s.WriteJson(drives);
                else if (drives.Count == 0) s.Env.Err.WriteLine("No virtual drives. Create one: mtkflash virtual new demo --profile lg-bh16ns40");
                else TextTable.Write(s.Env.Out, drives,
                    ("Path", d => d.Path), ("Profile", d => d.Profile), ("Vendor", d => d.Vendor), ("Product", d => d.Product),
                    ("Revision", d => d.Revision), ("State", d => d.State == null ? "damaged" : Json.EnumName(d.State.Value)), ("Tray", d => d.Damage != null ? null : Json.EnumName(d.Tray)),
                    ("Faults", d => d.Faults?.ToString()));
                return ExitCodes.From(host);
            }));
            return cmd;
        }

        static Command Profiles(CommandServices s)
        {
            var json = new Option<bool>("--json") { Description = "Print JSON (name, family, vendor, product, revision, canFlash, model, flashSize)." };
            var cmd = new Command("profiles", "List the drive models the emulator imitates.") { json };
            cmd.SetAction(parse =>
            {
                if (parse.GetValue(json)) s.WriteJson(VirtualProfiles.All);
                else TextTable.Write(s.Env.Out, VirtualProfiles.All,
                    ("Name", p => p.Name), ("Family", p => Json.EnumName(p.Family)), ("Vendor", p => p.Vendor), ("Product", p => p.Product),
                    ("Revision", p => p.Revision), ("Flash", p => p.CanFlash ? "yes" : "no"), ("Listed", p => p.Listed ? "yes" : "no"), ("Size", p => (p.FlashSize / 1024) + " KiB"));
                return ExitCodes.From(failed: false);
            });
            return cmd;
        }

        static Command Image(CommandServices s)
        {
            var profile = OptionRules.Profile("Profile the image is for.", required: true);
            var revision = new Option<string>("--revision") { Description = "Firmware revision written into the image (default: the profile's)." };
            var output = OptionRules.OutputFile(new Option<string>("--out") { Description = "File to write.", Required = true, HelpName = "FILE" });
            var force = new Option<bool>("--force") { Description = "Overwrite FILE if it exists." };
            var cmd = new Command("image", "Write a synthetic firmware image (structurally faithful, no real firmware code) for a profile.") { profile, revision, output, force };
            cmd.SetAction(parse => s.Run(parse, context =>
            {
                var host = new ConsoleHost(s.Env, false, parse.GetValue(s.Verbose));
                var report = new VirtualDriveOperations(context).NewImage(host, parse.GetValue(profile), parse.GetValue(revision), parse.GetValue(output), parse.GetValue(force));
                if (report != null) s.Env.Out.WriteLine("Wrote " + report.Path + " (" + report.Size + " bytes, " + report.Vendor + " " + report.Product + " " + report.Revision + ").");
                return ExitCodes.From(host);
            }));
            return cmd;
        }

        static Command Fault(CommandServices s)
        {
            var name = NameArgument();
            var powerLoss = OptionRules.CommandCount("--power-loss-after", "Power fails after N more commands (re-opening the drive restores power).");
            var transient = new Option<string[]>("--transient") { Description = "Answer the next COUNT commands with KIND instead of executing them: unit-attention (a reset: the download received so far is lost), microcode-changed, not-ready, busy.", HelpName = "KIND[:COUNT]" };
            var after = OptionRules.CommandCount("--after", "The --transient answers start after N more commands (0: the next one), to place a fault on a chosen command.");
            var disc = new Option<string>("--disc") { Description = "Put a disc in the tray or take it out.", HelpName = "in|out" };
            disc.AcceptOnlyFromAmong("in", "out");
            var hang = OptionRules.CommandCount("--hang-after", "The drive hangs after N more commands (every command then times out) until --clear.");
            var clear = new Option<bool>("--clear") { Description = "Remove all injected faults first." };
            var cmd = new Command("fault", "Inject faults into a virtual drive (persisted until they fire or are cleared).") { name, powerLoss, transient, after, disc, hang, clear };
            // An option combination, so the parser checks it (exit 2) in the CLI's own words; the operation checks it too.
            cmd.Validators.Add(r =>
            {
                if (r.GetResult(after) != null && (r.GetResult(transient)?.Tokens.Count ?? 0) == 0)
                    r.AddError("--after places a --transient fault; give one.");
            });
            cmd.SetAction(parse => s.Run(parse, context =>
            {
                var host = new ConsoleHost(s.Env, false, parse.GetValue(s.Verbose));
                var info = new VirtualDriveOperations(context).ApplyFaults(host, parse.GetValue(name), new VirtualDriveOperations.FaultRequest
                {
                    Clear = parse.GetValue(clear),
                    PowerLossAfter = parse.GetValue(powerLoss),
                    HangAfter = parse.GetValue(hang),
                    Transients = parse.GetValue(transient),
                    TransientsAfter = parse.GetValue(after),
                    Tray = parse.GetValue(disc) == null ? (TrayState?)null : parse.GetValue(disc) == "in" ? TrayState.Disc : TrayState.Empty,
                });
                if (info != null) s.Env.Out.WriteLine(info.Path + " faults: " + info.Faults);
                return ExitCodes.From(host);
            }));
            return cmd;
        }
    }
}
