using System;
using System.Linq;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Core.Operations
{
    /// <summary>
    /// The executor of a write, past its point of no return: sends the plan (each state-changing command exactly once, with
    /// a heartbeat while the drive is silent inside one) and waits for the drive to program its flash and come back.
    /// </summary>
    internal sealed class FlashExecutor
    {
        readonly IClock _clock;
        readonly DriveProgress _progress;
        readonly string _drivePath;
        readonly TimeSpan _heartbeatInterval;

        public FlashExecutor(IClock clock, DriveProgress progress, string drivePath, TimeSpan heartbeatInterval)
        {
            _clock = clock; _progress = progress; _drivePath = drivePath; _heartbeatInterval = heartbeatInterval;
        }

        /// <summary>
        /// Sends each step exactly once, in order. Returns null when every step ended with GOOD, else the first that did not:
        /// no further state-changing command is sent after it (redumper stops at any non-zero status; freemkv: "abort on any
        /// nonzero status, no retry").
        /// </summary>
        public StepFailure SendPlan(IOperationHost host, ScsiDevice device, FlashPlan plan, WriteResult result)
        {
            long total = plan.Steps.Sum(s => (long)Math.Max(s.ImageLength, 0));
            long sent = 0;
            var begin = _clock.Elapsed;
            var expected = plan.Protocol.Timing.ExpectedDuration;
            bool warnedStop = false;
            for (int i = 0; i < plan.Steps.Count; i++)
            {
                var step = plan.Steps[i];
                if (host.Cancellation.IsCancellationRequested && !warnedStop)
                {
                    warnedStop = true;
                    host.WriteWarning("Stop requested, but the flash has begun: MtkFlash finishes it, because stopping now could leave the drive without firmware.");
                }
                var elapsed = _clock.Elapsed - begin;
                _progress.Report(WritePhases.Send, "Sending the firmware to " + _drivePath + " - do not power off",
                    step.Description + " (" + (int)elapsed.TotalSeconds + " s of about " + (int)expected.TotalSeconds + " s)",
                    total > 0 ? (int)(sent * 100 / total) : (i * 100 / plan.Steps.Count), expected > elapsed ? expected - elapsed : (TimeSpan?)null);
                if (plan.Protocol.Timing.TestUnitReadyBeforeEachStep)
                {
                    // Result ignored, as the source does; a lost drive shows on the step itself.
                    try { device.TestUnitReady(); } catch (DriveCommunicationException) { }
                }
                try
                {
                    ExecuteWithHeartbeat(device, step, begin, expected, total > 0 ? (int)(sent * 100 / total) : -1);
                }
                catch (Exception ex)
                {
                    result.CommandsSent++;   // it went on the wire (or at least to the transport) once
                    return new StepFailure(i, plan.Steps.Count, step, ex);
                }
                result.CommandsSent++;
                sent += Math.Max(step.ImageLength, 0);
            }
            _progress.CompletePhase(WritePhases.Send, "Sending the firmware to " + _drivePath + " - do not power off", "all " + plan.Steps.Count + " commands sent");
            return null;
        }

        /// <summary>
        /// Sends one command (exactly once: <see cref="ScsiDevice.Execute"/> never retries a state-changing command) and,
        /// while the drive is silent inside it (an MT1939 block stalls ~10 s per MiB), reports elapsed and expected time every
        /// second. A step the plan expects to stall, and the commit, run on a worker thread while every host call stays on
        /// this (pipeline) thread; the other steps take milliseconds and run here, without a thread hop per chunk (issue 15:
        /// with 16 drives flashed at once, a pool thread per chunk and command made the host the bottleneck).
        /// Waiting for the worker is not a delay: it ends when the command does, so it does not go through the clock.
        /// </summary>
        void ExecuteWithHeartbeat(ScsiDevice device, FlashStep step, TimeSpan begin, TimeSpan expected, int percent)
        {
            var request = step.Request;
            if (step.ExpectedStall == TimeSpan.Zero && step.Kind != FlashStepKind.Commit) { device.ExecuteOnce(request); return; }
            var task = System.Threading.Tasks.Task.Run(() => device.ExecuteOnce(request));
            // Not task.Wait(timeout): it throws AggregateException for a failed command; GetResult below rethrows the original.
            while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(_heartbeatInterval))
            {
                var elapsed = _clock.Elapsed - begin;
                _progress.Report(WritePhases.Send, "Sending the firmware to " + _drivePath + " - do not power off",
                    "writing flash, do not power off: " + (int)elapsed.TotalSeconds + " s of about " + (int)expected.TotalSeconds + " s", percent,
                    expected > elapsed ? expected - elapsed : (TimeSpan?)null);
            }
            task.GetAwaiter().GetResult();   // rethrows the command's own exception
        }

        /// <summary>
        /// Interval between the TEST UNIT READY polls of the wait after a flash until the drive first answers ready, and the
        /// longest single sleep of the whole wait (issue 15: no sleep longer than one polling interval, so the write notices a
        /// drive that is back within 100 ms instead of up to a second later). Public tools poll TEST UNIT READY every 100 ms
        /// (speed47/qpxtool wait_unit_ready) to every second (libscg wait_unit_ready, which btcflash uses; redumper's MT1959
        /// loop). What stays each cited flasher's: the only command sent (TEST UNIT READY), the quiet period (BTC: btcflash
        /// sleeps 50 s without a command, and so does MtkFlash), the limit, and the ready answers in a row with the source's
        /// spacing between them (MT1959: twice, a second apart, as redumper's loop).
        /// </summary>
        internal static readonly TimeSpan WaitPollInterval = TimeSpan.FromMilliseconds(100);

        /// <summary>
        /// Waits for the drive as the family's source does: first its quiet period (BTC: 50 s, no command at all), then TEST
        /// UNIT READY polls every <see cref="WaitPollInterval"/> (or the family's interval if shorter) until the drive first
        /// answers ready, then at the family's interval while more ready answers in a row are needed, up to its limit
        /// (MT1959: 45 s, freemkv).
        /// GOOD counts as ready. NOT READY 04/xx and BUSY are a drive that is still working, never ready. "No disc" (2/3A)
        /// counts as ready only when no commit can be pending, or once the drive has shown that programming ended (the
        /// unit attention of its restart) or was under way (04/xx), or when the whole wait has passed; until then an
        /// answer from a drive that has not yet started programming must not pass for the end of it. A boot loader that
        /// does not know TEST UNIT READY (5/20/00) answers, so it counts as ready too. Progress at least every second;
        /// every wait goes through the injectable _clock.
        /// </summary>
        public WaitReport WaitForDrive(IOperationHost host, ScsiDevice device, ProtocolTiming timing, bool commitPending)
        {
            var report = new WaitReport();
            var begin = _clock.Elapsed;
            var pollInterval = timing.PollInterval < WaitPollInterval ? timing.PollInterval : WaitPollInterval;
            string activityName = "Drive " + _drivePath + " is programming its flash - do not power off";
            if (commitPending)
            {
                var quietEnd = begin + timing.QuietAfterCommit;
                SleepUntil(quietEnd, pollInterval, () => _progress.Report(WritePhases.Wait, activityName,
                    "waiting " + (int)(_clock.Elapsed - begin).TotalSeconds + " s of about " + (int)timing.QuietAfterCommit.TotalSeconds + " s", -1, quietEnd - _clock.Elapsed));
            }
            var deadline = _clock.Elapsed + timing.PollTimeout;
            int ready = 0;
            bool sawEnd = !commitPending;
            while (true)
            {
                bool pastDeadline = _clock.Elapsed >= deadline;
                try
                {
                    var r = device.TestUnitReady(TimeSpan.FromSeconds(10));
                    report.LastAnswer = r.IsGood ? "ready" : r.Sense != null ? r.Sense.Describe() : ScsiStatus.Describe(r.Status);
                    report.StillBusy = ScsiDevice.IsBusyAnswer(r);
                    bool isReady;
                    if (r.IsGood) isReady = true;
                    else if (report.StillBusy) { sawEnd = true; isReady = false; }                       // programming: the end is still to come
                    else if (r.Sense != null && r.Sense.Key == SenseTexts.UnitAttention) { sawEnd = true; isReady = false; }   // restarted: ask again
                    else if (r.Sense != null && r.Sense.Key == SenseTexts.NotReady && r.Sense.Asc == 0x3A) isReady = sawEnd || pastDeadline;
                    else isReady = r.Sense != null && r.Sense.Key == SenseTexts.IllegalRequest;
                    ready = isReady ? ready + 1 : 0;
                    if (ready >= timing.ConsecutiveReady || (isReady && pastDeadline)) { report.Ready = true; break; }
                }
                catch (DriveCommunicationException ex)
                {
                    // Rebooting drives may drop off the bus for a moment: keep polling until the deadline.
                    ready = 0;
                    report.StillBusy = false;
                    report.LastAnswer = ex.Message;
                }
                if (pastDeadline) break;
                _progress.Report(WritePhases.Wait, activityName, "waiting for the drive to come back: " + report.LastAnswer + " (" +
                    (int)(_clock.Elapsed - begin).TotalSeconds + " s)");
                // Confirming a ready drive keeps the source's spacing between the answers; a drive not yet back is asked again soon.
                SleepUntil(_clock.Elapsed + (ready > 0 ? timing.PollInterval : pollInterval), pollInterval);
            }
            report.Waited = _clock.Elapsed - begin;
            _progress.CompletePhase(WritePhases.Wait, activityName, report.Ready ? "the drive is back" : "stopped waiting: " + report.LastAnswer);
            return report;
        }

        /// <summary>Sleeps on the clock until <paramref name="end"/>, at most <paramref name="slice"/> at a time, calling <paramref name="beforeEach"/> (progress) before each slice.</summary>
        void SleepUntil(TimeSpan end, TimeSpan slice, Action beforeEach = null)
        {
            while (_clock.Elapsed < end)
            {
                beforeEach?.Invoke();
                var left = end - _clock.Elapsed;
                _clock.Sleep(left < slice ? left : slice);
            }
        }
    }

    /// <summary>The first state-changing command that did not end with GOOD.</summary>
    internal sealed class StepFailure
    {
        public StepFailure(int index, int total, FlashStep step, Exception exception)
        {
            Index = index; Total = total; Step = step; Exception = exception;
            var command = exception as ScsiCommandException;
            Answered = command != null;
            Answer = command != null
                ? ScsiStatus.Describe(command.Status) + (command.Sense != null ? ", sense " + command.Sense.Describe() : string.Empty)
                : exception.Message;
        }

        public int Index { get; }
        public int Total { get; }
        public FlashStep Step { get; }
        public Exception Exception { get; }
        /// <summary>The drive answered with a status (it did not perform the command); false: no answer (timeout, lost).</summary>
        public bool Answered { get; }
        public string Answer { get; }
    }

    /// <summary>What the wait after a flash (or after a failed step) found.</summary>
    internal sealed class WaitReport
    {
        /// <summary>The drive answered as ready (GOOD, or "no disc" once programming is known to be over).</summary>
        public bool Ready;
        /// <summary>At the end of the wait the drive still said it was busy (NOT READY 04/xx or BUSY).</summary>
        public bool StillBusy;
        public string LastAnswer = "no answer yet";
        public TimeSpan Waited;

        public static WaitReport Unanswered(string why) => new WaitReport { LastAnswer = why };
    }
}
