using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;

namespace MtkFlash.Tests.Support
{
    /// <summary>One command as the scripted transport saw it: copies, so later changes to the request cannot hide anything.</summary>
    public sealed class RecordedCommand
    {
        public RecordedCommand(ScsiRequest request)
        {
            Cdb = (byte[])request.Cdb.Clone();
            Direction = request.Direction;
            OutData = request.OutData == null ? null : (byte[])request.OutData.Clone();
            InLength = request.InLength;
        }

        public byte[] Cdb { get; }
        public DataDirection Direction { get; }
        public byte[] OutData { get; }
        public int InLength { get; }
        public string CdbHex => Hex.Format(Cdb);
        public string OutSha256 => OutData == null ? null : ScriptedTransport.Sha256(OutData);
        public bool IsStateChanging => MtkFlash.Core.Scsi.Cdb.IsStateChanging(Cdb);
        public override string ToString() => CdbHex + (OutData != null ? " +" + OutData.Length + " bytes" : InLength > 0 ? " <" + InLength : string.Empty);
    }

    /// <summary>
    /// The tests' one fake drive (protocol, iSCSI and front-end tests): records every request and answers INQUIRY, READ BUFFER
    /// mode 6 (from <see cref="Flash"/>), TEST UNIT READY and writes with GOOD, unless <see cref="Override"/> answers first
    /// (an override that always answers makes it a drive scripted by one function). Not an emulator: it never changes state.
    /// Safe to call from several threads (the iSCSI target's connections); read <see cref="Requests"/> once they are done.
    /// </summary>
    public sealed class ScriptedTransport : IScsiTransport
    {
        public ScriptedTransport(string path = "scripted:0") { Path = path; }

        public string Path { get; }
        public List<RecordedCommand> Requests { get; } = new List<RecordedCommand>();
        /// <summary>Standard INQUIRY data (cut to the allocation length).</summary>
        public byte[] Inquiry { get; set; }
        /// <summary>Flash-mapped space READ BUFFER mode 6 reads from; null answers 5/24/00.</summary>
        public byte[] Flash { get; set; }
        /// <summary>Answers a request before the defaults when it returns non-null.</summary>
        public Func<ScsiRequest, ScsiResponse> Override { get; set; }

        public IEnumerable<RecordedCommand> StateChanging => Requests.Where(r => r.IsStateChanging);

        /// <summary>A drive at <paramref name="path"/> that answers every command through <paramref name="answer"/>.</summary>
        public static ScriptedTransport Answering(Func<ScsiRequest, ScsiResponse> answer, string path = "virtual:fake") =>
            new ScriptedTransport(path) { Override = answer };

        public ScsiResponse Execute(ScsiRequest request)
        {
            lock (Requests) Requests.Add(new RecordedCommand(request));
            var scripted = Override?.Invoke(request);
            if (scripted != null) return scripted;
            switch (request.Opcode)
            {
                case MtkFlash.Core.Scsi.Cdb.InquiryOpcode:
                    if (Inquiry == null) return ScsiResponse.Check(5, 0x20, 0);
                    return ScsiResponse.Good(Inquiry.Take(request.InLength).ToArray());
                case MtkFlash.Core.Scsi.Cdb.ReadBufferOpcode:
                    int mode = request.Cdb[1] & 0x1F, offset = (request.Cdb[3] << 16) | (request.Cdb[4] << 8) | request.Cdb[5];
                    int length = (request.Cdb[6] << 16) | (request.Cdb[7] << 8) | request.Cdb[8];
                    if (mode != 6 || Flash == null || offset + length > Flash.Length) return ScsiResponse.Check(5, 0x24, 0);
                    var data = new byte[length];
                    Buffer.BlockCopy(Flash, offset, data, 0, length);
                    return ScsiResponse.Good(data);
                case MtkFlash.Core.Scsi.Cdb.TestUnitReadyOpcode:
                case MtkFlash.Core.Scsi.Cdb.WriteBufferOpcode:
                case MtkFlash.Core.Scsi.Cdb.TsstVendorOpcode:
                    return ScsiResponse.Good();
                default:
                    return ScsiResponse.Check(5, 0x20, 0);
            }
        }

        public void Dispose() { }

        public static string Sha256(byte[] data)
        {
            using (var sha = SHA256.Create()) return Hex.Compact(sha.ComputeHash(data));
        }

        public static string Sha256(byte[] data, int offset, int length)
        {
            using (var sha = SHA256.Create()) return Hex.Compact(sha.ComputeHash(data, offset, length));
        }
    }
}
