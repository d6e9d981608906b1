using System;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Core.Virtual
{
    /// <summary>
    /// Spends a virtual drive's time on the caller's clock, as its family's <see cref="DriveTimingModel"/> says: the command
    /// latency and the data-out phase before the drive acts on a command, the data-in phase after it; the short busy answer
    /// while it programs or reboots; the reboot after programming (NOT READY 2/04/01 "becoming ready" until it ends, then the
    /// UNIT ATTENTION the unit already reports). Programming itself is spent by the personality (inside the command for TSST,
    /// as the commit's NOT READY period for the others), with <see cref="Model"/>'s figures. Used under the unit's Gate: a
    /// drive performs one command at a time, so its time passes while it holds the bus.
    /// </summary>
    internal sealed class VirtualDriveTimer
    {
        readonly VirtualDriveUnit _unit;
        IClock _clock;
        /// <summary>When the reboot under way ends; null when the drive is not rebooting.</summary>
        TimeSpan? _rebootEndsAt;

        public VirtualDriveTimer(VirtualDriveUnit unit) { _unit = unit; }

        /// <summary>The unit's family model.</summary>
        public DriveTimingModel Model => For(_unit.Profile?.Family ?? DriveFamily.Unknown);

        /// <summary>The family's model (<see cref="Families.IDriveFamily.Timing"/>); an unknown family takes no time.</summary>
        internal static DriveTimingModel For(DriveFamily family) => Families.FamilyRegistry.Find(family)?.Timing ?? DriveTimingModel.Instant;

        /// <summary>The hook at the command dispatch: one command with its bus time around it.</summary>
        public ScsiResponse Execute(VirtualDrive handle, ScsiRequest r)
        {
            lock (_unit.Gate)
            {
                var clock = _clock = handle.Clock;
                var model = Model;
                if (IsBusy(clock))
                {
                    // Programming or rebooting: the drive answers at once with its busy sense and moves no data.
                    clock.Sleep(model.BusyAnswer);
                    return _unit.ExecuteUntimed(handle, r);
                }
                // A command that hangs (injected fault) costs exactly the host's timeout, which the unit spends itself.
                if (_unit.Faults.HangAfter <= 0 && !_unit.PoweredOff) return _unit.ExecuteUntimed(handle, r);
                int outBytes = r.Direction == DataDirection.Out && r.OutData != null ? r.OutData.Length : 0;
                clock.Sleep(model.Command(outBytes));
                var response = _unit.ExecuteUntimed(handle, r);
                if (response.Data != null && response.Data.Length > 0) clock.Sleep(model.Transfer(response.Data.Length));
                return response;
            }
        }

        bool IsBusy(IClock clock) =>
            !_unit.PoweredOff && (_unit.Commit != null && _unit.Commit.Clock.Elapsed < _unit.Commit.EndsAt || Rebooting(clock));

        bool Rebooting(IClock clock) => clock.Elapsed < _rebootEndsAt;

        /// <summary>The hook at the reboot: the drive restarts from `from` (the end of its programming) or now.</summary>
        public void OnReboot(TimeSpan? from)
        {
            var clock = _clock;
            if (clock == null) return;   // not within a command (never happens today): no reboot time
            _rebootEndsAt = (from ?? clock.Elapsed) + Model.RebootTime;
        }

        /// <summary>
        /// While the drive reboots, every command but REQUEST SENSE gets NOT READY 2/04/01 ("in process of becoming ready",
        /// SPC) [inferred: no public source says what these drives answer while they restart]; null once it is up again.
        /// </summary>
        public ScsiResponse RebootAnswer(ScsiRequest r, IClock clock)
        {
            if (!Rebooting(clock)) return null;
            var sense = new SenseData(SenseTexts.NotReady, 0x04, 0x01);
            return r.Opcode == Cdb.RequestSenseOpcode ? VirtualDriveUnit.DataIn(sense.ToFixedFormat(), r) : ScsiResponse.Check(sense);
        }

        /// <summary>Power lost: a reboot in progress is over (the next power-on starts afresh).</summary>
        public void OnPowerLoss() => _rebootEndsAt = null;
    }
}
