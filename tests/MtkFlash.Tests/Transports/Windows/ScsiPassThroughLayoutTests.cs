using System;
using System.Linq;
using System.Runtime.InteropServices;
using MtkFlash.Core.Transports.Windows;
using Xunit;

namespace MtkFlash.Tests.Transports.Windows
{
    public class ScsiPassThroughLayoutTests
    {
        // docs/reference/drive-protocols.md §5.2 table: field, x64 offset, x86 offset.
        public static readonly TheoryData<string, int, int> Fields = new TheoryData<string, int, int>
        {
            { "Length", 0, 0 }, { "ScsiStatus", 2, 2 }, { "PathId", 3, 3 }, { "TargetId", 4, 4 }, { "Lun", 5, 5 },
            { "CdbLength", 6, 6 }, { "SenseInfoLength", 7, 7 }, { "DataIn", 8, 8 }, { "DataTransferLength", 12, 12 },
            { "TimeOutValue", 16, 16 }, { "DataBuffer", 24, 20 }, { "SenseInfoOffset", 32, 24 }, { "Cdb", 36, 28 },
        };

        [Theory]
        [MemberData(nameof(Fields))]
        public void Runtime_struct_matches_the_table_for_this_pointer_size(string field, int x64, int x86)
        {
            Assert.Equal(IntPtr.Size == 8 ? x64 : x86, (int)Marshal.OffsetOf<ScsiPassThroughDirect>(field));
        }

        [Theory]
        [MemberData(nameof(Fields))]
        public void Thirty_two_bit_twin_matches_the_x86_column(string field, int x64, int x86)
        {
            _ = x64;
            Assert.Equal(x86, (int)Marshal.OffsetOf<ScsiPassThroughDirect32>(field));
        }

        [Fact]
        public void Sizes_are_56_on_x64_and_44_on_x86()
        {
            Assert.Equal(IntPtr.Size == 8 ? 56 : 44, Marshal.SizeOf<ScsiPassThroughDirect>());
            Assert.Equal(44, Marshal.SizeOf<ScsiPassThroughDirect32>());
        }

        [Fact]
        public void Twin_has_the_same_fields_in_the_same_order()
        {
            var real = typeof(ScsiPassThroughDirect).GetFields().Select(f => f.Name);
            var twin = typeof(ScsiPassThroughDirect32).GetFields().Select(f => f.Name);
            Assert.Equal(real, twin);
            Assert.Equal(typeof(uint), typeof(ScsiPassThroughDirect32).GetField("DataBuffer").FieldType);
            Assert.Equal(typeof(IntPtr), typeof(ScsiPassThroughDirect).GetField("DataBuffer").FieldType);
        }

        [Fact]
        public void Sense_buffer_follows_the_struct_directly()
        {
            Assert.Equal(Marshal.SizeOf<ScsiPassThroughDirect>(), (int)Marshal.OffsetOf<ScsiPassThroughDirectWithSense>("Sense"));
            Assert.Equal(IntPtr.Size == 8 ? 88 : 76, Marshal.SizeOf<ScsiPassThroughDirectWithSense>());
        }

        [Fact]
        public void Helper_structs_have_their_header_sizes()
        {
            Assert.Equal(8, Marshal.SizeOf<ScsiAddress>());              // ULONG + 4 UCHAR (ntddscsi.h)
            Assert.Equal(12, Marshal.SizeOf<StorageDeviceNumber>());     // 3 ULONG (ntddstor.h)
            Assert.Equal(12, Marshal.SizeOf<StoragePropertyQuery>());    // 2 ULONG + UCHAR[1], padded (§5.2)
        }
    }
}
