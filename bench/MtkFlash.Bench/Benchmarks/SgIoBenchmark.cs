using System;
using System.Collections.Generic;
using MtkFlash.Bench.Harness;
using static MtkFlash.Bench.Harness.E2eMeasurements;

namespace MtkFlash.Bench.Benchmarks
{
    /// <summary>
    /// Figure 7: the SG_IO round trip, from the kernel e2e's cd boot (tests/e2e/kernel/guest/bench.sh, a QEMU TCG guest
    /// with a virtio-scsi CD): 1,000 INQUIRY through MtkFlash's SG_IO transport (the hidden `mtkflash bench-sgio`: one
    /// open, then the commands) against 1,000 through sg_raw (sg3-utils) in the same boot. sg_raw is one process per
    /// command, so its per-command cost is taken net of its process cost (1,000 × `sg_raw -e`, which starts, decodes the
    /// CDB and exits without opening the device). Target: MtkFlash / sg_raw ≤ 1.2. Also TEST UNIT READY through MtkFlash
    /// against `sg_turs --number=1000` (one process both: the cleanest like-for-like), without a target.
    /// </summary>
    public sealed class SgIoBenchmark : IBenchmark
    {
        public string Number => "7";
        public string Title => "SG_IO round trip in the kernel e2e guest, against sg3-utils";

        const string Ratio = "7 SG_IO INQUIRY MtkFlash/sg_raw (net of process start)";

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
            double mtk = Number(d, "mtkflash_inquiry_s") / n, raw = Number(d, "sgraw_inquiry_s") / n, start = Number(d, "sgraw_start_s") / n;
            double net = raw - start;
            if (Number(d, "sgraw_failed") > 0) throw new InvalidOperationException($"sg_raw failed {Number(d, "sgraw_failed")} of {n} INQUIRY commands in the guest ({source})");
            yield return net > 0
                ? new Figure { Name = Ratio, Value = mtk / net, Unit = "ratio", Target = 1.2, Comparison = "<=", Note = $"{n:0} each; {source}" }
                : NotMeasured(Ratio, "ratio", $"sg_raw's INQUIRY processes ({raw * 1e6:0} µs each) were not slower than its bare starts ({start * 1e6:0} µs): the difference is below the noise; {source}", 1.2, "<=");
            yield return new Figure { Name = "7 SG_IO INQUIRY per command, MtkFlash", Value = mtk * 1e6, Unit = "µs", Note = "guest under QEMU TCG, one open, the commands back to back" };
            yield return new Figure { Name = "7 SG_IO INQUIRY per command, sg_raw net", Value = net * 1e6, Unit = "µs", Note = $"{raw * 1e6:0} µs per sg_raw process minus {start * 1e6:0} µs per bare sg_raw start" };
            double mtkTur = Number(d, "mtkflash_tur_s"), turs = Number(d, "sgturs_tur_s");
            if (mtkTur > 0 && turs > 0)
                yield return new Figure { Name = "7 SG_IO TEST UNIT READY MtkFlash/sg_turs", Value = mtkTur / turs, Unit = "ratio", Note = $"{n:0} each, one process each: MtkFlash {mtkTur / n * 1e6:0} µs, sg_turs {turs / n * 1e6:0} µs per command" };
        }
    }
}
