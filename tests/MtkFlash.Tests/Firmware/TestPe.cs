using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using MtkFlash.Core.Firmware.Formats;

namespace MtkFlash.Tests.Firmware
{
    /// <summary>
    /// A small 32-bit Windows PE that the tests write and pack with the real upx, to test UPX-compressed flashers end to
    /// end. The PE header sits at 0x200, so its section table starts at 0x2F8 as in LiteOn's flashers, and upx puts the
    /// names UPX0/UPX1 at 0x2F8/0x320 and its version and "UPX!" at 0x3DB/0x3E0. LiteOn hid those marks; HideUpxMarks does
    /// the same to a packed file, so that only a patched copy unpacks.
    /// </summary>
    public static class TestPe
    {
        const int FileAlign = 0x200, SectionAlign = 0x1000, HeaderSize = 0x400, PeOffset = 0x200;

        /// <summary>A PE whose .data section holds payload (a whole flasher body).</summary>
        public static byte[] Build(byte[] payload)
        {
            var text = new byte[FileAlign];
            text[0] = 0xC3; // ret
            for (int i = 1; i < text.Length; i++) text[i] = 0x90;
            var data = new byte[(payload.Length + FileAlign - 1) / FileAlign * FileAlign];
            payload.CopyTo(data, 0);
            var sections = new[] { (Name: ".text", Body: text, Flags: 0x60000020u), (Name: ".data", Body: data, Flags: 0xC0000040u) };

            var pe = new byte[HeaderSize + text.Length + data.Length];
            pe[0] = (byte)'M'; pe[1] = (byte)'Z';
            Le32(pe, 0x3C, PeOffset);
            int p = PeOffset;
            Encoding.ASCII.GetBytes("PE\0\0").CopyTo(pe, p);
            Le16(pe, p + 4, 0x14C);                  // i386
            Le16(pe, p + 6, sections.Length);
            Le16(pe, p + 20, 0xE0);                  // optional header size
            Le16(pe, p + 22, 0x010F);                // executable, 32-bit, stripped
            int o = p + 24;
            Le16(pe, o, 0x10B);                      // PE32
            Le32(pe, o + 4, FileAlign);              // size of code
            Le32(pe, o + 8, data.Length);            // size of initialised data
            Le32(pe, o + 16, SectionAlign);          // entry point
            Le32(pe, o + 20, SectionAlign);          // base of code
            Le32(pe, o + 24, 2 * SectionAlign);      // base of data
            Le32(pe, o + 28, 0x400000);              // image base
            Le32(pe, o + 32, SectionAlign);
            Le32(pe, o + 36, FileAlign);
            Le16(pe, o + 40, 4);                     // OS version 4.0
            Le16(pe, o + 48, 4);                     // subsystem version 4.0
            int va = SectionAlign, raw = HeaderSize;
            int table = o + 0xE0;
            for (int i = 0; i < sections.Length; i++)
            {
                var s = sections[i];
                int h = table + 40 * i;
                Encoding.ASCII.GetBytes(s.Name).CopyTo(pe, h);
                Le32(pe, h + 8, s.Body.Length);
                Le32(pe, h + 12, va);
                Le32(pe, h + 16, s.Body.Length);
                Le32(pe, h + 20, raw);
                Le32(pe, h + 36, (int)s.Flags);
                s.Body.CopyTo(pe, raw);
                raw += s.Body.Length;
                va += (s.Body.Length + SectionAlign - 1) / SectionAlign * SectionAlign;
            }
            Le32(pe, o + 56, va);                    // size of image
            Le32(pe, o + 60, HeaderSize);            // size of headers
            Le16(pe, o + 68, 2);                     // Windows GUI
            Le32(pe, o + 72, 0x100000); Le32(pe, o + 76, 0x1000); Le32(pe, o + 80, 0x100000); Le32(pe, o + 84, 0x1000);
            Le32(pe, o + 92, 16);                    // data directories
            return pe;
        }

        static void Le16(byte[] d, int at, int v) { d[at] = (byte)v; d[at + 1] = (byte)(v >> 8); }
        static void Le32(byte[] d, int at, int v) { Le16(d, at, v); Le16(d, at + 2, v >> 16); }

        /// <summary>The upx on PATH; the UPX tests need it (.ci/run installs Debian's upx-ucl).</summary>
        public static string Upx => UpxUnpacker.FindOnPath()
            ?? throw new InvalidOperationException("These tests pack a test PE with the real upx, and no upx is on PATH: install upx-ucl (.ci/run does).");

        /// <summary>pe packed by upx (in a temporary folder).</summary>
        public static byte[] Pack(byte[] pe)
        {
            var (code, said, packed) = RunUpx(null, pe);
            if (code != 0) throw new InvalidOperationException("upx could not pack the test PE: " + said);
            return packed;
        }

        /// <summary>Runs upx [option] -q on a copy of file; the exit code, what it said, and the file afterwards.</summary>
        public static (int ExitCode, string Said, byte[] File) RunUpx(string option, byte[] file)
        {
            var dir = Path.Combine(Path.GetTempPath(), "mtkflash-tests", "upx-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                var path = Path.Combine(dir, "flasher.exe");
                File.WriteAllBytes(path, file);
                var psi = new ProcessStartInfo(Upx, (option == null ? string.Empty : option + " ") + "-q \"" + path + "\"") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
                using var p = Process.Start(psi);
                var stderr = p.StandardError.ReadToEndAsync();
                var said = p.StandardOutput.ReadToEnd() + stderr.Result;
                p.WaitForExit();
                return (p.ExitCode, said, File.ReadAllBytes(path));
            }
            finally { Directory.Delete(dir, true); }
        }

        /// <summary>What LiteOn did to its packed flashers: the UPX section names and the version/"UPX" mark overwritten.</summary>
        public static byte[] HideUpxMarks(byte[] packed)
        {
            var d = (byte[])packed.Clone();
            if (Encoding.ASCII.GetString(d, 0x2F8, 4) != "UPX0" || Encoding.ASCII.GetString(d, 0x320, 4) != "UPX1" || Encoding.ASCII.GetString(d, 0x3E0, 4) != "UPX!")
                throw new InvalidOperationException("upx laid the packed file out differently than expected (UPX0 @0x2F8, UPX1 @0x320, UPX! @0x3E0).");
            Encoding.ASCII.GetBytes("LTN0").CopyTo(d, 0x2F8);
            Encoding.ASCII.GetBytes("LTN1").CopyTo(d, 0x320);
            Encoding.ASCII.GetBytes("2.00\0LTN").CopyTo(d, 0x3DB);
            return d;
        }

        /// <summary>A flasher body packed by upx, marks hidden the LiteOn way.</summary>
        public static byte[] PackedFlasher(FlasherSpec spec) => HideUpxMarks(Pack(Build(TestFlashers.Build(spec))));
    }
}
