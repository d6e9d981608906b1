using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Drives;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Backup
{
    /// <summary>Default bundle names identify the drive and the time and are valid on every file system.</summary>
    public class BackupNamingTests
    {
        static readonly DateTimeOffset When = new DateTimeOffset(2026, 11, 22, 3, 30, 5, TimeSpan.FromHours(1));
        static readonly Regex Portable = new Regex(@"^[A-Za-z0-9_][A-Za-z0-9._-]*[A-Za-z0-9]$");
        static readonly string[] Reserved =
            { "CON", "PRN", "AUX", "NUL", "COM0", "COM1", "COM5", "COM9", "LPT0", "LPT1", "LPT9" };

        static OpticalDrive Drive(string vendor, string product, string revision, string serial) =>
            new OpticalDrive { Vendor = vendor, Product = product, Revision = revision, SerialNumber = serial };

        /// <summary>Longest default name plus ".zip" and the temporary prefix/suffix must stay under the 255-byte name limit.</summary>
        static void AssertPortable(string name)
        {
            Assert.Matches(Portable, name);
            Assert.True(name.Length + ".partial-12345678".Length + 1 + ".zip".Length <= 255, name.Length + " characters: " + name);
            var stem = name.Split('.')[0];
            Assert.DoesNotContain(stem, Reserved, StringComparer.OrdinalIgnoreCase);
        }

        [Fact]
        public void The_name_is_vendor_product_revision_serial_and_UTC_time()
        {
            var name = BackupNaming.DefaultName(Drive("HL-DT-ST", "BD-RE BH16NS40", "1.02", "SIK12345"), When);
            Assert.Equal("HL-DT-ST_BD-RE-BH16NS40_1.02_SIK12345_20261122T023005Z", name);
        }

        [Fact]
        public void A_drive_without_a_serial_says_so()
        {
            Assert.Equal("BTC_DVDRW-DRW1008IM_B230_noserial_20261122T023005Z",
                BackupNaming.DefaultName(Drive("BTC     ", "DVDRW DRW1008IM ", "B230", "   "), When));
            Assert.Equal("unknown_unknown_unknown_noserial_20261122T023005Z", BackupNaming.DefaultName(Drive(null, "", "///", null), When));
        }

        [Theory]
        [InlineData("../../etc", "passwd", "1.0", "x")]
        [InlineData("C:\\Windows", "System32\\drivers", "a:b", "c|d")]
        [InlineData("NUL", "CON", "PRN", "AUX")]
        [InlineData("con.txt", "Com1.bin", "lpt9", "COM0")]
        [InlineData("ven\0dor", "pro\u0001duct", "\u007F", "ser\nial")]
        [InlineData("...", "---", ". .", "-.-")]
        [InlineData("Ünïcødé", "製品", "😀", "serial*?\"<>")]
        [InlineData("trailing.", "dots...", "space ", " lead")]
        public void Hostile_identity_strings_give_portable_names(string vendor, string product, string revision, string serial)
        {
            var name = BackupNaming.DefaultName(Drive(vendor, product, revision, serial), When);
            AssertPortable(name);
            Assert.EndsWith("_20261122T023005Z", name);
            Assert.Equal(5, name.Split('_').Count(s => s.Length > 0));
            // The file system agrees: the name is one entry, created where it was asked to be.
            using (var home = new TempHome())
            {
                var folder = Directory.CreateDirectory(Path.Combine(home.Path, name));
                Assert.Equal(home.Path, folder.Parent.FullName);
                Assert.Equal(name, folder.Name);
            }
        }

        [Fact]
        public void Reserved_device_names_are_never_a_field_on_their_own()
        {
            foreach (var r in Reserved.Concat(new[] { "con", "Nul.x", "aux.tar.gz" }))
            {
                var clean = BackupNaming.Sanitise(r);
                Assert.DoesNotContain(clean.Split('.')[0], Reserved, StringComparer.OrdinalIgnoreCase);
            }
            Assert.Equal("CONSOLE", BackupNaming.Sanitise("CONSOLE"));
        }

        [Fact]
        public void Very_long_fields_are_capped()
        {
            var longText = new string('A', 5000);
            var name = BackupNaming.DefaultName(Drive(longText, longText, longText, longText), When);
            AssertPortable(name);
            Assert.All(name.Split('_'), field => Assert.InRange(field.Length, 1, 40));
        }

        [Fact]
        public void Different_serials_give_different_names_and_time_is_part_of_the_name()
        {
            var a = BackupNaming.DefaultName(Drive("V", "P", "R", "S1"), When);
            var b = BackupNaming.DefaultName(Drive("V", "P", "R", "S2"), When);
            var c = BackupNaming.DefaultName(Drive("V", "P", "R", "S1"), When.AddSeconds(1));
            Assert.Equal(3, new[] { a, b, c }.Distinct().Count());
        }

        [Fact]
        public void Any_identity_gives_a_portable_name()
        {
            Prop.ForAll(Arb.From(Gen.ArrayOf(ArbMap.Default.GeneratorFor<string>(), 4)), fields =>
            {
                var name = BackupNaming.DefaultName(Drive(fields[0], fields[1], fields[2], fields[3]), When);
                return Portable.IsMatch(name) && name.Length <= 200 && name.Split('_').Length == 5 && name.Split('_').All(f => f.Length > 0)
                    && !Reserved.Contains(name.Split('.')[0], StringComparer.OrdinalIgnoreCase);
            }).QuickCheckThrowOnFailure();
        }

        [Fact]
        public void A_backup_bundle_carries_the_default_name()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("n", "lg-bh16ns40");
                var (result, host) = BackupKit.Run(rig, drive, rig.Sub("b"), BackupFormat.Zip);
                var info = rig.Store.Get("n");
                var expected = "HL-DT-ST_BD-RE-BH16NS40_1.02_" + BackupNaming.Sanitise(info.Serial) + "_" +
                    rig.Clock.UtcNow.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'") + ".zip";
                Assert.Equal(expected, Path.GetFileName(result.Path));
            }
        }
    }
}
