using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Transports.Linux;
using MtkFlash.Core.Virtual;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Operations
{
    /// <summary>
    /// Every refusal leaves the flash unchanged and the trace without a single state-changing command (issue 5, "Proof").
    /// </summary>
    public class WriteSafetyTests
    {
        static WriteResult Write(VirtualRig rig, string drive, string image, RecordingHost host = null, Action<WriteOptions> tweak = null)
        {
            var options = new WriteOptions { ImagePath = image, BackupDirectory = rig.Sub("backups") };
            tweak?.Invoke(options);
            return new WriteOperation(rig.Context).Run(host ?? new RecordingHost(), drive, options);
        }

        static void AssertUntouched(VirtualRig rig, string name, byte[] before, WriteResult result, string errorId)
        {
            Assert.Equal(WriteOutcome.Refused, result.Outcome);
            Assert.Equal(errorId, result.ErrorId);
            Assert.Equal(0, result.CommandsSent);
            Assert.True(before.SequenceEqual(rig.Store.ReadFlash(name)), "the flash changed");
            Assert.False(rig.Trace().AnyStateChanging, "a state-changing command was sent");
        }

        [Fact]
        public void WhatIf_prints_the_plan_and_sends_nothing_that_changes_the_drive()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "lg-bh16ns40");
                var before = rig.Store.ReadFlash("d");
                var host = new RecordingHost(shouldProcess: false);
                var result = Write(rig, drive, rig.Image("lg-bh16ns40", "1.03"), host);
                Assert.Equal(WriteOutcome.Planned, result.Outcome);
                var plan = Assert.Single(host.ShouldProcessCalls);
                Assert.Equal(drive, plan.Target);
                Assert.Contains("1.02 -> 1.03", plan.Action);
                Assert.Contains("mt1959", plan.Action);
                Assert.Contains("129 state-changing", plan.Action);   // WB mode 1 + 128 chunks of 0x4000 (redumper)
                Assert.Contains(rig.Sub("backups"), plan.Action);
                Assert.Empty(host.ShouldContinueCalls);
                Assert.True(before.SequenceEqual(rig.Store.ReadFlash("d")));
                Assert.False(rig.Trace().AnyStateChanging);
                Assert.Empty(Directory.GetFileSystemEntries(rig.Sub("backups")));   // -WhatIf takes no backup either
                Assert.Empty(HistoryLog.ReadLines(rig.Context.HistoryFile));
            }
        }

        [Fact]
        public void Wrong_model_is_refused()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "lg-bh16ns40");
                var before = rig.Store.ReadFlash("d");
                var result = Write(rig, drive, rig.Image("tsst-se506cb", "TS02"));
                AssertUntouched(rig, "d", before, result, "ImageIncompatible");
            }
        }

        [Fact]
        public void Cross_flash_needs_AllowCrossFlash_and_Force_is_not_enough()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "lg-bh16ns40");
                var before = rig.Store.ReadFlash("d");
                var image = rig.Image("asus-bw16d1ht", "3.10");
                var result = Write(rig, drive, image, tweak: o => o.Force = true);
                AssertUntouched(rig, "d", before, result, "CrossFlashNotAllowed");

                var host = new RecordingHost();
                var allowed = Write(rig, drive, image, host, o => o.AllowCrossFlash = true);
                Assert.Equal(WriteOutcome.Succeeded, allowed.Outcome);
                Assert.True(allowed.CrossFlash);
                Assert.Equal("ASUS", rig.Store.Get("d").Vendor);
                Assert.Contains(host.Warnings, w => w.Contains("Cross-flashing"));
            }
        }

        [Theory]
        [InlineData(new byte[0], "empty")]
        [InlineData(new byte[] { (byte)'M', (byte)'Z', 0x90, 0 }, "exe")]
        public void Invalid_image_is_refused_before_the_drive_is_opened(byte[] content, string name)
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "btc-drw1008");
                var before = rig.Store.ReadFlash("d");
                var path = Path.Combine(rig.Home, name + ".bin");
                File.WriteAllBytes(path, content);
                var result = Write(rig, drive, path);
                AssertUntouched(rig, "d", before, result, "ImageInvalid");
                Assert.Equal(0, rig.Trace().Count);
            }
        }

        [Fact]
        public void Truncated_image_is_refused()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "tsst-se506cb");
                var before = rig.Store.ReadFlash("d");
                var full = File.ReadAllBytes(rig.Image("tsst-se506cb", "TS02"));
                var path = Path.Combine(rig.Home, "short.bin");
                File.WriteAllBytes(path, full.Take(full.Length - 4096).ToArray());
                AssertUntouched(rig, "d", before, Write(rig, drive, path), "ImageInvalid");
            }
        }

        [Fact]
        public void Disc_in_the_tray_is_refused_with_advice()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "tsst-se506cb", withDisc: true);
                var before = rig.Store.ReadFlash("d");
                var host = new RecordingHost();
                var result = Write(rig, drive, rig.Image("tsst-se506cb", "TS02"), host);
                AssertUntouched(rig, "d", before, result, "DiscInTray");
                var error = Assert.Single(host.Errors);
                Assert.Equal(OperationErrorCategory.ResourceBusy, error.Category);
                Assert.Contains("Eject", error.RecommendedAction);
            }
        }

        [Fact]
        public void A_held_lock_is_refused_as_DriveInUse()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "lg-bh16ns40");
                var before = rig.Store.ReadFlash("d");
                using (rig.Store.Open("d", DriveAccess.Exclusive))
                {
                    var result = Write(rig, drive, rig.Image("lg-bh16ns40", "1.03"));
                    AssertUntouched(rig, "d", before, result, "DriveInUse");
                }
            }
        }

        [Theory]
        [InlineData("liteon-sohw812s", "US0P", "ProtocolNotPublic")]
        public void Families_without_a_public_protocol_are_refused_before_any_command(string profile, string revision, string errorId)
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", profile);
                var before = rig.Store.ReadFlash("d");
                var host = new RecordingHost();
                var result = Write(rig, drive, rig.Image(profile, revision), host);
                AssertUntouched(rig, "d", before, result, errorId);
                Assert.Contains("not public", result.Message);
                Assert.Contains("never sends guessed commands", result.Message);
            }
        }

        [Fact]
        public void Not_confirmed_sends_nothing()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "btc-drw1008");
                var before = rig.Store.ReadFlash("d");
                var host = new RecordingHost(shouldProcess: true, shouldContinue: false);
                var result = Write(rig, drive, rig.Image("btc-drw1008", "B231"), host);
                AssertUntouched(rig, "d", before, result, "NotConfirmed");
                Assert.Single(host.ShouldContinueCalls);
            }
        }

        [Fact]
        public void Force_skips_the_extra_prompt_but_not_ShouldProcess()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "btc-drw1008");
                var host = new RecordingHost(shouldProcess: true, shouldContinue: false);
                var result = Write(rig, drive, rig.Image("btc-drw1008", "B231"), host, o => o.Force = true);
                Assert.Equal(WriteOutcome.Succeeded, result.Outcome);
                Assert.Empty(host.ShouldContinueCalls);
                Assert.Single(host.ShouldProcessCalls);
            }
        }

        [Fact]
        public void Ctrl_C_before_the_first_write_stops_without_touching_the_drive()
        {
            using (var rig = new VirtualRig())
            using (var cts = new CancellationTokenSource())
            {
                var drive = rig.NewDrive("d", "tsst-se506cb");
                var before = rig.Store.ReadFlash("d");
                cts.Cancel();
                var result = Write(rig, drive, rig.Image("tsst-se506cb", "TS02"), new RecordingHost(cancellation: cts.Token));
                Assert.Equal(WriteOutcome.Stopped, result.Outcome);
                Assert.True(before.SequenceEqual(rig.Store.ReadFlash("d")));
                Assert.False(rig.Trace().AnyStateChanging);
            }
        }

        [Fact]
        public void Ctrl_C_after_the_commit_began_is_deferred_and_the_flash_finishes()
        {
            using (var rig = new VirtualRig())
            using (var cts = new CancellationTokenSource())
            {
                var drive = rig.NewDrive("d", "tsst-se506cb");
                int seen = 0;
                var host = new RecordingHost(cancellation: cts.Token)
                {
                    OnProgress = p => { if (p.Activity.StartsWith("Sending the firmware", StringComparison.Ordinal) && ++seen == 3) cts.Cancel(); },
                };
                var result = Write(rig, drive, rig.Image("tsst-se506cb", "TS02"), host);
                Assert.True(cts.IsCancellationRequested);
                Assert.Equal(WriteOutcome.Succeeded, result.Outcome);
                Assert.Equal("TS02", result.NewRevision);
                Assert.Contains(host.Warnings, w => w.Contains("finishes it"));
            }
        }

        [Fact]
        public void Boot_mode_needs_Recover_and_Recover_needs_boot_mode()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "lg-bh16ns40");
                var image = rig.Image("lg-bh16ns40", "1.03");
                var before = rig.Store.ReadFlash("d");
                AssertUntouched(rig, "d", before, Write(rig, drive, image, tweak: o => o.Recover = true), "RecoverNeedsBootMode");
            }
        }

        [Fact]
        public void Missing_raw_io_rights_are_detected_from_proc_status()
        {
            // CapEff with bit 17 (CAP_SYS_RAWIO) set / clear (include/uapi/linux/capability.h).
            Assert.True(RawIoRights.ParseCapEff("Name:\tx\nCapEff:\t000001ffffffffff\n", 17));
            Assert.False(RawIoRights.ParseCapEff("Name:\tx\nCapEff:\t0000000000000000\n", 17));
            Assert.False(RawIoRights.ParseCapEff("CapEff:\t0000000000010000\n", 17));   // bit 16 only
            Assert.True(RawIoRights.ParseCapEff("CapEff:\t0000000000020000\n", 17));
            Assert.Null(RawIoRights.ParseCapEff("Name:\tx\n", 17));
            Assert.Contains("CAP_SYS_RAWIO", RawIoRights.Message);
        }

        /// <summary>A platform that says this process lacks the right for firmware commands, counting the opens it is asked for.</summary>
        sealed class NoRawIoPlatform : InterceptingPlatform
        {
            public NoRawIoPlatform(IDrivePlatform inner) : base(inner) { }
            public const string Reason = "Firmware commands need a right this process does not hold (test platform).";
            public int Opened;
            public override IScsiTransport Open(string path, DriveAccess access) { Opened++; return base.Open(path, access); }
            public override string MissingRawIoRights() => Reason;
            protected override ScsiResponse Execute(string path, ScsiRequest request, IScsiTransport drive) => drive.Execute(request);
        }

        [Fact]
        public void The_platform_decides_about_raw_io_rights_and_a_missing_right_refuses_before_the_drive_is_opened()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "lg-bh16ns40");
                var image = rig.Image("lg-bh16ns40", "1.03");
                var before = rig.Store.ReadFlash("d");
                var platform = new NoRawIoPlatform(new VirtualDrivePlatform(rig.Home, rig.Clock));
                var context = new MtkFlashContext(rig.Home, rig.Clock, new IDrivePlatform[] { platform });
                var result = new WriteOperation(context).Run(new RecordingHost(), drive, new WriteOptions { ImagePath = image, BackupDirectory = rig.Sub("backups") });
                AssertUntouched(rig, "d", before, result, "InsufficientRights");
                Assert.Equal(NoRawIoPlatform.Reason, result.Message);
                Assert.Equal(0, platform.Opened);
                // The virtual platform itself asks for nothing.
                Assert.Null(new VirtualDrivePlatform(rig.Home, rig.Clock).MissingRawIoRights());
            }
        }

        [Fact]
        public void Two_writers_to_one_drive_the_second_is_refused_and_the_first_completes()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "lg-bh16ns40");
                var image = rig.Image("lg-bh16ns40", "1.03");
                WriteResult second = null;
                var host = new RecordingHost
                {
                    OnProgress = p =>
                    {
                        if (second != null || !p.Activity.StartsWith("Writing firmware", StringComparison.Ordinal)) return;
                        // A second writer starts while the first is sending chunks.
                        var t = new Thread(() => second = Write(rig, drive, image));
                        t.Start();
                        t.Join();
                    },
                };
                var first = Write(rig, drive, image, host);
                Assert.NotNull(second);
                Assert.Equal(WriteOutcome.Refused, second.Outcome);
                Assert.Equal("DriveInUse", second.ErrorId);
                Assert.Equal(0, second.CommandsSent);
                Assert.Equal(WriteOutcome.Succeeded, first.Outcome);
                Assert.Equal("1.03", first.NewRevision);
            }
        }

    }
}
