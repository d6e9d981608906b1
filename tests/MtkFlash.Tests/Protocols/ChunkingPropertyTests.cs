using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Scsi;
using MtkFlash.Tests.Firmware;
using MtkFlash.Tests.Support;
using Xunit;
using MtkFlash.Core.Families.Tsst;

namespace MtkFlash.Tests.Protocols
{
    /// <summary>For any file size, the TSST loop of redumper flash_tsst.ixx: contiguous blocks, states 00 / FF… / end state.</summary>
    public class ChunkingPropertyTests
    {
        [Fact]
        public void Mt1339_blocks_cover_the_file_in_order_with_the_documented_states()
        {
            var sizes = Gen.Choose(1, 0x60000);
            Prop.ForAll(Arb.From(sizes), size =>
            {
                var image = TestImages.Random(size, size);
                var drive = new OpticalDrive { Vendor = "TSSTcorp", Product = "DVD-ROM TS-H353C", Family = DriveFamily.Tsst, Model = "mt1339" };
                var plan = new TsstProtocol(TsstModel.Mt1339).Prepare(new ScsiDevice(new ScriptedTransport()), drive, image, false);

                int blocks = (size + 0xFC00 - 1) / 0xFC00;
                if (plan.Steps.Count != blocks) return false;
                var sent = plan.Steps.SelectMany(s => s.Request.OutData).ToArray();
                if (!sent.SequenceEqual(image)) return false;
                for (int i = 0; i < blocks; i++)
                {
                    var cdb = plan.Steps[i].Request.Cdb;
                    byte expectedState = i == 0 ? (byte)0x00 : i == blocks - 1 ? (byte)0x04 : (byte)0xFF;
                    if (cdb.Length != 12 || Hex.Format(cdb) != "FF 00 01 00 00 " + expectedState.ToString("X2") + " 00 00 00 00 00 00") return false;
                    if (plan.Steps[i].ImageOffset != i * 0xFC00) return false;
                    if (plan.Steps[i].Request.OutData.Length != Math.Min(0xFC00, size - i * 0xFC00)) return false;
                }
                return true;
            }).QuickCheckThrowOnFailure();
        }
    }
}
