using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Core.Virtual
{
    /// <summary>
    /// The faults injected into a virtual drive (<see cref="VirtualDriveFaults"/>, kept in drive.json): before each command
    /// it counts down to a power loss or a hang and serves the queued transient answers, as a real drive or its bus would.
    /// </summary>
    internal sealed class VirtualFaultInjector
    {
        readonly VirtualDriveUnit _unit;

        public VirtualFaultInjector(VirtualDriveUnit unit) { _unit = unit; }

        /// <summary>
        /// Runs before a command: null when the command goes on, else the injected answer. A power loss or a hang throws as
        /// the transport would (the drive does not answer).
        /// </summary>
        public ScsiResponse BeforeCommand(ScsiRequest r, IClock clock)
        {
            if (_unit.Faults.PowerLossAfter != null)
            {
                if (_unit.Faults.PowerLossAfter <= 0)
                {
                    PowerLoss();
                    throw new DriveNotRespondingException(_unit.Path, _unit.Path + " lost power during " + r.Name + " (injected fault).");
                }
                _unit.Faults.PowerLossAfter--;
                _unit.FaultsDirty = true;   // saved when the fault fires or the last handle closes, not per command
            }
            if (_unit.Faults.HangAfter != null)
            {
                if (_unit.Faults.HangAfter <= 0)
                {
                    clock.Sleep(r.Timeout);   // the command never completes: the host gives up at its timeout
                    throw new ScsiTimeoutException(_unit.Path, r);
                }
                _unit.Faults.HangAfter--;
                _unit.FaultsDirty = true;
            }
            if (_unit.Faults.Transients.Count > 0)
            {
                var t = _unit.Faults.NextTransient();
                _unit.FaultsDirty = true;
                if (t != null)
                {
                    _unit.SaveRecord();
                    return Transient(t.Kind);
                }
            }
            return null;
        }

        void PowerLoss()
        {
            _unit.PoweredOff = true;
            _unit.Faults.PowerLossAfter = null;
            _unit.Timer.OnPowerLoss();
            if (_unit.Commit != null)
            {
                // Interrupted while programming: the upper half of what was being written is still erased [inferred model].
                var damaged = (byte[])_unit.Commit.NewFlash.Clone();
                int from = _unit.Commit.ProgramStart + (damaged.Length - _unit.Commit.ProgramStart) / 2;
                for (int i = from; i < damaged.Length; i++)
                    if (!_unit.Profile.IsDriveUnique(i)) damaged[i] = 0xFF;
                _unit.SetFlash(damaged);
                _unit.Mode = _unit.Profile.HasBootLoader ? VirtualDriveMode.Boot : VirtualDriveMode.Dead;
                _unit.Commit = null;
            }
            else _unit.Personality.OnPowerLoss();
            _unit.Personality.ResetDownload();
            _unit.SaveRecord();
        }

        /// <summary>
        /// The command is not executed. A unit attention reports an event that already happened: after a reset (29/00) or a
        /// microcode change (3F/01) the download state the drive held in RAM is gone, so a host that goes on sending blocks
        /// gets them refused (MT1959, BTC: 5/2C/00 without an armed download) or starts a new stream; the flash itself keeps
        /// what was already programmed. A commit in progress goes on [inferred: no source says what a reset does mid-commit].
        /// BUSY and NOT READY reject the command and keep every state.
        /// </summary>
        ScsiResponse Transient(TransientKind kind)
        {
            switch (kind)
            {
                case TransientKind.UnitAttention:
                    if (_unit.Commit == null) _unit.Personality.ResetDownload();
                    _unit.PendingUnitAttention = false;   // this answer is the unit attention of the reset
                    return ScsiResponse.Check(SenseTexts.UnitAttention, 0x29, 0x00);
                case TransientKind.MicrocodeChanged:
                    if (_unit.Commit == null) _unit.Personality.ResetDownload();
                    return ScsiResponse.Check(SenseTexts.UnitAttention, 0x3F, 0x01);
                case TransientKind.NotReady: return ScsiResponse.Check(SenseTexts.NotReady, 0x04, 0x01);
                default: return ScsiResponse.Busy();
            }
        }
    }
}
