using System;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.Btc
{
    /// <summary>
    /// BTC DRW1008 (docs/reference/drive-protocols.md §2.1; schilytools btcflash.c): WRITE BUFFER mode 6 buffer 0 at file offset + 0x20 in
    /// 0x1000 chunks, checksum block at offset 0 (bytes 30-31 = sum16), mode 7 commits; ~50 s programming with TUR not ready.
    /// </summary>
    internal sealed class BtcPersonality : Personality
    {
        const int DataOffset = BtcLayout.BufferOffsetBias;
        DownloadBuffer _download;
        int? _sum;

        public BtcPersonality(VirtualDriveUnit unit) : base(unit) { }

        public override void ResetDownload() { _download = null; _sum = null; }

        public override ScsiResponse Execute(ScsiRequest r, IClock clock)
        {
            if (r.Opcode == Cdb.ReadBufferOpcode) return Illegal(0x24);   // no public read-back [inferred answer]
            if (r.Opcode != Cdb.WriteBufferOpcode) return null;
            if (r.Cdb.Length < 10 || r.Cdb[2] != 0) return Illegal(0x24);
            int offset = Offset24(r), length = Length24(r);
            switch (Mode(r))
            {
                case 0x06:
                    if (!OutMatches(r, length)) return Illegal(0x1A);
                    if (offset == 0 && length == BtcLayout.ChecksumBlockSize)
                    {
                        _sum = BigEndian.Get16(r.OutData, 30);
                        return ScsiResponse.Good();
                    }
                    if (offset < DataOffset || (long)offset - DataOffset + length > P.FlashSize) return Illegal(0x24);
                    if (_download == null) _download = new DownloadBuffer(P.FlashSize);
                    if (length > 0) _download.Put(offset - DataOffset, r.OutData);
                    return ScsiResponse.Good();
                case 0x07:
                {
                    if (length != 0) return Illegal(0x24);
                    // Commit without the whole image or the checksum block: sequence error [inferred].
                    if (_download == null || !_download.Complete || _sum == null) return Illegal(0x2C);
                    var image = _download.Data;
                    bool sumOk = BtcSyntheticImage.Checksum(image) == _sum.Value;
                    ResetDownload();
                    // A wrong sum is refused before the flash is touched [inferred: 5/26/00].
                    if (!sumOk) return Illegal(0x26);
                    U.BeginCommit(image, clock, U.Timer.Model.ProgramTime(image.Length), new SenseData(SenseTexts.NotReady, 0x04, 0x01), 0);   // BtcTiming: 50 s
                    return ScsiResponse.Good();
                }
                default:
                    return Illegal(0x24);
            }
        }
    }
}
