using System.Linq;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Firmware;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Operations;
using MtkFlash.Tests.Protocols;
using MtkFlash.Tests.Firmware;
using MtkFlash.Tests.Support;
using Xunit;
using MtkFlash.Core.Families.Tsst;
using MtkFlash.Core.Families.Plextor;

namespace MtkFlash.Tests.Drives
{
    /// <summary>
    /// Issue 9 §2: the catalogue lists exactly the models the cited flasher lists, not name prefixes. The lists here are
    /// written from the sources (superg/redumper drive/flash_tsst.ixx TSST_SUPPORTED_DRIVES, drive/flash_plextor.ixx
    /// PLEXTOR_SUPPORTED_DRIVES, drive/flash_mt1959.ixx as docs/reference/drive-protocols.md §2.3 gives it; rbdixon/coastermelt
    /// doc/update-ts01-notes.txt), not from the catalogue.
    /// </summary>
    public class DriveCatalogTests
    {
        static readonly string[] RedumperMt1339 =
        {
            "DVD-ROM SH-D163A", "DVD-ROM SH-D163B", "DVD-ROM SH-D162C", "DVD-ROM SH-D163C", "DVD-ROM SH-D162D", "DVD-ROM TS-H353A",
            "DVD-ROM TS-H353B", "DVD-ROM TS-H353C", "DVD-ROM TS-H352C", "DVD-ROM TS-H352D", "DVD-ROM SH-116AB", "DVD-ROM SH-118CB",
        };

        static readonly (string Product, int Block)[] RedumperPlextor =
        {
            ("CD-R PX-W2410A", 0x4000), ("CD-R PX-W4012A", 0x1000), ("CD-R PX-W4012S", 0x1000), ("CD-R PX-W4824A", 0x1000),
            ("CD-R PX-W5224A", 0x1000), ("CD-R PREMIUM", 0x1000), ("CD-R PREMIUM2", 0x1000), ("DVDR PX-704A", 0x1000),
            ("DVDR PX-708A", 0x1000), ("DVDR PX-708A2", 0x1000), ("DVDR PX-712A", 0x4000), ("DVDR PX-714A", 0x4000),
            ("DVDR PX-716A", 0x4000), ("DVDR PX-716AL", 0x4000), ("DVDR PX-755A", 0x4000), ("DVDR PX-760A", 0x4000),
        };

        static readonly (string Vendor, string Product, string BootId)[] RedumperMt1959 =
        {
            ("HL-DT-ST", "BD-RE BH16NS40", "MT1959 Boot JB8 "), ("HL-DT-ST", "BD-RE BH16NS55", "MT1959 Boot JB8 "),
            ("HL-DT-ST", "BD-RE BH16NS58", "MT1959 Boot JB8 "), ("HL-DT-ST", "BD-RE BH16NS60", "MT1959 Boot JB8 "),
            ("HL-DT-ST", "BD-RE WH16NS40", "MT1959 Boot JB8 "), ("ASUS", "BW-16D1HT", "MT1959 Boot JB8 "),
            ("HL-DT-ST", "BD-RE BU40N", "MT1959 Boot BU5 "),
        };

        static void AssertListed(string vendor, string product, DriveFamily family, string model)
        {
            var f = DriveCatalog.Classify(vendor, product, false, out var m, out var listed);
            Assert.True(family == f && model == m && listed, vendor + " " + product + ": " + f + "/" + m + " listed=" + listed);
        }

        [Fact]
        public void Every_model_of_redumpers_mt1339_table_and_nothing_else_is_a_listed_mt1339()
        {
            foreach (var p in RedumperMt1339) AssertListed("TSSTcorp", p, DriveFamily.Tsst, "mt1339");
            Assert.Equal(RedumperMt1339.OrderBy(p => p), DriveCatalog.Models.Where(m => m.Listed && m.Model == "mt1339").Select(m => m.Product).OrderBy(p => p));
        }

        [Fact]
        public void The_mt1939_list_is_coastermelts_se506cb()
        {
            AssertListed("TSSTcorp", "BDDVDW SE-506CB", DriveFamily.Tsst, "mt1939");
            Assert.Equal(new[] { "BDDVDW SE-506CB" }, DriveCatalog.Models.Where(m => m.Listed && m.Model == "mt1939").Select(m => m.Product));
        }

        [Fact]
        public void Every_model_of_redumpers_plextor_table_is_a_listed_plextor_with_redumpers_block_size()
        {
            foreach (var (p, block) in RedumperPlextor)
            {
                var f = DriveCatalog.Classify("PLEXTOR", p, false, out _, out var listed);
                Assert.True(f == DriveFamily.Plextor && listed, p);
                Assert.Equal(block, PlextorModel.Find(p).BlockSize);
            }
            Assert.Equal(RedumperPlextor.Select(x => x.Product).OrderBy(p => p),
                DriveCatalog.Models.Where(m => m.Family == DriveFamily.Plextor).Select(m => m.Product).OrderBy(p => p));
            // Today's regression: the PX-714A and PX-704A (in redumper's table) fell through to spc.
            Assert.Equal(DriveFamily.Plextor, DriveCatalog.Classify("PLEXTOR", "DVDR   PX-714A", true, out _));
            Assert.Equal(DriveFamily.Plextor, DriveCatalog.Classify("PLEXTOR", "DVDR   PX-704A", true, out _));
        }

        [Fact]
        public void The_mt1959_table_holds_redumpers_models_with_their_boot_ids_and_is_the_only_one()
        {
            foreach (var (v, p, boot) in RedumperMt1959)
            {
                AssertListed(v, p, DriveFamily.Mt1959, "mt1959");
                Assert.Equal(boot, MtkFlash.Core.Families.Mt1959.Mt1959Family.BootId(v, p));
            }
            Assert.Equal(RedumperMt1959.Length, DriveCatalog.Models.Count(m => m.Listed && m.Family == DriveFamily.Mt1959));
            Assert.All(DriveCatalog.Models.Where(m => m.Family == DriveFamily.Mt1959 && m.Listed), m => Assert.NotNull(m.BootId));
        }

        /// <summary>Names that the old prefixes took for listed models: recognised, but unlisted (or not the family at all).</summary>
        [Theory]
        [InlineData("TSSTcorp", "CDDVDW TS-H353C", DriveFamily.Tsst, "mt1339")]    // redumper names it "DVD-ROM TS-H353C" only
        [InlineData("TSSTcorp", "DVD-ROM TS-H354A", DriveFamily.Tsst, "mt1339")]   // "TS-H35x" prefix
        [InlineData("TSSTcorp", "DVD-ROM SH-D164C", DriveFamily.Tsst, "mt1339")]   // "SH-D16x" prefix
        [InlineData("TSSTcorp", "BDDVDW SE-506AB", DriveFamily.Tsst, "mt1939")]    // "SE-506*" prefix
        [InlineData("HL-DT-ST", "BD-RE WH16NS60", DriveFamily.Mt1959, "mt1959")]
        [InlineData("HL-DT-ST", "BD-RE BU50N", DriveFamily.Mt1959, "mt1959")]      // BU51 board: not in the cited table
        [InlineData("ASUS", "SBW-06D2X-U", DriveFamily.Mt1959, "mt1959")]
        [InlineData("ASUS", "BC-12D2HT", DriveFamily.Mt1959, "mt1959")]           // pre-2015 units are MT1939 silicon
        public void Siblings_of_listed_models_are_recognised_but_unlisted(string vendor, string product, DriveFamily family, string model)
        {
            var f = DriveCatalog.Classify(vendor, product, false, out var m, out var listed);
            Assert.Equal(family, f);
            Assert.Equal(model, m);
            Assert.False(listed);
        }

        [Theory]
        [InlineData("hp", "DVD-ROM TS-H353C")]          // redumper compares the vendor too
        [InlineData("TSSTCORP", "DVD-ROM TS-H353C")]
        [InlineData("PLEXTOR", "DVDR PX-740A")]         // not in redumper's Plextor table
        public void A_listed_product_under_another_vendor_or_an_unlisted_plextor_is_not_listed(string vendor, string product)
        {
            DriveCatalog.Classify(vendor, product, false, out _, out var listed);
            Assert.False(listed);
        }

        static OpticalDrive Identified(string vendor, string product, bool microcode = false)
        {
            var family = DriveCatalog.Classify(vendor, product, microcode, out var model, out var listed);
            return new OpticalDrive { Path = "scripted:0", Vendor = vendor, Product = product, Revision = "1.00", Family = family, Model = model, ListedModel = listed };
        }

        [Fact]
        public void An_unlisted_model_is_refused_and_only_the_explicit_override_lifts_the_list_check()
        {
            var drive = Identified("TSSTcorp", "DVD-ROM TS-H354A");
            var ex = Assert.Throws<FlashRefusedException>(() => ProtocolRegistry.For(drive));
            Assert.Equal(FlashRefusalIds.ModelNotListed, ex.ErrorId);
            Assert.Contains("flash_tsst", ex.Message);
            Assert.Contains("unlisted-model override", ex.Message);
            Assert.Contains("not the force switch", ex.Message);
            Assert.Contains(FrontEndTerm.AllowUnlistedModel, ex.Remedy.Terms);
            Assert.False(FamilyCapabilities.For(drive).CanFlash);
            Assert.IsType<TsstProtocol>(ProtocolRegistry.For(drive, allowUnlistedModel: true));
            // The override never lifts a family's own refusal.
            var sd616 = Identified("SAMSUNG", "DVD-ROM SD-616F");
            Assert.Equal(FlashRefusalIds.ModelNotSupported, Assert.Throws<FlashRefusedException>(() => ProtocolRegistry.For(sd616, true)).ErrorId);
            var liteOn = Identified("LITE-ON", "DVDRW SOHW-812S");
            Assert.Equal(FlashRefusalIds.ProtocolNotPublic, Assert.Throws<FlashRefusedException>(() => ProtocolRegistry.For(liteOn, true)).ErrorId);
        }

        [Fact]
        public void The_px714a_flashes_with_the_716a_checksum_and_the_px704a_is_listed_but_refused()
        {
            var px714 = Identified("PLEXTOR", "DVDR   PX-714A", microcode: true);
            Assert.IsType<PlextorProtocol>(ProtocolRegistry.For(px714));
            // qpxtool pxfw.cpp: the PX-714A takes the "PX-716A" image, checksum BE16 at 0xEFFFE over [0, 0xEFFFE), initial 0.
            var image = TestImages.Random(0xF0000, 5);
            int sum = 0;
            for (int i = 0; i < 0xEFFFE; i++) sum += image[i];
            image[0xEFFFE] = (byte)(sum >> 8); image[0xEFFFF] = (byte)sum;
            var transport = new ScriptedTransport();
            var device = new ScsiDevice(transport);
            PlanRunner.Execute(device, new PlextorProtocol().Prepare(device, px714, image, false));
            Assert.Equal("3B 05 00 0E C0 00 00 40 00 00", transport.Requests.Last().CdbHex);

            var px704 = Identified("PLEXTOR", "DVDR   PX-704A", microcode: true);
            var ex = Assert.Throws<FlashRefusedException>(() => ProtocolRegistry.For(px704));
            Assert.Equal(FlashRefusalIds.ModelNotSupported, ex.ErrorId);
            Assert.Contains("checksum", ex.Message);
            Assert.False(FamilyCapabilities.For(px704).CanFlash);
        }

        [Fact]
        public void Test_firmware_image_says_what_write_will_answer_for_an_unlisted_model()
        {
            var image = FirmwareAnalyzer.Analyze(MtkFlash.Tests.Firmware.TestImages.Mt1959(product: "BD-RE WH16NS60", revision: "1.03"));
            var c = FirmwareCompatibility.Check(image, Identified("HL-DT-ST", "BD-RE WH16NS60"));
            Assert.Contains(c.Reasons, r => r.Contains("unlisted-model override"));
            var listed = FirmwareCompatibility.Check(FirmwareAnalyzer.Analyze(MtkFlash.Tests.Firmware.TestImages.Mt1959()), Identified("HL-DT-ST", "BD-RE BH16NS40"));
            Assert.DoesNotContain(listed.Reasons, r => r.Contains("unlisted-model override"));
        }
    }
}
