using System.Linq;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Virtual;
using Xunit;

namespace MtkFlash.Tests.Firmware
{
    /// <summary>The product's synthetic-image generator (what demos and tests flash) must pass the independent analyser.</summary>
    public class SyntheticImagesPassAnalyserTests
    {
        public static TheoryData<string> Profiles()
        {
            var data = new TheoryData<string>();
            foreach (var p in VirtualProfiles.All) data.Add(p.Name);
            return data;
        }

        [Theory]
        [MemberData(nameof(Profiles))]
        public void Generated_image_is_valid_and_names_its_profile(string profileName)
        {
            var profile = VirtualProfiles.Get(profileName);
            var revision = profile.Revision;
            var report = FirmwareAnalyzer.Analyze(SyntheticImages.Build(profileName, revision), profileName + ".bin");
            if (profile.Family == Core.Drives.DriveFamily.Spc)
            {
                // Generic SPC microcode has no public layout: the analyser must say so, not guess a family.
                Assert.Contains(report.Problems, p => p.Code == FirmwareProblemCodes.UnknownFamily);
                return;
            }
            Assert.True(report.IsValid, string.Join("; ", report.Problems.Select(p => p.Code + ": " + p.Message)));
            Assert.Equal(profile.Family, report.Family);
            Assert.Equal(revision, report.Revision);
            if (report.Product != null) Assert.Equal(Core.Drives.DriveCatalog.NormaliseProduct(profile.Product), Core.Drives.DriveCatalog.NormaliseProduct(report.Product));
            if (report.Checksum?.Ok != null) Assert.True(report.Checksum.Ok.Value, report.Checksum.Algorithm);
        }
    }
}
