using System;
using System.Threading;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Transports;

namespace MtkFlash.Core.Scsi
{
    /// <summary>
    /// How transient conditions are retried. Only conditions that are documented as transient are retried, and only for
    /// commands that change nothing (identification, reads, polling): a state-changing command is never retried (issue 9 §1).
    /// </summary>
    public sealed class RetryPolicy
    {
        /// <summary>Retries for UNIT ATTENTION (power on/reset 29h, medium change 28h, microcode changed 3F/01).</summary>
        public int UnitAttentionRetries { get; set; } = 3;
        /// <summary>Retries for NOT READY, becoming ready (04/01) and long write in progress (04/08), and for BUSY status.</summary>
        public int NotReadyRetries { get; set; } = 10;
        public TimeSpan NotReadyDelay { get; set; } = TimeSpan.FromMilliseconds(500);

        public static RetryPolicy Default => new RetryPolicy();
        public static RetryPolicy None => new RetryPolicy { UnitAttentionRetries = 0, NotReadyRetries = 0 };
    }

    /// <summary>
    /// Typed commands over a transport. Throws <see cref="ScsiCommandException"/> for any status other than GOOD
    /// once the retry policy is exhausted, so a caller never has to interpret a raw status. State-changing commands
    /// (<see cref="Cdb.IsStateChanging"/>: WRITE BUFFER, the TSST FF 00 01 block, any unknown opcode) bypass the retry
    /// policy: they go on the wire exactly once and any answer but GOOD is an error. redumper stops at any non-zero
    /// status of a flash command, and freemkv's transport says flash data-out is "abort on any nonzero status, no retry";
    /// a unit attention after a reset means the drive's download state is gone, and a TSST block carries no offset.
    /// </summary>
    public sealed class ScsiDevice
    {
        public ScsiDevice(IScsiTransport transport, IClock clock = null, RetryPolicy retry = null)
        {
            Transport = transport ?? throw new ArgumentNullException(nameof(transport));
            Clock = clock ?? SystemClock.Instance;
            Retry = retry ?? RetryPolicy.Default;
        }

        public IScsiTransport Transport { get; }
        public IClock Clock { get; }
        public RetryPolicy Retry { get; }
        public string Path => Transport.Path;

        /// <summary>Sends once, no retry, no throw on CHECK CONDITION.</summary>
        public ScsiResponse ExecuteRaw(ScsiRequest request) => Transport.Execute(request);

        /// <summary>
        /// Sends with the retry policy (read-only commands) or exactly once (state-changing commands); throws on failure.
        /// </summary>
        public ScsiResponse Execute(ScsiRequest request, CancellationToken cancellation = default)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            if (Cdb.IsStateChanging(request.Cdb)) return ExecuteOnce(request);
            int unitAttention = 0, notReady = 0;
            while (true)
            {
                var response = Transport.Execute(request);
                if (response.IsGood) return response;
                if (IsRetryableUnitAttention(response) && unitAttention++ < Retry.UnitAttentionRetries) continue;
                if (IsTransientNotReady(response) && notReady++ < Retry.NotReadyRetries)
                {
                    Clock.Sleep(Retry.NotReadyDelay, cancellation);
                    continue;
                }
                throw new ScsiCommandException(Path, request, response);
            }
        }

        /// <summary>Sends exactly once, whatever the answer; throws <see cref="ScsiCommandException"/> unless the status is GOOD.</summary>
        public ScsiResponse ExecuteOnce(ScsiRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var response = Transport.Execute(request);
            if (response.IsGood) return response;
            throw new ScsiCommandException(Path, request, response);
        }

        /// <summary>Unit attention conditions that report an event, not a failure (SPC; docs/reference/drive-protocols.md §4.6).</summary>
        public static bool IsRetryableUnitAttention(ScsiResponse r) =>
            r.Status == ScsiStatus.CheckCondition && r.Sense != null && r.Sense.Key == SenseTexts.UnitAttention &&
            (r.Sense.Asc == 0x28 || r.Sense.Asc == 0x29 || r.Sense.Is(6, 0x3F, 0x01));

        /// <summary>BUSY, or NOT READY while becoming ready (04/01) or during a long write (04/08).</summary>
        public static bool IsTransientNotReady(ScsiResponse r) =>
            r.Status == ScsiStatus.Busy ||
            (r.Status == ScsiStatus.CheckCondition && r.Sense != null && (r.Sense.Is(2, 0x04, 0x01) || r.Sense.Is(2, 0x04, 0x08) || r.Sense.Is(2, 0x04, 0x07)));

        /// <summary>
        /// A drive that is working, not a ready one (issue 9 §4): NOT READY with ASC 04h (04/01 becoming ready, 04/07 operation
        /// in progress, 04/08 long write in progress, …) or BUSY status.
        /// </summary>
        public static bool IsBusyAnswer(ScsiResponse r) =>
            r.Status == ScsiStatus.Busy ||
            (r.Status == ScsiStatus.CheckCondition && r.Sense != null && r.Sense.Key == SenseTexts.NotReady && r.Sense.Asc == 0x04);

        public InquiryData Inquiry(int length = 96)
        {
            var r = Execute(ScsiRequest.Read(Cdb.Inquiry(length), length, TimeSpan.FromSeconds(10)));
            return InquiryData.Parse(r.Data);
        }

        /// <summary>TEST UNIT READY without retries; the caller decides what NOT READY means (no disc, boot, flashing).</summary>
        public ScsiResponse TestUnitReady(TimeSpan timeout = default) =>
            Transport.Execute(ScsiRequest.NoData(Cdb.TestUnitReady(), timeout == default ? TimeSpan.FromSeconds(10) : timeout));

        public SenseData RequestSense()
        {
            var r = Execute(ScsiRequest.Read(Cdb.RequestSense(18), 18, TimeSpan.FromSeconds(10)));
            return SenseData.TryParse(r.Data);
        }

        public ConfigurationData GetConfiguration(GetConfigurationRequestType type = GetConfigurationRequestType.All, int startingFeature = 0, int length = 0x1000)
        {
            var r = Execute(ScsiRequest.Read(Cdb.GetConfiguration(type, startingFeature, length), length, TimeSpan.FromSeconds(10)));
            return ConfigurationData.Parse(r.Data);
        }

        public byte[] ReadBuffer(byte mode, byte bufferId, int offset, int length, TimeSpan timeout = default)
        {
            var r = Execute(ScsiRequest.Read(Cdb.ReadBuffer(mode, bufferId, offset, length), length, timeout == default ? TimeSpan.FromSeconds(20) : timeout));
            return r.Data;
        }

        public void WriteBuffer(byte mode, byte bufferId, int offset, byte[] data, TimeSpan timeout = default)
        {
            data = data ?? Array.Empty<byte>();
            var cdb = Cdb.WriteBuffer(mode, bufferId, offset, data.Length);
            var request = data.Length == 0 ? ScsiRequest.NoData(cdb, timeout) : ScsiRequest.Write(cdb, data, timeout);
            ExecuteOnce(request);
        }
    }
}
