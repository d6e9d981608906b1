using System;
using System.Runtime.InteropServices;
using MtkFlash.Core.Transports.Linux;
using Xunit;

namespace MtkFlash.Tests.Transports.Linux
{
    public class SgIoHdrLayoutTests
    {
        // docs/reference/drive-protocols.md §5.1 table: field, x86_64 offset, i386 offset.
        public static readonly TheoryData<string, int, int> Fields = new TheoryData<string, int, int>
        {
            { "interface_id", 0, 0 }, { "dxfer_direction", 4, 4 }, { "cmd_len", 8, 8 }, { "mx_sb_len", 9, 9 },
            { "iovec_count", 10, 10 }, { "dxfer_len", 12, 12 }, { "dxferp", 16, 16 }, { "cmdp", 24, 20 },
            { "sbp", 32, 24 }, { "timeout", 40, 28 }, { "flags", 44, 32 }, { "pack_id", 48, 36 },
            { "usr_ptr", 56, 40 }, { "status", 64, 44 }, { "masked_status", 65, 45 }, { "msg_status", 66, 46 },
            { "sb_len_wr", 67, 47 }, { "host_status", 68, 48 }, { "driver_status", 70, 50 }, { "resid", 72, 52 },
            { "duration", 76, 56 }, { "info", 80, 60 },
        };

        [Theory]
        [MemberData(nameof(Fields))]
        public void Field_offset_matches_the_kernel_header(string field, int x64, int i386)
        {
            int expected = IntPtr.Size == 8 ? x64 : i386;
            Assert.Equal(expected, (int)Marshal.OffsetOf<SgIoHdr>(field));
        }

        [Fact]
        public void Size_is_88_bytes_on_64_bit_and_64_on_32_bit()
        {
            Assert.Equal(IntPtr.Size == 8 ? 88 : 64, Marshal.SizeOf<SgIoHdr>());
        }

        [Fact]
        public void Every_struct_field_is_in_the_table()
        {
            var names = new System.Collections.Generic.HashSet<string>();
            foreach (var row in Fields) names.Add((string)row[0]);
            foreach (var f in typeof(SgIoHdr).GetFields()) Assert.Contains(f.Name, names);
            Assert.Equal(names.Count, typeof(SgIoHdr).GetFields().Length);
        }
    }
}
