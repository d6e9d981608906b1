using System;
using System.Runtime.InteropServices;
using System.Text;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Transports.Windows;
using Xunit;

namespace MtkFlash.Tests.Transports.Windows
{
    public class WindowsTransportTests
    {
        const string Path = @"\\.\CdRom0";
        static readonly ScsiRequest Inquiry = ScsiRequest.Read(Cdb.Inquiry(96), 96, TimeSpan.FromSeconds(5));
        static readonly ScsiRequest WriteBuffer = ScsiRequest.Write(Cdb.WriteBuffer(5, 0, 0, 64), new byte[64], TimeSpan.FromSeconds(5));

        [Theory]
        [InlineData(@"\\.\CdRom0", true)]
        [InlineData(@"\\.\D:", true)]
        [InlineData("D:", true)]
        [InlineData(@"e:\", true)]
        [InlineData("/dev/sr0", false)]
        [InlineData("virtual:lab", false)]
        [InlineData("DD:", false)]
        public void Handles_device_names_and_drive_letters(string path, bool expected)
        {
            Assert.Equal(expected, new WindowsDrivePlatform().Handles(path));
        }

        [Theory]
        [InlineData("D:", @"\\.\D:")]
        [InlineData(@"e:\", @"\\.\E:")]
        [InlineData(@"\\.\CdRom3", @"\\.\CdRom3")]
        public void Drive_letters_become_device_names(string path, string expected)
        {
            Assert.Equal(expected, WindowsDrivePlatform.DevicePath(path));
        }

        [Fact]
        public void On_other_systems_nothing_calls_into_windows()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            var platform = new WindowsDrivePlatform();
            Assert.Empty(platform.Enumerate());
            Assert.Throws<PlatformNotSupportedException>(() => platform.Open(Path, DriveAccess.Shared));
        }

        [Fact]
        public void Device_descriptor_strings_are_read_at_their_offsets_and_trimmed()
        {
            var d = new byte[128];
            BitConverter.GetBytes(128).CopyTo(d, 4);
            d[8] = 5; // DeviceType: CD/DVD
            void Put(int field, int offset, string s)
            {
                BitConverter.GetBytes(offset).CopyTo(d, field);
                Encoding.ASCII.GetBytes(s).CopyTo(d, offset);
            }
            Put(12, 40, "LITE-ON ");
            Put(16, 50, "DVDRW SOHW-812S ");
            Put(20, 70, "US0N");
            Assert.Equal(("LITE-ON", "DVDRW SOHW-812S", "US0N"), WindowsDrivePlatform.ParseDeviceDescriptor(d));
        }

        [Fact]
        public void Absent_or_out_of_range_descriptor_strings_are_null()
        {
            var d = new byte[40];
            BitConverter.GetBytes(0).CopyTo(d, 12);      // absent
            BitConverter.GetBytes(4000).CopyTo(d, 16);   // beyond the buffer
            BitConverter.GetBytes(36).CopyTo(d, 20);     // empty string
            Assert.Equal(((string)null, (string)null, (string)null), WindowsDrivePlatform.ParseDeviceDescriptor(d));
        }

        [Fact]
        public void Scsi_address_is_formatted_port_path_target_lun()
        {
            Assert.Equal("scsi 1:0:1:0", WindowsDrivePlatform.FormatScsiAddress(1, 0, 1, 0));
        }

        [Fact]
        public void Sharing_violation_on_open_is_drive_busy()
        {
            var ex = Assert.IsType<DriveBusyException>(WindowsTransportErrors.FromOpenError(32, Path));
            Assert.Equal(Path, ex.DrivePath);
        }

        [Fact]
        public void Access_denied_on_open_and_on_the_ioctl_are_told_apart()
        {
            var open = Assert.IsType<DriveAccessDeniedException>(WindowsTransportErrors.FromOpenError(5, Path));
            Assert.Equal(AccessDeniedReason.Open, open.Reason);
            var raw = Assert.IsType<DriveAccessDeniedException>(WindowsTransportErrors.FromIoctlError(5, Path, WriteBuffer));
            Assert.Equal(AccessDeniedReason.RawCommand, raw.Reason);
            Assert.Contains("WRITE BUFFER", raw.Message);
        }

        [Theory]
        [InlineData(121)]  // ERROR_SEM_TIMEOUT
        [InlineData(1460)] // ERROR_TIMEOUT
        public void Timeout_errors_are_timeout_exceptions(int error)
        {
            var ex = Assert.IsType<ScsiTimeoutException>(WindowsTransportErrors.FromIoctlError(error, Path, Inquiry));
            Assert.Equal(Path, ex.DrivePath);
        }

        [Theory]
        [InlineData(1167)] // ERROR_DEVICE_NOT_CONNECTED
        [InlineData(1117)] // ERROR_IO_DEVICE
        [InlineData(1)]    // ERROR_INVALID_FUNCTION
        public void Device_errors_are_not_responding(int error)
        {
            Assert.IsType<DriveNotRespondingException>(WindowsTransportErrors.FromIoctlError(error, Path, Inquiry));
        }

        [Fact]
        public void Missing_device_is_not_found()
        {
            var ex = Assert.IsType<NoSuchDriveException>(WindowsTransportErrors.FromOpenError(2, Path));
            Assert.Contains("does not exist", ex.Message);
        }

        [Fact]
        public void Check_condition_keeps_the_sense_the_driver_reported()
        {
            var sense = new byte[32];
            Hex.Parse("70 00 05 00 00 00 00 0A 00 00 00 00 20 00 00 00 00 00").CopyTo(sense, 0);
            var r = WindowsTransportErrors.ToResponse(ScsiStatus.CheckCondition, 18, sense, 0, null, WriteBuffer);
            Assert.Equal(18, r.SenseBytes.Length);
            Assert.True(r.Sense.Is(5, 0x20, 0));
        }

        [Fact]
        public void Check_condition_with_sense_length_zero_uses_the_additional_length()
        {
            var sense = new byte[32];
            Hex.Parse("70 00 02 00 00 00 00 0A 00 00 00 00 3A 01 00 00 00 00").CopyTo(sense, 0);
            var r = WindowsTransportErrors.ToResponse(ScsiStatus.CheckCondition, 0, sense, 0, null, Inquiry);
            Assert.Equal(18, r.SenseBytes.Length);
            Assert.True(r.Sense.Is(2, 0x3A, 1));
        }

        [Fact]
        public void In_data_is_trimmed_to_the_transferred_length()
        {
            var data = new byte[96];
            data[35] = 0x7F;
            var r = WindowsTransportErrors.ToResponse(ScsiStatus.Good, 0, new byte[32], 36, data, Inquiry);
            Assert.True(r.IsGood);
            Assert.Null(r.SenseBytes);
            Assert.Equal(36, r.Data.Length);
            Assert.Equal(0x7F, r.Data[35]);
        }

        [Theory]
        [InlineData(0.2, 1u)]
        [InlineData(30, 30u)]
        [InlineData(30.5, 31u)]
        public void Timeout_is_whole_seconds_rounded_up(double seconds, uint expected)
        {
            Assert.Equal(expected, ScsiPassThroughTransport.TimeoutSeconds(TimeSpan.FromSeconds(seconds)));
        }
    }
}
