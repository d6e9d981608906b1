using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Backup
{
    /// <summary>Interrupted and inconsistent reads: no bundle under the final name, no temporary leftovers, and the pipeline goes on.</summary>
    public class BackupFaultTests
    {
        /// <summary>Commands one clean backup of this profile sends (INQUIRY … last region read), counted from its trace.</summary>
        static int CommandsOfOneBackup(string profile)
        {
            using (var rig = new VirtualRig())
            {
                var (result, _) = BackupKit.Run(rig, rig.NewDrive("count", profile), rig.Sub("b"));
                Assert.NotNull(result);
                return rig.Trace().Count;
            }
        }

        public static IEnumerable<object[]> PowerLossPoints()
        {
            // Fractions of the whole exchange: during identification, the first read, the second read, the region reads, the last command.
            foreach (var profile in new[] { "lg-bh16ns40", "tsst-se506cb" })
                foreach (var point in new[] { "0", "1", "3", "1/4", "1/2", "3/4", "last" })
                    yield return new object[] { profile, point };
            yield return new object[] { "btc-drw1008", "0" };
            yield return new object[] { "btc-drw1008", "2" };
        }

        static int Resolve(string point, int total)
        {
            switch (point)
            {
                case "last": return total - 1;
                case "1/4": return total / 4;
                case "1/2": return total / 2;
                case "3/4": return total * 3 / 4;
                default: return int.Parse(point);
            }
        }

        [Theory]
        [MemberData(nameof(PowerLossPoints))]
        public void Power_loss_during_the_backup_keeps_nothing_and_the_next_drive_is_still_backed_up(string profile, string point)
        {
            int total = CommandsOfOneBackup(profile);
            int after = Resolve(point, total);
            Assert.InRange(after, 0, total - 1);
            using (var rig = new VirtualRig())
            {
                var failing = rig.NewDrive("failing", profile);
                var healthy = rig.NewDrive("healthy", profile);
                rig.Store.SetFaults("failing", f => f.PowerLossAfter = after);
                var dest = rig.Sub("backups");
                File.WriteAllText(Path.Combine(dest, "unrelated.txt"), "x");

                var host = new RecordingHost();
                var op = new BackupOperation(rig.Context);
                var options = new BackupOptions { Destination = dest };
                Assert.Null(op.Run(host, failing, options));
                BackupKit.AssertNothingKept(dest, "unrelated.txt");
                var error = Assert.Single(host.Errors);
                Assert.Equal("DriveNotResponding", error.ErrorId);
                Assert.Equal(OperationErrorCategory.ResourceUnavailable, error.Category);
                Assert.Equal(failing, error.Target);
                Assert.Empty(host.Objects);
                Assert.True(host.Progress.Count == 0 || host.Progress.Last().Completed, "progress left open");

                var result = op.Run(host, healthy, options);
                Assert.NotNull(result);
                Assert.Single(host.Errors);
                Assert.Same(result, Assert.Single(host.Objects));
                Assert.Equal(new[] { Path.GetFileName(result.Path), "unrelated.txt" }, BackupKit.Entries(dest));
                BackupBundle.Open(result.Path);
            }
        }

        [Theory]
        [InlineData("lg-bh16ns40", 0)]
        [InlineData("lg-bh16ns40", 700)]
        [InlineData("tsst-se506cb", 10)]
        [InlineData("spc-generic", 1)]
        public void A_hanging_drive_times_out_and_keeps_nothing(string profile, int after)
        {
            using (var rig = new VirtualRig())
            {
                var hanging = rig.NewDrive("hanging", profile);
                var healthy = rig.NewDrive("healthy", "lg-bh16ns40");
                rig.Store.SetFaults("hanging", f => f.HangAfter = after);
                var dest = rig.Sub("backups");
                var host = new RecordingHost();
                var op = new BackupOperation(rig.Context);
                var started = rig.Clock.Elapsed;

                Assert.Null(op.Run(host, hanging, new BackupOptions { Destination = dest }));
                var error = Assert.Single(host.Errors);
                Assert.Equal("DriveTimeout", error.ErrorId);
                Assert.Equal(OperationErrorCategory.OperationTimeout, error.Category);
                Assert.NotNull(error.RecommendedAction);
                Assert.True(rig.Clock.Elapsed > started, "the hang should have cost the command's timeout on the fake clock");
                BackupKit.AssertNothingKept(dest);

                Assert.NotNull(op.Run(host, healthy, new BackupOptions { Destination = dest }));
                Assert.Single(BackupKit.Entries(dest));
            }
        }

        [Fact]
        public void A_drive_that_does_not_exist_is_a_non_terminating_error()
        {
            using (var rig = new VirtualRig())
            {
                var dest = rig.Sub("backups");
                var (result, host) = BackupKit.Run(rig, "virtual:missing", dest);
                Assert.Null(result);
                var error = Assert.Single(host.Errors);
                Assert.Equal("DriveNotFound", error.ErrorId);                 // not DriveNotResponding: nothing is there to answer
                Assert.Equal(OperationErrorCategory.ObjectNotFound, error.Category);
                Assert.Contains(FrontEndTerm.NewVirtualDrive, error.Remedy.Terms);
                BackupKit.AssertNothingKept(dest);
            }
        }

        [Fact]
        public void A_drive_held_by_another_handle_is_DriveInUse()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("busy", "lg-bh16ns40");
                var dest = rig.Sub("backups");
                using (rig.Store.Open("busy", DriveAccess.Exclusive))
                {
                    var (result, host) = BackupKit.Run(rig, drive, dest);
                    Assert.Null(result);
                    var error = Assert.Single(host.Errors);
                    Assert.Equal("DriveInUse", error.ErrorId);
                    Assert.Equal(OperationErrorCategory.ResourceBusy, error.Category);
                }
                BackupKit.AssertNothingKept(dest);
            }
        }

        [Fact]
        public void Two_firmware_reads_that_differ_are_a_BackupReadMismatch_and_nothing_is_kept()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("flaky", "lg-bh16ns40");
                var healthy = rig.NewDrive("healthy", "tsst-se506cb");
                // Flip a byte in the second READ BUFFER of 0x1000..0x1FFF: only the two full reads ask for that chunk.
                var flaky = new FlakyReadPlatform(new VirtualDrivePlatform(rig.Home, rig.Clock), drive, offset: 0x1000, length: 0x1000, corruptOccurrence: 2);
                var context = new MtkFlashContext(rig.Home, rig.Clock, new IDrivePlatform[] { flaky });
                var dest = rig.Sub("backups");
                var host = new RecordingHost();
                var op = new BackupOperation(context);

                Assert.Null(op.Run(host, drive, new BackupOptions { Destination = dest }));
                Assert.Equal(2, flaky.Seen);
                var error = Assert.Single(host.Errors);
                Assert.Equal("BackupReadMismatch", error.ErrorId);
                Assert.Equal(OperationErrorCategory.InvalidResult, error.Category);
                Assert.Contains("differ", error.Message);
                Assert.Empty(host.Objects);
                BackupKit.AssertNothingKept(dest);

                Assert.NotNull(op.Run(host, healthy, new BackupOptions { Destination = dest }));
                Assert.Single(BackupKit.Entries(dest));
            }
        }

        [Fact]
        public void A_region_whose_two_reads_differ_is_a_BackupReadMismatch()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("flaky", "lg-bh16ns40");
                // The config region 0x3000/0x20 is read only by the two region reads (the firmware reads use 4 KiB chunks).
                var flaky = new FlakyReadPlatform(new VirtualDrivePlatform(rig.Home, rig.Clock), drive, offset: 0x3000, length: 0x20, corruptOccurrence: 2);
                var context = new MtkFlashContext(rig.Home, rig.Clock, new IDrivePlatform[] { flaky });
                var dest = rig.Sub("backups");
                var host = new RecordingHost();
                Assert.Null(new BackupOperation(context).Run(host, drive, new BackupOptions { Destination = dest, Format = BackupFormat.Zip }));
                Assert.Equal(2, flaky.Seen);
                var error = Assert.Single(host.Errors);
                Assert.Equal("BackupReadMismatch", error.ErrorId);
                Assert.Contains("config", error.Message);
                BackupKit.AssertNothingKept(dest);
            }
        }

        [Fact]
        public void A_flash_range_the_drive_refuses_to_read_is_BackupReadIncomplete_not_a_backup()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("holes", "lg-bh16ns40");
                // Every READ BUFFER touching 0x8000..0x81FF answers CHECK CONDITION: the reader retries in 512-byte pieces,
                // one piece stays unreadable.
                var holes = new FlakyReadPlatform(new VirtualDrivePlatform(rig.Home, rig.Clock), drive, offset: 0x8000, length: -1, corruptOccurrence: 0) { RefuseSpan = (0x8000, 0x200) };
                var context = new MtkFlashContext(rig.Home, rig.Clock, new IDrivePlatform[] { holes });
                var dest = rig.Sub("backups");
                var (host, result) = (new RecordingHost(), (BackupResult)null);
                result = new BackupOperation(context).Run(host, drive, new BackupOptions { Destination = dest });
                Assert.Null(result);
                var error = Assert.Single(host.Errors);
                Assert.Equal("BackupReadIncomplete", error.ErrorId);
                Assert.Equal(OperationErrorCategory.ReadError, error.Category);
                Assert.Contains("0x008000-0x0081FF", error.Message);
                BackupKit.AssertNothingKept(dest);
            }
        }
    }

    /// <summary>
    /// Test-only platform: wraps the virtual platform and, for one drive, corrupts or refuses READ BUFFER answers for one
    /// flash range, the way a bad cable or a flaky bridge would.
    /// </summary>
    sealed class FlakyReadPlatform : InterceptingPlatform
    {
        readonly string _drive;
        readonly int _offset, _length, _corruptOccurrence;

        public FlakyReadPlatform(IDrivePlatform inner, string drive, int offset, int length, int corruptOccurrence) : base(inner)
        {
            _drive = drive; _offset = offset; _length = length; _corruptOccurrence = corruptOccurrence;
        }

        /// <summary>READ BUFFER requests for exactly (offset, length) seen so far.</summary>
        public int Seen;
        /// <summary>Reads overlapping this span answer CHECK CONDITION 5/24/00.</summary>
        public (int Start, int Length)? RefuseSpan { get; set; }

        protected override ScsiResponse Execute(string path, ScsiRequest request, IScsiTransport drive)
        {
            if (!string.Equals(path, _drive, StringComparison.OrdinalIgnoreCase) || request.Opcode != Cdb.ReadBufferOpcode) return drive.Execute(request);
            var c = request.Cdb;
            int offset = (c[3] << 16) | (c[4] << 8) | c[5];
            int length = (c[6] << 16) | (c[7] << 8) | c[8];
            if (RefuseSpan is (int start, int span) && offset < start + span && start < offset + length)
                return ScsiResponse.Check(0x05, 0x24, 0x00);
            var response = drive.Execute(request);
            if (offset == _offset && length == _length && ++Seen == _corruptOccurrence && response.Data.Length > 0)
            {
                var data = (byte[])response.Data.Clone();
                data[data.Length / 2] ^= 0x5A;
                return new ScsiResponse(response.Status, response.SenseBytes, data);
            }
            return response;
        }
    }
}
