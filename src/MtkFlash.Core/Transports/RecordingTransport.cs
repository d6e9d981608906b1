using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Serialization;

namespace MtkFlash.Core.Transports
{
    /// <summary>One command exchange as written to a trace (JSON Lines).</summary>
    public sealed class TraceRecord
    {
        public string Drive { get; set; }
        public string Cdb { get; set; }
        public string Direction { get; set; }
        public int Length { get; set; }
        /// <summary>SAM status, or null when the transport failed (timeout, access denied).</summary>
        public int? Status { get; set; }
        public string Sense { get; set; }
        /// <summary>OUT data as hex, for transfers of at most 64 bytes.</summary>
        public string Data { get; set; }
        /// <summary>SHA-256 of OUT data larger than 64 bytes.</summary>
        public string Sha256 { get; set; }
        /// <summary>Transport-level failure ("timeout", "accessDenied", …), else null.</summary>
        public string Error { get; set; }

        public byte[] CdbBytes() => Hex.Parse(Cdb);

        /// <summary>Reads one trace line (the reverse of the writer, through the same property list).</summary>
        public static TraceRecord FromJson(string line) => Json.Deserialize<TraceRecord>(line);
    }

    /// <summary>
    /// A sink for trace records; the file sink is shared by every drive a process opens. A listener (a front end's verbose
    /// and debug streams) gets each record too. Either may be absent. Records may arrive from any thread. A record that
    /// cannot be written (full disk, a file system gone read-only) never fails the command that was traced: the drive did
    /// nothing wrong. The first failure is kept in <see cref="Failure"/> and writing stops; the front end reports the trace
    /// as incomplete.
    /// </summary>
    public sealed class TraceWriter : IDisposable
    {
        readonly TextWriter _writer;
        readonly object _gate = new object();
        readonly bool _owns;
        readonly Action<TraceRecord> _listener;

        public TraceWriter(TextWriter writer, bool ownsWriter = false, Action<TraceRecord> listener = null)
        {
            _writer = writer; _owns = ownsWriter; _listener = listener;
        }

        /// <summary>
        /// JSON Lines appended to FILE (the CLI's --trace, the cmdlets' -TracePath), plus an optional listener. Appends to a
        /// regular file (created if missing). A FIFO, socket or device is refused before it is opened (a FIFO without a reader
        /// blocks the open forever) with an <see cref="IOException"/>, like a folder or a file that cannot be written.
        /// </summary>
        public static TraceWriter ToFile(string path, Action<TraceRecord> listener = null)
        {
            var special = Infrastructure.FileKinds.SpecialFileProblem(path);
            if (special != null) throw new IOException(special);
            if (Directory.Exists(path)) throw new IOException("'" + path + "' is a folder; give the name of a file to write the trace to.");
            var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            return new TraceWriter(new StreamWriter(stream) { AutoFlush = true }, true, listener);
        }

        /// <summary>Records written so far.</summary>
        public int Written { get; private set; }

        /// <summary>Why writing stopped (the first write that failed), or null.</summary>
        public Exception Failure { get; private set; }

        public void Write(TraceRecord record)
        {
            if (_writer != null)
            {
                var line = Json.Serialize(record);
                lock (_gate)
                {
                    if (Failure == null)
                    {
                        try { _writer.WriteLine(line); _writer.Flush(); Written++; }
                        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ObjectDisposedException || ex is NotSupportedException)
                        {
                            Failure = ex;
                        }
                    }
                }
            }
            _listener?.Invoke(record);
        }

        public void Dispose()
        {
            if (!_owns || _writer == null) return;
            // Disposing flushes; a full disk fails that flush too, and it is already recorded.
            try { _writer.Dispose(); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException) { if (Failure == null) Failure = ex; }
        }
    }

    /// <summary>
    /// Wraps a transport and records every exchange: cdb, direction, length, status, sense, and data (≤ 64 bytes) or its
    /// SHA-256. This is how users report real-hardware behaviour, and how tests prove what was, or was not, sent.
    /// </summary>
    public sealed class RecordingTransport : IScsiTransport
    {
        readonly IScsiTransport _inner;
        readonly TraceWriter _sink;
        readonly List<TraceRecord> _records;

        public RecordingTransport(IScsiTransport inner, TraceWriter sink = null, bool keepInMemory = true)
        {
            _inner = inner;
            _sink = sink;
            _records = keepInMemory ? new List<TraceRecord>() : null;
        }

        public string Path => _inner.Path;
        public IScsiTransport Inner => _inner;

        /// <summary>The records kept in memory (empty when created with keepInMemory false).</summary>
        public IReadOnlyList<TraceRecord> Records { get { lock (this) return _records == null ? new TraceRecord[0] : _records.ToArray(); } }

        public ScsiResponse Execute(ScsiRequest request)
        {
            var record = new TraceRecord
            {
                Drive = _inner.Path,
                Cdb = Hex.Compact(request.Cdb),
                Direction = request.Direction == DataDirection.None ? "none" : request.Direction == DataDirection.In ? "in" : "out",
                Length = request.TransferLength,
            };
            if (request.Direction == DataDirection.Out)
            {
                if (request.OutData.Length <= 64) record.Data = Hex.Compact(request.OutData);
                else record.Sha256 = Infrastructure.Hashing.Sha256Hex(request.OutData);
            }
            try
            {
                var response = _inner.Execute(request);
                record.Status = response.Status;
                record.Sense = Hex.Compact(response.SenseBytes);
                return response;
            }
            catch (ScsiTimeoutException) { record.Error = "timeout"; throw; }
            catch (DriveAccessDeniedException) { record.Error = "accessDenied"; throw; }
            catch (DriveNotRespondingException) { record.Error = "notResponding"; throw; }
            finally
            {
                if (_records != null) lock (this) _records.Add(record);
                _sink?.Write(record);
            }
        }

        public void Dispose() => _inner.Dispose();
    }
}
