using System;
using System.Linq;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports.Linux;
using Xunit;

namespace MtkFlash.Tests.Transports.Linux
{
    public class SgIoErrorMappingTests
    {
        const string Path = "/dev/sr0";
        static readonly ScsiRequest Inquiry = ScsiRequest.Read(Cdb.Inquiry(96), 96, TimeSpan.FromSeconds(5));
        static readonly ScsiRequest WriteBuffer = ScsiRequest.Write(Cdb.WriteBuffer(5, 0, 0, 64), new byte[64], TimeSpan.FromSeconds(5));

        static byte[] Sense(string hex)
        {
            var buffer = new byte[64];
            Hex.Parse(hex).CopyTo(buffer, 0);
            return buffer;
        }

        [Fact]
        public void Check_condition_from_qemu_atapi_becomes_a_response_with_its_sense()
        {
            // docs/reference/kernel-e2e.md §10: WRITE BUFFER on ide-cd → status 02, masked 01, driver 08, 18 sense bytes, 5/20/00.
            var h = new SgIoHdr { status = 0x02, masked_status = 0x01, driver_status = 0x08, sb_len_wr = 18, info = 1 };
            var r = SgIoErrors.ToResponse(h, Sense("F0 00 05 00 00 00 00 0A 00 00 00 00 20 00 00 00 00 00"), null, Path, WriteBuffer);
            Assert.Equal(ScsiStatus.CheckCondition, r.Status);
            Assert.Equal(18, r.SenseBytes.Length);
            Assert.True(r.Sense.Is(5, 0x20, 0x00));
            Assert.Empty(r.Data);
        }

        [Fact]
        public void Only_masked_status_set_is_shifted_back_to_the_sam_status()
        {
            var h = new SgIoHdr { masked_status = 0x01, sb_len_wr = 18, driver_status = 0x08 };
            var r = SgIoErrors.ToResponse(h, Sense("70 00 02 00 00 00 00 0A 00 00 00 00 3A 00"), null, Path, Inquiry);
            Assert.Equal(ScsiStatus.CheckCondition, r.Status);
        }

        [Fact]
        public void In_data_is_trimmed_by_resid()
        {
            var data = Enumerable.Range(0, 96).Select(i => (byte)i).ToArray();
            var h = new SgIoHdr { resid = 60 };
            var r = SgIoErrors.ToResponse(h, new byte[64], data, Path, Inquiry);
            Assert.True(r.IsGood);
            Assert.Null(r.SenseBytes);
            Assert.Equal(data.Take(36), r.Data);
        }

        [Fact]
        public void Full_transfer_keeps_every_byte()
        {
            var data = new byte[96];
            data[95] = 0xAB;
            var r = SgIoErrors.ToResponse(new SgIoHdr(), new byte[64], data, Path, Inquiry);
            Assert.Equal(96, r.Data.Length);
            Assert.Equal(0xAB, r.Data[95]);
        }

        [Theory]
        [InlineData(0x03, 0x00)] // DID_TIME_OUT
        [InlineData(0x00, 0x06)] // DRIVER_TIMEOUT
        [InlineData(0x00, 0x26)] // DRIVER_TIMEOUT with an old "suggest" bit in the high nibble
        public void Host_or_driver_timeout_is_a_timeout_exception_carrying_the_path(int host, int driver)
        {
            var h = new SgIoHdr { host_status = (ushort)host, driver_status = (ushort)driver };
            var ex = Assert.Throws<ScsiTimeoutException>(() => SgIoErrors.ToResponse(h, new byte[64], new byte[96], Path, Inquiry));
            Assert.Equal(Path, ex.DrivePath);
            Assert.Contains("INQUIRY", ex.Message);
        }

        [Theory]
        [InlineData(0x01, 0x00)] // DID_NO_CONNECT
        [InlineData(0x07, 0x00)] // DID_ERROR
        [InlineData(0x00, 0x04)] // DRIVER_ERROR with GOOD status and no sense
        public void Transport_failures_are_not_responding(int host, int driver)
        {
            var h = new SgIoHdr { host_status = (ushort)host, driver_status = (ushort)driver };
            var ex = Assert.Throws<DriveNotRespondingException>(() => SgIoErrors.ToResponse(h, new byte[64], new byte[96], Path, Inquiry));
            Assert.Equal(Path, ex.DrivePath);
        }

        [Fact]
        public void Eperm_from_the_ioctl_is_a_raw_command_denial_naming_the_command()
        {
            var ex = Assert.IsType<DriveAccessDeniedException>(SgIoErrors.FromIoctlErrno(1, Path, WriteBuffer));
            Assert.Equal(AccessDeniedReason.RawCommand, ex.Reason);
            Assert.Contains(LinuxTransportMessages.RawCommandDeniedMarker, ex.Message);
            Assert.Contains("WRITE BUFFER", ex.Message);
            Assert.Contains("3B 05", ex.Message);
            Assert.Contains(Path, ex.Message);
        }

        [Theory]
        [InlineData(19)] // ENODEV
        [InlineData(6)]  // ENXIO
        [InlineData(5)]  // EIO
        public void Device_gone_errnos_are_not_responding(int errno)
        {
            var ex = Assert.IsType<DriveNotRespondingException>(SgIoErrors.FromIoctlErrno(errno, Path, Inquiry));
            Assert.Equal(Path, ex.DrivePath);
        }

        [Fact]
        public void Etimedout_from_the_ioctl_is_a_timeout()
        {
            Assert.IsType<ScsiTimeoutException>(SgIoErrors.FromIoctlErrno(110, Path, Inquiry));
        }

        [Fact]
        public void Eacces_on_open_names_the_owning_group_and_the_path()
        {
            var ex = Assert.IsType<DriveAccessDeniedException>(SgIoErrors.FromOpenErrno(13, Path, "cdrom"));
            Assert.Equal(AccessDeniedReason.Open, ex.Reason);
            Assert.Contains(LinuxTransportMessages.OpenDeniedMarker, ex.Message);
            Assert.Contains("the cdrom group, which owns /dev/sr0", ex.Message);
        }

        [Fact]
        public void Eacces_on_open_without_a_known_group_names_the_usual_ones()
        {
            var ex = SgIoErrors.FromOpenErrno(13, Path, null);
            Assert.Contains(LinuxTransportMessages.UnknownGroup, ex.Message);
        }

        [Fact]
        public void Ebusy_on_open_is_drive_busy()
        {
            var ex = Assert.IsType<DriveBusyException>(SgIoErrors.FromOpenErrno(16, Path, null));
            Assert.Contains(LinuxTransportMessages.BusyMarker, ex.Message);
        }

        [Theory]
        [InlineData(0, 1u)]
        [InlineData(1.5, 2u)]
        [InlineData(30000, 30000u)]
        public void Timeout_is_passed_in_whole_milliseconds(double ms, uint expected)
        {
            Assert.Equal(expected, SgIoTransport.TimeoutMilliseconds(TimeSpan.FromMilliseconds(ms)));
        }

        [Fact]
        public void Group_name_comes_from_the_group_file()
        {
            using (var temp = new Support.TempHome())
            {
                var file = temp.Sub("group");
                System.IO.File.WriteAllText(file, "root:x:0:\ncdrom:x:24:alice\noptical:x:93:\n");
                Assert.Equal("cdrom", LinuxGroups.NameOf(24, file));
                Assert.Equal("optical", LinuxGroups.NameOf(93, file));
                Assert.Equal("gid 7", LinuxGroups.NameOf(7, file));
            }
        }

        [Fact]
        public void A_failure_that_completes_only_after_the_command_timeout_is_a_timeout()
        {
            // QEMU pass-through cannot abort: the guest's timer fires, error handling runs, and the command comes back late
            // with the target's 4/44/00. The caller must see "timed out", not a hardware error (kernel e2e scenario 4).
            var h = new SgIoHdr { status = 0x02, masked_status = 0x01, driver_status = 0x08, sb_len_wr = 18, info = 1, duration = 5000 };
            var ex = Assert.Throws<ScsiTimeoutException>(() => SgIoErrors.ToResponse(h, Sense("70 00 04 00 00 00 00 0A 00 00 00 00 44 00"), null, Path, Inquiry));
            Assert.Contains(Path, ex.Message);
            Assert.Contains("timed out", ex.Message);

            // The same failure within the timeout stays a CHECK CONDITION, and a late success stays a success.
            h.duration = 4999;
            Assert.Equal(0x44, SgIoErrors.ToResponse(h, Sense("70 00 04 00 00 00 00 0A 00 00 00 00 44 00"), null, Path, Inquiry).Sense.Asc);
            var late = new SgIoHdr { duration = 9000 };
            Assert.True(SgIoErrors.ToResponse(late, new byte[64], new byte[96], Path, Inquiry).IsGood);
        }
    }
}
