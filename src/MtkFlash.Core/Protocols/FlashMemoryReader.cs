using System;
using System.Collections.Generic;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Core.Protocols
{
    /// <summary>
    /// Reads flash-mapped space with READ BUFFER mode 6 (buffer 0, BE24 offset, BE24 length): 4 KiB chunks, a failed chunk
    /// retried as 512-byte pieces, unreadable pieces filled with 0xFF and reported as gaps
    /// (docs/reference/mt1959-notes.md §3, freemkv-firmware mtk.rs "FM"; MT1939: rbdixon/coastermelt doc/bootloader.txt, docs/reference/drive-protocols.md §2.4).
    /// Only read-only commands are sent.
    /// </summary>
    public static class FlashMemoryReader
    {
        public const int ChunkSize = 0x1000;
        public const int FallbackSize = 0x200;

        /// <summary>Reads [start, start+length). Throws <see cref="FirmwareReadIncompleteException"/> when any byte stayed unreadable.</summary>
        public static byte[] Read(ScsiDevice device, int start, int length, Action<long, long> progress = null)
        {
            var result = new byte[length];
            var gaps = new List<ReadGap>();
            for (int done = 0; done < length;)
            {
                int size = Math.Min(ChunkSize, length - done);
                var chunk = TryRead(device, start + done, size);
                if (chunk != null) Buffer.BlockCopy(chunk, 0, result, done, size);
                else
                {
                    for (int piece = 0; piece < size; piece += FallbackSize)
                    {
                        int pieceSize = Math.Min(FallbackSize, size - piece);
                        var bytes = TryRead(device, start + done + piece, pieceSize);
                        if (bytes != null) Buffer.BlockCopy(bytes, 0, result, done + piece, pieceSize);
                        else
                        {
                            for (int i = 0; i < pieceSize; i++) result[done + piece + i] = 0xFF;
                            AddGap(gaps, start + done + piece, pieceSize);
                        }
                    }
                }
                done += size;
                progress?.Invoke(done, length);
            }
            if (gaps.Count > 0) throw new FirmwareReadIncompleteException(device.Path, gaps, result);
            return result;
        }

        static byte[] TryRead(ScsiDevice device, int offset, int size)
        {
            try
            {
                var data = device.ReadBuffer(BufferMode.DownloadMicrocodeOffsets, 0, offset, size);
                return data != null && data.Length >= size ? data : null;
            }
            catch (ScsiCommandException ex) when (ex.Sense == null || (ex.Sense.Key != SenseTexts.HardwareError && ex.Sense.Key != SenseTexts.AbortedCommand))
            {
                // CHECK CONDITION for this range (medium error, invalid field): retried in smaller pieces. A hardware error or
                // an aborted command says the drive itself is failing, so it propagates, like timeouts and transport errors,
                // instead of costing eight more commands per chunk.
                return null;
            }
        }

        static void AddGap(List<ReadGap> gaps, int start, int length)
        {
            if (gaps.Count > 0)
            {
                var last = gaps[gaps.Count - 1];
                if (last.Start + last.Length == start) { gaps[gaps.Count - 1] = new ReadGap(last.Start, last.Length + length); return; }
            }
            gaps.Add(new ReadGap(start, length));
        }
    }
}
