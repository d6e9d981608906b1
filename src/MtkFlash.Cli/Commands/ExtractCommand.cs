using System.CommandLine;
using MtkFlash.Core.Operations;

namespace MtkFlash.Cli.Commands
{
    /// <summary>`mtkflash extract FLASHER --out BIN` (Expand-FirmwareImage): take the image out of a vendor flasher EXE or HEX file.</summary>
    public static class ExtractCommand
    {
        public static Command Create(CommandServices s)
        {
            var source = new Argument<string>("flasher") { Description = "A vendor flasher EXE (LiteOn XFlash, scrambled or UPX-compressed too) or an Intel HEX file." };
            var output = OptionRules.OutputFile(new Option<string>("--out") { Description = "The .bin to write, never overwritten. A flasher with several images writes BIN-REV.bin per image (REV: its revision); into an existing folder, REV.bin.", HelpName = "BIN", Required = true });
            var json = new Option<bool>("--json") { Description = "Print JSON (reports of the written files)." };
            var cmd = new Command("extract", "Write the firmware image embedded in a vendor flasher to a .bin file, verified.") { source, output, json };
            cmd.SetAction(parse => s.Run(parse, context =>
            {
                bool asJson = parse.GetValue(json);
                var host = new ConsoleHost(s.Env, asJson, parse.GetValue(s.Verbose));
                var written = new ExtractFirmwareOperation().Run(host, parse.GetValue(source), parse.GetValue(output));
                if (asJson) s.WriteJson(written);
                else foreach (var r in written) s.Env.Out.WriteLine("wrote " + r.Path + " (" + r.Size + " bytes, sha256 " + r.Sha256 + ")" + (r.IsValid ? string.Empty : " - the image has problems, see `mtkflash test`"));
                return ExitCodes.From(host, failed: written.Count == 0);
            }, usesHome: false));
            return cmd;
        }
    }
}
