using System;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Iscsi
{
    /// <summary>From the iSCSI view of a command to the drive's view, and the few answers the target gives itself.</summary>
    public static class IscsiCommandMapping
    {
        /// <summary>
        /// The SCSI Command PDU carries a 16-byte CDB field padded with zeros and no CDB length (RFC 7143 §11.3.5), so the
        /// length is inferred [I]: the SPC group code gives 6/10/10/?/16/12 bytes for groups 0–5; reserved and
        /// vendor-specific groups (3, 6, 7: e.g. MediaTek F1, TSST FF) are 12 bytes, the length optical-drive vendor
        /// commands use (docs/reference/drive-protocols.md §2.2). Non-zero bytes past that length extend it to 12 or 16, so a 12-byte
        /// WRITE BUFFER (docs/reference/mt1959-notes.md) keeps its tail.
        /// </summary>
        public static byte[] TrimCdb(byte[] field16)
        {
            if (field16 == null || field16.Length != 16) throw new ArgumentException("The CDB field has 16 bytes.", nameof(field16));
            int length;
            switch (field16[0] >> 5)
            {
                case 0: length = 6; break;
                case 1: case 2: length = 10; break;
                case 4: length = 16; break;
                case 5: length = 12; break;
                default: length = 12; break;
            }
            var lastNonZero = 15;
            while (lastNonZero >= 0 && field16[lastNonZero] == 0) lastNonZero--;
            if (lastNonZero + 1 > length) length = lastNonZero + 1 <= 12 ? 12 : 16;
            var cdb = new byte[length];
            Buffer.BlockCopy(field16, 0, cdb, 0, length);
            return cdb;
        }

        /// <summary>INQUIRY data for a LUN the target does not serve: qualifier 011b, type 1Fh (SPC "not capable of supporting a device").</summary>
        public static byte[] UnsupportedLunInquiry(int allocationLength)
        {
            var data = new byte[36];
            data[0] = 0x7F;
            data[3] = 0x02;
            data[4] = 31;
            return Truncate(data, allocationLength);
        }

        /// <summary>Is this INQUIRY with EVPD=1 for page 00h (Supported VPD Pages)?</summary>
        public static bool IsSupportedVpdPagesInquiry(byte[] cdb) =>
            cdb[0] == Cdb.InquiryOpcode && (cdb[1] & 0x01) != 0 && cdb[2] == 0x00;

        /// <summary>
        /// A Supported VPD Pages page that lists only itself (SPC: byte 0 device type, byte 1 page 00h, bytes 2–3 page
        /// length). QEMU's iSCSI driver refuses to attach a LUN whose INQUIRY VPD 00h fails (qemu block/iscsi.c,
        /// iscsi_open → iscsi_do_inquiry), while optical drives commonly reject EVPD with 5/24/00.
        /// </summary>
        public static byte[] MinimalSupportedVpdPages(byte deviceType, int allocationLength) =>
            Truncate(new byte[] { (byte)(deviceType & 0x1F), 0x00, 0x00, 0x01, 0x00 }, allocationLength);

        /// <summary>
        /// READ CAPACITY(10) data for "blank disc": last LBA 0, 2048-byte blocks. QEMU's iSCSI driver refuses to attach a
        /// CD LUN whose READ CAPACITY fails (qemu block/iscsi.c, iscsi_readcapacity_sync: "failed to send readcapacity10/16
        /// command"), which is what a drive with no disc answers (2/3A/xx); QEMU treats last LBA 0 as a blank disc.
        /// </summary>
        public static byte[] BlankDiscCapacity()
        {
            var data = new byte[8];
            BigEndian.Put32(data, 4, 2048);
            return data;
        }

        static byte[] Truncate(byte[] data, int allocationLength)
        {
            if (allocationLength >= data.Length) return data;
            var r = new byte[Math.Max(0, allocationLength)];
            Buffer.BlockCopy(data, 0, r, 0, r.Length);
            return r;
        }
    }
}
