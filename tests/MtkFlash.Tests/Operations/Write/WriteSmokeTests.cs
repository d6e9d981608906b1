using System.Linq;
using MtkFlash.Core.Operations;
using MtkFlash.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MtkFlash.Tests.Operations
{
    public class WriteSmokeTests
    {
        readonly ITestOutputHelper _out;
        public WriteSmokeTests(ITestOutputHelper o) { _out = o; }

        [Theory]
        [InlineData("lg-bh16ns40", "1.03")]
        [InlineData("tsst-se506cb", "TS02")]
        [InlineData("tsst-ts-h353c", "ID04")]
        [InlineData("btc-drw1008", "B231")]
        [InlineData("plextor-px716a", "1.12")]
        public void Flash_newer_synthetic_image(string profile, string revision)
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", profile);
                var image = rig.Image(profile, revision);
                var host = new RecordingHost();
                var result = new WriteOperation(rig.Context).Run(host, drive, new WriteOptions { ImagePath = image, BackupDirectory = rig.Sub("b") });
                foreach (var e in host.Errors) _out.WriteLine(e.ErrorId + ": " + e.Message);
                foreach (var w in host.Warnings) _out.WriteLine("warning: " + w);
                _out.WriteLine(result.Outcome + " " + result.Message + " " + result.PreviousRevision + "->" + result.NewRevision);
                Assert.Equal(WriteOutcome.Succeeded, result.Outcome);
                Assert.Equal(revision, result.NewRevision);
            }
        }
    }
}
