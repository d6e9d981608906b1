using MtkFlash.Core.Protocols;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Tests.Support
{
    /// <summary>
    /// The smallest faithful executor of a <see cref="FlashPlan"/>: its steps in order, each once, with the family's
    /// TEST UNIT READY before each step when the timing asks for it. The real write operation adds waiting and progress.
    /// </summary>
    public static class PlanRunner
    {
        public static void Execute(ScsiDevice device, FlashPlan plan)
        {
            foreach (var step in plan.Steps)
            {
                if (plan.Protocol.Timing.TestUnitReadyBeforeEachStep) device.TestUnitReady();
                device.Execute(step.Request);
            }
        }
    }
}
