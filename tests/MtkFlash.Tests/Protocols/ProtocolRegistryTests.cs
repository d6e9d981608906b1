using System;
using System.Linq;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Scsi;
using MtkFlash.Tests.Support;
using Xunit;
using MtkFlash.Core.Families.Mt1959;
using MtkFlash.Core.Families.Tsst;
using MtkFlash.Core.Families.Btc;
using MtkFlash.Core.Families.Plextor;

namespace MtkFlash.Tests.Protocols
{
    public class ProtocolRegistryTests
    {
        /// <summary>The generic flow of the write operation: choose, prepare, execute. Refusals must leave the transport untouched.</summary>
        static void Flash(ScriptedTransport transport, OpticalDrive drive, byte[] image)
        {
            var protocol = ProtocolRegistry.For(drive);
            var device = new ScsiDevice(transport);
            PlanRunner.Execute(device, protocol.Prepare(device, drive, image, false));
        }

        /// <summary>A drive as the catalogue would report a listed model of the family (the list itself is DriveCatalogTests' business).</summary>
        static OpticalDrive Drive(DriveFamily family, string model = null, string vendor = "X", string product = "Y", bool microcode = false) =>
            new OpticalDrive { Path = "scripted:0", Vendor = vendor, Product = product, Revision = "1.00", Family = family, Model = model, MicrocodeUpgrade = microcode, ListedModel = true };

        [Fact]
        public void LiteOn_8051_is_refused_before_any_command_because_its_protocol_is_not_public()
        {
            var transport = new ScriptedTransport { Inquiry = InquiryData.Build("LITE-ON", "DVDRW SOHW-812S", "US0Q") };
            var drive = Drive(DriveFamily.LiteOn8051, "sohw-812s", "LITE-ON", "DVDRW SOHW-812S");
            var ex = Assert.Throws<FlashRefusedException>(() => Flash(transport, drive, new byte[0x100000]));
            Assert.Equal(FlashRefusalIds.ProtocolNotPublic, ex.ErrorId);
            Assert.Contains("not public", ex.Message);
            Assert.Contains("never sends guessed commands", ex.Message);
            Assert.Empty(transport.Requests);
            SequenceAssert.NothingStateChanging(transport);
        }

        [Fact]
        public void Unknown_drives_are_refused_before_any_command()
        {
            var transport = new ScriptedTransport();
            var ex = Assert.Throws<FlashRefusedException>(() => Flash(transport, Drive(DriveFamily.Unknown), new byte[0x200000]));
            Assert.Equal(FlashRefusalIds.UnknownDrive, ex.ErrorId);
            Assert.Contains("never sends guessed commands", ex.Message);
            Assert.Empty(transport.Requests);
        }

        [Fact]
        public void Sd616f_is_refused_because_the_remap_is_not_documented_precisely()
        {
            var transport = new ScriptedTransport();
            var ex = Assert.Throws<FlashRefusedException>(() => Flash(transport, Drive(DriveFamily.Tsst, "sd616f", "SAMSUNG", "DVD-ROM SD-616F"), new byte[0x20000]));
            Assert.Equal(FlashRefusalIds.ModelNotSupported, ex.ErrorId);
            Assert.Contains("remap", ex.Message);
            Assert.Empty(transport.Requests);
        }

        /// <summary>Issue 9 §2: the standard download is no flash path, with or without feature 0104h (the SpcProtocol assertion it replaces pinned that path).</summary>
        [Fact]
        public void An_spc_drive_with_or_without_feature_0104h_and_an_unlisted_plextor_are_refused()
        {
            Assert.Equal(FlashRefusalIds.ProtocolNotPublic,
                Assert.Throws<FlashRefusedException>(() => ProtocolRegistry.For(Drive(DriveFamily.Spc, microcode: false))).ErrorId);
            Assert.Equal(FlashRefusalIds.ProtocolNotPublic,
                Assert.Throws<FlashRefusedException>(() => ProtocolRegistry.For(Drive(DriveFamily.Spc, microcode: true))).ErrorId);
            // The PX-714A, refused here before, is in redumper's table and takes the PX-716A image (qpxtool): it is flashable now.
            // The PX-704A is in the table too, but no source gives its checksum; the PX-740A is in no table.
            Assert.Equal(FlashRefusalIds.ModelNotSupported,
                Assert.Throws<FlashRefusedException>(() => ProtocolRegistry.For(Drive(DriveFamily.Plextor, "px-704a", "PLEXTOR", "DVDR PX-704A"))).ErrorId);
            Assert.Equal(FlashRefusalIds.ModelNotSupported,
                Assert.Throws<FlashRefusedException>(() => ProtocolRegistry.For(Drive(DriveFamily.Plextor, "px-740a", "PLEXTOR", "DVDR PX-740A"))).ErrorId);
            Assert.IsType<PlextorProtocol>(ProtocolRegistry.For(Drive(DriveFamily.Plextor, "px-716a", "PLEXTOR", "DVDR   PX-716A")));
            Assert.IsType<PlextorProtocol>(ProtocolRegistry.For(Drive(DriveFamily.Plextor, "px-714a", "PLEXTOR", "DVDR   PX-714A")));
        }

        [Theory]
        [InlineData(DriveFamily.Mt1959, "mt1959", typeof(Mt1959Protocol))]
        [InlineData(DriveFamily.Tsst, "mt1939", typeof(TsstProtocol))]
        [InlineData(DriveFamily.Tsst, "mt1339", typeof(TsstProtocol))]
        [InlineData(DriveFamily.Btc, "drw1008", typeof(BtcProtocol))]
        [InlineData(DriveFamily.Plextor, "px-760a", typeof(PlextorProtocol))]
        public void Each_public_family_has_its_protocol(DriveFamily family, string model, Type type)
        {
            var protocol = ProtocolRegistry.For(family, model);
            Assert.IsType(type, protocol);
            Assert.Equal(family, protocol.Family);
            Assert.False(string.IsNullOrEmpty(protocol.Source));
        }

        [Fact]
        public void Tsst_models_get_their_own_parameters()
        {
            Assert.Same(TsstModel.Mt1939, ((TsstProtocol)ProtocolRegistry.For(DriveFamily.Tsst, "mt1939")).Model);
            Assert.Same(TsstModel.Mt1339, ((TsstProtocol)ProtocolRegistry.For(DriveFamily.Tsst, "MT1339")).Model);
            Assert.Equal((0xF800, (byte)0x02), (TsstModel.Mt1939.BlockSize, TsstModel.Mt1939.FinalState));
            Assert.Equal((0xFC00, (byte)0x04), (TsstModel.Mt1339.BlockSize, TsstModel.Mt1339.FinalState));
            Assert.Equal(FlashRefusalIds.ModelNotSupported, Assert.Throws<FlashRefusedException>(() => ProtocolRegistry.For(DriveFamily.Tsst, null)).ErrorId);
        }

        /// <summary>Every catalogue model and every family: CanFlash is exactly "the registry gives a protocol".</summary>
        [Fact]
        public void Capabilities_agree_with_the_registry_for_every_catalogue_model_and_family()
        {
            var pairs = DriveCatalog.Models.Select(m => (m.Family, m.Model))
                .Concat(Enum.GetValues(typeof(DriveFamily)).Cast<DriveFamily>().Select(f => (f, (string)null)))
                .Distinct().ToList();
            foreach (var (family, model) in pairs)
            {
                var caps = FamilyCapabilities.For(family, model);
                bool hasProtocol = ProtocolRegistry.TryFor(family, model, out var refusal) != null;
                Assert.True(caps.CanFlash == hasProtocol, family + "/" + model + ": CanFlash " + caps.CanFlash + " but registry " + (refusal?.ErrorId ?? "ok"));
                if (!caps.CanFlash) Assert.StartsWith(refusal.Message, caps.Reason);
            }
            Assert.False(FamilyCapabilities.For(DriveFamily.Tsst, "sd616f").CanFlash);
            Assert.False(FamilyCapabilities.For(DriveFamily.LiteOn8051).CanFlash);
            Assert.True(FamilyCapabilities.For(DriveFamily.Tsst).CanFlash);
        }

        /// <summary>CanReadFirmware is exactly "ReadFirmware returns data" and false means no command at all.</summary>
        [Theory]
        [InlineData(DriveFamily.Mt1959, "mt1959", "X", true)]
        [InlineData(DriveFamily.Tsst, "mt1939", "X", true)]
        [InlineData(DriveFamily.Tsst, "mt1339", "X", false)]
        [InlineData(DriveFamily.Btc, "drw1008", "X", false)]
        [InlineData(DriveFamily.Plextor, "px-716a", "DVDR PX-716A", false)]
        [InlineData(DriveFamily.Spc, null, "X", false)]
        public void Read_capabilities_agree_with_the_protocols(DriveFamily family, string model, string product, bool canRead)
        {
            var drive = Drive(family, model, product: product, microcode: true);
            var caps = FamilyCapabilities.For(drive);
            Assert.Equal(canRead, caps.CanReadFirmware);
            Assert.Equal(canRead, caps.CanReadRegions);
            var transport = new ScriptedTransport { Flash = new byte[0x200000] };
            var protocol = ProtocolRegistry.TryFor(drive, out _);
            if (protocol == null)
            {
                // No protocol at all (spc): nothing can read it, and nothing was asked.
                Assert.False(canRead);
                Assert.Empty(transport.Requests);
                return;
            }
            var firmware = protocol.ReadFirmware(new ScsiDevice(transport), drive, null);
            var regions = protocol.ReadRegions(new ScsiDevice(transport), drive);
            Assert.Equal(canRead, firmware != null);
            Assert.Equal(canRead, regions.Count > 0);
            if (!canRead) Assert.Empty(transport.Requests);
            SequenceAssert.NothingStateChanging(transport);
        }
    }
}
