using System;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Virtual
{
    /// <summary>A private home with a virtual-drive store on a fake clock, plus raw-CDB helpers (no protocol classes).</summary>
    public sealed class VirtualTestKit : IDisposable
    {
        public VirtualTestKit()
        {
            Home = new TempHome();
            Clock = new FakeClock();
            Platform = new VirtualDrivePlatform(Home.Path, Clock);
        }

        public TempHome Home { get; }
        public FakeClock Clock { get; }
        public VirtualDrivePlatform Platform { get; }
        public VirtualDriveStore Store => Platform.Store;

        public VirtualDrive Create(string name, string profile, string revision = null, bool disc = false, DriveAccess access = DriveAccess.Exclusive)
        {
            Store.Create(name, profile, revision, disc);
            return Store.Open(name, access);
        }

        public static ScsiResponse Send(IScsiTransport t, params byte[] cdb) => t.Execute(ScsiRequest.NoData(cdb));
        public static ScsiResponse Read(IScsiTransport t, int length, params byte[] cdb) => t.Execute(ScsiRequest.Read(cdb, length));
        public static ScsiResponse Write(IScsiTransport t, byte[] data, params byte[] cdb) => t.Execute(ScsiRequest.Write(cdb, data));

        public static InquiryData Inquiry(IScsiTransport t)
        {
            var r = Read(t, 96, 0x12, 0, 0, 0, 96, 0);
            Assert.True(r.IsGood, "INQUIRY failed: " + r.Sense);
            Assert.Equal(96, r.Data.Length);
            return InquiryData.Parse(r.Data);
        }

        public static ConfigurationData Configuration(IScsiTransport t)
        {
            var r = Read(t, 0x1000, 0x46, 0, 0, 0, 0, 0, 0, 0x10, 0x00, 0);
            Assert.True(r.IsGood, "GET CONFIGURATION failed: " + r.Sense);
            return ConfigurationData.Parse(r.Data);
        }

        public static ScsiResponse Tur(IScsiTransport t) => Send(t, 0, 0, 0, 0, 0, 0);

        public static void AssertSense(ScsiResponse r, byte key, byte asc, byte ascq)
        {
            Assert.Equal(ScsiStatus.CheckCondition, r.Status);
            Assert.NotNull(r.Sense);
            Assert.Equal(key.ToString("X") + "/" + asc.ToString("X2") + "/" + ascq.ToString("X2"), r.Sense.Triple);
        }

        public static void AssertGood(ScsiResponse r) => Assert.True(r.IsGood, "expected GOOD, got " + ScsiStatus.Describe(r.Status) + " " + r.Sense);

        /// <summary>10-byte WRITE BUFFER / READ BUFFER CDB: mode, buffer 0, BE24 offset, BE24 length.</summary>
        public static byte[] Buffer10(byte opcode, byte mode, int offset, int length) =>
            new byte[] { opcode, mode, 0, (byte)(offset >> 16), (byte)(offset >> 8), (byte)offset, (byte)(length >> 16), (byte)(length >> 8), (byte)length, 0 };

        public static byte[] Slice(byte[] b, int at, int len) { var r = new byte[len]; Array.Copy(b, at, r, 0, len); return r; }

        /// <summary>Polls TEST UNIT READY once per (fake) second until GOOD, as the documented sequences do; returns the senses seen.</summary>
        public System.Collections.Generic.List<string> PollUntilReady(IScsiTransport t, int maxSeconds)
        {
            var seen = new System.Collections.Generic.List<string>();
            for (int i = 0; i < maxSeconds; i++)
            {
                var r = Tur(t);
                if (r.IsGood) return seen;
                seen.Add(r.Sense?.Triple ?? ScsiStatus.Describe(r.Status));
                if (r.Sense != null && r.Sense.Is(2, 0x3A)) return seen;   // ready, tray empty
                Clock.Advance(TimeSpan.FromSeconds(1));
            }
            throw new Xunit.Sdk.XunitException("drive not ready after " + maxSeconds + " s: " + string.Join(",", seen));
        }

        public void Dispose() => Home.Dispose();
    }
}
