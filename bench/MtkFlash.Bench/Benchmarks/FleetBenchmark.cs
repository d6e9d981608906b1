using System;
using System.Collections.Generic;
using MtkFlash.Bench.Harness;
using static MtkFlash.Bench.Harness.E2eMeasurements;

namespace MtkFlash.Bench.Benchmarks
{
    /// <summary>
    /// Figure 6: the fleet, from the fleet e2e (tests/e2e/fleet/run.sh: PowerShell remoting over SSH to 4 sshd "hosts"
    /// on loopback addresses). Per-host time of a remote audit (a new session: ssh, the remote pwsh, module import and
    /// Get-OpticalDrive of 3 drives; median of 3 hosts one at a time), the same on an open session, and one drive
    /// serialized as remoting sends it (CLIXML). Projection: a 1,000-machine audit at ThrottleLimit 32 =
    /// ceil(1000/32) × the per-host new-session time. No targets.
    /// </summary>
    public sealed class FleetBenchmark : IBenchmark
    {
        public string Number => "6";
        public string Title => "Fleet: remote audit per host, drive object size, 1,000-machine projection";

        const int Machines = 1000, Throttle = 32;

        public IEnumerable<Figure> Run(BenchOptions options)
        {
            // No MTKFLASH_MODULE_PATH: the e2e builds the module itself (build.ps1), so a stale out/MtkFlash cannot be measured.
            var (data, source) = Get(options, "fleet.json", "tests/e2e/fleet/run.sh", Array.Empty<string>(), null, 1200);
            if (data == null)
            {
                yield return NotMeasured("6 fleet audit per host (new session)", "s", source);
                yield return NotMeasured("6 fleet drive object as CLIXML", "bytes", source);
                yield return NotMeasured($"6 fleet audit of {Machines} machines, ThrottleLimit {Throttle} (projected)", "s", source);
                yield break;
            }
            var d = data.Value;
            double perHost = Number(d, "perHostNewSessionSeconds"), open = Number(d, "perHostOpenSessionSeconds");
            double cpu = Number(d, "controllerCpuPerSessionSeconds"), cores = Number(d, "controllerCores");
            int waves = (Machines + Throttle - 1) / Throttle;
            double projected = waves * perHost;
            double cpuBound = Machines * cpu / cores;
            yield return new Figure { Name = "6 fleet audit per host (new session)", Value = perHost, Unit = "s", Note = $"median of {Number(d, "hosts")} hosts, {Number(d, "drivesPerHost")} drives each; {source}" };
            yield return new Figure { Name = "6 fleet audit per host (open session)", Value = open, Unit = "s", Note = "Get-OpticalDrive again on the open session, median of the runs" };
            yield return new Figure { Name = "6 fleet drive object as CLIXML", Value = Number(d, "driveClixmlBytesAverage"), Unit = "bytes", Note = $"average; at most {Number(d, "driveClixmlBytesMax"):0}; as a CSV row {Number(d, "driveCsvBytesAverage"):0} bytes" };
            yield return new Figure
            {
                Name = $"6 fleet audit of {Machines} machines, ThrottleLimit {Throttle} (projected)", Value = projected, Unit = "s",
                Note = $"ceil({Machines}/{Throttle}) = {waves} × {perHost:0.00} s per host. Assumes every host answers like the e2e's (3 drives, none hung: a hung drive adds its 10 s timeout to its slot), " +
                       $"loopback-like network latency, and a controller that keeps {Throttle} sessions busy: at {cpu:0.00} CPU s per new session it needs {cpuBound:0} s of CPU on its {cores:0} core(s), " +
                       (cpuBound > projected ? "MORE than the projection: this controller would be CPU-bound" : "less than the projection") + $"; the controller's ssh clients use about {Number(d, "sshClientMB"):0} MB each",
            };
        }
    }
}
