using System;
using System.Collections.Generic;
using System.Linq;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Serialization;
using Xunit;
using static MtkFlash.Tests.Firmware.TestFlashers;
using static MtkFlash.Tests.Firmware.TestImages;

namespace MtkFlash.Tests.Firmware
{
    /// <summary>
    /// Whole flashers through the analyser, as Test-FirmwareImage sees them: every variant gives back the exact image bytes
    /// (SHA-256), and every failure is its own problem code with nothing extracted.
    /// </summary>
    public class XFlashExtractionTests
    {
        static readonly FirmwareAnalysisOptions NoTool = FirmwareAnalysisOptions.WithoutUnpacker();

        static string[] Codes(FirmwareImageReport r) => r.Problems.Select(p => p.Code).ToArray();
        static string Problems(FirmwareImageReport r) => string.Join("; ", r.Problems);

        static byte[][] Images(int n, Func<string, int, byte[]> make = null)
        {
            var revs = Revs(n);
            return Enumerable.Range(0, n).Select(i => (make ?? ((rev, seed) => LiteOn(revision: rev, size: 128 * KiB, internalRevision: null, seed: seed)))(revs[i], 100 + i)).ToArray();
        }

        static string[] Revs(int n) => new[] { "US0N", "US0Q", "US0R", "US0S" }.Take(n).ToArray();

        static FirmwareImage AssertExtracts(FlasherSpec spec, int method)
        {
            var loaded = FirmwareAnalyzer.Load(Build(spec), "flash.exe", NoTool);
            var r = loaded.Report;
            Assert.True(r.IsValid, Problems(r));
            Assert.Equal(FirmwareFormat.XFlashExe, r.Format);
            Assert.Equal(DriveFamily.LiteOn8051, r.Family);
            Assert.Equal(spec.Images.Count, loaded.Embedded.Count);
            for (int i = 0; i < spec.Images.Count; i++)
            {
                Assert.Equal(Sha256(spec.Images[i]), Sha256(loaded.Embedded[i]));
                var e = r.Details.Embedded[i];
                Assert.Equal((i + 1, spec.Revisions[i], method, true), (e.Index, e.Revision, e.Method.Value, e.Extracted));
                Assert.Equal(Sha256(spec.Images[i]), e.Sha256);
                Assert.Same(e, loaded.EmbeddedEntries[i]);
            }
            Assert.Equal(Sha256(spec.Images[0]), r.Sha256);
            return loaded;
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(4)]
        public void Plain_flasher_with_HOW_MANY_BIN_n_gives_back_every_image(int n)
        {
            var spec = new FlasherSpec { Images = Images(n), Revisions = Revs(n) };
            var loaded = AssertExtracts(spec, 0);
            Assert.All(loaded.Report.Details.Embedded, e => Assert.Null(e.MethodParameters));
            Assert.Equal("1.02.03", loaded.Report.Details.FlasherVersion);
            Assert.DoesNotContain(FirmwareProblemCodes.XFlashVersionUnknown, Codes(loaded.Report));
        }

        [Theory]
        [InlineData(0, 0, "2.0.5")]
        [InlineData(0x400, 0x1000, "2.1.0")]
        [InlineData(0x400, 0x1000, "2.2.1")]
        public void Method_1_flip_n_swap_both_parameter_sets(int skipPre, int skipLen, string version)
        {
            var spec = new FlasherSpec { Images = Images(2), Revisions = Revs(2), Version = version, Method = 1, SkipPre = skipPre, SkipLen = skipLen };
            var r = AssertExtracts(spec, 1).Report;
            var p = r.Details.Embedded[0].MethodParameters;
            Assert.Equal((skipPre, skipLen), ((int)p["skipPre"], (int)p["skipLen"]));
            Assert.Equal(skipLen > 0, p.ContainsKey("ffRunOffset"));
        }

        [Theory]
        [InlineData("2.1.0", false)]
        [InlineData("2.1.5", true)]
        public void Method_2_fibonacci(string version, bool rrPrefix)
        {
            var spec = new FlasherSpec { Images = Images(3), Revisions = Revs(3), Version = version, RrPrefix = rrPrefix, Method = 2, Seed = 9 };
            var exe = Build(spec);
            var r = AssertExtracts(spec, 2).Report;
            int t = TableEnd(exe);
            for (int i = 0; i < 3; i++)
            {
                var p = r.Details.Embedded[i].MethodParameters;
                Assert.Equal(t + 0x400 * i, (int)p["keyOffset"]);
                Assert.Equal(RevisionKey(Revs(3)[i]), (int)p["fwKey"]);
            }
            Assert.Equal(t + 0x1000, r.Details.Embedded[0].Offset);
            Assert.Equal(version, r.Details.FlasherVersion);
        }

        [Theory]
        [InlineData(0x7F, false, 0xA5)]
        [InlineData(0x3F, true, 0x00)]
        [InlineData(0x7F, true, 0x5C)]
        public void Method_3_and_key_with_the_exkey_estimate(int andKey, bool altLoad, int exKey)
        {
            var spec = new FlasherSpec
            {
                Images = new[] { CodeLike("US0N", 128 * KiB, 1), CodeLike("US0Q", 256 * KiB, 2) }, Revisions = Revs(2),
                Version = "2.1.0", Method = 3, AndKey = andKey, AltLoad = altLoad, ExKey = (byte)exKey,
            };
            var r = AssertExtracts(spec, 3).Report;
            foreach (var e in r.Details.Embedded)
            {
                Assert.Equal(andKey, (int)e.MethodParameters["andKey"]);
                Assert.Equal(exKey, (int)e.MethodParameters["exKey"]);
                Assert.True((int)e.MethodParameters["exKeyVotes"] > (int)e.MethodParameters["runnerUpVotes"]);
            }
            var json = Json.Serialize(r);
            Assert.Contains("\"method\":3", json);
            Assert.Contains("\"methodParameters\":{\"keyOffset\":", json);
        }

        [Fact]
        public void Para_opt_from_2_2_0_processes_all_four_entries_whatever_the_count_says()
        {
            var para = new FlasherSpec { Images = Images(3), Revisions = Revs(3), Version = "2.2.0", Method = 2, CountKey = "PARA_OPT", CountText = "1" };
            var r = AssertExtracts(para, 2).Report;
            Assert.Equal(3, r.Details.Embedded.Count);

            // Before 2.2.0 the count is obeyed: one of the two images.
            var older = new FlasherSpec { Images = Images(2), Revisions = Revs(2), Version = "2.1.0", Method = 2, CountText = "1" };
            var loaded = FirmwareAnalyzer.Load(Build(older), "x.exe", NoTool);
            Assert.True(loaded.Report.IsValid, Problems(loaded.Report));
            Assert.Equal(Sha256(older.Images[0]), Sha256(Assert.Single(loaded.Embedded)));

            // A PARA_OPT flasher before 2.2.0 takes its value as the count, like HOW_MANY_BIN.
            var early = new FlasherSpec { Images = Images(2), Revisions = Revs(2), Version = "1.02.03", CountKey = "PARA_OPT", CountText = "2" };
            Assert.Equal(2, FirmwareAnalyzer.Load(Build(early), "x.exe", NoTool).Embedded.Count);
        }

        [Fact]
        public void An_image_or_key_running_past_the_end_of_the_file_is_XFlashOutsideFile()
        {
            var spec = new FlasherSpec { Images = Images(2), Revisions = Revs(2), Version = "2.1.0", Method = 2 };
            var exe = Build(spec);
            // Cut in the middle of the second image: the first still comes out, the second is reported.
            int t = TableEnd(exe);
            var cut = exe.Take(t + 0x1000 + 128 * KiB + 0x8000).ToArray();
            var loaded = FirmwareAnalyzer.Load(cut, "cut.exe", NoTool);
            Assert.Contains(FirmwareProblemCodes.XFlashOutsideFile, Codes(loaded.Report));
            Assert.False(loaded.Report.IsValid);
            Assert.Equal(Sha256(spec.Images[0]), Sha256(Assert.Single(loaded.Embedded)));
            Assert.Equal(new[] { true, false }, loaded.Report.Details.Embedded.Select(e => e.Extracted));

            // Cut inside the key area: the key itself runs past the end.
            var keyCut = FirmwareAnalyzer.Analyze(exe.Take(t + 0x200).ToArray(), "k.exe", NoTool);
            var p = keyCut.Problems.First(x => x.Code == FirmwareProblemCodes.XFlashOutsideFile);
            Assert.Contains("key", p.Message);
            Assert.Null(keyCut.Sha256);

            // A start far beyond the file and a size past it.
            Assert.Contains(FirmwareProblemCodes.XFlashOutsideFile, Codes(FirmwareAnalyzer.Analyze(XFlash(Images(1), Revs(1), startOverride: 9_000_000_000), null, NoTool)));
            Assert.Contains(FirmwareProblemCodes.XFlashOutsideFile, Codes(FirmwareAnalyzer.Analyze(XFlash(Images(1), Revs(1), sizeOverride: 9_999_999_999), null, NoTool)));
        }

        [Fact]
        public void Without_a_version_string_the_image_is_taken_as_plain_and_kept_only_if_it_passes_the_bank_check()
        {
            var plain = FirmwareAnalyzer.Load(Build(new FlasherSpec { Images = Images(1), Revisions = Revs(1), Version = null }), "old.exe", NoTool);
            Assert.True(plain.Report.IsValid, Problems(plain.Report));
            Assert.Equal(ProblemSeverity.Warning, plain.Report.Problems.Single(p => p.Code == FirmwareProblemCodes.XFlashVersionUnknown).Severity);
            Assert.Null(plain.Report.Details.FlasherVersion);

            // Scrambled bytes in a flasher without a version: the plain reading fails the check; nothing is passed on.
            var scrambled = Build(new FlasherSpec { Images = Images(1), Revisions = Revs(1), Version = null, Method = 1, SkipPre = 0x400, SkipLen = 0x1000 });
            var r = FirmwareAnalyzer.Load(scrambled, "unknown.exe", NoTool);
            Assert.Contains(FirmwareProblemCodes.XFlashVersionUnknown, Codes(r.Report));
            Assert.Contains(FirmwareProblemCodes.XFlashBankCheckFailed, Codes(r.Report));
            Assert.Empty(r.Embedded);
            Assert.Null(r.Report.Sha256);
            Assert.False(r.Report.IsValid);
        }

        [Theory]
        [InlineData("2.0.7", true)]   // scrambled (≥ 2.0.5) but neither 2.0.5 nor ≥ 2.1.0
        [InlineData("2.1.0", false)]  // no method code and no 0xFF run
        [InlineData("3.0.0", false)]
        public void A_method_that_cannot_be_determined_is_XFlashMethodUnknown_and_nothing_is_extracted(string version, bool evidence)
        {
            var spec = new FlasherSpec { Images = Images(2), Revisions = Revs(2), Version = version, Method = 2, Evidence = evidence };
            var r = FirmwareAnalyzer.Load(Build(spec), "x.exe", NoTool);
            Assert.Contains(FirmwareProblemCodes.XFlashMethodUnknown, Codes(r.Report));
            Assert.Empty(r.Embedded);
            Assert.False(r.Report.IsValid);
            Assert.Equal(FirmwareFormat.XFlashExe, r.Report.Format);
            // The entries are still listed: the user learns what the flasher holds.
            Assert.Equal(new[] { "US0N", "US0Q" }, r.Report.Details.Embedded.Select(e => e.Revision));
            Assert.All(r.Report.Details.Embedded, e => Assert.Null(e.Method));
            Assert.All(r.Report.Details.Embedded, e => Assert.False(e.Extracted));
        }

        [Fact]
        public void A_decode_that_fails_the_bank_check_is_XFlashBankCheckFailed_and_the_rebanked_form_passes()
        {
            // A correctly decoded image that is not 8051 code (bank 1 starts with 0x00): refused.
            var notCode = LiteOn(size: 128 * KiB, seed: 4);
            notCode[0x10000] = 0x00;
            var bad = FirmwareAnalyzer.Load(Build(new FlasherSpec { Images = new[] { notCode }, Revisions = Revs(1), Version = "2.1.0", Method = 2 }), "b.exe", NoTool);
            Assert.Contains(FirmwareProblemCodes.XFlashBankCheckFailed, Codes(bad.Report));
            Assert.Contains("bank(s) 1", bad.Report.Problems.First(p => p.Code == FirmwareProblemCodes.XFlashBankCheckFailed).Message);
            Assert.Empty(bad.Embedded);
            Assert.Equal(2, bad.Report.Details.Embedded[0].Method);

            // A damaged scrambled body: the walk's XORs do not depend on the data, so a flipped stored byte at bank 1's
            // start comes out flipped, and the check catches it.
            var spec = new FlasherSpec { Images = Images(1), Revisions = Revs(1), Version = "2.1.0", Method = 2, Seed = 3 };
            var exe = Build(spec);
            exe[TableEnd(exe) + 0x1000 + 0x10000] ^= 0xFF;
            var damaged = FirmwareAnalyzer.Load(exe, "k.exe", NoTool);
            Assert.Contains(FirmwareProblemCodes.XFlashBankCheckFailed, Codes(damaged.Report));
            Assert.Empty(damaged.Embedded);

            // Rebanked: bank 1 does not start with 0x02, but byte 0x4000 does and LITEONIT sits at 0xFFF8.
            var rebanked = LiteOn(size: 128 * KiB, seed: 5);
            rebanked[0x10000] = 0x75;
            rebanked[0x4000] = 0x02;
            System.Text.Encoding.ASCII.GetBytes("LITEONIT").CopyTo(rebanked, 0xFFF8);
            var ok = FirmwareAnalyzer.Load(Build(new FlasherSpec { Images = new[] { rebanked }, Revisions = Revs(1), Version = "2.1.0", Method = 2 }), "r.exe", NoTool);
            Assert.DoesNotContain(FirmwareProblemCodes.XFlashBankCheckFailed, Codes(ok.Report));
            Assert.Equal(Sha256(rebanked), Sha256(Assert.Single(ok.Embedded)));
            Assert.True(ok.Report.Details.Embedded[0].Rebanked);
        }

        [Fact]
        public void An_exkey_tie_is_XFlashKeyAmbiguous_never_a_coin_toss()
        {
            // Scrambled bytes built so that two exkey values get the same votes.
            var spec = new FlasherSpec { Images = new[] { CodeLike() }, Revisions = Revs(1), Version = "2.1.0", Method = 3, Seed = 12 };
            var exe = Build(spec);
            int t = TableEnd(exe), data = t + 0x1000, size = 128 * KiB;
            var key = exe.Skip(t).Take(0x400).ToArray();
            var positions = AndKeyExPositions(size, key, spec.AndKey);
            byte fw = RevisionKey("US0N");
            foreach (var p in positions) if (p > 0) exe[data + p - 1] = 0x11; // no zero-neighbour bonus anywhere
            for (int i = 0; i < positions.Count; i++) exe[data + positions[i]] = (byte)(fw ^ (i == 0 ? 0x40 : i % 2 == 1 ? 0x20 : 0x30));
            var r = FirmwareAnalyzer.Load(exe, "tie.exe", NoTool);
            Assert.Contains(FirmwareProblemCodes.XFlashKeyAmbiguous, Codes(r.Report));
            Assert.Empty(r.Embedded);
            Assert.Equal(0x20, (int)r.Report.Details.Embedded[0].MethodParameters["exKey"]);
        }

        [Theory]
        [InlineData("0")]
        [InlineData("9")]
        [InlineData("00000000000000000000001")]
        public void A_count_outside_1_to_4_is_XFlashDescriptorInvalid(string count)
        {
            var r = FirmwareAnalyzer.Analyze(XFlash(Images(1), Revs(1), howMany: count), "c.exe", NoTool);
            Assert.Contains(FirmwareProblemCodes.XFlashDescriptorInvalid, Codes(r));
            Assert.False(r.IsValid);
        }

        [Fact]
        public void Revision_with_letter_O_and_the_revision_the_image_itself_names_are_checked()
        {
            Assert.Contains(FirmwareProblemCodes.RevisionLetterO, Codes(FirmwareAnalyzer.Analyze(XFlash(Images(1), new[] { "USON" }), null, NoTool)));
            var r = FirmwareAnalyzer.Analyze(XFlash(Images(1), new[] { "US0X" }), null, NoTool);
            Assert.Contains(FirmwareProblemCodes.IdentityMismatch, Codes(r));
        }
    }
}
