using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Serialization;

namespace MtkFlash.Cli.Commands
{
    /// <summary>`mtkflash test IMAGE... [--drive PATH] [--json]` (Test-FirmwareImage). Exit 0 when every file is valid (and fits).</summary>
    public static class TestCommand
    {
        public static Command Create(CommandServices s)
        {
            var images = new Argument<string[]>("image") { Description = "Firmware files (.bin, .hex, vendor flasher .exe); wildcards in the file name are expanded.", Arity = ArgumentArity.OneOrMore };
            var drive = new Option<string[]>("--drive") { Description = "Also say whether each image fits this drive (repeatable).", HelpName = "PATH" };
            var json = new Option<bool>("--json") { Description = "Print JSON (an array of reports)." };
            var cmd = new Command("test", "Check firmware images: format, family, identity, size, checksum, SHA-256, and whether they fit a drive.") { images, drive, json };
            cmd.SetAction(parse => s.Run(parse, context =>
            {
                bool asJson = parse.GetValue(json);
                var host = new ConsoleHost(s.Env, asJson, parse.GetValue(s.Verbose));
                var drivePaths = parse.GetValue(drive) ?? new string[0];
                var drives = new List<OpticalDrive>();
                foreach (var path in drivePaths)
                {
                    try { drives.Add(new GetDrivesOperation(context).IdentifyOne(path)); }
                    catch (Exception ex) when (!(ex is OperationCanceledException)) { host.WriteError(OperationErrors.FromException(ex, path, "Drive " + path)); }
                }
                if (drivePaths.Length > 0 && drives.Count == 0) return ExitCodes.From(host, failed: true);

                var reports = new TestFirmwareImageOperation().Run(host, parse.GetValue(images), drives);
                if (asJson) s.WriteJson(reports);
                else foreach (var r in reports) Render(s.Env.Out, r);
                return ExitCodes.From(host, failed: reports.Count == 0 || !reports.All(TestFirmwareImageOperation.Passed));
            }, usesHome: (parse.GetValue(drive)?.Length ?? 0) > 0));
            return cmd;
        }

        /// <summary>A method parameter for people: vote counts in decimal, offsets and keys in hex.</summary>
        static string Parameter(KeyValuePair<string, object> p) =>
            p.Key + " " + (p.Value is int n && !p.Key.EndsWith("Votes", StringComparison.Ordinal) ? "0x" + n.ToString(n < 0x100 ? "X2" : "X") : Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture));

        static void Render(System.IO.TextWriter o, FirmwareImageReport r)
        {
            var identity = string.Join(" ", new[] { r.Vendor, r.Product, r.Revision }.Where(x => !string.IsNullOrEmpty(x)));
            o.WriteLine(r.Path + ": " + (r.IsValid ? "valid" : "NOT VALID") + ", " + Json.EnumName(r.Format) + ", " + Json.EnumName(r.Family) +
                        (identity.Length > 0 ? ", " + identity : string.Empty) + ", " + r.Size + " bytes");
            if (r.Sha256 != null) o.WriteLine("  sha256   " + r.Sha256);
            if (r.Checksum != null)
                o.WriteLine("  checksum " + r.Checksum.Actual + (r.Checksum.Ok == null ? " (not stored in the image)" : r.Checksum.Ok == true ? " ok" : " MISMATCH, stored " + r.Checksum.Expected));
            if (r.Details.BootId != null) o.WriteLine("  boot id  '" + r.Details.BootId + "'" + (r.Details.Chip != null ? ", chip " + r.Details.Chip : string.Empty));
            if (r.Format == FirmwareFormat.XFlashExe)
                o.WriteLine("  flasher  XFlash " + (r.Details.FlasherVersion ?? "(no version)") + (r.Details.FlasherCompression != null ? ", unpacked with " + r.Details.FlasherCompression : string.Empty));
            foreach (var e in r.Details.Embedded ?? new List<EmbeddedImage>())
                o.WriteLine("  image " + e.Index + "  " + e.Revision + ", " + e.Size + " bytes at 0x" + e.Offset.ToString("X") + ", " +
                            (e.Method == null ? "method unknown" : "method " + e.Method + (e.MethodParameters == null ? string.Empty : " (" + string.Join(", ", e.MethodParameters.Select(Parameter)) + ")")) +
                            (e.Extracted ? ", extracted" + (e.Rebanked ? " (rebanked)" : string.Empty) : ", NOT extracted"));
            foreach (var p in r.Problems) o.WriteLine("  " + Json.EnumName(p.Severity) + " " + p.Code + ": " + p.Message);
            if (r.Compatibility != null)
            {
                var c = r.Compatibility;
                o.WriteLine("  drive " + c.Drive + ": " + Json.EnumName(c.Verdict) + (c.Newer != RevisionComparison.Unknown ? " (" + Json.EnumName(c.Newer) + ")" : string.Empty));
                foreach (var reason in c.Reasons) o.WriteLine("    " + reason);
            }
        }
    }
}
