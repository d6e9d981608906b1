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

        /// <summary>Bad names, profiles and revisions are usage errors (exit 2); anything else that failed is exit 1.</summary>
        static int ExitFor(ConsoleHost host) =>
            host.Errors.Count == 0 ? ExitCodes.Success :
            host.Errors.Any(e => e.Category == OperationErrorCategory.InvalidArgument) ? ExitCodes.Usage : ExitCodes.Failure;

        static Command New(CommandServices s)
        {
            var name = NameArgument();
            var profile = new Option<string>("--profile") { Description = "Profile (see 'mtkflash virtual profiles').", Required = true };
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
                return ExitFor(host);
            }));
            return cmd;
        }

        static Command Remove(CommandServices s)
        {
            var name = NameArgument();
            var cmd = new Command("remove", "Remove a virtual drive and its flash contents.") { name };
            cmd.SetAction(parse => s.Run(parse, context =>
            {
                var host = new ConsoleHost(s.Env, false, parse.GetValue(s.Verbose));
                var removed = new VirtualDriveOperations(context).Remove(host, parse.GetValue(name));
                if (removed != null) s.Env.Out.WriteLine("Removed " + removed.Path + ".");
                return ExitFor(host);
            }));
            return cmd;
        }

        static Command List(CommandServices s)
        {
            var json = new Option<bool>("--json") { Description = "Print JSON (an array of virtual drives)." };
            var cmd = new Command("list", "List virtual drives with their state, tray and faults.") { json };
            cmd.SetAction(parse => s.Run(parse, context =>
            {
                var drives = new VirtualDriveStore(context.HomeDirectory, context.Clock).List();
                if (parse.GetValue(json)) s.WriteJson(drives);
                else if (drives.Count == 0) s.Env.Err.WriteLine("No virtual drives. Create one: mtkflash virtual new demo --profile lg-bh16ns40");
                else TextTable.Write(s.Env.Out, drives,
                    ("Path", d => d.Path), ("Profile", d => d.Profile), ("Vendor", d => d.Vendor), ("Product", d => d.Product),
                    ("Revision", d => d.Revision), ("State", d => Json.EnumName(d.State)), ("Tray", d => Json.EnumName(d.Tray)),
                    ("Faults", d => d.Faults.ToString()));
                return ExitCodes.Success;
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
                    ("Revision", p => p.Revision), ("Flash", p => p.CanFlash ? "yes" : "no"), ("Size", p => (p.FlashSize / 1024) + " KiB"));
                return ExitCodes.Success;
            });
            return cmd;
        }

        static Command Image(CommandServices s)
        {
            var profile = new Option<string>("--profile") { Description = "Profile the image is for.", Required = true };
            var revision = new Option<string>("--revision") { Description = "Firmware revision written into the image (default: the profile's)." };
            var output = new Option<string>("--out") { Description = "File to write.", Required = true, HelpName = "FILE" };
            var force = new Option<bool>("--force") { Description = "Overwrite FILE if it exists." };
            var cmd = new Command("image", "Write a synthetic firmware image (structurally faithful, no real firmware code) for a profile.") { profile, revision, output, force };
            cmd.SetAction(parse =>
            {
                var p = VirtualProfiles.Find(parse.GetValue(profile));
                if (p == null) return Usage(s, "unknown profile '" + parse.GetValue(profile) + "'. Profiles: " + string.Join(", ", VirtualProfiles.All.Select(x => x.Name)) + ".");
                byte[] image;
                try { image = SyntheticImages.Build(p, parse.GetValue(revision)); }
                catch (ArgumentException ex) { return Usage(s, ex.Message.Split(new[] { " (Parameter" }, StringSplitOptions.None)[0]); }
                var path = Path.GetFullPath(parse.GetValue(output));
                if (File.Exists(path) && !parse.GetValue(force))
                {
                    s.Env.Err.WriteLine("error: " + path + " exists; use --force to overwrite it.");
                    return ExitCodes.Failure;
                }
                try { File.WriteAllBytes(path, image); }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    s.Env.Err.WriteLine("error: cannot write " + path + ": " + ex.Message);
                    return ExitCodes.Failure;
                }
                s.Env.Out.WriteLine("Wrote " + path + " (" + image.Length + " bytes, " + p.Name + " " + (parse.GetValue(revision) ?? p.Revision) + ").");
                return ExitCodes.Success;
            });
            return cmd;
        }

        static Command Fault(CommandServices s)
        {
            var name = NameArgument();
            var powerLoss = new Option<int?>("--power-loss-after") { Description = "Power fails after N more commands (re-opening the drive restores power).", HelpName = "N" };
            var transient = new Option<string[]>("--transient") { Description = "Answer the next COUNT commands with KIND instead of executing them: unit-attention (a reset: the download received so far is lost), microcode-changed, not-ready, busy.", HelpName = "KIND[:COUNT]" };
            var after = new Option<int?>("--after") { Description = "The --transient answers start after N more commands (0: the next one), to place a fault on a chosen command.", HelpName = "N" };
            var disc = new Option<string>("--disc") { Description = "Put a disc in the tray or take it out.", HelpName = "in|out" };
            disc.AcceptOnlyFromAmong("in", "out");
            var hang = new Option<int?>("--hang-after") { Description = "The drive hangs after N more commands (every command then times out) until --clear.", HelpName = "N" };
            var clear = new Option<bool>("--clear") { Description = "Remove all injected faults first." };
            var cmd = new Command("fault", "Inject faults into a virtual drive (persisted until they fire or are cleared).") { name, powerLoss, transient, after, disc, hang, clear };
            cmd.SetAction(parse => s.Run(parse, context =>
            {
                var transients = new List<TransientFault>();
                foreach (var t in parse.GetValue(transient) ?? new string[0])
                {
                    try { transients.Add(TransientFault.Parse(t)); }
                    catch (FormatException ex) { return Usage(s, ex.Message); }
                }
                var powerLossAfter = parse.GetValue(powerLoss);
                var hangAfter = parse.GetValue(hang);
                var transientsAfter = parse.GetValue(after);
                if (powerLossAfter < 0 || hangAfter < 0 || transientsAfter < 0) return Usage(s, "command counts cannot be negative.");
                if (transientsAfter != null && transients.Count == 0) return Usage(s, "--after places a --transient fault; give one.");
                foreach (var t in transients) t.After = transientsAfter ?? 0;
                TrayState? tray = parse.GetValue(disc) == null ? (TrayState?)null : parse.GetValue(disc) == "in" ? TrayState.Disc : TrayState.Empty;

                var host = new ConsoleHost(s.Env, false, parse.GetValue(s.Verbose));
                var faults = new VirtualDriveOperations(context).SetFaults(host, parse.GetValue(name), f =>
                {
                    if (parse.GetValue(clear)) { f.PowerLossAfter = null; f.HangAfter = null; f.Transients.Clear(); }
                    if (powerLossAfter != null) f.PowerLossAfter = powerLossAfter;
                    if (hangAfter != null) f.HangAfter = hangAfter;
                    f.Transients.AddRange(transients);
                }, tray);
                if (faults != null) s.Env.Out.WriteLine(VirtualDrivePlatform.Prefix + VirtualDriveStore.NameFromPath(parse.GetValue(name)) + " faults: " + faults);
                return ExitFor(host);
            }));
            return cmd;
        }

        static int Usage(CommandServices s, string message)
        {
            s.Env.Err.WriteLine("error: " + message);
            return ExitCodes.Usage;
        }
    }
}
