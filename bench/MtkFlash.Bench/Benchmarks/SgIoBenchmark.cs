using System;
using System.Collections.Generic;
using MtkFlash.Bench.Harness;
using static MtkFlash.Bench.Harness.E2eMeasurements;

namespace MtkFlash.Bench.Benchmarks
{
    /// <summary>
    /// Figure 7: the SG_IO round trip, from the kernel e2e's cd boot (tests/e2e/kernel/guest/bench.sh, a QEMU TCG guest
    /// with a virtio-scsi CD). MtkFlash's SG_IO transport (the hidden `mtkflash bench-sgio`: one open, 1,000 commands)
    /// against sg3-utils in the same boot. The target pair is TEST UNIT READY against `sg_turs --number=1000`: both one
    /// process sending 1,000 commands, the only like-for-like loop sg3-utils has. INQUIRY: 1,000 through MtkFlash, and
    /// through sg_raw, which sends one command per process: its cost per command net of its process start (runs of
    /// `sg_raw -e`, which exits before opening the device) is reported, but under TCG a process start costs ~100 times
    /// an INQUIRY, so that difference is mostly noise and carries no target.
    /// </summary>
    public sealed class SgIoBenchmark : IBenchmark
    {
        public string Number => "7";
        public string Title => "SG_IO round trip in the kernel e2e guest, against sg3-utils";

        const string Ratio = "7 SG_IO TEST UNIT READY MtkFlash/sg_turs";

        public IEnumerable<Figure> Run(BenchOptions options)
        {
            var (data, source) = Get(options, "kernel.json", "tests/e2e/kernel/run.sh", new[] { "cd" }, null, 1800);
            if (data == null)
            {
                yield return NotMeasured(Ratio, "ratio", source, 1.2, "<=");
                yield break;
            }
            var d = data.Value;
            if (d.TryGetProperty("skipped", out var skipped))
            {
                yield return NotMeasured(Ratio, "ratio", "the guest had no sg3-utils (" + skipped + "); " + source, 1.2, "<=");
                yield break;
            }
            double n = Number(d, "n");
            double mtkTur = Number(d, "mtkflash_tur_s") / n, turs = Number(d, "sgturs_tur_s") / n;
            yield return mtkTur > 0 && turs > 0
                ? new Figure { Name = Ratio, Value = mtkTur / turs, Unit = "ratio", Target = 1.2, Comparison = "<=", Note = $"{n:0} each, one process each: MtkFlash {mtkTur * 1e6:0} µs, sg_turs {turs * 1e6:0} µs per command; {source}" }
                : NotMeasured(Ratio, "ratio", "the guest reported no TEST UNIT READY times; " + source, 1.2, "<=");

            double runs = Number(d, "sgraw_runs");
            if (Number(d, "sgraw_failed") > 0) throw new InvalidOperationException($"sg_raw failed {Number(d, "sgraw_failed")} of {runs} INQUIRY commands in the guest ({source})");
            double mtk = Number(d, "mtkflash_inquiry_s") / n, raw = Number(d, "sgraw_inquiry_s") / runs, start = Number(d, "sgraw_start_s") / runs;
            yield return new Figure { Name = "7 SG_IO INQUIRY per command, MtkFlash", Value = mtk * 1e6, Unit = "µs", Note = $"{n:0} INQUIRY (96 bytes), one open, back to back, guest under QEMU TCG" };
            yield return new Figure { Name = "7 SG_IO INQUIRY per sg_raw process", Value = raw * 1e3, Unit = "ms", Note = $"{runs:0} runs; a bare sg_raw start (-e) costs {start * 1e3:0.0} ms" };
            yield return new Figure
            {
                Name = "7 SG_IO INQUIRY MtkFlash/sg_raw net of process start", Value = raw - start > 0 ? mtk / (raw - start) : double.NaN, Unit = "ratio",
                Note = raw - start > 0 ? $"sg_raw net {(raw - start) * 1e6:0} µs per command: includes opening the device, and the difference of two process times is mostly noise; no target"
                                       : "not measured: sg_raw's INQUIRY runs were not slower than its bare starts (the difference is below the noise)",
            };
        }
    }
}
