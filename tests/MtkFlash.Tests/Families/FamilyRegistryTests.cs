using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Families;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Families
{
    /// <summary>The one list of families (issue 13): complete, unambiguous, and the only place that decides by family.</summary>
    public class FamilyRegistryTests
    {
        [Fact]
        public void Every_family_except_unknown_has_exactly_one_descriptor()
        {
            var values = Enum.GetValues(typeof(DriveFamily)).Cast<DriveFamily>().ToArray();
            foreach (var family in values.Where(f => f != DriveFamily.Unknown))
                Assert.True(FamilyRegistry.All.Count(d => d.Id == family) == 1, family + " must have exactly one descriptor");
            Assert.DoesNotContain(FamilyRegistry.All, d => d.Id == DriveFamily.Unknown);
            Assert.Equal(values.Length - 1, FamilyRegistry.All.Count);
        }

        [Fact]
        public void Each_family_owns_its_catalogue_rows_and_profiles_and_every_row_names_a_source()
        {
            foreach (var family in FamilyRegistry.All)
            {
                Assert.All(family.Models, m => Assert.Equal(family.Id, m.Family));
                Assert.All(family.Models, m => Assert.False(string.IsNullOrWhiteSpace(m.Source), m + " has no source"));
                Assert.All(family.VirtualProfiles, p => Assert.Equal(family.Id, p.Family));
            }
            // The catalogue is exactly the families' rows, nothing more.
            Assert.Equal(FamilyRegistry.All.Sum(f => f.Models.Count), DriveCatalog.Models.Count);
            Assert.Equal(FamilyRegistry.All.Sum(f => f.VirtualProfiles.Count), VirtualProfiles.All.Count);
        }

        [Fact]
        public void An_unknown_family_is_an_error_not_a_default()
        {
            Assert.Null(FamilyRegistry.Find(DriveFamily.Unknown));
            var e = Assert.Throws<ArgumentException>(() => FamilyRegistry.Get(DriveFamily.Unknown));
            Assert.Contains("'unknown'", e.Message);
            // The protocol side refuses it as an unknown drive, as before.
            var refusal = Assert.Throws<FlashRefusedException>(() => ProtocolRegistry.For(DriveFamily.Unknown, null));
            Assert.Equal(FlashRefusalIds.UnknownDrive, refusal.ErrorId);
        }

        /// <summary>Before issue 13 the emulator made a LiteOn drive of any family it did not know.</summary>
        [Fact]
        public void The_emulator_refuses_a_profile_of_unknown_family_instead_of_emulating_a_LiteOn_drive()
        {
            using var home = new TempHome();
            var folder = home.Sub("unknown-drive");
            Directory.CreateDirectory(folder);
            var profile = new VirtualProfile
            {
                Name = "unknown-test", Family = DriveFamily.Unknown, Vendor = "NOBODY", Product = "NO FAMILY", Revision = "1.00",
                FlashSize = 0x100000, Layout = IdentityLayout.InquiryTemplate, DiscProfile = 0x0010, SupportedProfiles = new[] { 0x0010 },
                EraYear = 2010, SerialPrefix = "NF",
            };
            var e = Assert.Throws<ArgumentException>(() => VirtualDriveUnit.CreateNew(folder, profile, "1.00", false, DateTimeOffset.UtcNow));
            Assert.Contains("unknown", e.Message);
        }

        /// <summary>Nothing outside Families/ compares with or switches on a family's name (the registry's descriptors decide).</summary>
        [Fact]
        public void No_source_outside_the_family_folders_switches_on_a_family()
        {
            var src = Path.Combine(RepoRoot.Path, "src");
            var families = Path.Combine(src, "MtkFlash.Core", "Families") + Path.DirectorySeparatorChar;
            var named = @"DriveFamily\.(?!Unknown\b)\w+";
            var pattern = new Regex(@"case\s+(Drives\.)?" + named + @"|[=!]=\s*(Drives\.)?" + named + @"|" + named + @"\s*[=!]=");
            var hits = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.StartsWith(families, StringComparison.Ordinal) && !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar))
                .SelectMany(f => File.ReadAllLines(f).Select((line, i) => (f, i, line)))
                .Where(x => pattern.IsMatch(x.line))
                .Select(x => Path.GetRelativePath(src, x.f) + ":" + (x.i + 1) + ": " + x.line.Trim())
                .ToArray();
            Assert.True(hits.Length == 0, "Family switches outside Families/:\n" + string.Join("\n", hits));
        }
    }
}
